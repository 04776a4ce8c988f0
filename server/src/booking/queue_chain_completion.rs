//! Completing a booking-queue entry that holds a whole procedure (its chain could not be
//! written to the practice system): staff booked the visits there, so every step becomes a
//! booking here at the time the patient chose, in one unit under the database rule — a step
//! whose time was taken meanwhile refuses the whole completion (409) and nothing is booked.
//! Then the patient gets the procedure's confirmation with every visit.

use super::chain_unit::procedure_context;
use super::queue_entries::{check_open, patient_of, retrying};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::{appointment_context, queue_procedure_booked};
use crate::notify::enqueue::Recipient;
use crate::store::appointments::{self, AppointmentRow, BookingFields, NewHold};
use crate::store::booking_queue::{self, QueueRow};
use crate::store::db::{is_retryable, Db};
use crate::store::procedure_chains::{chain_rows, insert_step_hold, StepHold};
use crate::store::queued_procedures::{activate_queued, relink_step, waiting_name};
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_reference, new_token};
use crate::write_unit;
use slotwise_shared::lang;
use slotwise_shared::model::ProcedureId;
use slotwise_shared::schedule::Span;

/// How long the holds inside the completing unit live (they are booked in the same unit).
const HOLD_SECONDS: i64 = 120;

/// How one completing unit ended.
enum Completed {
    Booked(i64),
    /// The step at this position (from 1) is taken: nothing was booked.
    Taken(usize),
    /// A room picked here was taken concurrently: another may be free.
    RoomRaced,
    Refused(DomainError),
}

/// Books every visit of the entry's procedure and tells the patient; returns the first
/// visit's appointment id.
pub async fn complete_procedure(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    entry: &QueueRow,
    procedure: ProcedureId,
    actor: &str,
) -> DomainResult<i64> {
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    check_open(entry, now)?;
    let (name, proposed) = {
        let mut read = db.read.acquire().await?;
        let name = waiting_name(&mut read, practice_id, procedure).await?;
        (name, chain_rows(&mut read, procedure).await?)
    };
    let name = name.ok_or(DomainError::NotFound("procedure"))?;
    if proposed.is_empty() {
        return Err(DomainError::NotFound("procedure"));
    }
    let language = entry
        .lang
        .as_deref()
        .and_then(lang::find)
        .unwrap_or_else(|| lang::choose(None, None, &catalog.practice.default_lang));
    // Each visit as it will be booked, with its own manage link and message values.
    let mut writes = Vec::with_capacity(proposed.len());
    for row in &proposed {
        let reason = catalog
            .reason(row.reason_id)
            .ok_or(DomainError::NotFound("reason"))?;
        let token = new_token();
        let hold = NewHold {
            practice_id,
            provider_id: row.provider_id,
            location_id: row.location_id,
            reason_id: row.reason_id,
            operatory_kind: reason.operatory_kind.clone(),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            block: Span {
                start: row.block_start,
                end: row.block_end,
            },
            token_hash: hash_token(&new_token()),
            expires_at: now + HOLD_SECONDS,
            now,
        };
        let fields = BookingFields {
            patient_id: slotwise_shared::model::PatientId(0),
            manage_token_hash: hash_token(&token),
            reference: new_reference(),
            source: "staff".into(),
            patient_type: if entry.patient_id.is_some() {
                "returning".into()
            } else {
                "new".into()
            },
            carrier_id: None,
            self_pay: false,
            member_id: None,
            notes: Some(entry.detail.clone()).filter(|d| !d.is_empty()),
            external_id: None,
            external_key: None,
            referral: Default::default(),
        };
        let booked = AppointmentRow {
            status: "booked".into(),
            reference: Some(fields.reference.clone()),
            ..row.clone()
        };
        let context = appointment_context(
            catalog,
            &booked,
            &entry.first_name,
            &token,
            public_url,
            language,
        );
        writes.push((booked, fields, context, hold));
    }
    let parts: Vec<_> = writes
        .iter()
        .map(|(row, fields, context, _)| (row.clone(), fields.clone(), context.clone()))
        .collect();
    let confirmation = procedure_context(catalog, public_url, &name, &parts, language);
    for _ in 0..3 {
        let (entry, writes, actor) = (entry.clone(), writes.clone(), actor.to_string());
        let confirmation = confirmation.clone();
        let done = db
            .write(write_unit!(|conn| {
                if !booking_queue::complete_unclaimed(conn, entry.id, &actor, now).await? {
                    return Ok(WriteOutcome::Rollback(Completed::Refused(retrying())));
                }
                let patient_id = patient_of(conn, practice_id, &entry, now).await?;
                if !activate_queued(conn, procedure, patient_id, now).await? {
                    return Ok(WriteOutcome::Rollback(Completed::Refused(
                        DomainError::Conflict("The procedure changed meanwhile.".into()),
                    )));
                }
                let mut visits = Vec::with_capacity(writes.len());
                for (k, (row, fields, context, hold)) in writes.iter().enumerate() {
                    let id = match insert_step_hold(conn, hold).await? {
                        StepHold::Held(id) => id,
                        StepHold::Taken => {
                            return Ok(WriteOutcome::Rollback(Completed::Taken(k + 1)))
                        }
                        StepHold::RoomRaced => {
                            return Ok(WriteOutcome::Rollback(Completed::RoomRaced))
                        }
                    };
                    let fields = BookingFields {
                        patient_id,
                        ..fields.clone()
                    };
                    if !appointments::book_hold(conn, id, &fields, now).await? {
                        return Ok(WriteOutcome::Rollback(Completed::RoomRaced));
                    }
                    relink_step(conn, procedure, k + 1, id).await?;
                    let booked = AppointmentRow {
                        id,
                        patient_id: Some(patient_id),
                        ..row.clone()
                    };
                    visits.push((booked, context.clone()));
                }
                let recipient = Recipient {
                    patient_id: Some(patient_id),
                    phone: entry.phone.clone(),
                    email: entry.email.clone(),
                    language: Some(language),
                };
                queue_procedure_booked(conn, practice_id, &visits, &recipient, &confirmation, now)
                    .await?;
                let target = format!("queue {}", entry.id);
                staff::audit(conn, practice_id, &actor, "queue.complete", &target, now).await?;
                let first = visits.first().map_or(0, |(row, _)| row.id);
                Ok(WriteOutcome::Commit(Completed::Booked(first)))
            }))
            .await;
        match done {
            Err(err) if is_retryable(&err) => continue,
            Err(err) => return Err(err.into()),
            Ok(Completed::Booked(id)) => return Ok(id),
            Ok(Completed::RoomRaced) => continue,
            Ok(Completed::Refused(err)) => return Err(err),
            Ok(Completed::Taken(position)) => {
                return Err(DomainError::Conflict(format!(
                    "Visit {position} of this procedure is no longer free at the time the \
                     patient chose, so nothing was booked. Call the patient to agree other \
                     times, then cancel this entry and start the procedure from their first \
                     appointment."
                )))
            }
        }
    }
    Err(DomainError::Conflict(
        "The visits could not be kept; try again.".into(),
    ))
}
