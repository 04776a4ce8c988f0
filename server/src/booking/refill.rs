//! Refilling freed times from the waitlist. A cancellation or a move notes the time it freed;
//! this job, run with the recall job, offers each freed time to the waiting entries that may
//! want it, in waves: the practice's wave size at a time, ASAP entries first then the earliest
//! joined, the next wave the practice's minutes later while the time is still free. Each offer
//! is a message naming the time, with a link to book the visit with that provider; the first patient to book it wins
//! under the database rule, and the others stay on the list. An entry is offered a time only
//! when a free time of its visit starts inside the freed time, on its days, weekdays and times
//! of day, and — when it starts within a day — only if the patient can come at short notice.

use super::availability::find_slots;
use crate::catalog::{Catalog, CatalogCache};
use crate::notify::context::{MessageContext, MessageTimes};
use crate::notify::enqueue::{enqueue, Queue, Recipient};
use crate::store::db::Db;
use crate::store::practices::slug_of;
use crate::store::refill::{
    candidates, close_freed, note_offer, open_freed, open_freed_one, wave_sent, CandidateRow,
    FreedRow,
};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use jiff::civil::Date;
use jiff::Timestamp;
use slotwise_shared::chains::local_date;
use slotwise_shared::lang;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::ReasonId;
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::Slot;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// A time starting sooner than this is offered only to patients who can come at short notice.
pub const SHORT_NOTICE_SECONDS: i64 = 24 * 3600;

/// Offers every open freed time's next wave that is due; returns how many offers went out.
pub async fn run_refill(
    db: &Db,
    catalogs: &CatalogCache,
    public_url: &str,
    now: i64,
) -> anyhow::Result<usize> {
    let open = {
        let mut conn = db.read.acquire().await?;
        open_freed(&mut conn).await?
    };
    let mut offered = 0;
    for freed in open {
        if freed.starts_at <= now {
            close(db, freed.id, now).await?;
            continue;
        }
        let due = freed
            .last_wave_at
            .is_none_or(|at| now - at >= freed.wave_minutes.max(1) * 60);
        if !due {
            continue;
        }
        let slug = slug_of(db, freed.practice_id).await?;
        let Some(catalog) = catalogs.get(db, &slug).await? else {
            close(db, freed.id, now).await?;
            continue;
        };
        offered += next_wave(db, &catalog, public_url, &freed, now).await?;
    }
    Ok(offered)
}

/// Offers a freed time of the practice now (staff offering free time from the day view),
/// without waiting for the job; later waves follow on the job's schedule.
pub async fn offer_now(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    freed_id: i64,
    now: i64,
) -> anyhow::Result<usize> {
    let freed = {
        let mut conn = db.read.acquire().await?;
        open_freed_one(&mut conn, catalog.practice.id, freed_id).await?
    };
    match freed {
        Some(freed) => next_wave(db, catalog, public_url, &freed, now).await,
        None => Ok(0),
    }
}

async fn close(db: &Db, id: i64, now: i64) -> anyhow::Result<()> {
    db.write(write_unit!(|conn| {
        close_freed(conn, id, now).await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}

/// The next wave of one freed time; closes it when nobody is left to offer or nothing in it
/// is free any more.
async fn next_wave(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    freed: &FreedRow,
    now: i64,
) -> anyhow::Result<usize> {
    let waiting = {
        let mut conn = db.read.acquire().await?;
        candidates(&mut conn, freed).await?
    };
    let wave = freed.waves + 1;
    let size = usize::try_from(freed.wave_size.max(1)).unwrap_or(1);
    let mut offers = Vec::new();
    // The free times of each visit inside the freed span, looked up once per wave.
    let mut free_by_reason: HashMap<ReasonId, Vec<Slot>> = HashMap::new();
    for entry in &waiting {
        if offers.len() >= size {
            break;
        }
        if let Entry::Vacant(vacant) = free_by_reason.entry(entry.reason_id) {
            vacant.insert(free_times(db, catalog, freed, entry.reason_id, now).await?);
        }
        let free = free_by_reason
            .get(&entry.reason_id)
            .map_or(&[][..], Vec::as_slice);
        if let Some(slot) = fitting(catalog, entry, free, now) {
            offers.push((entry.clone(), *slot));
        }
    }
    if offers.is_empty() {
        // Nobody left who may want it (or it was taken again): nothing more to offer.
        close(db, freed.id, now).await?;
        return Ok(0);
    }
    let sent = offers.len();
    let (practice_id, freed_row) = (catalog.practice.id, freed.clone());
    let messages: Vec<(CandidateRow, Slot, MessageContext)> = offers
        .into_iter()
        .map(|(entry, slot)| {
            let context = offer_context(catalog, public_url, &entry, &slot);
            (entry, slot, context)
        })
        .collect();
    db.write(write_unit!(|conn| {
        for (entry, slot, context) in &messages {
            if !note_offer(conn, &freed_row, entry.id, slot.start, wave, now).await? {
                continue;
            }
            let recipient = Recipient {
                patient_id: entry.patient_id,
                phone: entry.phone.clone(),
                email: entry.email.clone(),
                language: entry.lang.as_deref().and_then(lang::find),
            };
            let queue = Queue {
                practice_id,
                appointment_id: None,
                recipient: &recipient,
                event: MessageEvent::WaitlistOffer,
                context,
                send_after: now,
                dedupe_key: Some(format!("waitlist_offer:{}:{}", freed_row.id, entry.id)),
            };
            enqueue(conn, &queue, now).await?;
        }
        wave_sent(conn, freed_row.id, now).await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    tracing::info!(practice = %catalog.practice.slug, freed = freed.id, wave, offers = sent, "waitlist offers sent");
    Ok(sent)
}

/// The free times of a visit with the freed time's provider starting inside the freed span
/// (at most 50), earliest first.
async fn free_times(
    db: &Db,
    catalog: &Catalog,
    freed: &FreedRow,
    reason: ReasonId,
    now: i64,
) -> anyhow::Result<Vec<Slot>> {
    let Some(reason) = catalog.reason(reason).filter(|r| r.active) else {
        return Ok(Vec::new());
    };
    if !reason.provider_ids.contains(&freed.provider_id) {
        return Ok(Vec::new());
    }
    let range = Span::new(freed.starts_at, freed.ends_at);
    let provider = [freed.provider_id];
    Ok(find_slots(db, catalog, reason, &provider, None, range, now, 50).await?)
}

/// The earliest of `free` that keeps the entry's days, weekdays, times of day and
/// short-notice wish.
fn fitting<'a>(
    catalog: &Catalog,
    entry: &CandidateRow,
    free: &'a [Slot],
    now: i64,
) -> Option<&'a Slot> {
    let tz = &catalog.practice.tz;
    let parse = |s: &str| s.parse::<Date>().ok();
    let (Some(from), Some(to)) = (parse(&entry.from_date), parse(&entry.to_date)) else {
        return None;
    };
    free.iter().find(|slot| {
        let Some(day) = local_date(tz, slot.start) else {
            return false;
        };
        let weekday = 1_i64 << (day.weekday().to_monday_zero_offset());
        let hour = Timestamp::from_second(slot.start)
            .map(|t| t.to_zoned(tz.clone()).hour())
            .unwrap_or(0);
        let part = match hour {
            h if h < 12 => 1,
            h if h < 17 => 2,
            _ => 4,
        };
        let soon = slot.start - now < SHORT_NOTICE_SECONDS;
        day >= from
            && day <= to
            && entry.days & weekday != 0
            && entry.times & part != 0
            && (!soon || entry.short_notice != 0)
    })
}

/// The offer's message values: the visit, its time and provider, and the link to book it.
fn offer_context(
    catalog: &Catalog,
    public_url: &str,
    entry: &CandidateRow,
    slot: &Slot,
) -> MessageContext {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(slot.start).unwrap_or(Timestamp::UNIX_EPOCH);
    MessageContext {
        patient_first_name: entry.first_name.clone(),
        times: Some(MessageTimes::at(start, tz)),
        provider: catalog
            .provider(slot.provider)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        service: catalog
            .reason(entry.reason_id)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        booking_link: offer_link(catalog, public_url, entry, slot),
        ..MessageContext::default()
    }
}

/// The offer's personal link: the visit's booking page with that provider and location, for a
/// new or returning patient, opening on the offered day with the offered time marked (or, once
/// it is taken, saying so above the other times).
fn offer_link(catalog: &Catalog, public_url: &str, entry: &CandidateRow, slot: &Slot) -> String {
    let day = local_date(&catalog.practice.tz, slot.start)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let patient = if entry.patient_id.is_some() {
        "returning"
    } else {
        "new"
    };
    format!(
        "{}/book/{}/{}?provider={}&location={}&patient={patient}&offer={}&day={day}",
        public_url.trim_end_matches('/'),
        urlencoding::encode(&catalog.practice.slug),
        entry.reason_id,
        slot.provider,
        slot.location,
        slot.start
    )
}
