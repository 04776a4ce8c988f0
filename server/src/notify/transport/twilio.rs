//! SMS through Twilio's Programmable Messaging REST API (`POST .../Messages.json`), and the
//! check after an uncertain attempt (`GET .../Messages.json?To=&From=`).

use super::{body_text, http_failure, Delivery, Outgoing, Transport, CUT_ANSWER};
use crate::store::write_batch::BoxFuture;
use serde::{Deserialize, Serialize};

/// Twilio's error code for "the recipient replied STOP": suppress, never retry.
pub const UNSUBSCRIBED_RECIPIENT: i64 = 21610;

/// A practice's Twilio account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwilioConfig {
    pub account_sid: String,
    pub auth_token: String,
    /// The sending number (E.164) or a Messaging Service SID (`MG...`).
    pub from: String,
    /// `https://api.twilio.com` unless testing.
    #[serde(default = "default_base_url")]
    pub base_url: String,
}

fn default_base_url() -> String {
    "https://api.twilio.com".into()
}

/// Sends SMS for one practice.
pub struct TwilioSms {
    config: TwilioConfig,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

#[derive(Deserialize)]
struct TwilioError {
    code: Option<i64>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct MessagePage {
    #[serde(default)]
    messages: Vec<ListedMessage>,
}

#[derive(Deserialize)]
struct ListedMessage {
    sid: String,
    #[serde(default)]
    body: String,
}

impl TwilioSms {
    /// A sender over a shared HTTP client (its timeout bounds every call).
    pub fn new(config: TwilioConfig, http: reqwest::Client) -> Self {
        TwilioSms { config, http }
    }

    fn messages_url(&self) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.config.base_url.trim_end_matches('/'),
            urlencoding::encode(&self.config.account_sid)
        )
    }

    fn sender_field(&self) -> &'static str {
        if self.config.from.starts_with("MG") {
            "MessagingServiceSid"
        } else {
            "From"
        }
    }
}

impl Transport for TwilioSms {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Delivery> {
        Box::pin(async move {
            let form = [
                ("To", msg.to.as_str()),
                (self.sender_field(), self.config.from.as_str()),
                ("Body", msg.text.as_str()),
            ];
            let response = self
                .http
                .post(self.messages_url())
                .basic_auth(&self.config.account_sid, Some(&self.config.auth_token))
                .form(&form)
                .send()
                .await;
            let response = match response {
                Ok(r) => r,
                Err(err) => return http_failure(&err),
            };
            let status = response.status();
            let Some(body) = body_text(response).await else {
                return Delivery::Uncertain(CUT_ANSWER.into());
            };
            if status.is_success() {
                return match serde_json::from_str::<Created>(&body) {
                    Ok(created) => Delivery::Sent(created.sid),
                    Err(_) => Delivery::Uncertain(
                        "Twilio accepted the message but its answer had no message SID.".into(),
                    ),
                };
            }
            let error = serde_json::from_str::<TwilioError>(&body).ok();
            let code = error.as_ref().and_then(|e| e.code);
            let detail = format!(
                "Twilio answered {}{}{}",
                status.as_u16(),
                code.map(|c| format!(", error {c}")).unwrap_or_default(),
                error
                    .and_then(|e| e.message)
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            );
            if code == Some(UNSUBSCRIBED_RECIPIENT) {
                Delivery::OptedOut(detail)
            } else if status.is_server_error() || status.as_u16() == 429 {
                Delivery::Retry(detail)
            } else {
                Delivery::Permanent(detail)
            }
        })
    }

    fn find_earlier<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Result<Option<String>, ()>> {
        Box::pin(async move {
            let query = [
                ("To", msg.to.as_str()),
                (self.sender_field(), self.config.from.as_str()),
                ("PageSize", "50"),
            ];
            let response = self
                .http
                .get(self.messages_url())
                .basic_auth(&self.config.account_sid, Some(&self.config.auth_token))
                .query(&query)
                .send()
                .await
                .map_err(|_| ())?;
            if !response.status().is_success() {
                return Err(());
            }
            let body = body_text(response).await.ok_or(())?;
            let page: MessagePage = serde_json::from_str(&body).map_err(|_| ())?;
            Ok(page
                .messages
                .into_iter()
                .find(|m| m.body == msg.text)
                .map(|m| m.sid))
        })
    }
}
