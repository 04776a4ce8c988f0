//! The unit of writes that turns a live hold into a booking: the patient, the booking and
//! the stored idempotent answer commit together, guarded so that a concurrent change makes the
//! attempt start over rather than double-book.

use super::booking_ctx::Answered;
use crate::appointment_view::{booking_view, BookingLinks};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::{appointment_context, queue_booked};
use crate::notify::enqueue::Recipient;
use crate::patients::plan::PatientPlan;
use crate::procedures::flags::after_step_change;
use crate::store::appointments::{self, AppointmentRow, BookingFields};
use crate::store::db::{is_retryable, is_unique_violation, Db};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::messaging;
use crate::store::procedure_records;
use crate::store::waitlist;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_reference, new_token};
use crate::write_unit;
use slotwise_shared::api::{BookingCreated, BookingRequest, InsuranceChoice};
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{PatientId, PatientType};

/// How a booking attempt ended inside its transaction.
pub(super) enum Attempt {
    /// A response to send (new or replayed).
    Respond(Answered),
    /// The hold is no longer live.
    Expired(AppointmentRow),
    /// Someone else changed the hold concurrently; look again.
    Raced,
}

/// One booking being made.
pub(super) struct Booking<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) public_url: &'a str,
    pub(super) key: &'a str,
    pub(super) request_hash: &'a str,
    pub(super) req: &'a BookingRequest,
    pub(super) plan: &'a PatientPlan,
    pub(super) external_id: Option<String>,
    /// The identifier value it was written there under.
    pub(super) external_key: Option<String>,
    pub(super) source: &'static str,
    pub(super) scope: &'static str,
    pub(super) link_id: Option<i64>,
}

pub(super) async fn attempt(db: &Db, b: &Booking<'_>) -> DomainResult<Attempt> {
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
        return Ok(Attempt::Respond(Answered::Earlier(stored)));
    }
    let hold =
        appointments::find_by_hold_token(&mut read, practice_id, &hash_token(&req.hold_token))
            .await?
            .ok_or_else(|| DomainError::NotFound("hold"))?;
    drop(read);
    if !matches!(hold.status.as_str(), "held" | "expired") {
        return Err(DomainError::conflict("api.conflict.already_booked"));
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
                PatientType::New => "api.reason.returning_only",
                PatientType::Returning => "api.reason.new_only",
            },
        ));
    }
    let manage_token = new_token();
    let fields = booking_fields(
        req,
        &manage_token,
        source,
        b.external_id.clone(),
        b.external_key.clone(),
    );
    let booked = AppointmentRow {
        status: "booked".into(),
        reference: Some(fields.reference.clone()),
        ..hold
    };
    let links = BookingLinks::new(public_url, &catalog.practice.slug, &manage_token);
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    // The language the patient booked in is the one they read from now on.
    let chosen_language = req.lang.as_deref().and_then(lang::find);
    let body = BookingCreated {
        booking: booking_view(catalog, &booked, &links, now, language),
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
    // Messages (and their calendar file) in the language chosen now, else the household's.
    let messages_language = match chosen_language {
        Some(chosen) => chosen,
        None => remembered_language(db, catalog, plan)
            .await?
            .unwrap_or(language),
    };
    // The message values are known before the write: no catalog copy on the booking path.
    let context = appointment_context(
        catalog,
        &booked,
        &plan.greeting_name(),
        &manage_token,
        public_url,
        messages_language,
    );
    let plan = plan.clone();
    let link_id = b.link_id;
    let tz = catalog.practice.tz.clone();
    let returning = plan.existing_id().is_some();
    let confirm_link =
        super::confirmation::confirm_link(public_url, &catalog.practice.slug, &manage_token);
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
            if let Some(chosen) = chosen_language {
                messaging::set_patient_language(conn, practice_id, patient_id, Some(chosen.code))
                    .await?;
            }
            let recipient = Recipient {
                language: Some(messages_language),
                ..plan.recipient(patient_id)
            };
            queue_booked(conn, practice_id, &booked, &recipient, &context, now).await?;
            // The patient's waitlist entry for this visit is answered.
            waitlist::end_for_booking(
                conn,
                practice_id,
                patient_id,
                &recipient.phone,
                booked.reason_id,
                now,
            )
            .await?;
            // Someone new to the practice has no follow-ups or recalls to stop, and no history
            // that asks them to confirm.
            if returning {
                let ask = super::confirmation::Ask {
                    practice_id,
                    patient_id,
                    booked: &booked,
                    recipient: &recipient,
                    context: &context,
                    confirm_link: confirm_link.clone(),
                    language: messages_language,
                    tz: &tz,
                };
                super::confirmation::ask_if_needed(conn, &ask, now).await?;
                crate::automations::after_booking(conn, patient_id, booked.id, link_id, now)
                    .await?;
                // A visit a procedure of theirs waits for becomes that visit (flagged when it
                // falls outside the visit's window).
                if procedure_records::link_to_waiting_step(
                    conn,
                    patient_id,
                    booked.reason_id.0,
                    booked.id,
                )
                .await?
                {
                    after_step_change(conn, &tz, booked.id).await?;
                }
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
            Ok(Attempt::Respond(Answered::Now(stored)))
        }
        None => Ok(Attempt::Raced),
    }
}

/// The language remembered with the household the booking is for (none for a new household).
pub(super) async fn remembered_language(
    db: &Db,
    catalog: &Catalog,
    plan: &PatientPlan,
) -> DomainResult<Option<&'static Language>> {
    let practice_id = catalog.practice.id;
    let mut read = db.read.acquire().await?;
    let code = match plan {
        PatientPlan::Existing(m) => {
            messaging::patient_language(&mut read, practice_id, m.id).await?
        }
        PatientPlan::New {
            household: Some(id),
            ..
        } => messaging::household_language(&mut read, practice_id, *id).await?,
        PatientPlan::New {
            household: None, ..
        } => None,
    };
    Ok(code.as_deref().and_then(lang::find))
}

/// What a booking writes on its held row, the patient not settled yet (written in the unit).
pub(super) fn booking_fields(
    req: &BookingRequest,
    manage_token: &str,
    source: &str,
    external_id: Option<String>,
    external_key: Option<String>,
) -> BookingFields {
    let referral = req.referral.clone().unwrap_or_default();
    BookingFields {
        patient_id: PatientId(0),
        manage_token_hash: hash_token(manage_token),
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
        external_id,
        external_key,
        referral: [
            referral.referrer,
            referral.utm_source,
            referral.utm_medium,
            referral.utm_campaign,
            referral.utm_term,
            referral.utm_content,
        ],
    }
}
