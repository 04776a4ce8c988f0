//! Completing a booking-queue entry: staff booked the visit (by phone, or in their own
//! system), so it becomes an appointment here under the same database rule as every other
//! booking — the time stops being offered, and a time someone else holds or booked meanwhile
//! answers 409 with the nearest free ones. Then the patient is told. An entry an automatic
//! retry is booking right now cannot be completed by staff too. An entry holding a whole
//! procedure is completed by `queue_chain_completion`.

use super::availability::alternatives;
use super::queue_entries::{check_open, patient_of, retrying};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::context::{MessageContext, MessageTimes};
use crate::notify::enqueue::{enqueue, Queue, Recipient};
use crate::store::appointments::{self, insert_hold, BookingFields, NewHold};
use crate::store::booking_queue::{self, QueueRow};
use crate::store::db::Db;
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_reference, new_token};
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{LocationId, ProviderId, ReasonId};
use slotwise_shared::practice::Reason;
use slotwise_shared::slots::blocked_span;

/// What staff say about the visit they booked.
#[derive(Clone, Copy, Debug)]
pub struct Completion {
    /// When it starts (UTC seconds).
    pub start: i64,
    /// Who it is with, when the entry does not say.
    pub provider: Option<ProviderId>,
    /// What it is for, when the entry does not say.
    pub reason: Option<ReasonId>,
}

/// How long the hold that reserves the time lives before the write turns it into the booking.
const HOLD_SECONDS: i64 = 120;

/// Books the entry's visit and tells the patient; returns the appointment's id.
pub async fn complete(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    entry_id: i64,
    completion: Completion,
    actor: &str,
) -> DomainResult<i64> {
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let entry = {
        let mut read = db.read.acquire().await?;
        booking_queue::find(&mut read, practice_id, entry_id)
            .await?
            .ok_or(DomainError::NotFound("queue entry"))?
    };
    check_open(&entry, now)?;
    if let Some(procedure) = entry.procedure_id {
        let procedure = slotwise_shared::model::ProcedureId(procedure);
        return super::queue_chain_completion::complete_procedure(
            db, catalog, public_url, &entry, procedure, actor,
        )
        .await;
    }
    let reason_id = completion
        .reason
        .or(entry.reason_id)
        .ok_or_else(|| DomainError::field("reason_id", "Choose what the visit is for."))?;
    let reason = catalog
        .reasons
        .iter()
        .find(|r| r.id == reason_id)
        .ok_or(DomainError::NotFound("reason"))?;
    let provider = completion
        .provider
        .or(entry.provider_id)
        .ok_or_else(|| DomainError::field("provider_id", "Choose who the visit is with."))?;
    if catalog.provider(provider).is_none() {
        return Err(DomainError::NotFound("provider"));
    }
    let start = completion.start;
    let token = new_token();
    let hold = NewHold {
        practice_id,
        provider_id: provider,
        location_id: location_at(catalog, provider, start)
            .ok_or_else(|| DomainError::field("date", "The practice has no location."))?,
        reason_id: reason.id,
        operatory_kind: reason.operatory_kind.clone(),
        starts_at: start,
        ends_at: start + i64::from(reason.timing.duration_min) * 60,
        block: blocked_span(start, &reason.timing),
        token_hash: hash_token(&token),
        expires_at: now + HOLD_SECONDS,
        now,
    };
    // The database decides: an overlapping hold or booking (or no free room) refuses it.
    let Some(hold_id) = insert_hold(db, &hold).await? else {
        return Err(taken(db, catalog, reason, provider, start, now).await?);
    };
    let message = message_context(catalog, &entry, reason, provider, start, public_url);
    let (entry_copy, actor, hash) = (entry.clone(), actor.to_string(), hold.token_hash.clone());
    let written = db
        .write(write_unit!(|conn| {
            if !booking_queue::complete_unclaimed(conn, entry_id, &actor, now).await? {
                return Ok(WriteOutcome::Rollback(Err(retrying())));
            }
            let patient_id = patient_of(conn, practice_id, &entry_copy, now).await?;
            let fields = BookingFields {
                patient_id,
                manage_token_hash: hash_token(&new_token()),
                reference: new_reference(),
                source: "staff".into(),
                patient_type: if entry_copy.patient_id.is_some() {
                    "returning".into()
                } else {
                    "new".into()
                },
                carrier_id: None,
                self_pay: false,
                member_id: None,
                notes: Some(entry_copy.detail.clone()).filter(|d| !d.is_empty()),
                external_id: None,
                external_key: None,
                referral: Default::default(),
            };
            if !appointments::book_hold(conn, hold_id, &fields, now).await? {
                return Ok(WriteOutcome::Rollback(Err(DomainError::Conflict(
                    "The time could not be kept; try again.".into(),
                ))));
            }
            let recipient = Recipient {
                patient_id: Some(patient_id),
                phone: entry_copy.phone.clone(),
                email: entry_copy.email.clone(),
                // The language the patient asked in, else their household's.
                language: entry_copy
                    .lang
                    .as_deref()
                    .and_then(slotwise_shared::lang::find),
            };
            let queue = Queue {
                practice_id,
                appointment_id: Some(hold_id),
                recipient: &recipient,
                event: MessageEvent::QueueCompleted,
                context: &message,
                send_after: now,
                dedupe_key: Some(format!("queue_completed:{entry_id}")),
            };
            enqueue(conn, &queue, now).await?;
            let target = format!("queue {entry_id}");
            staff::audit(conn, practice_id, &actor, "queue.complete", &target, now).await?;
            Ok(WriteOutcome::Commit(Ok(hold_id)))
        }))
        .await;
    match written {
        Ok(Ok(id)) => Ok(id),
        failed => {
            // The time was reserved for this write only: give it back at once.
            let _ = db
                .write(write_unit!(|conn| {
                    appointments::release_hold(conn, practice_id, &hash, now_seconds()).await?;
                    Ok(WriteOutcome::Commit(()))
                }))
                .await;
            Err(match failed {
                Ok(Err(e)) => e,
                Err(e) => e.into(),
                Ok(Ok(_)) => DomainError::Conflict("The entry changed meanwhile.".into()),
            })
        }
    }
}

async fn taken(
    db: &Db,
    catalog: &Catalog,
    reason: &Reason,
    provider: ProviderId,
    start: i64,
    now: i64,
) -> Result<DomainError, sqlx::Error> {
    let nearest = alternatives(
        db,
        catalog,
        reason,
        provider,
        start,
        now,
        3,
        slotwise_shared::lang::DEFAULT,
    )
    .await?;
    Ok(DomainError::Taken(nearest))
}

/// Where the provider works at `start` (by weekly hours), else the practice's first location.
fn location_at(catalog: &Catalog, provider: ProviderId, start: i64) -> Option<LocationId> {
    let local = Timestamp::from_second(start)
        .ok()?
        .to_zoned(catalog.practice.tz.clone());
    let weekday = local.weekday().to_monday_one_offset();
    let minute = i32::from(local.hour()) * 60 + i32::from(local.minute());
    catalog
        .weekly_hours
        .get(&provider)
        .into_iter()
        .flatten()
        .find(|h| {
            i8::try_from(h.weekday).ok() == Some(weekday)
                && i32::from(h.start_min) <= minute
                && minute < i32::from(h.end_min)
        })
        .map(|h| h.location)
        .or_else(|| catalog.locations.first().map(|l| l.id))
}

/// What the patient's confirmation says.
fn message_context(
    catalog: &Catalog,
    entry: &QueueRow,
    reason: &Reason,
    provider: ProviderId,
    at: i64,
    public_url: &str,
) -> MessageContext {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    MessageContext {
        patient_first_name: entry.first_name.clone(),
        times: Some(MessageTimes::at(start, tz)),
        provider: catalog
            .provider(provider)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "our team".into()),
        service: reason.name.clone(),
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        booking_link: format!(
            "{}/book/{}",
            public_url.trim_end_matches('/'),
            urlencoding::encode(&catalog.practice.slug)
        ),
        ..MessageContext::default()
    }
}
