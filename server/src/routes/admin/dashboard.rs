//! The dashboard: bookings made in a period by status, patient type, referral, source and the
//! hours they were booked for.

use super::local_time::local_instant;
use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::store::appointment_search::{counts_by, starts};
use axum::extract::State;
use axum::Json;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;
use slotwise_shared::admin::{Count, Dashboard, ProcedureStats, WaitlistStats};
use slotwise_shared::error::ErrorBody;
use std::collections::BTreeMap;

/// Query of `GET dashboard`: local dates, both inclusive (default: the last 30 days).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First local date (`YYYY-MM-DD`); default (absent or empty): 29 days before `to`.
    #[param(schema_with = slotwise_shared::openapi_schemas::date_or_empty)]
    from: Option<String>,
    /// Last local date (`YYYY-MM-DD`), inclusive; default (absent or empty): today.
    #[param(schema_with = slotwise_shared::openapi_schemas::date_or_empty)]
    to: Option<String>,
}

fn counts(rows: Vec<(String, i64)>) -> Vec<Count> {
    rows.into_iter()
        .map(|(label, count)| Count { label, count })
        .collect()
}

/// The local dates of a period (default: the last 30 days) and its instants `[start, end)`.
pub(super) fn period_of(tz: &TimeZone, period: &Period) -> ApiResult<(Date, Date, i64, i64)> {
    let today = Timestamp::from_second(now_seconds())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .date();
    let parse = |value: Option<&String>, field: &str, default: Date| -> ApiResult<Date> {
        match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| ApiError::field(field, "Use a date like 2026-12-01.")),
        }
    };
    let to = parse(period.to.as_ref(), "to", today)?;
    let from = parse(
        period.from.as_ref(),
        "from",
        to.checked_sub(jiff::Span::new().days(29)).unwrap_or(to),
    )?;
    if from > to {
        return Err(ApiError::field("from", "Start on or before the end date."));
    }
    let instant = |d: Date| {
        local_instant(d, 0, tz).ok_or_else(|| ApiError::field("to", "That date is out of range."))
    };
    Ok((
        from,
        to,
        instant(from)?,
        instant(to.tomorrow().unwrap_or(to))?,
    ))
}

/// `GET /api/v1/admin/dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/dashboard",
    operation_id = "get_dashboard",
    tag = "admin",
    summary = "Bookings of a period, for charts",
    security(("bearerAuth" = ["front_desk"])),
    params(Period),
    responses(
        (status = 200, description = "Bookings made in the period (the practice's local dates, both included) by status, patient type, referrer, UTM source and booking source, and the hours they were booked for; procedures started in the period, completed, cancelled, and visits done by visit number", body = Dashboard),
        (status = 422, description = "`from` or `to` is not a date like 2026-12-01 or is out of range, or `from` is after `to`", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(period): ApiQuery<Period>,
) -> ApiResult<Json<Dashboard>> {
    let catalog = state.catalog(&auth.slug).await?;
    let tz = catalog.practice.tz.clone();
    let (from, to, start, end) = period_of(&tz, &period)?;
    let pid = auth.practice_id;
    let mut conn = state.db.read.acquire().await?;
    let by_status = counts(counts_by(&mut conn, pid, start, end, "a.status").await?);
    let total = by_status.iter().map(|c| c.count).sum();
    let new_vs_returning = counts(
        counts_by(
            &mut conn,
            pid,
            start,
            end,
            "COALESCE(a.patient_type, 'unknown')",
        )
        .await?,
    );
    let referrers = counts(
        counts_by(
            &mut conn,
            pid,
            start,
            end,
            "COALESCE(NULLIF(a.referrer, ''), 'direct / none')",
        )
        .await?,
    );
    let utm_sources = counts(
        counts_by(
            &mut conn,
            pid,
            start,
            end,
            "COALESCE(NULLIF(a.utm_source, ''), 'none')",
        )
        .await?,
    );
    let by_source = counts(counts_by(&mut conn, pid, start, end, "a.source").await?);
    let mut hours: BTreeMap<i8, i64> = BTreeMap::new();
    for at in starts(&mut conn, pid, start, end).await? {
        let hour = Timestamp::from_second(at)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(tz.clone())
            .hour();
        *hours.entry(hour).or_default() += 1;
    }
    let busiest_hours = hours
        .into_iter()
        .map(|(h, count)| Count {
            label: format!("{h:02}:00"),
            count,
        })
        .collect();
    let (started, completed, cancelled, by_position) =
        crate::store::procedure_records::started_between(&mut conn, pid, start, end).await?;
    let procedures = ProcedureStats {
        started,
        completed,
        cancelled,
        visits_done: by_position
            .into_iter()
            .map(|(position, count)| Count {
                label: format!("Visit {position}"),
                count,
            })
            .collect(),
    };
    let waitlist =
        waitlist_stats(crate::store::refill::freed_between(&mut conn, pid, start, end).await?);
    Ok(Json(Dashboard {
        procedures,
        waitlist,
        from: from.to_string(),
        to: to.to_string(),
        total,
        by_status,
        new_vs_returning,
        referrers,
        utm_sources,
        by_source,
        busiest_hours,
    }))
}

/// The waitlist's numbers from each freed time's (freed at, booked again at, offers).
fn waitlist_stats(freed: Vec<(i64, Option<i64>, i64)>) -> WaitlistStats {
    let refills: Vec<(i64, i64)> = freed
        .iter()
        .filter(|(_, again, offers)| again.is_some() && *offers > 0)
        .map(|(at, again, offers)| (again.unwrap_or(*at) - at, *offers))
        .collect();
    let n = refills.len();
    let average = |total: i64, per: f64| (n > 0).then(|| total as f64 / per / n as f64);
    WaitlistStats {
        freed: i64::try_from(freed.len()).unwrap_or(i64::MAX),
        refilled: i64::try_from(n).unwrap_or(i64::MAX),
        hours_to_refill: average(refills.iter().map(|(s, _)| s).sum(), 3600.0),
        offers_per_refill: average(refills.iter().map(|(_, o)| o).sum(), 1.0),
    }
}
