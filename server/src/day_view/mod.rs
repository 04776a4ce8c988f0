//! The front desk's day and week view: a column per provider and day with its open hours, time
//! off, appointments (with the actions of the appointment list) and free time, read from the
//! catalog and the store in a bounded number of queries.

pub mod grid;

use crate::appointment_view::staff_item::staff_item;
use crate::catalog::Catalog;
use crate::domain_error::DomainResult;
use crate::store::appointment_search::{search, Search};
use crate::store::day_view::time_off_between;
use crate::store::db::Db;
use grid::{column, rows, ColumnInput};
use jiff::civil::Date;
use slotwise_shared::day_view::DayView;
use slotwise_shared::model::{LocationId, ProviderId};
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::start_of_local_day;

/// Most appointments one view shows.
pub const MAX_APPOINTMENTS: i64 = 500;

/// What the view shows (already checked against the catalog).
#[derive(Clone, Copy, Debug)]
pub struct DayViewAsk {
    pub from: Date,
    /// 1 to 7.
    pub days: u8,
    pub location: Option<LocationId>,
    pub provider: Option<ProviderId>,
}

/// The view's columns: every provider (or the one asked for) on each day; with a location,
/// only providers who work there.
pub async fn day_view(
    db: &Db,
    catalog: &Catalog,
    ask: DayViewAsk,
    now: i64,
) -> DomainResult<DayView> {
    let tz = &catalog.practice.tz;
    let dates: Vec<Date> = (0..i64::from(ask.days))
        .filter_map(|n| ask.from.checked_add(jiff::Span::new().days(n)).ok())
        .collect();
    let last = dates.last().copied().unwrap_or(ask.from);
    let start = start_of_local_day(tz, ask.from).unwrap_or(now);
    let end = last
        .tomorrow()
        .ok()
        .and_then(|d| start_of_local_day(tz, d))
        .unwrap_or(start);
    let span = Span::new(start, end.max(start));
    let found = {
        let mut conn = db.read.acquire().await?;
        search(
            &mut conn,
            catalog.practice.id,
            &Search {
                from: Some(span.start),
                until: Some(span.end),
                provider_id: ask.provider,
                ..Search::default()
            },
            MAX_APPOINTMENTS + 1,
        )
        .await?
    };
    let truncated = found.len() as i64 > MAX_APPOINTMENTS;
    let appointments: Vec<_> = found
        .into_iter()
        .take(MAX_APPOINTMENTS as usize)
        .filter(|a| a.status != "cancelled")
        .map(|a| staff_item(a, catalog))
        .collect();
    let time_off = time_off_between(db, catalog.practice.id, span).await?;
    let mut columns = Vec::new();
    for date in &dates {
        let day = Span::new(
            start_of_local_day(tz, *date).unwrap_or(span.start),
            date.tomorrow()
                .ok()
                .and_then(|d| start_of_local_day(tz, d))
                .unwrap_or(span.end),
        );
        for provider in &catalog.providers {
            if ask.provider.is_some_and(|p| p != provider.id) {
                continue;
            }
            let mut schedule = catalog.schedule(provider.id);
            if let Some(location) = ask.location {
                schedule = schedule.only_at(location);
                let works_there = !schedule.weekly.is_empty()
                    || schedule.overrides.iter().any(|o| !o.windows.is_empty());
                if !works_there {
                    continue;
                }
            }
            let on_day = |at: i64| day.start <= at && at < day.end;
            columns.push(column(ColumnInput {
                date: *date,
                provider: provider.id,
                provider_name: &provider.name,
                schedule: &schedule,
                zones: &catalog.zones,
                tz,
                appointments: appointments
                    .iter()
                    .filter(|a| a.provider_id == provider.id.0 && on_day(a.starts_at.as_second()))
                    .cloned()
                    .collect(),
                time_off: time_off
                    .iter()
                    .filter(|t| {
                        t.provider_id == provider.id
                            && t.starts_at < day.end
                            && t.ends_at > day.start
                    })
                    .map(|t| (t.starts_at, t.ends_at, t.label.clone()))
                    .collect(),
                now,
            }));
        }
    }
    Ok(DayView {
        from: ask.from,
        days: ask.days,
        rows: rows(&columns),
        columns,
        truncated,
    })
}
