//! Completing a booking from a hold, idempotently.

use super::availability::hold_expired;
use super::booking_ctx::{BookingCtx, RETRY_SCOPE, SCOPE};
use super::outside::{self, Outside};
use crate::appointment_view::{booking_view, BookingLinks};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::{appointment_context, queue_booked};
use crate::patients::plan::{new_person, resolve, KnownPatient, PatientPlan};
use crate::store::appointments::{self, AppointmentRow, BookingFields};
use crate::store::db::{is_retryable, is_unique_violation, Db};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::patients;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, hex, new_reference, new_token};
use crate::write_unit;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use slotwise_shared::api::{BookingCreated, BookingRequest, InsuranceChoice};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::{PatientId, PatientType};
use slotwise_shared::validate::check_booking;

/// How a booking attempt ended inside its transaction.
enum Attempt {
    /// A response to send (new or replayed).
    Respond(StoredResponse),
    /// The hold is no longer live.
    Expired(AppointmentRow),
    /// Someone else changed the hold concurrently; look again.
    Raced,
}

/// How a booking request ended, with its JSON answer (a replay ends as the first one did).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingAnswer {
    /// Booked here (and, with an outside schedule of record, written there).
    Booked(String),
    /// Waiting in the booking queue for the practice system or the team.
    Queued(String),
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
        return replay(stored, &request_hash);
    }
    check_booking(req, today).map_err(DomainError::Invalid)?;
    check_against_catalog(catalog, req, known_patient.is_some())?;
    let plan = match known_patient {
        Some(KnownPatient::Member(id)) => patients::member(db, catalog.practice.id, id)
            .await?
            .map(PatientPlan::Existing)
            .ok_or_else(|| DomainError::NotFound("patient"))?,
        Some(KnownPatient::JoinHousehold(household)) => {
            let (contact, member) = new_person(catalog, &req.patient)?;
            PatientPlan::New {
                household: Some(household),
                contact,
                member,
            }
        }
        None => resolve(db, catalog, req).await?,
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
    let external_id = match outside::write_first(ctx, key, &request_hash, req, &plan).await? {
        Outside::Answer(stored) => return replay(stored, &request_hash),
        Outside::Written(id) => Some(id),
        Outside::NotNeeded => None,
    };
    let booking = Booking {
        catalog,
        public_url: ctx.public_url,
        key,
        request_hash: &request_hash,
        req,
        plan: &plan,
        external_id,
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
    Err(DomainError::conflict(
        "This booking is being completed in another request.",
    ))
}

fn replay(stored: StoredResponse, request_hash: &str) -> DomainResult<BookingAnswer> {
    if stored.request_hash != request_hash {
        return Err(DomainError::KeyReused);
    }
    Ok(if stored.status == idempotency::QUEUED {
        BookingAnswer::Queued(stored.body)
    } else {
        BookingAnswer::Booked(stored.body)
    })
}

/// Rules that need the practice's data: carrier, member id, who may book online.
/// `settled`: a retried booking whose patient was settled when it was queued.
fn check_against_catalog(
    catalog: &Catalog,
    req: &BookingRequest,
    settled: bool,
) -> DomainResult<()> {
    let mut fields = FieldErrors::new();
    if let InsuranceChoice::Carrier { carrier, member_id } = &req.insurance {
        match catalog.carrier(*carrier) {
            None => {
                fields.insert(
                    "insurance.carrier".into(),
                    "Choose one of the listed carriers, or self-pay.".into(),
                );
            }
            Some(c)
                if c.member_id_required
                    && member_id.as_deref().is_none_or(|m| m.trim().is_empty()) =>
            {
                fields.insert("insurance.member_id".into(), "Enter your member ID.".into());
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
            format!(
                "{} books existing patients online. Please call us to make your first appointment.",
                catalog.practice.name
            ),
        );
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(fields))
    }
}

/// One booking being made.
struct Booking<'a> {
    catalog: &'a Catalog,
    public_url: &'a str,
    key: &'a str,
    request_hash: &'a str,
    req: &'a BookingRequest,
    plan: &'a PatientPlan,
    external_id: Option<String>,
    source: &'static str,
    scope: &'static str,
    link_id: Option<i64>,
}

async fn attempt(db: &Db, b: &Booking<'_>) -> DomainResult<Attempt> {
    let Booking {
        catalog,
        public_url,
        key,
        request_hash,
        req,
        plan,
        source,
        scope,
        ..
    } = *b;
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    // Reads go through the read pool; the write transaction below only writes, guarded so a
    // concurrent change in between makes it fail cleanly (and this attempt start over).
    let mut read = db.read.acquire().await?;
    if let Some(stored) = idempotency::find(&mut read, practice_id, scope, key).await? {
        return Ok(Attempt::Respond(stored));
    }
    let hold =
        appointments::find_by_hold_token(&mut read, practice_id, &hash_token(&req.hold_token))
            .await?
            .ok_or_else(|| DomainError::NotFound("hold"))?;
    drop(read);
    if !matches!(hold.status.as_str(), "held" | "expired") {
        return Err(DomainError::conflict(
            "This time has already been booked. Check your confirmation, or pick a new time.",
        ));
    }
    let live = hold.status == "held" && hold.hold_expires_at.is_some_and(|at| at > now);
    if !live {
        return Ok(Attempt::Expired(hold));
    }
    let reason = catalog
        .reasons
        .iter()
        .find(|r| r.id == hold.reason_id)
        .ok_or_else(|| DomainError::NotFound("reason"))?;
    if !reason.eligibility.admits(req.patient_type) {
        return Err(DomainError::field(
            "patient_type",
            match req.patient_type {
                PatientType::New => {
                    "This visit is for existing patients. Please choose another reason."
                }
                PatientType::Returning => {
                    "This visit is for new patients. Please choose another reason."
                }
            },
        ));
    }
    let manage_token = new_token();
    let referral = req.referral.clone().unwrap_or_default();
    let fields = BookingFields {
        patient_id: PatientId(0),
        manage_token_hash: hash_token(&manage_token),
        reference: new_reference(),
        source: source.to_string(),
        patient_type: req.patient_type.as_str().to_string(),
        carrier_id: match &req.insurance {
            InsuranceChoice::Carrier { carrier, .. } => Some(*carrier),
            InsuranceChoice::SelfPay => None,
        },
        self_pay: matches!(req.insurance, InsuranceChoice::SelfPay),
        member_id: match &req.insurance {
            InsuranceChoice::Carrier { member_id, .. } => {
                member_id.clone().filter(|m| !m.trim().is_empty())
            }
            InsuranceChoice::SelfPay => None,
        },
        notes: req.notes.clone().filter(|n| !n.trim().is_empty()),
        external_id: b.external_id.clone(),
        referral: [
            referral.referrer,
            referral.utm_source,
            referral.utm_medium,
            referral.utm_campaign,
            referral.utm_term,
            referral.utm_content,
        ],
    };
    let booked = AppointmentRow {
        status: "booked".into(),
        reference: Some(fields.reference.clone()),
        ..hold
    };
    let links = BookingLinks::new(public_url, &catalog.practice.slug, &manage_token);
    let body = BookingCreated {
        booking: booking_view(catalog, &booked, &links, now),
        manage_token: manage_token.clone(),
        intake_url: (req.patient_type == PatientType::New
            && !catalog.practice.intake_url.is_empty())
        .then(|| catalog.practice.intake_url.clone()),
    };
    let stored = StoredResponse {
        request_hash: request_hash.to_string(),
        status: idempotency::BOOKED,
        body: serde_json::to_string(&body).map_err(DomainError::internal)?,
    };
    let reference = fields.reference.clone();
    let (hold_id, key) = (booked.id, key.to_string());
    // The message values are known before the write: no catalog copy on the booking path.
    let context = appointment_context(
        catalog,
        &booked,
        &plan.greeting_name(),
        &manage_token,
        public_url,
    );
    let plan = plan.clone();
    let link_id = b.link_id;
    let returning = plan.existing_id().is_some();
    // One unit of writes: the patient, the hold becoming the booking, the stored response.
    let written = db
        .write(write_unit!(|conn| {
            let patient_id = plan.write(conn, practice_id, now).await?;
            let fields = BookingFields {
                patient_id,
                ..fields
            };
            if !appointments::book_hold(conn, hold_id, &fields, now).await? {
                return Ok(WriteOutcome::Rollback(None));
            }
            let booked = AppointmentRow {
                patient_id: Some(patient_id),
                ..booked
            };
            let recipient = plan.recipient(patient_id);
            queue_booked(conn, practice_id, &booked, &recipient, &context, now).await?;
            // Someone new to the practice has no follow-ups or recalls to stop.
            if returning {
                crate::automations::after_booking(conn, patient_id, booked.id, link_id, now)
                    .await?;
            }
            match idempotency::save(conn, practice_id, scope, &key, &stored, now).await {
                Ok(()) => Ok(WriteOutcome::Commit(Some(stored))),
                Err(err) if is_unique_violation(&err) => Ok(WriteOutcome::Rollback(None)),
                Err(err) => Err(err),
            }
        }))
        .await;
    let written = match written {
        Err(err) if is_retryable(&err) => return Ok(Attempt::Raced),
        other => other?,
    };
    match written {
        Some(stored) => {
            tracing::info!(practice = %catalog.practice.slug, %reference, "booking created");
            Ok(Attempt::Respond(stored))
        }
        None => Ok(Attempt::Raced),
    }
}
