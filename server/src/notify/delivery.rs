//! One delivery attempt of a claimed message: opt-out and relevance checks, rendering, the
//! transport call, and recording the outcome (retry with backoff, dead, suppressed...).

use super::backoff::retry_delay;
use super::context::MessageContext;
use super::default_templates::effective;
use super::enqueue::channel_transport;
use super::templates::{render, with_opt_out_line, TemplateText};
use super::transport::{Delivery, Outgoing};
use crate::clock::now_seconds;
use crate::config::OutboxSettings;
use crate::store::db::Db;
use crate::store::outbox::{finish_attempt, AttemptResult, ClaimedMessage};
use crate::store::write_batch::WriteOutcome;
use crate::store::{appointments, messaging, outbox};
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use slotwise_shared::lang;
use slotwise_shared::messages::{Channel, MessageEvent};

/// Everything an attempt needs besides the message.
#[derive(Clone)]
pub struct Deliverer {
    pub db: Db,
    pub http: reqwest::Client,
    pub settings: OutboxSettings,
    pub public_url: String,
    /// Whether practice settings may send to private addresses (`--allow-private-outbound`).
    pub allow_private: bool,
}

/// What the checks before sending decided.
enum Prepared {
    Send(
        Box<Outgoing>,
        Box<dyn super::transport::Transport>,
        Option<String>,
    ),
    Finish(AttemptResult),
}

fn final_result(status: &'static str, error: &str) -> AttemptResult {
    AttemptResult {
        status,
        next_attempt_at: now_seconds(),
        provider_message_id: None,
        error: Some(error.to_string()),
        uncertain: false,
        possible_duplicate: false,
        subject: None,
        body: None,
        unsubscribe_token_hash: None,
    }
}

impl Deliverer {
    /// Makes one attempt and records how it ended.
    pub async fn deliver(&self, m: ClaimedMessage) -> Result<(), sqlx::Error> {
        let mut opted_out = false;
        let result = match self.prepare(&m).await? {
            Prepared::Finish(result) => result,
            Prepared::Send(out, transport, unsubscribe_hash) => {
                let mut possible_duplicate = false;
                let mut earlier = None;
                if m.uncertain != 0 {
                    match transport.find_earlier(&out).await {
                        Ok(found) => earlier = found,
                        Err(()) => possible_duplicate = true,
                    }
                }
                let outcome = match earlier {
                    Some(id) => Delivery::Sent(id),
                    None => transport.send(&out).await,
                };
                opted_out = matches!(outcome, Delivery::OptedOut(_));
                self.outcome(&m, outcome, &out, unsubscribe_hash, possible_duplicate)
            }
        };
        let (message, practice_id) = (m.clone(), m.practice_id);
        let now = now_seconds();
        self.db
            .write(write_unit!(|conn| {
                if !finish_attempt(conn, &message, &result, now).await? {
                    // The lease ran out and the message was taken over: theirs to record.
                    return Ok(WriteOutcome::Rollback(()));
                }
                if opted_out {
                    messaging::suppress(
                        conn,
                        practice_id,
                        &message.channel,
                        &message.recipient,
                        "provider: recipient unsubscribed",
                        now,
                    )
                    .await?;
                }
                Ok(WriteOutcome::Commit(()))
            }))
            .await
    }

    async fn prepare(&self, m: &ClaimedMessage) -> Result<Prepared, sqlx::Error> {
        let (Some(event), Some(channel)) =
            (MessageEvent::parse(&m.event), Channel::parse(&m.channel))
        else {
            return Ok(Prepared::Finish(final_result(
                "dead",
                "Unknown event or channel.",
            )));
        };
        let mut conn = self.db.read.acquire().await?;
        if messaging::is_suppressed(&mut conn, m.practice_id, &m.channel, &m.recipient).await? {
            return Ok(Prepared::Finish(final_result(
                "suppressed",
                "The recipient opted out of this channel.",
            )));
        }
        if event.is_automation() {
            if let Some(patient_id) = m.patient_id {
                if crate::store::automations::is_paused(&mut conn, patient_id).await? {
                    return Ok(Prepared::Finish(final_result(
                        "suppressed",
                        "The patient opted out of automated messages, or staff paused them.",
                    )));
                }
            }
        }
        if let (Some(step), Some(id)) = (
            MessageEvent::NO_SHOW.iter().position(|&e| e == event),
            m.appointment_id,
        ) {
            // After downtime, only the latest follow-up that is due goes out.
            let later: Vec<&str> = MessageEvent::NO_SHOW[step + 1..]
                .iter()
                .map(|e| e.as_str())
                .collect();
            if outbox::later_step_due(&mut conn, id, &m.channel, &later, now_seconds()).await? {
                return Ok(Prepared::Finish(final_result(
                    "cancelled",
                    "A later follow-up of this no-show is due: only that one is sent.",
                )));
            }
        }
        if event == MessageEvent::Reminder {
            if let Some(id) = m.appointment_id {
                let still_on = appointments::status_and_start(&mut conn, id)
                    .await?
                    .is_some_and(|(status, starts_at)| {
                        matches!(status.as_str(), "booked" | "confirmed")
                            && starts_at > now_seconds()
                    });
                if !still_on {
                    return Ok(Prepared::Finish(final_result(
                        "cancelled",
                        "The appointment is no longer on.",
                    )));
                }
            }
        }
        let language = lang::of(&m.lang);
        let custom = messaging::template(
            &mut conn,
            m.practice_id,
            &m.event,
            &m.channel,
            language.code,
        )
        .await?
        .map(|(subject, body)| TemplateText { subject, body });
        let transport = match channel_transport(&mut conn, m.practice_id, channel).await? {
            Ok(t) => t,
            Err(e) => return Ok(Prepared::Finish(final_result("dead", &e))),
        };
        // A message in another language than the practice's asks its links' pages for it.
        let foreign = lang::of(&messaging::practice_language(&mut conn, m.practice_id).await?).code
            != language.code;
        let page_language = if foreign {
            format!("?lang={}", language.code)
        } else {
            String::new()
        };
        drop(conn);
        // Settings saved before the check existed, or a name that now points inward.
        // A private destination is refused for good; a name that could not be looked up
        // right now (DNS trouble) is tried again later like any failed attempt.
        if let Err((_, why)) = transport.check_destination(self.allow_private).await {
            let result =
                if why == crate::outbound::NOT_PUBLIC || m.attempts >= self.settings.max_attempts {
                    final_result("dead", why)
                } else {
                    AttemptResult {
                        status: "failed",
                        next_attempt_at: self.retry_at(m, now_seconds()),
                        ..final_result("failed", why)
                    }
                };
            return Ok(Prepared::Finish(result));
        }
        let context = match serde_json::from_str::<MessageContext>(&m.context) {
            Ok(c) if foreign => c.with_page_language(language.code),
            Ok(c) => c,
            Err(_) => {
                return Ok(Prepared::Finish(final_result(
                    "dead",
                    "The message data is unreadable.",
                )))
            }
        };
        let (unsubscribe_url, unsubscribe_hash) = if channel == Channel::Email {
            let token = new_token();
            (
                Some(format!(
                    "{}/unsubscribe/{token}{page_language}",
                    self.public_url.trim_end_matches('/')
                )),
                Some(hash_token(&token)),
            )
        } else {
            (None, None)
        };
        let template = effective(custom, event, channel, language);
        let unsubscribe_link = unsubscribe_url.clone().unwrap_or_default();
        let rendered = match render(template, context.clone(), unsubscribe_link).await {
            Ok(r) => r,
            Err(e) => return Ok(Prepared::Finish(final_result("dead", &e.to_string()))),
        };
        let link = if event == MessageEvent::Cancelled {
            context.booking_link.clone()
        } else {
            context.manage_link.clone()
        };
        let out = Outgoing {
            id: m.id,
            event,
            to: m.recipient.clone(),
            subject: rendered.subject,
            text: with_opt_out_line(channel, rendered.text, language),
            ics: if channel == Channel::Email {
                context.ics.clone()
            } else {
                None
            },
            unsubscribe_url,
            template_params: vec![
                context.patient_first_name.clone(),
                context.date.clone(),
                context.time.clone(),
                context.clinic_name.clone(),
                link,
            ],
            queued_at: m.created_at,
            language,
        };
        let sender = transport.build(&self.http, &self.settings);
        Ok(Prepared::Send(Box::new(out), sender, unsubscribe_hash))
    }

    /// When a message whose attempt failed for now is tried again.
    fn retry_at(&self, m: &ClaimedMessage, now: i64) -> i64 {
        let delay = retry_delay(
            m.attempts,
            self.settings.backoff_base,
            self.settings.backoff_cap,
        );
        now + i64::try_from(delay.as_millis().div_ceil(1000)).unwrap_or(3600)
    }

    fn outcome(
        &self,
        m: &ClaimedMessage,
        delivery: Delivery,
        out: &Outgoing,
        unsubscribe_token_hash: Option<String>,
        possible_duplicate: bool,
    ) -> AttemptResult {
        let now = now_seconds();
        let retry_at = self.retry_at(m, now);
        let exhausted = m.attempts >= self.settings.max_attempts;
        let mut result = AttemptResult {
            status: "sent",
            next_attempt_at: now,
            provider_message_id: None,
            error: None,
            uncertain: false,
            possible_duplicate,
            subject: Some(out.subject.clone()),
            body: Some(out.text.clone()),
            unsubscribe_token_hash,
        };
        match delivery {
            Delivery::Sent(id) => result.provider_message_id = Some(id),
            Delivery::Retry(error) | Delivery::Uncertain(error) if exhausted => {
                result.status = "dead";
                result.error = Some(format!("Gave up after {} attempts. {error}", m.attempts));
            }
            Delivery::Retry(error) => {
                result.status = "failed";
                result.next_attempt_at = retry_at;
                result.error = Some(error);
            }
            Delivery::Uncertain(error) => {
                result.status = "failed";
                result.next_attempt_at = retry_at;
                result.uncertain = true;
                result.error = Some(error);
            }
            Delivery::Permanent(error) => {
                result.status = "dead";
                result.error = Some(error);
            }
            Delivery::OptedOut(error) => {
                result.status = "suppressed";
                result.error = Some(error);
            }
        }
        if result.status != "failed" {
            // Only a retry may still be uncertain; anything final is settled.
            result.uncertain = false;
        }
        tracing::info!(
            message = m.id,
            attempt = m.attempts,
            event = %m.event,
            channel = %m.channel,
            status = result.status,
            "message attempt"
        );
        result
    }
}
