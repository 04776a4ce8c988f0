//! Free times of a reason: catalog hours + busy time from the store → the slot engine.

use crate::catalog::{Catalog, Reason};
use crate::domain_error::DomainError;
use crate::store;
use crate::store::appointments::AppointmentRow;
use crate::store::db::Db;
use jiff::Timestamp;
use slotwise_shared::api::SlotOption;
use slotwise_shared::labels;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{LocationId, ProviderId};
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::{free_slots_in_rooms, RoomLimits, Slot, SlotRequest};

const DAY: i64 = 86_400;

/// Free slots of `providers` for `reason` with a start inside `range` (at `location` only, when
/// given), sorted by start time.
#[allow(clippy::too_many_arguments)]
pub async fn find_slots(
    db: &Db,
    catalog: &Catalog,
    reason: &Reason,
    providers: &[ProviderId],
    location: Option<LocationId>,
    range: Span,
    now: i64,
    max_per_provider: usize,
) -> Result<Vec<Slot>, sqlx::Error> {
    // Busy time just outside the range still matters for buffers at its edges.
    let margin = Span::new(range.start - DAY, range.end + DAY);
    let mut busy =
        store::appointments::busy_spans(db, catalog.practice.id, providers, margin, now).await?;
    let schedules: Vec<_> = providers
        .iter()
        .map(|&p| {
            let mut s = catalog.schedule(p);
            s.busy = busy.remove(&p).unwrap_or_default();
            match location {
                Some(location) => s.only_at(location),
                None => s,
            }
        })
        .collect();
    let req = SlotRequest {
        timing: reason.timing,
        now,
        range,
        max_per_provider,
    };
    let rooms = match &reason.operatory_kind {
        None => RoomLimits::default(),
        Some(kind) => room_limits(db, catalog, kind, margin, now).await?,
    };
    Ok(free_slots_in_rooms(
        &schedules,
        &catalog.zones,
        &req,
        &rooms,
    ))
}

/// For a reason that needs a room of `kind`: each location's rooms of that kind and their
/// busy time, so only times with a free room are offered.
pub(super) async fn room_limits(
    db: &Db,
    catalog: &Catalog,
    kind: &str,
    range: Span,
    now: i64,
) -> Result<RoomLimits, sqlx::Error> {
    let rooms: Vec<_> = catalog
        .operatories
        .iter()
        .filter(|o| o.kind == kind)
        .collect();
    let ids: Vec<i64> = rooms.iter().map(|o| o.id).collect();
    let mut busy =
        store::appointments::operatory_busy(db, catalog.practice.id, &ids, range, now).await?;
    let mut limits = RoomLimits::default();
    for location in &catalog.locations {
        let here = rooms
            .iter()
            .filter(|o| o.location == location.id)
            .map(|o| busy.remove(&o.id).unwrap_or_default())
            .collect();
        limits.add_location(location.id, here);
    }
    Ok(limits)
}

/// A slot as the API shows it, labelled in the practice timezone and in `language`.
pub fn slot_option(catalog: &Catalog, slot: &Slot, language: &Language) -> SlotOption {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(slot.start).unwrap_or(Timestamp::UNIX_EPOCH);
    let end = Timestamp::from_second(slot.end).unwrap_or(Timestamp::UNIX_EPOCH);
    SlotOption {
        start,
        end,
        provider: slot.provider,
        location: slot.location,
        date: start.to_zoned(tz.clone()).date(),
        label: labels::time_label_in(language, start, tz),
        full_label: labels::full_label_in(language, start, tz),
    }
}

/// Up to `count` free times from `after` on: the same provider first, then the reason's other
/// providers; labelled in `language`.
#[allow(clippy::too_many_arguments)]
pub async fn alternatives(
    db: &Db,
    catalog: &Catalog,
    reason: &Reason,
    provider: ProviderId,
    after: i64,
    now: i64,
    count: usize,
    language: &Language,
) -> Result<Vec<SlotOption>, sqlx::Error> {
    let horizon = now + i64::from(reason.timing.horizon_days) * DAY;
    let range = Span::new(after.max(now), horizon.max(after.max(now) + 1));
    let mut picked = find_slots(db, catalog, reason, &[provider], None, range, now, count).await?;
    if picked.len() < count {
        let others: Vec<ProviderId> = reason
            .provider_ids
            .iter()
            .copied()
            .filter(|p| *p != provider)
            .collect();
        let more = find_slots(db, catalog, reason, &others, None, range, now, count).await?;
        let mut more = slotwise_shared::slots::first_available(more);
        more.truncate(count - picked.len());
        picked.extend(more);
    }
    Ok(picked
        .iter()
        .map(|s| slot_option(catalog, s, language))
        .collect())
}

/// The `410 hold_expired` answer for a lapsed hold, with the next free times from its start.
pub async fn hold_expired(
    db: &Db,
    catalog: &Catalog,
    hold: &AppointmentRow,
    now: i64,
) -> Result<DomainError, sqlx::Error> {
    let alts = match catalog.reasons.iter().find(|r| r.id == hold.reason_id) {
        Some(reason) => {
            alternatives(
                db,
                catalog,
                reason,
                hold.provider_id,
                hold.starts_at,
                now,
                3,
                lang::DEFAULT,
            )
            .await?
        }
        None => Vec::new(),
    };
    Ok(DomainError::HoldExpired(alts))
}
