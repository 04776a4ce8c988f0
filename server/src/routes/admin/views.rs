//! Setup rows as the console shows them.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::setup;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use slotwise_shared::admin::{
    CarrierView, HoursRow, LocationView, OperatoryView, ProviderView, ReasonInput, ReasonView,
    SetupView, TimeOffView,
};
use slotwise_shared::model::{Eligibility, ReasonId};

/// `HH:MM` of minutes after midnight.
pub fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn u32_of(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// A span in the practice's zone, e.g. "Mon 1 Dec 2026 09:00 – Mon 1 Dec 2026 12:00".
pub fn span_label(start: i64, end: i64, tz: &TimeZone) -> String {
    let fmt = |at: i64| {
        Timestamp::from_second(at)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(tz.clone())
            .strftime("%a %-d %b %Y %H:%M")
            .to_string()
    };
    format!("{} – {}", fmt(start), fmt(end))
}

/// The direct booking link of a reason.
pub fn direct_link(public_url: &str, slug: &str, reason_id: ReasonId) -> String {
    format!(
        "{public_url}/book/{}/{reason_id}",
        urlencoding::encode(slug)
    )
}

/// Reason row → wire input.
pub fn reason_input(r: &setup::ReasonRow, provider_ids: Vec<i64>) -> ReasonInput {
    ReasonInput {
        name: r.name.clone(),
        description: r.description.clone(),
        duration_min: u32_of(r.duration_min),
        buffer_before_min: u32_of(r.buffer_before_min),
        buffer_after_min: u32_of(r.buffer_after_min),
        interval_min: u32_of(r.interval_min),
        min_notice_min: u32_of(r.min_notice_min),
        horizon_days: u32_of(r.horizon_days),
        eligibility: match r.eligibility.as_str() {
            "new" => Eligibility::New,
            "returning" => Eligibility::Returning,
            _ => Eligibility::Both,
        },
        operatory_kind: r.operatory_kind.clone(),
        active: r.active != 0,
        provider_ids,
        aftercare: r.aftercare.clone(),
        late_cancel_hours: u32_of(r.late_cancel_hours),
        grace_minutes: u32_of(r.grace_minutes),
    }
}

/// Everything the setup screens show.
pub async fn setup_view(state: &AppState, auth: &PracticeAuth) -> ApiResult<SetupView> {
    let (db, pid) = (&state.db, auth.practice_id);
    let practice = setup::practice(db, pid).await?;
    let tz = practice
        .as_ref()
        .and_then(|p| TimeZone::get(&p.timezone).ok())
        .unwrap_or(TimeZone::UTC);
    let rooms = setup::operatories(db, pid).await?;
    let locations = setup::locations(db, pid)
        .await?
        .into_iter()
        .map(|(id, name, address, timezone)| LocationView {
            id,
            name,
            address,
            timezone,
            operatories: rooms
                .iter()
                .filter(|r| r.1 == id)
                .map(|(rid, loc, name, kind)| OperatoryView {
                    id: *rid,
                    location_id: *loc,
                    name: name.clone(),
                    kind: kind.clone(),
                })
                .collect(),
        })
        .collect();
    let hours = setup::hours(db, pid).await?;
    let time_off = setup::time_off(db, pid, now_seconds()).await?;
    let providers = setup::providers(db, pid)
        .await?
        .into_iter()
        .map(|p| ProviderView {
            external_id: p.external_id.clone().unwrap_or_default(),
            hours: hours
                .iter()
                .filter(|h| h.0 == p.id)
                .map(|(_, loc, day, start, end)| HoursRow {
                    location_id: *loc,
                    weekday: u8::try_from(*day).unwrap_or(1),
                    start: hhmm(*start),
                    end: hhmm(*end),
                })
                .collect(),
            time_off: time_off
                .iter()
                .filter(|t| t.1 == p.id)
                .map(|(id, _, start, end, note)| TimeOffView {
                    id: *id,
                    starts_at: Timestamp::from_second(*start).unwrap_or(Timestamp::UNIX_EPOCH),
                    ends_at: Timestamp::from_second(*end).unwrap_or(Timestamp::UNIX_EPOCH),
                    label: span_label(*start, *end, &tz),
                    note: note.clone(),
                })
                .collect(),
            id: p.id,
            name: p.name,
            role: p.role,
            bio: p.bio,
            photo_url: p.photo_url,
            bookable: p.bookable != 0,
        })
        .collect();
    let links = setup::reason_links(db, pid).await?;
    let public_url = state.public_url();
    let reasons = setup::reasons(db, pid)
        .await?
        .into_iter()
        .map(|r| {
            let linked = links
                .iter()
                .filter(|l| l.0 == r.id)
                .map(|l| l.1 .0)
                .collect();
            ReasonView {
                id: r.id.0,
                direct_link: direct_link(&public_url, &auth.slug, r.id),
                input: reason_input(&r, linked),
            }
        })
        .collect();
    let carriers = setup::carriers(db, pid)
        .await?
        .into_iter()
        .map(|(id, name, required)| CarrierView {
            id,
            name,
            member_id_required: required != 0,
        })
        .collect();
    Ok(SetupView {
        locations,
        providers,
        reasons,
        carriers,
    })
}
