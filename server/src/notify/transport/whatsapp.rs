//! WhatsApp through Meta's Cloud API: `POST /{version}/{phone-number-id}/messages` with an
//! approved template. Outside a conversation window WhatsApp only delivers templates, so every
//! event maps to a template name, filled with the message's values in a fixed order.

use super::{body_text, http_failure, Delivery, Outgoing, Transport, CUT_ANSWER};
use crate::store::write_batch::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::json;
use slotwise_shared::lang::{self, messages::message};
use std::collections::BTreeMap;

/// Cloud API error codes that mean "try later" (rate limits, temporary trouble).
const RETRY_CODES: &[i64] = &[1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056];
/// The recipient stopped messages from this business.
const OPTED_OUT_CODES: &[i64] = &[131050];

/// A practice's WhatsApp Business number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatsAppConfig {
    pub access_token: String,
    pub phone_number_id: String,
    /// Approved template per event (`confirmation`, `reminder`, ...); default `slotwise_{event}`.
    #[serde(default)]
    pub templates: BTreeMap<String, String>,
    /// Meta's language code of the English templates.
    #[serde(default = "default_language")]
    pub language: String,
    /// Meta's language code per patient language (`{"es": "es_MX"}`), for the practice's
    /// templates in other languages; a language not listed uses its file's `whatsapp_code`.
    #[serde(default)]
    pub languages: BTreeMap<String, String>,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_api_version")]
    pub api_version: String,
}

fn default_language() -> String {
    "en_US".into()
}
fn default_base_url() -> String {
    "https://graph.facebook.com".into()
}
fn default_api_version() -> String {
    "v21.0".into()
}

/// Sends WhatsApp template messages for one practice.
pub struct WhatsAppCloud {
    config: WhatsAppConfig,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct Sent {
    #[serde(default)]
    messages: Vec<SentId>,
}

#[derive(Deserialize)]
struct SentId {
    id: String,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: CloudError,
}

#[derive(Deserialize)]
struct CloudError {
    code: Option<i64>,
    message: Option<String>,
}

impl WhatsAppCloud {
    /// A sender over a shared HTTP client.
    pub fn new(config: WhatsAppConfig, http: reqwest::Client) -> Self {
        WhatsAppCloud { config, http }
    }

    /// The language code Meta expects for the message's language: the practice's own for it,
    /// else `language` when it is that language's (`en_US` for English, `es` for Spanish),
    /// else the language file's.
    fn language_code(&self, msg: &Outgoing) -> String {
        if let Some(code) = self.config.languages.get(msg.language.code) {
            return code.clone();
        }
        if lang::find(&self.config.language).is_some_and(|l| l.code == msg.language.code) {
            return self.config.language.clone();
        }
        message(msg.language, "whatsapp_code")
            .unwrap_or(msg.language.code)
            .to_string()
    }

    fn template_name(&self, msg: &Outgoing) -> String {
        let event = msg.event.as_str();
        self.config
            .templates
            .get(event)
            .cloned()
            .unwrap_or_else(|| format!("slotwise_{event}"))
    }
}

impl Transport for WhatsAppCloud {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Delivery> {
        Box::pin(async move {
            let parameters: Vec<_> = msg
                .template_params
                .iter()
                .map(|text| json!({ "type": "text", "text": text }))
                .collect();
            let body = json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": msg.to.trim_start_matches('+'),
                "type": "template",
                "template": {
                    "name": self.template_name(msg),
                    "language": { "code": self.language_code(msg) },
                    "components": [{ "type": "body", "parameters": parameters }],
                },
            });
            let url = format!(
                "{}/{}/{}/messages",
                self.config.base_url.trim_end_matches('/'),
                self.config.api_version,
                urlencoding::encode(&self.config.phone_number_id)
            );
            let response = match self
                .http
                .post(url)
                .bearer_auth(&self.config.access_token)
                .json(&body)
                .send()
                .await
            {
                Ok(r) => r,
                Err(err) => return http_failure(&err),
            };
            let status = response.status();
            let Some(text) = body_text(response).await else {
                return Delivery::Uncertain(CUT_ANSWER.into());
            };
            if status.is_success() {
                return match serde_json::from_str::<Sent>(&text)
                    .ok()
                    .and_then(|s| s.messages.into_iter().next())
                {
                    Some(sent) => Delivery::Sent(sent.id),
                    None => Delivery::Uncertain(
                        "WhatsApp accepted the message but its answer had no message id.".into(),
                    ),
                };
            }
            let error = serde_json::from_str::<ErrorEnvelope>(&text)
                .ok()
                .map(|e| e.error);
            let code = error.as_ref().and_then(|e| e.code);
            let detail = format!(
                "WhatsApp answered {}{}{}",
                status.as_u16(),
                code.map(|c| format!(", error {c}")).unwrap_or_default(),
                error
                    .and_then(|e| e.message)
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            );
            match code {
                Some(c) if OPTED_OUT_CODES.contains(&c) => Delivery::OptedOut(detail),
                Some(c) if RETRY_CODES.contains(&c) => Delivery::Retry(detail),
                _ if status.is_server_error() || status.as_u16() == 429 => Delivery::Retry(detail),
                _ => Delivery::Permanent(detail),
            }
        })
    }
}
