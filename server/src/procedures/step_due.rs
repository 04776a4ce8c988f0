//! `procedure_step_due`: when the window of a procedure's next visit opens with nothing booked
//! for it, the patient gets one message with a link to book that visit. Run with the recall
//! job; each message and the note that it was sent commit together, so nobody hears it twice.

use super::records::window;
use crate::catalog::CatalogCache;
use crate::notify::context::{MessageContext, MessageTimes};
use crate::notify::enqueue::{enqueue, language_of, Queue, Recipient};
use crate::store::db::Db;
use crate::store::messaging;
use crate::store::practices::slug_of;
use crate::store::procedure_records::{mark_due_sent, waiting_steps, WaitingStep};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientId, PracticeId, ProcedureId};
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
            booking_link: format!(
                "{}/book/{}/{}",
                public_url.trim_end_matches('/'),
                urlencoding::encode(&slug),
                step.reason_id
            ),
            times: Some(MessageTimes::at(opens, tz)),
            ..MessageContext::default()
        };
        if announce(db, &step, context, now).await? {
            messaged += 1;
        }
    }
    Ok(messaged)
}

/// Queues the message and notes it in one unit; false when the patient has no contact.
async fn announce(
    db: &Db,
    step: &WaitingStep,
    context: MessageContext,
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
