//! Email through SMTP (lettre): plain text and HTML, the calendar file attached, and one-click
//! unsubscribe headers (RFC 8058).

use super::{Delivery, Outgoing, Transport};
use crate::html::escape_html;
use crate::store::write_batch::BoxFuture;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use slotwise_shared::lang::messages::message;
use std::time::Duration;

/// How the connection to the SMTP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Implicit TLS (usually port 465).
    Tls,
    /// STARTTLS, required (usually port 587).
    Starttls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// A practice's outgoing mail server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// `Brightside Dental <hello@brightside.example>`.
    pub from: String,
}

/// Sends email for one practice.
pub struct SmtpEmail {
    config: SmtpConfig,
    timeout: Duration,
}

impl SmtpEmail {
    /// A sender; every SMTP exchange is bounded by `timeout`.
    pub fn new(config: SmtpConfig, timeout: Duration) -> Self {
        SmtpEmail { config, timeout }
    }

    fn mailer(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let c = &self.config;
        let builder = match c.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host),
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host),
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                c.host.clone(),
            )),
        }
        .map_err(|e| format!("The SMTP settings are not usable: {e}"))?;
        let mut builder = builder.port(c.port).timeout(Some(self.timeout));
        if let (Some(user), Some(password)) = (&c.username, &c.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }

    fn message(&self, msg: &Outgoing) -> Result<Message, String> {
        let from: Mailbox = self
            .config
            .from
            .parse()
            .map_err(|e| format!("The sender address is not valid: {e}"))?;
        let to: Mailbox = msg
            .to
            .parse()
            .map_err(|e| format!("The recipient address is not valid: {e}"))?;
        let domain = from.email.domain().to_string();
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(msg.subject.clone())
            // Stable across retries, so a receiving server can tell a repeat.
            .message_id(Some(format!("<outbox-{}@{domain}>", msg.id)));
        if let Some(url) = &msg.unsubscribe_url {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        let text = match &msg.unsubscribe_url {
            Some(url) => format!(
                "{}\n\n--\n{} {url}",
                msg.text,
                message(msg.language, "unsubscribe_footer").unwrap_or_default()
            ),
            None => msg.text.clone(),
        };
        let body = MultiPart::alternative()
            .singlepart(SinglePart::plain(text.clone()))
            .singlepart(SinglePart::html(html_version(&text, msg.language.code)));
        let content = match &msg.ics {
            None => body,
            Some(ics) => MultiPart::mixed().multipart(body).singlepart(
                Attachment::new("appointment.ics".to_string()).body(
                    ics.clone(),
                    ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                        .map_err(|e| e.to_string())?,
                ),
            ),
        };
        builder
            .multipart(content)
            .map_err(|e| format!("The email could not be built: {e}"))
    }
}

impl Transport for SmtpEmail {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Delivery> {
        Box::pin(async move {
            let email = match self.message(msg) {
                Ok(m) => m,
                Err(e) => return Delivery::Permanent(e),
            };
            let mailer = match self.mailer() {
                Ok(m) => m,
                Err(e) => return Delivery::Permanent(e),
            };
            match mailer.send(email).await {
                Ok(response) => Delivery::Sent(
                    response
                        .message()
                        .next()
                        .map(|line| line.to_string())
                        .unwrap_or_else(|| format!("smtp-{}", msg.id)),
                ),
                Err(e) if e.is_permanent() => {
                    Delivery::Permanent(format!("The mail server refused the message: {e}"))
                }
                Err(e) if e.is_timeout() => {
                    Delivery::Uncertain(format!("The mail server did not answer in time: {e}"))
                }
                Err(e) => Delivery::Retry(format!("The mail server could not take it: {e}")),
            }
        })
    }
}

/// The HTML part: the text, escaped, paragraphs kept, links clickable.
pub fn html_version(text: &str, lang: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let lines: Vec<String> = p.lines().map(linkify).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2937\">{}</body></html>",
        escape_html(lang),
        paragraphs.join("\n")
    )
}

fn linkify(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let escaped = escape_html(word);
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<a href=\"{escaped}\">{escaped}</a>")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::html_version;

    #[test]
    fn html_escapes_text_and_links_urls() {
        let html = html_version(
            "Hi <b>Jo</b> & co\nSee https://x.example/a?b=1&c=2\n\nBye",
            "en",
        );
        assert!(html.contains("<html lang=\"en\">"), "{html}");
        assert!(
            html.contains("Hi &lt;b&gt;Jo&lt;/b&gt; &amp; co<br>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://x.example/a?b=1&amp;c=2\">"));
        assert!(html.contains("<p>Bye</p>"));
    }
}
