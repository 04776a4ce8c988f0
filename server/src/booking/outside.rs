//! The first step of a booking at a practice whose schedule of record is outside Slotwise:
//! write it there while the hold keeps the time here. A taken time answers 409 with other
//! times; a system that is down or refuses queues the booking for the team (202).

use super::availability::alternatives;
use super::booking_ctx::{Answered, BookingCtx, SCOPE};
use super::outside_queue::{outside_appointment, queue_booking, write, QueueBooking};
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::patients::plan::PatientPlan;
use crate::pms::PmsError;
use crate::store::appointments;
use crate::store::pms as store;
use crate::tokens::hash_token;
use slotwise_shared::api::BookingRequest;

/// How the outside step ended.
pub enum Outside {
    /// Slotwise is the schedule of record (or the hold is not live: the booking step says so).
    NotNeeded,
    /// Written there: its id there, and the identifier value it was written under.
    Written { id: String, identifier: String },
    /// The answer to send (the booking was queued, by this request or an earlier one).
    Answer(Answered),
}

/// Writes the held booking to the practice's outside system, if it has one.
pub async fn write_first(
    ctx: &BookingCtx<'_>,
    key: &str,
    request_hash: &str,
    req: &BookingRequest,
    plan: &PatientPlan,
) -> DomainResult<Outside> {
    let (db, catalog) = (ctx.db, ctx.catalog);
    let practice_id = catalog.practice.id;
    let Some(system) = ctx.pms.outside_system(db, practice_id).await? else {
        return Ok(Outside::NotNeeded);
    };
    let mut read = db.read.acquire().await?;
    let hold =
        appointments::find_by_hold_token(&mut read, practice_id, &hash_token(&req.hold_token))
            .await?
            .ok_or_else(|| DomainError::NotFound("hold"))?;
    drop(read);
    let now = now_seconds();
    // Whatever the booking step would refuse is refused before anything is written there.
    let eligible = catalog
        .reason(hold.reason_id)
        .is_some_and(|r| r.eligibility.admits(req.patient_type));
    if !eligible || hold.status != "held" || hold.hold_expires_at.is_none_or(|at| at <= now) {
        return Ok(Outside::NotNeeded);
    }
    // The hold outlives the call, so a slow answer cannot leave a booking there and none here.
    let until = now + i64::try_from(ctx.pms.timeout.as_secs()).unwrap_or(60) + 60;
    appointments::extend_hold(db, hold.id, until).await?;
    // A queued booking is retried under the identifier it was first written with.
    let identifier = ctx
        .retry
        .and_then(|r| r.identifier)
        .map_or_else(|| format!("appointment-{}", hold.id), str::to_string);
    let appointment = outside_appointment(
        db,
        catalog,
        &hold,
        plan,
        &req.patient,
        req.patient_type,
        &identifier,
    )
    .await?;
    match write(db, practice_id, system.as_ref(), &appointment, now).await? {
        Ok(id) => Ok(Outside::Written { id, identifier }),
        Err(PmsError::Conflict(detail)) => {
            tracing::info!(practice = %catalog.practice.slug, %detail, "practice system: time taken");
            // Until the next sync, the time counts as busy here too.
            store::add_busy(
                db,
                practice_id,
                hold.provider_id,
                hold.block_start,
                hold.block_end,
            )
            .await?;
            let _ = super::holds::release_hold(db, catalog, &req.hold_token).await;
            let reason = catalog
                .reason(hold.reason_id)
                .ok_or_else(|| DomainError::NotFound("reason"))?;
            let alts = alternatives(
                db,
                catalog,
                reason,
                hold.provider_id,
                hold.starts_at,
                now,
                3,
                slotwise_shared::lang::DEFAULT,
            )
            .await?;
            Err(DomainError::Taken(alts))
        }
        Err(err) if ctx.retry.is_none() => {
            tracing::warn!(practice = %catalog.practice.slug, error = %err.describe(), "practice system unavailable: booking queued");
            let queued = QueueBooking {
                catalog,
                hold: &hold,
                procedure: None,
                plan,
                req,
                external_key: identifier,
                key: key.to_string(),
                scope: SCOPE,
                request_hash: request_hash.to_string(),
            };
            Ok(Outside::Answer(queue_booking(db, queued, now).await?))
        }
        Err(err) => Err(DomainError::SystemDown(err.describe())),
    }
}
