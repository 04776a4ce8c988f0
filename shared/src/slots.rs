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

/// Free slots of every given provider: one run per provider, in the given provider order,
/// each run in time order. (Nothing needs one list of every provider's times sorted together:
/// a single provider's run is already sorted, and "first available" merges runs itself.)
pub fn free_slots(
    schedules: &[ProviderSchedule],
    zones: &LocationZones,
    req: &SlotRequest,
) -> Vec<Slot> {
    free_slots_in_rooms(schedules, zones, req, &RoomLimits::default())
}

/// Like [`free_slots`], for a reason that needs a room (operatory) of some kind: a time is
/// free only if the provider is free and a room is free at the window's location.
pub fn free_slots_in_rooms(
    schedules: &[ProviderSchedule],
    zones: &LocationZones,
    req: &SlotRequest,
    rooms: &RoomLimits,
) -> Vec<Slot> {
    let mut all: Vec<Slot> = Vec::new();
    let Some(search) = search_span(req) else {
        return all;
    };
    let Some(days) = DayTable::new(zones, search) else {
        return all;
    };
    for schedule in schedules {
        provider_slots_into(schedule, req, &days, zones, rooms, &mut all);
    }
    all
}

/// "First available": one slot per start time, in time order, from the first provider (in
/// the order of the input runs) who is free then. Expects the output of [`free_slots`].
///
/// Starts fall on whole minutes, so each start claims a place in a table of the range's
/// minutes; walking the runs in provider order lets the first provider keep each time. That is
/// linear and cache-friendly, unlike sorting every provider's times together.
pub fn first_available(slots: Vec<Slot>) -> Vec<Slot> {
    let (Some(min), Some(max)) = (
        slots.iter().map(|s| s.start).min(),
        slots.iter().map(|s| s.start).max(),
    ) else {
        return slots;
    };
    let minutes = usize::try_from((max - min) / MINUTE + 1).unwrap_or(usize::MAX);
    let on_minutes = slots.iter().all(|s| (s.start - min) % MINUTE == 0);
    if !on_minutes || minutes > 4 * slots.len() + 4096 {
        let mut slots = slots;
        slots.sort_by_key(|s| s.start); // stable: keeps provider order among equal starts
        slots.dedup_by_key(|s| s.start);
        return slots;
    }
    let mut claimed: Vec<u32> = vec![u32::MAX; minutes];
    for (i, s) in slots.iter().enumerate() {
        let minute = ((s.start - min) / MINUTE) as usize;
        if claimed[minute] == u32::MAX {
            claimed[minute] = i as u32;
        }
    }
    claimed
        .into_iter()
        .filter(|&i| i != u32::MAX)
        .map(|i| slots[i as usize])
        .collect()
}

/// Appends the free slots of one provider, in time order, to `out`.
fn provider_slots_into(
    schedule: &ProviderSchedule,
    req: &SlotRequest,
    days: &DayTable,
    zones: &LocationZones,
    rooms: &RoomLimits,
    out: &mut Vec<Slot>,
) {
    let timing = req.timing;
    let duration = i64::from(timing.duration_min) * MINUTE;
    let before = i64::from(timing.buffer_before_min) * MINUTE;
    let after = i64::from(timing.buffer_after_min) * MINUTE;
    let step = i64::from(timing.interval_min.max(1)) * MINUTE;
    let Some(search) = search_span(req) else {
        return;
    };
    let (lowest, highest) = (search.start, search.end - duration);
    let windows = utc_windows(schedule, zones, days, search);
    let busy = merge_spans(schedule.busy.clone());
    let mut own = BusyCursor::new(&busy);
    let mut room_cursors: Vec<(LocationId, Vec<BusyCursor>)> = rooms
        .0
        .iter()
        .map(|(l, each)| (*l, each.iter().map(|r| BusyCursor::new(r)).collect()))
        .collect();
    let mut found = 0usize;
    for (location, window, origin) in windows {
        let mut t = align_up(origin, lowest.max(window.start), step);
        while t + duration <= window.end && t < highest && found < req.max_per_provider {
            let blocked = Span::new(t - before, t + duration + after);
            let conflict = own
                .conflict(blocked)
                .or_else(|| room_conflict(&mut room_cursors, location, blocked));
            match conflict {
                Some(b) => {
                    // Jump past the busy span instead of trying every step inside it.
                    t = align_up(origin, (b.end + before).max(t + 1), step);
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
    }
}

/// Walks sorted, disjoint busy spans alongside candidates whose blocked spans start in
/// non-decreasing order.
struct BusyCursor<'a> {
    spans: &'a [Span],
    at: usize,
}

impl<'a> BusyCursor<'a> {
    fn new(spans: &'a [Span]) -> Self {
        BusyCursor { spans, at: 0 }
    }

    /// The busy span overlapping `blocked`, if any.
    fn conflict(&mut self, blocked: Span) -> Option<Span> {
        while self.at < self.spans.len() && self.spans[self.at].end <= blocked.start {
            self.at += 1;
        }
        self.spans
            .get(self.at)
            .copied()
            .filter(|b| b.start < blocked.end)
    }
}

/// Per location, the busy time of each room (operatory) of the kind a reason needs.
/// Locations not listed have no room constraint.
#[derive(Clone, Debug, Default)]
pub struct RoomLimits(pub Vec<(LocationId, Vec<Vec<Span>>)>);

impl RoomLimits {
    /// Adds a location with the busy time of each of its rooms of the needed kind. With no
    /// such room, nothing can be booked there.
    pub fn add_location(&mut self, location: LocationId, rooms: Vec<Vec<Span>>) {
        let rooms: Vec<Vec<Span>> = if rooms.is_empty() {
            vec![vec![Span::new(i64::MIN / 4, i64::MAX / 4)]]
        } else {
            rooms.into_iter().map(merge_spans).collect()
        };
        self.0.push((location, rooms));
    }
}

/// When every room of the location conflicts with `blocked`: the conflict that ends first
/// (no candidate can fit before it ends). `None` if some room is free for all of `blocked`.
fn room_conflict(
    rooms: &mut [(LocationId, Vec<BusyCursor>)],
    location: LocationId,
    blocked: Span,
) -> Option<Span> {
    let (_, cursors) = rooms.iter_mut().find(|(l, _)| *l == location)?;
    let mut first_to_end: Option<Span> = None;
    for cursor in cursors.iter_mut() {
        let busy = cursor.conflict(blocked)?;
        if first_to_end.is_none_or(|f| busy.end < f.end) {
            first_to_end = Some(busy);
        }
    }
    first_to_end
}

/// Where working windows matter: from the earliest allowed start to the end of the latest
/// allowed appointment. `None` when nothing can be offered.
fn search_span(req: &SlotRequest) -> Option<Span> {
    let duration = i64::from(req.timing.duration_min) * MINUTE;
    let lowest = req.range.start.max(req.earliest_start());
    let highest = req.range.end.min(req.latest_start_exclusive());
    (duration > 0 && lowest < highest).then(|| Span::new(lowest, highest + duration))
}

/// The smallest `origin + k * step` (k ≥ 0) that is ≥ `at`.
fn align_up(origin: i64, at: i64, step: i64) -> i64 {
    if at <= origin {
        return origin;
    }
    let k = (at - origin + step - 1) / step;
    origin + k * step
}

/// Working windows in UTC that touch `range`, sorted and without overlaps, each with the
/// instant its start times are aligned to (its own start before any clipping).
fn utc_windows(
    schedule: &ProviderSchedule,
    zones: &LocationZones,
    days: &DayTable,
    range: Span,
) -> Vec<(LocationId, Span, i64)> {
    let mut windows: Vec<(LocationId, Span)> = Vec::new();
    let mut date = days.first;
    for index in 0..days.len {
        for w in schedule.windows_on(date) {
            let Some(tz) = zones.get(w.location) else {
                continue;
            };
            let (Some(start), Some(end)) = (
                days.instant(w.location, tz, index, date, w.start_min),
                days.instant(w.location, tz, index, date, w.end_min),
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
    let mut disjoint: Vec<(LocationId, Span, i64)> = Vec::with_capacity(windows.len());
    for (location, mut span) in windows {
        let origin = span.start;
        if let Some((_, last, _)) = disjoint.last() {
            span.start = span.start.max(last.end);
        }
        if span.start < span.end {
            disjoint.push((location, span, origin));
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

/// Local midnights per location and date of the searched range, so the common case (a day
/// without a DST change) turns a wall-clock minute into UTC with one addition instead of a
/// timezone lookup per provider and window.
struct DayTable {
    /// First local date of the range over all zones.
    first: Date,
    /// Number of dates covered.
    len: usize,
    /// Per location: the start of each date, `None` when it cannot be computed.
    starts: Vec<(LocationId, Vec<Option<DayStart>>)>,
}

#[derive(Clone, Copy)]
struct DayStart {
    midnight: i64,
    /// 24 hours long and midnight exists: minute m is midnight + m minutes.
    regular: bool,
}

impl DayTable {
    fn new(zones: &LocationZones, range: Span) -> Option<Self> {
        let (first, last) = local_date_bounds(zones.0.iter().map(|(_, tz)| tz), range)?;
        let mut dates = Vec::new();
        let mut date = first;
        while date <= last {
            dates.push(date);
            date = date.tomorrow().ok()?;
        }
        let starts = zones
            .0
            .iter()
            .map(|(location, tz)| (*location, dates.iter().map(|d| day_start(tz, *d)).collect()))
            .collect();
        Some(DayTable {
            first,
            len: dates.len(),
            starts,
        })
    }

    fn instant(
        &self,
        location: LocationId,
        tz: &TimeZone,
        index: usize,
        date: Date,
        minute: u16,
    ) -> Option<i64> {
        let day = self
            .starts
            .iter()
            .find(|(l, _)| *l == location)
            .and_then(|(_, days)| days.get(index).copied().flatten());
        match day {
            Some(day) if day.regular => Some(day.midnight + i64::from(minute) * MINUTE),
            _ => local_instant(tz, date, minute),
        }
    }
}

fn day_start(tz: &TimeZone, date: Date) -> Option<DayStart> {
    let midnight = local_instant(tz, date, 0)?;
    let next = local_instant(tz, date.tomorrow().ok()?, 0)?;
    let exists = tz.to_datetime(Timestamp::from_second(midnight).ok()?) == date.at(0, 0, 0, 0);
    Some(DayStart {
        midnight,
        regular: exists && next - midnight == DAY,
    })
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
