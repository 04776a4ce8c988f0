//! A booking at a practice whose schedule of record is outside: written there first (while the
//! hold keeps the time here), and queued for the team when that system is down or refuses.

use super::booking_ctx::Answered;
use crate::catalog::Catalog;
use crate::domain_error::{DomainError, DomainResult};
use crate::patients::plan::PatientPlan;
use crate::pms::{OutsideAppointment, PmsError, PracticeSystem};
use crate::store::appointments::{self, AppointmentRow};
use crate::store::booking_queue::{self, NewEntry, QueuedBooking};
use crate::store::db::{is_unique_violation, Db};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::pms as store;
use crate::store::procedure_chains::release_chain;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::hash_token;
use crate::write_unit;
use slotwise_shared::api::{BookingRequest, InsuranceChoice};
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{PatientType, PracticeId, ProcedureId};
use slotwise_shared::patients::Queued;

/// What the practice system is told about a booking.
pub async fn outside_appointment(
    db: &Db,
    catalog: &Catalog,
    hold: &AppointmentRow,
    plan: &PatientPlan,
    patient: &slotwise_shared::api::PatientDetails,
    patient_type: PatientType,
    identifier: &str,
) -> Result<OutsideAppointment, sqlx::Error> {
    let practitioner = store::provider_external_ids(db, catalog.practice.id)
        .await?
        .into_iter()
        .find(|(id, _)| *id == hold.provider_id)
        .map_or_else(|| hold.provider_id.to_string(), |(_, ext)| ext);
    let reason = catalog
        .reasons
        .iter()
        .find(|r| r.id == hold.reason_id)
        .map_or("", |r| r.name.as_str());
    let marker = match patient_type {
        PatientType::New => "[Online booking - New patient]",
        PatientType::Returning => "[Online booking - Returning patient]",
    };
    let (phone, email) = match plan {
        PatientPlan::Existing(m) => (m.phone.clone(), m.email.clone()),
        PatientPlan::New { contact, .. } => (contact.phone.clone(), contact.email.clone()),
    };
    let mut comment = format!("Phone: {phone}. Email: {email}.");
    if plan.existing_id().is_none() && !patient.date_of_birth.trim().is_empty() {
        comment.push_str(&format!(
            " Date of birth: {}.",
            patient.date_of_birth.trim()
        ));
    }
    Ok(OutsideAppointment {
        identifier: identifier.to_string(),
        practitioner,
        practitioner_name: catalog
            .provider(hold.provider_id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        start: hold.starts_at,
        end: hold.ends_at,
        description: format!("{marker} {reason}").trim().to_string(),
        patient_name: plan.display_name(),
        comment,
    })
}

/// Writes the appointment, recording the connection's health either way.
pub async fn write(
    db: &Db,
    practice_id: PracticeId,
    system: &dyn PracticeSystem,
    appointment: &OutsideAppointment,
    now: i64,
) -> Result<Result<String, PmsError>, sqlx::Error> {
    let written = system.book(appointment).await;
    let health = match &written {
        // A taken time is a healthy answer.
        Ok(_) | Err(PmsError::Conflict(_)) => None,
        Err(e) => Some(e.describe()),
    };
    store::record_health(db, practice_id, health.as_deref(), now).await?;
    Ok(written)
}

/// The patient's answer when the booking waits for the team, in their language.
pub fn queued_answer(catalog: &Catalog, language: &Language) -> Queued {
    Queued {
        queued: true,
        message: language.say("api.booking.queued", &[]),
        practice_phone: catalog.practice.phone.clone(),
    }
}

/// Everything a queued booking keeps.
pub struct QueueBooking<'a> {
    pub catalog: &'a Catalog,
    /// The single hold, or a procedure's first step.
    pub hold: &'a AppointmentRow,
    /// The procedure whose whole held chain is queued as one entry (`None`: a single hold).
    pub procedure: Option<ProcedureId>,
    pub plan: &'a PatientPlan,
    pub req: &'a BookingRequest,
    pub external_key: String,
    pub key: String,
    /// The Idempotency-Key's scope (single bookings' or procedure bookings').
    pub scope: &'static str,
    pub request_hash: String,
}

/// Gives the hold (or the whole held chain) back and queues the booking for the team (and,
/// for a single time, automatic retries), storing the 202 answer under the Idempotency-Key of
/// its kind. Returns the answer.
pub async fn queue_booking(db: &Db, q: QueueBooking<'_>, now: i64) -> DomainResult<Answered> {
    let practice_id = q.catalog.practice.id;
    let p = &q.req.patient;
    let (first_name, last_name, phone, email) = match q.plan {
        PatientPlan::Existing(m) => (
            m.first_name.clone(),
            m.last_name.clone(),
            m.phone.clone(),
            m.email.clone(),
        ),
        PatientPlan::New { contact, .. } => (
            contact.first_name.clone(),
            contact.last_name.clone(),
            contact.phone.clone(),
            contact.email.clone(),
        ),
    };
    let entry = NewEntry {
        // A procedure's entry is a booking entry linked to its procedure.
        kind: "booking",
        patient_id: q.plan.existing_id(),
        first_name,
        last_name,
        phone,
        email,
        reason_id: Some(q.hold.reason_id),
        provider_id: Some(q.hold.provider_id),
        starts_at: Some(q.hold.starts_at),
        preference: String::new(),
        detail: q.req.notes.clone().unwrap_or_default(),
        booking: Some(QueuedBooking {
            patient_type: q.req.patient_type.as_str().to_string(),
            date_of_birth: p.date_of_birth.trim().to_string(),
            pet_name: p.pet.as_ref().map(|pet| pet.name.trim().to_string()),
            species: p.pet.as_ref().map(|pet| pet.species.trim().to_lowercase()),
            carrier_id: match &q.req.insurance {
                InsuranceChoice::Carrier { carrier, .. } => Some(*carrier),
                InsuranceChoice::SelfPay => None,
            },
            member_id: match &q.req.insurance {
                InsuranceChoice::Carrier { member_id, .. } => member_id.clone(),
                InsuranceChoice::SelfPay => None,
            },
            external_key: q.external_key,
            household_id: match q.plan {
                PatientPlan::New { household, .. } => *household,
                PatientPlan::Existing(_) => None,
            },
        }),
        lang: q.req.lang.as_deref().and_then(lang::find).map(|l| l.code),
        procedure_id: q.procedure,
    };
    let stored = StoredResponse {
        request_hash: q.request_hash,
        status: idempotency::QUEUED,
        body: serde_json::to_string(&queued_answer(
            q.catalog,
            lang::choose(
                q.req.lang.as_deref(),
                None,
                &q.catalog.practice.default_lang,
            ),
        ))
        .map_err(DomainError::internal)?,
    };
    let token_hash = hash_token(&q.req.hold_token);
    let key = q.key;
    let lookup_key = key.clone();
    let (procedure, scope) = (q.procedure, q.scope);
    let written = db
        .write(write_unit!(|conn| {
            if let Some(earlier) = idempotency::find(conn, practice_id, scope, &key).await? {
                return Ok(WriteOutcome::Rollback(Some(Answered::Earlier(earlier))));
            }
            // Only the request that gives the hold back queues the booking.
            let released = match procedure {
                Some(_) => release_chain(conn, practice_id, &token_hash, now).await?,
                None => appointments::release_hold(conn, practice_id, &token_hash, now).await?,
            };
            if released != 1 {
                return Ok(WriteOutcome::Rollback(None));
            }
            booking_queue::insert(conn, practice_id, &entry, now).await?;
            match idempotency::save(conn, practice_id, scope, &key, &stored, now).await {
                Ok(()) => Ok(WriteOutcome::Commit(Some(Answered::Now(stored)))),
                Err(e) if is_unique_violation(&e) => Ok(WriteOutcome::Rollback(None)),
                Err(e) => Err(e),
            }
        }))
        .await?;
    if let Some(answer) = written {
        return Ok(answer);
    }
    // A concurrent request with the same key (or hold) answered first: the same answer.
    let mut read = db.read.acquire().await?;
    idempotency::find(&mut read, practice_id, scope, &lookup_key)
        .await?
        .map(Answered::Earlier)
        .ok_or_else(|| DomainError::conflict("api.conflict.being_booked"))
}
