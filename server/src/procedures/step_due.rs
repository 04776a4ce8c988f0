//! `procedure_step_due`: when the window of a procedure's next visit opens with nothing booked
//! for it, the patient gets one message with a link to book that visit — a personal procedure
//! link (the rest of the procedure, as one chain) when nothing after it is booked. Run with the recall
//! job; each message and the note that it was sent commit together, so nobody hears it twice.

use super::records::{step_state, window};
use crate::catalog::CatalogCache;
use crate::notify::context::{MessageContext, MessageTimes};
use crate::notify::enqueue::{enqueue, language_of, Queue, Recipient};
use crate::store::db::Db;
use crate::store::messaging;
use crate::store::practices::slug_of;
use crate::store::procedure_links::{insert_link, PROCEDURE_LINK_DAYS};
use crate::store::procedure_records::{
    mark_due_sent, steps_of, waiting_steps, StepRow, WaitingStep,
};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientId, PracticeId, ProcedureId};
use slotwise_shared::paths::personal_link_page;
use slotwise_shared::procedures::StepState;
use slotwise_shared::slots::start_of_local_day;

/// Most visits looked at in one run.
const MAX_PER_RUN: i64 = 500;

/// Announces every visit whose window has opened; returns how many patients were messaged.
pub async fn run_step_due(
    db: &Db,
    catalogs: &CatalogCache,
    public_url: &str,
    now: i64,
) -> anyhow::Result<usize> {
    let waiting = {
        let mut conn = db.read.acquire().await?;
        waiting_steps(&mut conn, now, MAX_PER_RUN).await?
    };
    let mut messaged = 0;
    for step in waiting {
        let slug = slug_of(db, PracticeId(step.practice_id)).await?;
        let Some(catalog) = catalogs.get(db, &slug).await? else {
            continue;
        };
        let tz = &catalog.practice.tz;
        let Some((from, _)) = window(
            tz,
            step.previous_start,
            (step.gap_min_days, step.gap_max_days),
        ) else {
            continue;
        };
        let today = Timestamp::from_second(now)?.to_zoned(tz.clone()).date();
        if today < from {
            continue;
        }
        // A personal link when it can book the rest (no later visit is still booked): it
        // opens the widget at the chains of the rest; else the visit's booking page.
        let link = {
            let mut conn = db.read.acquire().await?;
            let steps = steps_of(&mut conn, ProcedureId(step.procedure_id)).await?;
            rest_is_free(&steps, step.position).then(new_token)
        };
        let opens = start_of_local_day(tz, from)
            .and_then(|s| Timestamp::from_second(s).ok())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let context = MessageContext {
            service: catalog
                .reasons
                .iter()
                .find(|r| r.id.0 == step.reason_id)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            clinic_name: catalog.practice.name.clone(),
            clinic_phone: catalog.practice.phone.clone(),
            booking_link: match &link {
                Some(token) => format!(
                    "{}{}",
                    public_url.trim_end_matches('/'),
                    personal_link_page(&slug, token)
                ),
                None => format!(
                    "{}/book/{}/{}",
                    public_url.trim_end_matches('/'),
                    urlencoding::encode(&slug),
                    step.reason_id
                ),
            },
            times: Some(MessageTimes::at(opens, tz)),
            ..MessageContext::default()
        };
        if announce(db, &step, context, link.as_deref().map(hash_token), now).await? {
            messaged += 1;
        }
    }
    Ok(messaged)
}

/// Whether nothing after the visit at `position` is booked or done (so a link can book the
/// rest of the procedure in one chain).
fn rest_is_free(steps: &[StepRow], position: i64) -> bool {
    steps.iter().filter(|s| s.position > position).all(|s| {
        !matches!(
            step_state(s.status.as_deref()),
            StepState::Booked | StepState::Completed
        )
    })
}

/// Queues the message (and writes its personal link) and notes it in one unit; false when the
/// patient has no contact.
async fn announce(
    db: &Db,
    step: &WaitingStep,
    context: MessageContext,
    link_hash: Option<String>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let step = step.clone();
    db.write(write_unit!(|conn| {
        let (practice_id, patient_id) = (PracticeId(step.practice_id), PatientId(step.patient_id));
        let procedure = ProcedureId(step.procedure_id);
        mark_due_sent(conn, procedure, step.position, now).await?;
        let Some((first_name, phone, email)) =
            messaging::patient_contact(conn, practice_id, patient_id).await?
        else {
            return Ok(WriteOutcome::Commit(false));
        };
        if let Some(hash) = &link_hash {
            let expires = now + PROCEDURE_LINK_DAYS * 86_400;
            insert_link(conn, practice_id, hash, procedure, patient_id, expires, now).await?;
        }
        let recipient = Recipient {
            patient_id: Some(patient_id),
            phone,
            email,
            language: Some(language_of(conn, practice_id, Some(patient_id)).await?),
        };
        let context = MessageContext {
            patient_first_name: first_name,
            ..context
        };
        let queued = enqueue(
            conn,
            &Queue {
                practice_id,
                appointment_id: None,
                recipient: &recipient,
                event: MessageEvent::ProcedureStepDue,
                context: &context,
                send_after: now,
                dedupe_key: Some(format!(
                    "procedure_step_due:{}:{}",
                    step.procedure_id, step.position
                )),
            },
            now,
        )
        .await?;
        Ok(WriteOutcome::Commit(queued > 0))
    }))
    .await
}
