//! Channels behind one trait: what a transport is given, how a send can end, and the
//! per-practice settings that pick and configure a transport.

pub mod local;
pub mod smtp;
pub mod twilio;
pub mod whatsapp;

use crate::store::write_batch::BoxFuture;
use serde::{Deserialize, Serialize};
use slotwise_shared::messages::{Channel, MessageEvent};
use std::time::Duration;

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

    /// Keeps the stored secrets where an update sent [`REDACTED`] back unchanged.
    pub fn keep_secrets_from(&mut self, stored: &TransportConfig) {
        match (self, stored) {
            (TransportConfig::Twilio(new), TransportConfig::Twilio(old))
                if new.auth_token == REDACTED =>
            {
                new.auth_token = old.auth_token.clone()
            }
            (TransportConfig::WhatsappCloud(new), TransportConfig::WhatsappCloud(old))
                if new.access_token == REDACTED =>
            {
                new.access_token = old.access_token.clone()
            }
            (TransportConfig::Smtp(new), TransportConfig::Smtp(old))
                if new.password.as_deref() == Some(REDACTED) =>
            {
                new.password = old.password.clone()
            }
            _ => {}
        }
    }

    /// The transport these settings describe.
    pub fn build(&self, http: &reqwest::Client, timeout: Duration) -> Box<dyn Transport> {
        match self {
            TransportConfig::Local => Box::new(local::LocalTransport),
            TransportConfig::Twilio(c) => Box::new(twilio::TwilioSms::new(c.clone(), http.clone())),
            TransportConfig::WhatsappCloud(c) => {
                Box::new(whatsapp::WhatsAppCloud::new(c.clone(), http.clone()))
            }
            TransportConfig::Smtp(c) => Box::new(smtp::SmtpEmail::new(c.clone(), timeout)),
        }
    }
}

/// Classifies a reqwest failure: refused connections never reached the provider; anything
/// later (a timeout waiting for the answer, a dropped connection) may have.
pub fn http_failure(err: &reqwest::Error) -> Delivery {
    if err.is_connect() {
        Delivery::Retry(format!("Could not connect to the provider: {err}"))
    } else if err.is_builder() {
        Delivery::Permanent(format!("The request could not be built: {err}"))
    } else {
        Delivery::Uncertain(format!("No answer from the provider: {err}"))
    }
}
