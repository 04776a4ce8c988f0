//! Broadcasts: one message per selected appointment, in a template the practice chose. The
//! preview and the sending select recipients with the same code, so the count staff see is
//! the count queued; patients who opted out or whose automated messages are paused are
//! always left out; messages are spread out in the outbox at the practice's pace.

use crate::catalog::Catalog;
use crate::notify::appointment_messages::appointment_context;
use crate::notify::context::MessageContext;
use crate::notify::default_templates::effective;
use crate::notify::enqueue::{active_channels, enqueue_on, language_of, Queue, Recipient};
use crate::notify::templates::{render, with_opt_out_line, TemplateText};
use crate::store::appointments::add_manage_token;
use crate::store::automations as settings_store;
use crate::store::broadcasts::{self as store, Candidate, NewBroadcast, Selection};
use crate::store::messaging;
use crate::tokens::{hash_token, new_token};
use jiff::Timestamp;
use slotwise_shared::automations::{BroadcastPreview, BroadcastSample, PartOfDay};
use slotwise_shared::messages::{Channel, MessageEvent};
use slotwise_shared::{labels, lang};
use sqlx::AnyConnection;

/// Who a broadcast goes to.
pub struct Recipients {
    /// Appointments whose patient gets the message.
    pub chosen: Vec<Candidate>,
    pub channels: Vec<Channel>,
    pub excluded_opted_out: i64,
    pub excluded_unreachable: i64,
}

impl Recipients {
    /// Messages the broadcast queues: one per channel a recipient has an address on.
    pub fn messages(&self) -> i64 {
        self.chosen
            .iter()
            .map(|c| reachable_on(c, &self.channels).len() as i64)
            .sum()
    }
}

fn recipient_of(c: &Candidate) -> Recipient {
    Recipient {
        patient_id: c.appointment.patient_id,
        phone: c.phone.clone(),
        email: c.email.clone(),
        language: None,
    }
}

fn reachable_on(c: &Candidate, channels: &[Channel]) -> Vec<Channel> {
    let r = recipient_of(c);
    channels
        .iter()
        .copied()
        .filter(|&ch| !r.address(ch).trim().is_empty())
        .collect()
}

/// Selects the recipients: the selection's appointments in the part of the day, minus those
/// whose patient opted out and those without an address the practice can send to.
pub async fn recipients(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    selection: &Selection<'_>,
    part: PartOfDay,
) -> Result<Recipients, sqlx::Error> {
    let channels = active_channels(conn, catalog.practice.id).await?;
    let tz = &catalog.practice.tz;
    let mut out = Recipients {
        chosen: Vec::new(),
        channels,
        excluded_opted_out: 0,
        excluded_unreachable: 0,
    };
    for c in store::candidates(conn, selection).await? {
        let hour = Timestamp::from_second(c.appointment.starts_at)
            .map(|t| t.to_zoned(tz.clone()).hour())
            .unwrap_or(0);
        let in_part = match part {
            PartOfDay::Any => true,
            PartOfDay::Morning => hour < 12,
            PartOfDay::Afternoon => hour >= 12,
        };
        if !in_part {
            continue;
        }
        if c.opted_out != 0 {
            out.excluded_opted_out += 1;
        } else if reachable_on(&c, &out.channels).is_empty() {
            out.excluded_unreachable += 1;
        } else {
            out.chosen.push(c);
        }
    }
    Ok(out)
}

/// The message values of one appointment in a broadcast.
fn context(
    catalog: &Catalog,
    c: &Candidate,
    note: &str,
    manage_token: &str,
    public_url: &str,
) -> MessageContext {
    let mut ctx = appointment_context(
        catalog,
        &c.appointment,
        &c.greeting_name,
        manage_token,
        public_url,
        lang::DEFAULT,
    );
    ctx.ics = None;
    ctx.message = note.trim().to_string();
    ctx
}

/// What staff see before sending: the exact numbers and up to three messages as they read.
pub async fn preview(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    r: &Recipients,
    event: MessageEvent,
    note: &str,
    public_url: &str,
) -> Result<BroadcastPreview, sqlx::Error> {
    let mut sample = Vec::new();
    for c in r.chosen.iter().take(3) {
        let Some(&channel) = reachable_on(c, &r.channels).first() else {
            continue;
        };
        // As the patient will read it: in their language.
        let language = language_of(conn, catalog.practice.id, c.appointment.patient_id).await?;
        let ctx = context(catalog, c, note, "preview", public_url).in_language(language);
        let custom = messaging::template(
            conn,
            catalog.practice.id,
            event.as_str(),
            channel.as_str(),
            language.code,
        )
        .await?
        .map(|(subject, body)| TemplateText { subject, body });
        let body = render(
            effective(custom, event, channel, language),
            ctx,
            String::new(),
        )
        .await
        .map(|rendered| with_opt_out_line(channel, rendered.text, language))
        .unwrap_or_else(|e| e.to_string());
        let when = Timestamp::from_second(c.appointment.starts_at)
            .map(|t| labels::full_label(t, &catalog.practice.tz))
            .unwrap_or_default();
        sample.push(BroadcastSample {
            patient_name: format!("{} {}", c.first_name, c.last_name),
            when,
            channel,
            body,
        });
    }
    Ok(BroadcastPreview {
        recipients: r.chosen.len() as i64,
        messages: r.messages(),
        excluded_opted_out: r.excluded_opted_out,
        excluded_unreachable: r.excluded_unreachable,
        sample,
    })
}

/// Records the broadcast and queues its messages, in the caller's transaction, spread at
/// `per_minute`. Returns (broadcast id, recipients, messages).
pub async fn send(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    r: &Recipients,
    record: &NewBroadcast<'_>,
    event: MessageEvent,
    public_url: &str,
    now: i64,
) -> Result<(i64, i64, i64), sqlx::Error> {
    let id = store::insert(conn, record, now).await?;
    let per_minute = i64::from(
        settings_store::settings(conn, record.practice_id)
            .await?
            .broadcast_per_minute,
    )
    .max(1);
    let mut queued = 0i64;
    for c in &r.chosen {
        let channels = reachable_on(c, &r.channels);
        let token = new_token();
        add_manage_token(
            conn,
            record.practice_id,
            c.appointment.id,
            &hash_token(&token),
            now,
        )
        .await?;
        let ctx = context(catalog, c, record.note, &token, public_url);
        let recipient = recipient_of(c);
        let q = Queue {
            practice_id: record.practice_id,
            appointment_id: Some(c.appointment.id),
            recipient: &recipient,
            event,
            context: &ctx,
            // The outbox hands them over at the practice's pace.
            send_after: now + queued * 60 / per_minute,
            dedupe_key: Some(format!("broadcast:{id}:{}", c.appointment.id)),
        };
        queued +=
            enqueue_on(conn, std::slice::from_ref(&q), &channels, Some(id), now).await? as i64;
    }
    let recipients = r.chosen.len() as i64;
    store::set_counts(conn, id, recipients, queued).await?;
    Ok((id, recipients, queued))
}
