//! Completing a booking from a hold, idempotently.

use super::availability::hold_expired;
use super::booking_ctx::{Answered, BookingCtx, RETRY_SCOPE, SCOPE};
use super::booking_unit::{attempt, Attempt, Booking};
use super::outside::{self, Outside};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::patients::plan::{new_person, resolve, KnownPatient, PatientPlan};
use crate::store::idempotency;
use crate::store::patients;
use crate::tokens::hex;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use slotwise_shared::api::{BookingRequest, InsuranceChoice};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::PatientType;
use slotwise_shared::validate::check_booking;

/// How a booking request ended, with its JSON answer (a replay ends as the first one did).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingAnswer {
    /// Booked here (and, with an outside schedule of record, written there).
    Booked(String),
    /// Waiting in the booking queue for the practice system or the team.
    Queued(String),
}

/// A booking request's answer, and whether this request made the booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingOutcome {
    /// The answer (a replay's is the first one).
    pub answer: BookingAnswer,
    /// This request turned the hold into a booking (or queued it); `false` for a replay.
    pub made_now: bool,
}

/// Books the held time. Returns the status and JSON body (a replay returns the first ones):
/// 201 with the booking, or 202 when it waits in the booking queue for the practice system.
/// `source` says where the patient booked: `widget` (embedded on the practice's site),
/// `direct_link` (the booking page on this server), or `queue` (a queued booking retried).
pub async fn create_booking(
    ctx: &BookingCtx<'_>,
    key: &str,
    req: &BookingRequest,
    source: &'static str,
) -> DomainResult<BookingAnswer> {
    book(ctx, key, req, source).await.map(|o| o.answer)
}

/// [`create_booking`], saying also whether this request made the booking or replayed one.
pub async fn book(
    ctx: &BookingCtx<'_>,
    key: &str,
    req: &BookingRequest,
    source: &'static str,
) -> DomainResult<BookingOutcome> {
    let (db, catalog) = (ctx.db, ctx.catalog);
    let today = Timestamp::now()
        .to_zoned(catalog.practice.tz.clone())
        .date();
    let request_hash = hex(&Sha256::digest(
        serde_json::to_vec(req).map_err(DomainError::internal)?,
    ));
    // A replay gets the first answer even if the practice's settings changed since.
    let mut read = db.read.acquire().await?;
    let scope = if ctx.retry.is_some() {
        RETRY_SCOPE
    } else {
        SCOPE
    };
    let known_patient = ctx.retry.and_then(|r| r.patient);
    let earlier = idempotency::find(&mut read, catalog.practice.id, scope, key).await?;
    drop(read);
    if let Some(stored) = earlier {
        return replay(Answered::Earlier(stored), &request_hash);
    }
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    check_booking(req, today, &catalog.practice.country)
        .map_err(|f| DomainError::Invalid(lang::render_fields(language, f)))?;
    check_against_catalog(
        catalog,
        req,
        known_patient.is_some() || ctx.by_staff,
        language,
    )?;
    let plan = match known_patient {
        Some(KnownPatient::Member(id)) => patients::member(db, catalog.practice.id, id)
            .await?
            .map(PatientPlan::Existing)
            .ok_or_else(|| DomainError::NotFound("patient"))?,
        Some(KnownPatient::JoinHousehold(household)) => {
            let (contact, member) =
                new_person(catalog, &req.patient).map_err(|e| e.in_language(language))?;
            PatientPlan::New {
                household: Some(household),
                contact,
                member,
            }
        }
        None if ctx.by_staff && req.verified.is_none() => {
            let (contact, member) =
                new_person(catalog, &req.patient).map_err(|e| e.in_language(language))?;
            PatientPlan::New {
                household: None,
                contact,
                member,
            }
        }
        None => resolve(db, catalog, req)
            .await
            .map_err(|e| e.in_language(language))?,
    };
    // A booking through a personal link counts for its recall or no-show.
    let link = match (&req.link, ctx.retry) {
        (Some(token), None) => {
            crate::automations::links::for_booking(
                db,
                catalog.practice.id,
                token,
                plan.existing_id(),
            )
            .await?
        }
        _ => None,
    };
    let source = link.map_or(source, |(_, kind)| kind);
    let (external_id, external_key) =
        match outside::write_first(ctx, key, &request_hash, req, &plan).await? {
            Outside::Answer(answered) => return replay(answered, &request_hash),
            Outside::Written { id, identifier } => (Some(id), Some(identifier)),
            Outside::NotNeeded => (None, None),
        };
    let booking = Booking {
        catalog,
        public_url: ctx.public_url,
        key,
        request_hash: &request_hash,
        req,
        plan: &plan,
        external_id,
        external_key,
        source,
        scope,
        link_id: link.map(|(id, _)| id),
    };
    for _ in 0..3 {
        match attempt(db, &booking).await? {
            Attempt::Respond(r) => return replay(r, &request_hash),
            Attempt::Expired(hold) => {
                return Err(hold_expired(db, catalog, &hold, now_seconds()).await?);
            }
            Attempt::Raced => continue,
        }
    }
    Err(DomainError::conflict("api.conflict.in_progress"))
}

/// The answer to send, after checking that a replay carries the first request's body.
pub(super) fn replay(answered: Answered, request_hash: &str) -> DomainResult<BookingOutcome> {
    let made_now = answered.made_now();
    let stored = answered.stored();
    if stored.request_hash != request_hash {
        return Err(DomainError::KeyReused);
    }
    let answer = if stored.status == idempotency::QUEUED {
        BookingAnswer::Queued(stored.body)
    } else {
        BookingAnswer::Booked(stored.body)
    };
    Ok(BookingOutcome { answer, made_now })
}

/// Rules that need the practice's data: carrier, member id, who may book online.
/// `settled`: a retried booking whose patient was settled when it was queued.
pub(super) fn check_against_catalog(
    catalog: &Catalog,
    req: &BookingRequest,
    settled: bool,
    language: &Language,
) -> DomainResult<()> {
    let mut fields = FieldErrors::new();
    if let InsuranceChoice::Carrier { carrier, member_id } = &req.insurance {
        match catalog.carrier(*carrier) {
            None => {
                fields.insert("insurance.carrier".into(), "api.insurance.unknown".into());
            }
            Some(c)
                if c.member_id_required
                    && member_id.as_deref().is_none_or(|m| m.trim().is_empty()) =>
            {
                fields.insert(
                    "insurance.member_id".into(),
                    "api.insurance.member_id".into(),
                );
            }
            Some(_) => {}
        }
    }
    // Someone new in a verified household is family of existing patients.
    if catalog.practice.existing_patients_only
        && req.patient_type == PatientType::New
        && req.verified.is_none()
        && !settled
    {
        fields.insert(
            "patient_type".into(),
            language.say("api.existing_only", &[("practice", &catalog.practice.name)]),
        );
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(fields))
    }
}
