//! Reads a practice's catalog (cached by the catalog module above the store).

use crate::store::db::Db;
use anyhow::Context;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use slotwise_shared::model::{
    CarrierId, Eligibility, LocationId, PracticeId, ProviderId, ReasonId, ReasonTiming,
};
use slotwise_shared::patients::PracticeKind;
use slotwise_shared::practice::{
    Carrier, Catalog, ChangePolicy, Location, Operatory, Practice, Provider, Reason,
};
use slotwise_shared::schedule::{DateOverride, DayWindow, WeeklyHours};
use slotwise_shared::slots::LocationZones;
use sqlx::FromRow;
use std::collections::HashMap;

#[derive(FromRow)]
struct PracticeRow {
    id: i64,
    slug: String,
    name: String,
    phone: String,
    timezone: String,
    accent_color: String,
    logo_url: Option<String>,
    hold_minutes: i64,
    existing_patients_only: i64,
    confirmation_text: String,
    out_of_network_text: String,
    allowed_origins: String,
    kind: String,
    intake_url: String,
    country: String,
    any_location: i64,
    default_lang: String,
}

#[derive(FromRow)]
struct ReasonRow {
    id: i64,
    name: String,
    description: String,
    duration_min: i64,
    buffer_before_min: i64,
    buffer_after_min: i64,
    interval_min: i64,
    min_notice_min: i64,
    horizon_days: i64,
    eligibility: String,
    operatory_kind: Option<String>,
    active: i64,
    late_cancel_hours: i64,
    grace_minutes: i64,
}

/// provider, day, location, start minute, end minute (no times: closed that day).
type DatedHoursRow = (i64, String, Option<i64>, Option<i64>, Option<i64>);

fn zone(name: &str) -> anyhow::Result<TimeZone> {
    TimeZone::get(name).with_context(|| format!("unknown timezone {name:?}"))
}

fn u32_of(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Loads the catalog of the practice with this slug.
pub async fn load(db: &Db, slug: &str) -> anyhow::Result<Option<Catalog>> {
    let row: Option<PracticeRow> = sqlx::query_as(
        "SELECT id, slug, name, phone, timezone, accent_color, logo_url, hold_minutes,
                existing_patients_only, confirmation_text, out_of_network_text, allowed_origins,
                kind, intake_url, country, any_location, default_lang
         FROM practices WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.read)
    .await?;
    let Some(p) = row else { return Ok(None) };
    let pid = p.id;
    let country = crate::phone::practice_country(&p.country, &p.phone);
    let practice = Practice {
        id: PracticeId(p.id),
        tz: zone(&p.timezone)?,
        slug: p.slug,
        name: p.name,
        phone: p.phone,
        timezone: p.timezone,
        accent_color: p.accent_color,
        logo_url: p.logo_url,
        hold_minutes: u32_of(p.hold_minutes).clamp(1, 60),
        existing_patients_only: p.existing_patients_only != 0,
        any_location: p.any_location != 0,
        default_lang: slotwise_shared::lang::of(&p.default_lang).code.to_string(),
        confirmation_text: p.confirmation_text,
        out_of_network_text: p.out_of_network_text,
        allowed_origins: p
            .allowed_origins
            .split_whitespace()
            .map(|o| o.trim_end_matches('/').to_string())
            .collect(),
        kind: PracticeKind::parse(&p.kind),
        intake_url: p.intake_url,
        country,
    };

    let locations = sqlx::query_as::<_, (i64, String, String, String)>(
        "SELECT id, name, address, timezone FROM locations WHERE practice_id = $1 ORDER BY id",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|(id, name, address, timezone)| {
        Ok(Location {
            id: LocationId(id),
            tz: zone(&timezone)?,
            name,
            address,
            timezone,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;

    let providers: Vec<Provider> =
        sqlx::query_as::<_, (i64, String, String, String, Option<String>, i64)>(
            "SELECT id, name, role, bio, photo_url, bookable FROM providers
         WHERE practice_id = $1 ORDER BY sort_order, id",
        )
        .bind(pid)
        .fetch_all(&db.read)
        .await?
        .into_iter()
        .map(|(id, name, role, bio, photo_url, bookable)| Provider {
            id: ProviderId(id),
            name,
            role,
            bio,
            photo_url,
            bookable: bookable != 0,
        })
        .collect();

    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT rp.reason_id, rp.provider_id FROM reason_providers rp
         JOIN reasons r ON r.id = rp.reason_id WHERE r.practice_id = $1",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?;

    let reasons = sqlx::query_as::<_, ReasonRow>(
        "SELECT id, name, description, duration_min, buffer_before_min, buffer_after_min,
                interval_min, min_notice_min, horizon_days, eligibility, operatory_kind, active,
                late_cancel_hours, grace_minutes
         FROM reasons WHERE practice_id = $1 ORDER BY sort_order, id",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|r| Reason {
        id: ReasonId(r.id),
        // Providers in display order, bookable ones only.
        provider_ids: providers
            .iter()
            .filter(|p| p.bookable && links.contains(&(r.id, p.id.0)))
            .map(|p| p.id)
            .collect(),
        name: r.name,
        description: r.description,
        timing: ReasonTiming {
            duration_min: u32_of(r.duration_min),
            buffer_before_min: u32_of(r.buffer_before_min),
            buffer_after_min: u32_of(r.buffer_after_min),
            interval_min: u32_of(r.interval_min),
            min_notice_min: u32_of(r.min_notice_min),
            horizon_days: u32_of(r.horizon_days),
        },
        eligibility: Eligibility::parse(&r.eligibility).unwrap_or(Eligibility::Both),
        operatory_kind: r.operatory_kind,
        active: r.active != 0,
        policy: ChangePolicy {
            late_cancel_hours: u32_of(r.late_cancel_hours),
            grace_minutes: u32_of(r.grace_minutes),
        },
    })
    .collect();

    let carriers = sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT id, name, member_id_required FROM insurance_carriers
         WHERE practice_id = $1 ORDER BY sort_order, name",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|(id, name, required)| Carrier {
        id: CarrierId(id),
        name,
        member_id_required: required != 0,
    })
    .collect();

    let mut weekly_hours: HashMap<ProviderId, Vec<WeeklyHours>> = HashMap::new();
    let hours: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT provider_id, location_id, weekday, start_min, end_min FROM provider_hours
         WHERE practice_id = $1",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?;
    for (provider, location, weekday, start, end) in hours {
        weekly_hours
            .entry(ProviderId(provider))
            .or_default()
            .push(WeeklyHours {
                location: LocationId(location),
                weekday: weekday.clamp(1, 7) as u8,
                start_min: start.clamp(0, 1440) as u16,
                end_min: end.clamp(0, 1440) as u16,
            });
    }

    let mut overrides: HashMap<ProviderId, Vec<DateOverride>> = HashMap::new();
    let dated: Vec<DatedHoursRow> = sqlx::query_as(
        "SELECT provider_id, day, location_id, start_min, end_min FROM provider_date_hours
         WHERE practice_id = $1 ORDER BY day",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?;
    for (provider, day, location, start, end) in dated {
        let Ok(date) = day.parse::<Date>() else {
            continue;
        };
        let days = overrides.entry(ProviderId(provider)).or_default();
        if days.last().is_none_or(|d| d.date != date) {
            days.push(DateOverride {
                date,
                windows: Vec::new(),
            });
        }
        if let (Some(location), Some(start), Some(end), Some(last)) =
            (location, start, end, days.last_mut())
        {
            last.windows.push(DayWindow {
                location: LocationId(location),
                start_min: start.clamp(0, 1440) as u16,
                end_min: end.clamp(0, 1440) as u16,
            });
        }
    }

    let operatories = sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT id, location_id, kind FROM operatories WHERE practice_id = $1 ORDER BY id",
    )
    .bind(pid)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|(id, location, kind)| Operatory {
        id,
        location: LocationId(location),
        kind,
    })
    .collect();

    let zones = LocationZones(locations.iter().map(|l| (l.id, l.tz.clone())).collect());
    Ok(Some(Catalog {
        practice,
        locations,
        providers,
        reasons,
        carriers,
        operatories,
        weekly_hours,
        overrides,
        zones,
    }))
}
