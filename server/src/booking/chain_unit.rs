//! The unit of writes that turns a live held chain into the patient's procedure: the patient,
//! every step's booking, the procedure and the stored idempotent answer commit together, or
//! nothing does.

use super::booking_ctx::{Answered, CHAIN_SCOPE};
use super::booking_unit::{booking_fields, remembered_language};
use super::outside_chain::WrittenStep;
use crate::appointment_view::procedure_calendar_file;
use crate::appointment_view::{booking_view, BookingLinks};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::{appointment_context, queue_procedure_booked};
use crate::notify::context::{MessageContext, VisitTime};
use crate::notify::enqueue::Recipient;
use crate::patients::plan::PatientPlan;
use crate::store::appointments::BookingFields;
use crate::store::appointments::{self, AppointmentRow};
use crate::store::db::{is_retryable, is_unique_violation, Db};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::messaging;
use crate::store::procedure_chains::{find_chain_by_token, start_procedure};
use crate::store::procedure_links::{self, continue_procedure};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use slotwise_shared::api::BookingRequest;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{PatientType, ProcedureId, ProcedureTemplateId};
use slotwise_shared::procedures::{BookedStep, ProcedureBooked};

/// How a chain booking attempt ended inside its transaction.
pub(super) enum ChainAttempt {
    /// A response to send (new or replayed).
    Respond(Answered),
    /// The chain's hold is no longer live: the template and the first step's start.
    Expired(ProcedureTemplateId, i64),
    /// Someone else changed the chain concurrently; look again.
    Raced,
}

/// One procedure booking being made.
pub(super) struct ChainBooking<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) public_url: &'a str,
    pub(super) key: &'a str,
    pub(super) request_hash: &'a str,
    pub(super) req: &'a BookingRequest,
    pub(super) plan: &'a PatientPlan,
    /// Where each visit was written in the practice system, in step order (empty when
    /// Slotwise is the schedule of record).
    pub(super) written: &'a [WrittenStep],
    /// The patient's procedure this chain books the rest of, from this step (through their
    /// personal link); `None`: the chain is a new procedure.
    pub(super) continues: Option<(ProcedureId, i64)>,
}

pub(super) async fn attempt(db: &Db, b: &ChainBooking<'_>) -> DomainResult<ChainAttempt> {
    let ChainBooking {
        catalog, req, plan, ..
    } = *b;
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let mut read = db.read.acquire().await?;
    if let Some(stored) = idempotency::find(&mut read, practice_id, CHAIN_SCOPE, b.key).await? {
        return Ok(ChainAttempt::Respond(Answered::Earlier(stored)));
    }
    let (held, rows) = find_chain_by_token(&mut read, practice_id, &hash_token(&req.hold_token))
        .await?
        .ok_or(DomainError::NotFound("hold"))?;
    drop(read);
    if !matches!(held.status.as_str(), "held" | "expired") {
        return Err(DomainError::conflict("api.conflict.already_booked"));
    }
    let first_start = rows.first().map_or(now, |r| r.starts_at);
    let live = held.status == "held"
        && held.hold_expires_at.is_some_and(|at| at > now)
        && rows.iter().all(|r| r.status == "held");
    if !live {
        return Ok(ChainAttempt::Expired(
            ProcedureTemplateId(held.template_id),
            first_start,
        ));
    }
    for row in &rows {
        let admitted = catalog
            .reasons
            .iter()
            .find(|r| r.id == row.reason_id)
            .is_some_and(|r| r.eligibility.admits(req.patient_type));
        if !admitted {
            return Err(DomainError::field(
                "patient_type",
                match req.patient_type {
                    PatientType::New => "api.reason.returning_only",
                    PatientType::Returning => "api.reason.new_only",
                },
            ));
        }
    }
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let chosen_language = req.lang.as_deref().and_then(lang::find);
    let messages_language = match chosen_language {
        Some(chosen) => chosen,
        None => remembered_language(db, catalog, plan)
            .await?
            .unwrap_or(language),
    };
    let greeting = plan.greeting_name();
    let mut steps = Vec::with_capacity(rows.len());
    let mut writes = Vec::with_capacity(rows.len());
    for (k, row) in rows.into_iter().enumerate() {
        let manage_token = new_token();
        let outside = b.written.get(k);
        let fields = booking_fields(
            req,
            &manage_token,
            "widget",
            outside.map(|w| w.id.clone()),
            outside.map(|w| w.identifier.clone()),
        );
        let booked = AppointmentRow {
            status: "booked".into(),
            reference: Some(fields.reference.clone()),
            ..row
        };
        let links = BookingLinks::new(b.public_url, &catalog.practice.slug, &manage_token);
        let context = appointment_context(
            catalog,
            &booked,
            &greeting,
            &manage_token,
            b.public_url,
            messages_language,
        );
        steps.push(BookedStep {
            booking: booking_view(catalog, &booked, &links, now, language),
            manage_token,
        });
        writes.push((booked, fields, context));
    }
    // The booking answer and messages name the patient's procedure.
    let procedure = ProcedureId(held.id);
    let answered_procedure = b.continues.map_or(procedure, |(parent, _)| parent);
    let confirmation = procedure_context(
        catalog,
        b.public_url,
        &held.name,
        &writes,
        messages_language,
    );
    let body = ProcedureBooked {
        procedure: answered_procedure,
        name: held.name,
        steps,
        intake_url: (req.patient_type == PatientType::New
            && !catalog.practice.intake_url.is_empty())
        .then(|| catalog.practice.intake_url.clone()),
    };
    let stored = StoredResponse {
        request_hash: b.request_hash.to_string(),
        status: idempotency::BOOKED,
        body: serde_json::to_string(&body).map_err(DomainError::internal)?,
    };
    let (plan, key, continues) = (plan.clone(), b.key.to_string(), b.continues);
    // One unit: the patient, the procedure, every step's booking, the stored response.
    let written = db
        .write(write_unit!(|conn| {
            let patient_id = plan.write(conn, practice_id, now).await?;
            let started = match continues {
                None => start_procedure(conn, procedure, patient_id, "widget", now).await?,
                Some((parent, from)) => {
                    procedure_links::mark_used(conn, parent, now).await?;
                    continue_procedure(conn, procedure, parent, from, patient_id, now).await?
                }
            };
            if !started {
                return Ok(WriteOutcome::Rollback(None));
            }
            if let Some(chosen) = chosen_language {
                messaging::set_patient_language(conn, practice_id, patient_id, Some(chosen.code))
                    .await?;
            }
            let recipient = Recipient {
                language: Some(messages_language),
                ..plan.recipient(patient_id)
            };
            let mut visits = Vec::with_capacity(writes.len());
            for (booked, fields, context) in &writes {
                let fields = appointments::BookingFields {
                    patient_id,
                    ..fields.clone()
                };
                if !appointments::book_hold(conn, booked.id, &fields, now).await? {
                    return Ok(WriteOutcome::Rollback(None));
                }
                let booked = AppointmentRow {
                    patient_id: Some(patient_id),
                    ..booked.clone()
                };
                visits.push((booked, context.clone()));
            }
            queue_procedure_booked(conn, practice_id, &visits, &recipient, &confirmation, now)
                .await?;
            match idempotency::save(conn, practice_id, CHAIN_SCOPE, &key, &stored, now).await {
                Ok(()) => Ok(WriteOutcome::Commit(Some(stored))),
                Err(err) if is_unique_violation(&err) => Ok(WriteOutcome::Rollback(None)),
                Err(err) => Err(err),
            }
        }))
        .await;
    let written = match written {
        Err(err) if is_retryable(&err) => return Ok(ChainAttempt::Raced),
        other => other?,
    };
    match written {
        Some(stored) => {
            tracing::info!(practice = %catalog.practice.slug, procedure = procedure.0, "procedure booked");
            Ok(ChainAttempt::Respond(Answered::Now(stored)))
        }
        None => Ok(ChainAttempt::Raced),
    }
}

/// The confirmation's values: the procedure's name, every visit with its time, provider and
/// own manage link, and one calendar file holding them all.
pub(super) fn procedure_context(
    catalog: &Catalog,
    public_url: &str,
    name: &str,
    writes: &[(AppointmentRow, BookingFields, MessageContext)],
    language: &Language,
) -> MessageContext {
    let Some((_, _, first)) = writes.first() else {
        return MessageContext::default();
    };
    let visits = writes
        .iter()
        .map(|(row, _, context)| VisitTime {
            name: context.service.clone(),
            start: jiff::Timestamp::from_second(row.starts_at)
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            provider: context.provider.clone(),
            manage_link: context.manage_link.clone(),
        })
        .collect();
    let rows: Vec<AppointmentRow> = writes.iter().map(|(row, _, _)| row.clone()).collect();
    let mut times = first.times.clone();
    if let Some(times) = &mut times {
        times.visits = Some(visits);
    }
    MessageContext {
        service: name.to_string(),
        ics: Some(procedure_calendar_file(
            catalog, &rows, public_url, language,
        )),
        times,
        ..first.clone()
    }
}
