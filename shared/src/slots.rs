//! The slot engine: schedules + busy time + now → the free start times of a reason for visit.
//!
//! Working hours are wall-clock times at each location, converted to UTC per date with jiff, so
//! a 9:00 opening stays 9:00 across daylight-saving changes. Everything after that conversion
//! is integer arithmetic on UTC seconds, which keeps the engine fast.

use crate::model::{LocationId, ProviderId, ReasonTiming};
use crate::schedule::{merge_spans, ProviderSchedule, Span};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

const MINUTE: i64 = 60;
const DAY: i64 = 86_400;

/// One bookable start time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub provider: ProviderId,
    pub location: LocationId,
    /// Appointment start (UTC seconds).
    pub start: i64,
    /// Appointment end (UTC seconds), without buffers.
    pub end: i64,
}

impl Slot {
    /// The time this slot would occupy, buffers included: what must not overlap other bookings.
    pub fn blocked_span(&self, timing: &ReasonTiming) -> Span {
        blocked_span(self.start, timing)
    }
}

/// The span a booking starting at `start` occupies, buffers included.
pub fn blocked_span(start: i64, timing: &ReasonTiming) -> Span {
    Span::new(
        start - i64::from(timing.buffer_before_min) * MINUTE,
        start + i64::from(timing.duration_min + timing.buffer_after_min) * MINUTE,
    )
}

/// The timezone of each location.
#[derive(Clone, Debug, Default)]
pub struct LocationZones(pub Vec<(LocationId, TimeZone)>);

impl LocationZones {
    /// The zone of a location, if known.
    pub fn get(&self, location: LocationId) -> Option<&TimeZone> {
        self.0
            .iter()
            .find(|(id, _)| *id == location)
            .map(|(_, tz)| tz)
    }
}

/// What to search for.
#[derive(Clone, Copy, Debug)]
pub struct SlotRequest {
    pub timing: ReasonTiming,
    /// The current instant (UTC seconds). Minimum notice and horizon count from here.
    pub now: i64,
    /// Only starts inside this span are returned.
    pub range: Span,
    /// Stop after this many slots per provider (`usize::MAX` for all).
    pub max_per_provider: usize,
}

impl SlotRequest {
    /// Earliest start allowed by the minimum notice.
    pub fn earliest_start(&self) -> i64 {
        self.now + i64::from(self.timing.min_notice_min) * MINUTE
    }

    /// Starts must be before this instant (the booking horizon).
    pub fn latest_start_exclusive(&self) -> i64 {
        self.now + i64::from(self.timing.horizon_days) * DAY
    }
}

/// Free slots of every given provider, sorted by start time, then by the providers' order.
pub fn free_slots(
    schedules: &[ProviderSchedule],
    zones: &LocationZones,
    req: &SlotRequest,
) -> Vec<Slot> {
    let mut all: Vec<(usize, Slot)> = Vec::new();
    for (order, schedule) in schedules.iter().enumerate() {
        all.extend(provider_slots(schedule, zones, req).map(|s| (order, s)));
    }
    all.sort_by_key(|(order, s)| (s.start, *order));
    all.into_iter().map(|(_, s)| s).collect()
}

/// "First available": one slot per start time, from the first provider (in the given order)
/// who is free then. Expects the output of [`free_slots`].
pub fn first_available(slots: Vec<Slot>) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::with_capacity(slots.len());
    for slot in slots {
        if out.last().is_none_or(|last| last.start != slot.start) {
            out.push(slot);
        }
    }
    out
}

/// Free slots of one provider in time order.
pub fn provider_slots<'a>(
    schedule: &'a ProviderSchedule,
    zones: &'a LocationZones,
    req: &'a SlotRequest,
) -> impl Iterator<Item = Slot> + 'a {
    let timing = req.timing;
    let duration = i64::from(timing.duration_min) * MINUTE;
    let before = i64::from(timing.buffer_before_min) * MINUTE;
    let after = i64::from(timing.buffer_after_min) * MINUTE;
    let step = i64::from(timing.interval_min.max(1)) * MINUTE;
    let lowest = req.range.start.max(req.earliest_start());
    let highest = req.range.end.min(req.latest_start_exclusive());
    let windows = if duration <= 0 || lowest >= highest {
        Vec::new()
    } else {
        utc_windows(schedule, zones, Span::new(lowest, highest + duration))
    };
    let busy = merge_spans(schedule.busy.clone());
    let mut cursor = 0usize;
    let mut found = 0usize;

    windows.into_iter().flat_map(move |(location, window)| {
        let mut out = Vec::new();
        let mut t = align_up(window.start, lowest.max(window.start), step);
        while t + duration <= window.end && t < highest && found < req.max_per_provider {
            let blocked = Span::new(t - before, t + duration + after);
            while cursor < busy.len() && busy[cursor].end <= blocked.start {
                cursor += 1;
            }
            match busy.get(cursor) {
                Some(b) if b.start < blocked.end => {
                    // Jump past the busy span instead of trying every step inside it.
                    t = align_up(window.start, (b.end + before).max(t + 1), step);
                }
                _ => {
                    out.push(Slot {
                        provider: schedule.provider,
                        location,
                        start: t,
                        end: t + duration,
                    });
                    found += 1;
                    t += step;
                }
            }
        }
        out
    })
}

/// The smallest `origin + k * step` (k ≥ 0) that is ≥ `at`.
fn align_up(origin: i64, at: i64, step: i64) -> i64 {
    if at <= origin {
        return origin;
    }
    let k = (at - origin + step - 1) / step;
    origin + k * step
}

/// Working windows in UTC that touch `range`, sorted and without overlaps.
fn utc_windows(
    schedule: &ProviderSchedule,
    zones: &LocationZones,
    range: Span,
) -> Vec<(LocationId, Span)> {
    let mut windows: Vec<(LocationId, Span)> = Vec::new();
    let used_zones = zones.0.iter().filter(|(id, _)| {
        schedule.weekly.iter().any(|h| h.location == *id)
            || schedule
                .overrides
                .iter()
                .any(|o| o.windows.iter().any(|w| w.location == *id))
    });
    let Some((first, last)) = local_date_bounds(used_zones.map(|(_, tz)| tz), range) else {
        return windows;
    };
    let mut date = first;
    while date <= last {
        for w in schedule.windows_on(date) {
            let Some(tz) = zones.get(w.location) else {
                continue;
            };
            let (Some(start), Some(end)) = (
                local_instant(tz, date, w.start_min),
                local_instant(tz, date, w.end_min),
            ) else {
                continue;
            };
            let span = Span::new(start, end);
            if span.start < span.end && span.overlaps(&range) {
                windows.push((w.location, span));
            }
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    windows.sort_by_key(|(_, s)| (s.start, s.end));
    // Windows of different locations/zones could overlap in UTC; never offer a time twice.
    let mut disjoint: Vec<(LocationId, Span)> = Vec::with_capacity(windows.len());
    for (location, mut span) in windows {
        if let Some((_, last)) = disjoint.last() {
            span.start = span.start.max(last.end);
        }
        if span.start < span.end {
            disjoint.push((location, span));
        }
    }
    disjoint
}

/// First and last local date, across the zones, on which `range` has an instant.
fn local_date_bounds<'a>(
    zones: impl Iterator<Item = &'a TimeZone>,
    range: Span,
) -> Option<(Date, Date)> {
    let start = Timestamp::from_second(range.start).ok()?;
    let end = Timestamp::from_second(range.end - 1).ok()?;
    let mut bounds: Option<(Date, Date)> = None;
    for tz in zones {
        let lo = tz.to_datetime(start).date();
        let hi = tz.to_datetime(end).date();
        bounds = Some(match bounds {
            None => (lo, hi),
            Some((a, b)) => (a.min(lo), b.max(hi)),
        });
    }
    bounds
}

/// The UTC instant of a local wall-clock minute. A time skipped by a DST change moves forward
/// (jiff's "compatible" rule), a repeated time takes its first occurrence.
pub fn local_instant(tz: &TimeZone, date: Date, minute_of_day: u16) -> Option<i64> {
    let (date, minute) = if minute_of_day >= 24 * 60 {
        (date.tomorrow().ok()?, minute_of_day - 24 * 60)
    } else {
        (date, minute_of_day)
    };
    let hour = i8::try_from(minute / 60).ok()?;
    let min = i8::try_from(minute % 60).ok()?;
    let dt = date.at(hour, min, 0, 0);
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .ok()
        .map(|ts| ts.as_second())
}

/// The instant a local date starts in a zone (midnight, or the first instant after a DST gap).
pub fn start_of_local_day(tz: &TimeZone, date: Date) -> Option<i64> {
    local_instant(tz, date, 0)
}
