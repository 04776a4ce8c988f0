//! Holding a time while the patient finishes the booking.

use super::availability::{alternatives, find_slots, slot_option};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::store::appointments::{insert_hold, NewHold};
use crate::store::db::Db;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, looks_like_token, new_token};
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::api::{HoldRequest, HoldResponse};
use slotwise_shared::lang;
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::blocked_span;

/// Holds `req.start` with `req.provider` for `req.reason`, or answers 409 with alternatives.
pub async fn create_hold(
    db: &Db,
    catalog: &Catalog,
    req: &HoldRequest,
) -> DomainResult<HoldResponse> {
    let reason = catalog
        .reason(req.reason)
        .ok_or_else(|| DomainError::NotFound("reason"))?;
    if !reason.provider_ids.contains(&req.provider) {
        return Err(DomainError::NotFound("provider"));
    }
    let now = now_seconds();
    let start = req.start.as_second();
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    if start <= now {
        return Err(DomainError::field(
            "start",
            &language.say("api.hold.past", &[]),
        ));
    }
    let taken = || async {
        let alts = alternatives(db, catalog, reason, req.provider, start, now, 3, language).await?;
        Ok::<_, DomainError>(DomainError::Taken(alts))
    };
    // The engine decides whether the time is bookable at all (hours, notice, buffers...).
    let slot = find_slots(
        db,
        catalog,
        reason,
        &[req.provider],
        None,
        Span::new(start, start + 1),
        now,
        1,
    )
    .await?
    .into_iter()
    .find(|s| s.start == start);
    let Some(slot) = slot else {
        return Err(taken().await?);
    };
    let token = new_token();
    let expires_at = now + i64::from(catalog.practice.hold_minutes) * 60;
    let hold = NewHold {
        practice_id: catalog.practice.id,
        provider_id: slot.provider,
        location_id: slot.location,
        reason_id: reason.id,
        operatory_kind: reason.operatory_kind.clone(),
        starts_at: slot.start,
        ends_at: slot.end,
        block: blocked_span(slot.start, &reason.timing),
        token_hash: hash_token(&token),
        expires_at,
        now,
    };
    // The database has the last word: a concurrent hold of the same time loses here.
    if insert_hold(db, &hold).await?.is_none() {
        return Err(taken().await?);
    }
    Ok(HoldResponse {
        hold_token: token,
        expires_at: Timestamp::from_second(expires_at).map_err(DomainError::internal)?,
        slot: slot_option(catalog, &slot, language),
    })
}

/// Gives a live hold back so its time is free again; 404 when no live hold has this token (it
/// ran out, became a booking, or never existed).
pub async fn release_hold(db: &Db, catalog: &Catalog, token: &str) -> DomainResult<()> {
    if !looks_like_token(token) {
        return Err(DomainError::NotFound("hold"));
    }
    let practice_id = catalog.practice.id;
    let hash = hash_token(token);
    let now = now_seconds();
    let released = db
        .write(write_unit!(|conn| {
            let rows =
                crate::store::appointments::release_hold(conn, practice_id, &hash, now).await?;
            Ok(WriteOutcome::Commit(rows))
        }))
        .await?;
    if released == 0 {
        return Err(DomainError::NotFound("hold"));
    }
    Ok(())
}
