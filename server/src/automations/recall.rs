//! The recall job: for every active rule, the patients due get a message with a personal
//! booking link. Each batch of patients is one transaction (links and messages together), and
//! a link can exist once per rule, patient and visit, so a run that stops part-way, or runs on
//! two instances at once, never messages anyone twice.

use super::links::{self, LINK_DAYS};
use crate::catalog::Catalog;
use crate::catalog::CatalogCache;
use crate::notify::context::MessageContext;
use crate::notify::enqueue::{active_channels, enqueue_on, Queue, Recipient};
use crate::notify::templates::{render, TemplateText};
use crate::store::automations::NewLink;
use crate::store::db::Db;
use crate::store::practices::slug_of;
use crate::store::recall::{self as store, DueAt, DuePatient, RuleRow};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::new_token;
use crate::write_unit;
use jiff::{Timestamp, ToSpan};
use slotwise_shared::messages::{Channel, MessageEvent};

/// What a recall run needs of the server.
#[derive(Clone, Copy)]
pub struct RecallEnv<'a> {
    pub db: &'a Db,
    pub catalogs: &'a CatalogCache,
    /// Base URL of personal links.
    pub public_url: &'a str,
}

/// Patients per transaction.
pub const BATCH: i64 = 50;

/// Where the due search of a practice starts now.
pub fn due_at(catalog: &Catalog, now: i64) -> DueAt {
    let today = Timestamp::from_second(now)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(catalog.practice.tz.clone())
        .date();
    let born_by = today
        .checked_sub(18.years())
        .map(|d| d.to_string())
        .unwrap_or_default();
    DueAt {
        now,
        adult_born_by: born_by,
    }
}

/// Runs every active rule once. Returns how many patients were messaged.
pub async fn run_all(env: RecallEnv<'_>, now: i64) -> anyhow::Result<usize> {
    let rules = {
        let mut conn = env.db.read.acquire().await?;
        store::active_rules(&mut conn).await?
    };
    let mut messaged = 0;
    for rule in rules {
        let slug = slug_of(env.db, rule.practice_id).await?;
        let catalog = env
            .catalogs
            .get(env.db, &slug)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no practice {slug}"))?;
        messaged += run_rule(env, &catalog, &rule, now).await?;
    }
    Ok(messaged)
}

/// Messages every patient due for one rule, a batch at a time (the caller wakes the outbox).
pub async fn run_rule(
    env: RecallEnv<'_>,
    catalog: &Catalog,
    rule: &RuleRow,
    now: i64,
) -> anyhow::Result<usize> {
    let at = due_at(catalog, now);
    let mut messaged = 0;
    loop {
        let due = {
            let mut conn = env.db.read.acquire().await?;
            store::due_patients(&mut conn, rule, &at, BATCH).await?
        };
        if due.is_empty() {
            break;
        }
        let full = due.len() as i64 == BATCH;
        let sent = send_batch(env, catalog, rule, due, now).await?;
        messaged += sent;
        // A batch that sent nothing was taken by another instance meanwhile: look again.
        if !full {
            break;
        }
    }
    if messaged > 0 {
        tracing::info!(practice = %catalog.practice.slug, rule = rule.id, messaged, "recall messages queued");
    }
    Ok(messaged)
}

/// The message values of one patient's recall (the rule's own words rendered on the blocking
/// pool: never inside the write that queues the message).
async fn context(
    catalog: &Catalog,
    rule: &RuleRow,
    first_name: &str,
    link: String,
) -> MessageContext {
    let service = catalog
        .reason(rule.book_reason_id)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let mut ctx = MessageContext {
        patient_first_name: first_name.to_string(),
        service,
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        booking_link: link,
        ..MessageContext::default()
    };
    // The rule's own words may use tags too.
    let own = TemplateText {
        subject: String::new(),
        body: rule.message.clone(),
    };
    ctx.message = render(own, ctx.clone(), String::new())
        .await
        .map(|r| r.text)
        .unwrap_or_else(|_| rule.message.clone());
    ctx
}

async fn send_batch(
    env: RecallEnv<'_>,
    catalog: &Catalog,
    rule: &RuleRow,
    due: Vec<DuePatient>,
    now: i64,
) -> anyhow::Result<usize> {
    let public_url = env.public_url.trim_end_matches('/');
    // Tokens and texts first, outside the write: a write unit never renders.
    let mut prepared = Vec::with_capacity(due.len());
    for patient in due {
        let token = new_token();
        let url = links::link_url(public_url, &catalog.practice.slug, &token);
        let ctx = context(catalog, rule, &patient.first_name, url).await;
        prepared.push((patient, token, ctx));
    }
    let rule = rule.clone();
    let practice_id = rule.practice_id;
    let sent = env
        .db
        .write(write_unit!(|conn| {
            let channels: Vec<Channel> = match rule.channel.as_deref().and_then(Channel::parse) {
                Some(only) => vec![only],
                None => active_channels(conn, practice_id).await?,
            };
            let mut sent = 0;
            for (patient, token, ctx) in prepared {
                let link = NewLink {
                    kind: "recall",
                    patient_id: patient.patient_id,
                    reason_id: rule.book_reason_id,
                    rule_id: Some(rule.id),
                    cycle_at: Some(patient.cycle_at),
                    appointment_id: None,
                    expires_at: now + LINK_DAYS * 86_400,
                };
                // Another instance may have sent this one since it was read.
                if !links::insert(conn, practice_id, &token, &link, now).await? {
                    continue;
                }
                let recipient = Recipient {
                    patient_id: Some(patient.patient_id),
                    phone: patient.phone.clone(),
                    email: patient.email.clone(),
                    language: None,
                };
                let q = Queue {
                    practice_id,
                    appointment_id: None,
                    recipient: &recipient,
                    event: MessageEvent::Recall,
                    context: &ctx,
                    send_after: now,
                    dedupe_key: Some(format!(
                        "recall:{}:{}:{}",
                        rule.id, patient.patient_id, patient.cycle_at
                    )),
                };
                enqueue_on(conn, std::slice::from_ref(&q), &channels, None, now).await?;
                sent += 1;
            }
            Ok(WriteOutcome::Commit(sent))
        }))
        .await?;
    Ok(sent)
}
