//! Channels behind one trait: what a transport is given, how a send can end, and the
//! per-practice settings that pick and configure a transport.

pub mod local;
pub mod smtp;
pub mod twilio;
pub mod whatsapp;

use crate::config::OutboxSettings;
use crate::outbound::{self, same_origin};
use crate::store::write_batch::BoxFuture;
use serde::{Deserialize, Serialize};
use slotwise_shared::messages::{Channel, MessageEvent};

/// One message, rendered, ready to hand to a provider.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The outbox row (for logs and message ids; never personal data).
    pub id: i64,
    pub event: MessageEvent,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Email: an `.ics` to attach.
    pub ics: Option<String>,
    /// Email: one-click unsubscribe address.
    pub unsubscribe_url: Option<String>,
    /// WhatsApp template parameters, in order.
    pub template_params: Vec<String>,
    /// When the message was first queued (UTC seconds); bounds look-ups of earlier attempts.
    pub queued_at: i64,
    /// The language it is written in (WhatsApp names it to Meta).
    pub language: &'static slotwise_shared::lang::Language,
}

/// How a send ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The provider accepted it; its message id.
    Sent(String),
    /// Not delivered and safe to try again (connection refused, 5xx, rate limited).
    Retry(String),
    /// The request went out but no answer came back: it may have been delivered.
    Uncertain(String),
    /// Refused for good (invalid number, bad credentials...).
    Permanent(String),
    /// The recipient opted out at the provider (Twilio 21610): suppress, don't retry.
    OptedOut(String),
}

/// A way to deliver messages of one channel.
pub trait Transport: Send + Sync {
    /// Sends one message.
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Delivery>;

    /// After an uncertain attempt: the provider's id of that message if the provider shows it
    /// arrived, `Ok(None)` if it did not, `Err` if this transport cannot tell.
    fn find_earlier<'a>(&'a self, _msg: &'a Outgoing) -> BoxFuture<'a, Result<Option<String>, ()>> {
        Box::pin(async { Err(()) })
    }
}

/// A channel's transport settings, as stored per practice (JSON, tagged by `transport`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "transport", rename_all = "snake_case", deny_unknown_fields)]
pub enum TransportConfig {
    /// Records messages (visible to staff, printed to the log); sends nothing.
    Local,
    /// SMS through Twilio's Messages API.
    Twilio(twilio::TwilioConfig),
    /// WhatsApp through Meta's Cloud API (approved templates).
    WhatsappCloud(whatsapp::WhatsAppConfig),
    /// Email through an SMTP server.
    Smtp(smtp::SmtpConfig),
}

/// What replaces secrets when settings are shown.
pub const REDACTED: &str = "********";

impl TransportConfig {
    /// Whether this transport can carry `channel`.
    pub fn fits(&self, channel: Channel) -> bool {
        matches!(
            (self, channel),
            (TransportConfig::Local, _)
                | (TransportConfig::Twilio(_), Channel::Sms)
                | (TransportConfig::WhatsappCloud(_), Channel::Whatsapp)
                | (TransportConfig::Smtp(_), Channel::Email)
        )
    }

    /// A copy with every secret replaced by [`REDACTED`].
    pub fn redacted(&self) -> TransportConfig {
        let mut copy = self.clone();
        match &mut copy {
            TransportConfig::Local => {}
            TransportConfig::Twilio(c) => c.auth_token = REDACTED.into(),
            TransportConfig::WhatsappCloud(c) => c.access_token = REDACTED.into(),
            TransportConfig::Smtp(c) => {
                if c.password.is_some() {
                    c.password = Some(REDACTED.into());
                }
            }
        }
        copy
    }

    /// Keeps the stored secrets where an update sent [`REDACTED`] back unchanged — only while
    /// the destination stays the same: a secret is bound to its host, so an update that moves
    /// it elsewhere must carry the secret again. `Err` names the secret's field.
    pub fn keep_secrets_from(&mut self, stored: &TransportConfig) -> Result<(), &'static str> {
        match (self, stored) {
            (TransportConfig::Twilio(new), TransportConfig::Twilio(old))
                if new.auth_token == REDACTED =>
            {
                if !same_origin(&new.base_url, &old.base_url) {
                    return Err("config.auth_token");
                }
                new.auth_token = old.auth_token.clone()
            }
            (TransportConfig::WhatsappCloud(new), TransportConfig::WhatsappCloud(old))
                if new.access_token == REDACTED =>
            {
                if !same_origin(&new.base_url, &old.base_url) {
                    return Err("config.access_token");
                }
                new.access_token = old.access_token.clone()
            }
            (TransportConfig::Smtp(new), TransportConfig::Smtp(old))
                if new.password.as_deref() == Some(REDACTED) =>
            {
                if !new.host.trim().eq_ignore_ascii_case(old.host.trim()) || new.port != old.port {
                    return Err("config.password");
                }
                new.password = old.password.clone()
            }
            (TransportConfig::Twilio(c), _) if c.auth_token == REDACTED => {
                return Err("config.auth_token")
            }
            (TransportConfig::WhatsappCloud(c), _) if c.access_token == REDACTED => {
                return Err("config.access_token")
            }
            (TransportConfig::Smtp(c), _) if c.password.as_deref() == Some(REDACTED) => {
                return Err("config.password")
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether these settings send to a public destination (or private ones are allowed).
    /// Checked when staff save them and again before each delivery. `Err` is the field and
    /// why.
    pub async fn check_destination(
        &self,
        allow_private: bool,
    ) -> Result<(), (&'static str, &'static str)> {
        match self {
            TransportConfig::Local => Ok(()),
            TransportConfig::Twilio(c) => check_service_url(&c.base_url, allow_private).await,
            TransportConfig::WhatsappCloud(c) => {
                check_service_url(&c.base_url, allow_private).await
            }
            TransportConfig::Smtp(c) => outbound::check_host(&c.host, c.port, allow_private)
                .await
                .map_err(|why| ("config.host", why)),
        }
    }

    /// The transport these settings describe.
    pub fn build(&self, http: &reqwest::Client, settings: &OutboxSettings) -> Box<dyn Transport> {
        let timeout = settings.send_timeout;
        // The destination was checked by `check_destination` before this; the HTTP client's
        // resolver refuses private addresses of host names at connection time.
        match self {
            TransportConfig::Local => Box::new(local::LocalTransport {
                log_text: settings.log_local_message_text,
            }),
            TransportConfig::Twilio(c) => Box::new(twilio::TwilioSms::new(c.clone(), http.clone())),
            TransportConfig::WhatsappCloud(c) => {
                Box::new(whatsapp::WhatsAppCloud::new(c.clone(), http.clone()))
            }
            TransportConfig::Smtp(c) => Box::new(smtp::SmtpEmail::new(c.clone(), timeout)),
        }
    }
}

/// Classifies a reqwest failure: refused connections never reached the provider; anything
/// later (a timeout waiting for the answer, a dropped connection) may have. The words are a
/// category, never the socket's own text.
pub fn http_failure(err: &reqwest::Error) -> Delivery {
    let what = outbound::describe(err);
    if err.is_connect() {
        Delivery::Retry(format!("The provider {what}."))
    } else if err.is_builder() {
        Delivery::Permanent("The request could not be built.".into())
    } else {
        Delivery::Uncertain(format!("The provider {what} after the message was sent."))
    }
}

/// What a send ended as when the provider's answer could not be read whole.
pub const CUT_ANSWER: &str =
    "The provider's answer was too long or broke off after the message was sent.";

/// An answer's body as text, at most [`outbound::MAX_BODY_BYTES`]; `None` when longer or cut.
pub async fn body_text(response: reqwest::Response) -> Option<String> {
    let bytes = outbound::read_body(response).await?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// An HTTP provider's base address: its form, and that its host is public.
async fn check_service_url(
    url: &str,
    allow_private: bool,
) -> Result<(), (&'static str, &'static str)> {
    outbound::check_service_url(url, allow_private)
        .await
        .map(drop)
        .map_err(|why| ("config.base_url", why))
}
