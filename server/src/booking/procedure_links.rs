//! Personal procedure links: staff send one from a procedure's record (the patient gets the
//! `procedure_step_due` message with it), and the patient opens it in the widget, known, at
//! the times for the rest of their procedure.

use super::chain_search::ChainTarget;
use super::chain_target::{link_gone, linked_procedure, rest_of, Rest};
use crate::automations::links::{known_patient, link_url, OpenedBy};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::context::{MessageContext, MessageTimes};
use crate::notify::enqueue::{enqueue, language_of, Queue, Recipient};
use crate::store::db::Db;
use crate::store::messaging;
use crate::store::procedure_links::{insert_link, PROCEDURE_LINK_DAYS};
use crate::store::procedure_records::{record, steps_of, StepRow};
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::automations::{LinkKind, OpenedLink};
use slotwise_shared::chains::local_date;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientId, ProcedureId, ReasonId};
use slotwise_shared::procedures::{ProcedureContinuation, ProcedureStepOffer};

/// A patient opened their procedure link: notes it, and answers who they are (with a booking
/// session) and the visits it books.
pub async fn open_procedure_link(
    db: &Db,
    catalog: &Catalog,
    token: &str,
) -> DomainResult<OpenedLink> {
    let (link_id, found, steps) = linked_procedure(db, catalog, token).await?;
    let Rest::Book(target) = rest_of(catalog, &found, &steps, now_seconds())? else {
        return Err(link_gone("api.link.used"));
    };
    let patient = PatientId(found.patient_id);
    let (household, insurance) =
        known_patient(db, catalog, patient, OpenedBy::ProcedureLink(link_id)).await?;
    let continuation = continuation(catalog, &target, &steps)?;
    Ok(OpenedLink {
        kind: LinkKind::Procedure,
        reason: continuation
            .steps
            .first()
            .map(|s| s.reason)
            .ok_or(DomainError::NotFound("procedure"))?,
        member: patient,
        household,
        insurance,
        procedure: Some(continuation),
    })
}

/// What the widget shows of the rest: the visits with their gaps as the procedure has them.
fn continuation(
    catalog: &Catalog,
    target: &ChainTarget,
    steps: &[StepRow],
) -> DomainResult<ProcedureContinuation> {
    let continues = target.continues.ok_or(DomainError::NotFound("procedure"))?;
    let tz = &catalog.practice.tz;
    let window = target.window.ok_or(DomainError::NotFound("procedure"))?;
    let day = |at: i64| local_date(tz, at).ok_or_else(|| DomainError::internal("no such day"));
    let from_position = i64::try_from(continues.from).unwrap_or(1);
    Ok(ProcedureContinuation {
        record: continues.record,
        template: target.template.id,
        name: target.template.input.name.clone(),
        from_step: u8::try_from(continues.from).unwrap_or(1),
        steps: steps
            .iter()
            .filter(|s| s.position >= from_position)
            .filter_map(|s| {
                let reason = catalog.reason(ReasonId(s.reason_id))?;
                Some(ProcedureStepOffer {
                    reason: reason.id,
                    name: reason.name.clone(),
                    duration_min: reason.timing.duration_min,
                    gap_min_days: u16::try_from(s.gap_min_days).unwrap_or(0),
                    gap_max_days: u16::try_from(s.gap_max_days).unwrap_or(0),
                    same_provider_as: s.same_provider_as.and_then(|p| u8::try_from(p).ok()),
                })
            })
            .collect(),
        window_from: day(window.start)?,
        window_to: day(window.end - 1)?,
    })
}

/// Sends the procedure's patient a personal link to book the rest of it. 409 when nothing is
/// left to book, a later visit is still booked, or the patient has no phone or email.
pub async fn send_procedure_link(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    procedure: ProcedureId,
    actor: &str,
) -> DomainResult<()> {
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let (found, steps) = {
        let mut read = db.read.acquire().await?;
        let found = record(&mut read, practice_id, procedure)
            .await?
            .ok_or(DomainError::NotFound("procedure"))?;
        (found, steps_of(&mut read, procedure).await?)
    };
    if found.status != "active" {
        return Err(DomainError::Conflict(
            "Only an active procedure's visits can be booked.".into(),
        ));
    }
    let target = match rest_of(catalog, &found, &steps, now)? {
        Rest::Book(target) => target,
        Rest::Nothing => {
            return Err(DomainError::Conflict(
                "Every visit of this procedure is booked or done.".into(),
            ))
        }
        Rest::LaterBooked(position) => {
            return Err(DomainError::Conflict(format!(
                "Visit {position} is still booked, after a visit that is not: the link books \
                 the rest of the procedure in one go, so cancel or move visit {position} first."
            )))
        }
    };
    let token = new_token();
    let first = target
        .template
        .input
        .steps
        .first()
        .and_then(|s| catalog.reason(s.reason))
        .ok_or(DomainError::NotFound("procedure"))?;
    let opens = target
        .window
        .and_then(|w| Timestamp::from_second(w.start).ok())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let context = MessageContext {
        service: first.name.clone(),
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        booking_link: link_url(public_url, &catalog.practice.slug, &token),
        times: Some(MessageTimes::at(opens, &catalog.practice.tz)),
        ..MessageContext::default()
    };
    let patient = PatientId(found.patient_id);
    let (token_hash, actor) = (hash_token(&token), actor.to_string());
    let expires_at = now + PROCEDURE_LINK_DAYS * 86_400;
    let sent = db
        .write(write_unit!(|conn| {
            let Some((first_name, phone, email)) =
                messaging::patient_contact(conn, practice_id, patient).await?
            else {
                return Ok(WriteOutcome::Rollback(false));
            };
            insert_link(
                conn,
                practice_id,
                &token_hash,
                procedure,
                patient,
                expires_at,
                now,
            )
            .await?;
            let recipient = Recipient {
                patient_id: Some(patient),
                phone,
                email,
                language: Some(language_of(conn, practice_id, Some(patient)).await?),
            };
            let context = MessageContext {
                patient_first_name: first_name,
                ..context.clone()
            };
            let queue = Queue {
                practice_id,
                appointment_id: None,
                recipient: &recipient,
                event: MessageEvent::ProcedureStepDue,
                context: &context,
                send_after: now,
                dedupe_key: None,
            };
            if enqueue(conn, &queue, now).await? == 0 {
                return Ok(WriteOutcome::Rollback(false));
            }
            let target = format!("procedure {}", procedure.0);
            staff::audit(conn, practice_id, &actor, "procedure.link", &target, now).await?;
            Ok(WriteOutcome::Commit(true))
        }))
        .await?;
    if !sent {
        return Err(DomainError::Conflict(
            "The patient has no phone or email the link may be sent to (or has asked for no messages).".into(),
        ));
    }
    Ok(())
}
