//! Bookings queued while the practice system was down, retried once it answers: a success
//! books and confirms them without staff; a taken time sends the patient the nearest free
//! times. Each entry is claimed first, so two instances never retry the same one.

use crate::booking::booking_ctx::{BookingCtx, Retry, RETRY_SCOPE};
use crate::booking::bookings::{create_booking, BookingAnswer};
use crate::booking::holds::{create_hold, release_hold};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::DomainError;
use crate::notify::context::{MessageContext, MessageTimes};
use crate::notify::enqueue::{enqueue, Queue, Recipient};
use crate::patients::plan::KnownPatient;
use crate::state::AppState;
use crate::store::booking_queue;
use crate::store::idempotency;
use crate::store::pms::{self as store, RetryRow};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::api::{
    BookingRequest, HoldRequest, InsuranceChoice, PatientDetails, SlotOption,
};
use slotwise_shared::lang;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientType, PracticeId};
use slotwise_shared::patients::{PetDetails, VerifiedPatient};

/// How long one instance keeps a claimed entry.
const CLAIM_SECONDS: i64 = 120;
/// Who resolved an entry automatically, as staff see it.
const RETRIED_BY: &str = "automatic retry";

/// How one retry ended.
enum Retried {
    Booked,
    Taken(Vec<SlotOption>),
    StillDown(String),
    /// Nothing a retry can fix (the reason or provider is gone, the details do not pass):
    /// staff take it from here.
    GiveUp(String),
}

/// Retries the practice's queued bookings whose time is still ahead.
pub async fn retry_practice(state: &AppState, practice_id: PracticeId) -> anyhow::Result<()> {
    let db = &state.db;
    let now = now_seconds();
    let rows = store::retryable(db, practice_id, now).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let slug = crate::store::practices::slug_of(db, practice_id).await?;
    let catalog = state
        .catalog(&slug)
        .await
        .map_err(|e| anyhow::anyhow!(e.body.message))?;
    for row in rows {
        // The clock of each claim, not of the round: earlier retries may have taken a while.
        let now = now_seconds();
        if !store::claim(db, row.id, now, now + CLAIM_SECONDS).await? {
            continue;
        }
        match retry_one(state, &catalog, &row).await {
            Retried::Booked => {
                resolve(state, row.id, "completed", RETRIED_BY).await?;
                tracing::info!(practice = %slug, entry = row.id, "queued booking made on retry");
            }
            Retried::Taken(alternatives) => {
                time_taken(state, &catalog, &row, &alternatives).await?;
                tracing::info!(practice = %slug, entry = row.id, "queued booking's time was taken");
            }
            Retried::StillDown(error) => store::release_claim(db, row.id, &error).await?,
            Retried::GiveUp(error) => {
                store::release_claim(db, row.id, &error).await?;
                store::stop_retrying(db, row.id).await?;
            }
        }
    }
    state.outbox.wake();
    Ok(())
}

async fn resolve(
    state: &AppState,
    id: i64,
    status: &'static str,
    by: &'static str,
) -> anyhow::Result<()> {
    let now = now_seconds();
    state
        .db
        .write(write_unit!(|conn| {
            booking_queue::resolve(conn, id, status, by, now).await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    Ok(())
}

/// The booking request a queued entry stands for.
fn request_of(row: &RetryRow, hold_token: String) -> BookingRequest {
    let patient_type = row
        .patient_type
        .as_deref()
        .and_then(PatientType::parse)
        .unwrap_or(PatientType::New);
    BookingRequest {
        hold_token,
        patient_type,
        patient: PatientDetails {
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            date_of_birth: row.date_of_birth.clone(),
            phone: row.phone.clone(),
            email: row.email.clone(),
            pet: match (&row.pet_name, &row.species) {
                (Some(name), Some(species)) => Some(PetDetails {
                    name: name.clone(),
                    species: species.clone(),
                }),
                _ => None,
            },
        },
        insurance: match row.carrier_id {
            Some(id) => InsuranceChoice::Carrier {
                carrier: id,
                member_id: row.member_id.clone(),
            },
            None => InsuranceChoice::SelfPay,
        },
        notes: Some(row.detail.clone()).filter(|d| !d.is_empty()),
        referral: None,
        // An existing patient needs no details: the booking names them.
        verified: row.patient_id.map(|id| VerifiedPatient {
            session: String::new(),
            member: Some(id),
        }),
        link: None,
        lang: row.lang.clone(),
    }
}

async fn retry_one(state: &AppState, catalog: &Catalog, row: &RetryRow) -> Retried {
    let (Some(reason), Some(provider), Some(start)) =
        (row.reason_id, row.provider_id, row.starts_at)
    else {
        return Retried::GiveUp("The entry has no time to book.".into());
    };
    let Ok(start) = Timestamp::from_second(start) else {
        return Retried::GiveUp("The entry's time cannot be read.".into());
    };
    let key = format!("queue-{}", row.id);
    // An earlier round booked it but could not close the entry: it is booked, not taken.
    let earlier = match state.db.read.acquire().await {
        Ok(mut read) => idempotency::find(&mut read, catalog.practice.id, RETRY_SCOPE, &key).await,
        Err(e) => Err(e),
    };
    match earlier {
        Ok(Some(stored)) if stored.status == idempotency::BOOKED => return Retried::Booked,
        Ok(_) => {}
        Err(e) => return Retried::StillDown(format!("database: {e}")),
    }
    let hold = HoldRequest {
        reason,
        provider,
        start,
        lang: row.lang.clone(),
    };
    let hold = match create_hold(&state.db, catalog, &hold).await {
        Ok(h) => h,
        Err(e) => return failed(e),
    };
    let req = request_of(row, hold.hold_token.clone());
    let public_url = state.public_url();
    let ctx = BookingCtx {
        db: &state.db,
        catalog,
        public_url: &public_url,
        pms: &state.pms,
        retry: Some(Retry {
            identifier: row.external_key.as_deref(),
            patient: match (row.patient_id, row.household_id) {
                (Some(id), _) => Some(KnownPatient::Member(id)),
                (None, Some(household)) => Some(KnownPatient::JoinHousehold(household)),
                (None, None) => None,
            },
        }),
        by_staff: false,
    };
    match create_booking(&ctx, &key, &req, "queue").await {
        Ok(BookingAnswer::Booked(_)) => {
            // A replay of an earlier success leaves this hold unused: give it back.
            let _ = release_hold(&state.db, catalog, &hold.hold_token).await;
            Retried::Booked
        }
        Ok(BookingAnswer::Queued(_)) => {
            let _ = release_hold(&state.db, catalog, &hold.hold_token).await;
            Retried::StillDown("The booking was queued again.".into())
        }
        Err(e) => {
            let _ = release_hold(&state.db, catalog, &hold.hold_token).await;
            failed(e)
        }
    }
}

fn failed(e: DomainError) -> Retried {
    match e {
        DomainError::Taken(alternatives) => Retried::Taken(alternatives),
        DomainError::Conflict(_) => Retried::Taken(Vec::new()),
        DomainError::SystemDown(message) => Retried::StillDown(message),
        DomainError::Database(_) | DomainError::Internal(_) => {
            tracing::warn!(error = %e, "a queued booking's retry failed on our side");
            Retried::StillDown("Something went wrong on our side; trying again.".into())
        }
        refused => Retried::GiveUp(refused.to_string()),
    }
}

/// Tells the patient the time was taken, with the nearest free times, and closes the entry.
async fn time_taken(
    state: &AppState,
    catalog: &Catalog,
    row: &RetryRow,
    alternatives: &[SlotOption],
) -> anyhow::Result<()> {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(row.starts_at.unwrap_or_default())?;
    let public_url = state.public_url();
    let context = MessageContext {
        patient_first_name: row.first_name.clone(),
        times: Some(MessageTimes {
            tz: tz.clone(),
            start: Some(start),
            alternatives: Some(alternatives.iter().map(|a| a.start).collect()),
            visits: None,
        }),
        provider: row
            .provider_id
            .and_then(|p| catalog.provider(p))
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        service: row
            .reason_id
            .and_then(|r| catalog.reason(r))
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        booking_link: format!(
            "{public_url}/book/{}",
            urlencoding::encode(&catalog.practice.slug)
        ),
        ..MessageContext::default()
    };
    let recipient = Recipient {
        patient_id: row.patient_id,
        phone: row.phone.clone(),
        email: row.email.clone(),
        language: row.lang.as_deref().and_then(lang::find),
    };
    let (practice_id, id, now) = (row.practice_id, row.id, now_seconds());
    state
        .db
        .write(write_unit!(|conn| {
            if !booking_queue::resolve(conn, id, "cancelled", "automatic retry: time taken", now)
                .await?
            {
                return Ok(WriteOutcome::Rollback(()));
            }
            let queue = Queue {
                practice_id,
                appointment_id: None,
                recipient: &recipient,
                event: MessageEvent::QueueUnavailable,
                context: &context,
                send_after: now,
                dedupe_key: Some(format!("queue-unavailable-{id}")),
            };
            enqueue(conn, &queue, now).await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    Ok(())
}
