//! When providers work: weekly hours per location, dated exceptions, and busy time.

use crate::model::{LocationId, ProviderId};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A half-open interval `[start, end)` of UTC instants, in seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    /// A span; callers keep `start <= end`.
    pub const fn new(start: i64, end: i64) -> Self {
        Span { start, end }
    }

    /// Whether the two spans share any instant.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// One working window on a weekday, in local wall-clock minutes since midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyHours {
    pub location: LocationId,
    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    pub weekday: u8,
    pub start_min: u16,
    pub end_min: u16,
}

/// A working window on one date, replacing the weekly hours of that date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayWindow {
    pub location: LocationId,
    pub start_min: u16,
    pub end_min: u16,
}

/// The hours of one specific date. No windows means the provider does not work that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateOverride {
    pub date: Date,
    pub windows: Vec<DayWindow>,
}

/// Everything the slot engine needs to know about one provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderSchedule {
    pub provider: ProviderId,
    pub weekly: Vec<WeeklyHours>,
    pub overrides: Vec<DateOverride>,
    /// Time that cannot be booked: appointments (with their buffers), live holds, time off.
    /// Any order; overlaps allowed.
    pub busy: Vec<Span>,
}

impl ProviderSchedule {
    /// The schedule with only its hours at `location`; busy time stays whole, since a provider
    /// busy at one office cannot see patients at another. A date whose exception has windows
    /// elsewhere only becomes a day off here.
    pub fn only_at(mut self, location: LocationId) -> Self {
        self.weekly.retain(|h| h.location == location);
        for day in &mut self.overrides {
            day.windows.retain(|w| w.location == location);
        }
        self
    }

    /// The working windows of a local date, sorted and without overlaps.
    pub fn windows_on(&self, date: Date) -> Vec<DayWindow> {
        let mut windows: Vec<DayWindow> = match self.overrides.iter().find(|o| o.date == date) {
            Some(day) => day.windows.clone(),
            None => {
                let weekday = date.weekday().to_monday_one_offset() as u8;
                self.weekly
                    .iter()
                    .filter(|h| h.weekday == weekday)
                    .map(|h| DayWindow {
                        location: h.location,
                        start_min: h.start_min,
                        end_min: h.end_min,
                    })
                    .collect()
            }
        };
        windows.retain(|w| w.start_min < w.end_min && w.end_min <= 24 * 60);
        // Grouped by location so each location's windows merge with each other, then in time
        // order.
        windows.sort_by_key(|w| (w.location, w.start_min, w.end_min));
        // Overlapping windows at one location (a data-entry slip) are merged so no time appears
        // twice. Windows at different locations stay apart: each keeps its own place (and
        // zone); the engine never offers the same instant twice.
        let mut merged: Vec<DayWindow> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.location == last.location && w.start_min <= last.end_min => {
                    last.end_min = last.end_min.max(w.end_min);
                }
                _ => merged.push(w),
            }
        }
        merged.sort_by_key(|w| (w.start_min, w.end_min));
        merged
    }
}

/// Sorts busy spans and merges the ones that touch or overlap.
pub fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| s.start < s.end);
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}
