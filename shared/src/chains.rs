//! Chain search: the free times of a procedure's steps taken together. Each step is a reason
//! for visit (its providers, rooms, duration and buffers) that must start a number of local
//! days after the step before it (e.g. surgery 7–21 days after the consultation), optionally
//! with the same provider as an earlier step, and never overlapping another step of the chain.
//!
//! Days are counted on the practice's calendar (local dates), so a gap of 14 days stays 14
//! days across a daylight-saving change. The search is pure and bounded: the free times of
//! each step are computed once, then a depth-first walk tries later steps in time order and
//! gives up after [`ChainRequest::max_work`] candidate checks.

use crate::model::ReasonTiming;
use crate::schedule::{ProviderSchedule, Span};
use crate::slots::{
    free_slots_in_rooms, start_of_local_day, LocationZones, RoomLimits, Slot, SlotRequest,
};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

const DAY: i64 = 86_400;

/// One step of a procedure, as the engine needs it.
#[derive(Clone, Debug)]
pub struct ChainStep {
    /// The providers who may do this step, with their hours and busy time.
    pub schedules: Vec<ProviderSchedule>,
    /// The rooms this step's reason needs (empty: none).
    pub rooms: RoomLimits,
    pub timing: ReasonTiming,
    /// Local days after the previous step's date: at least the first, at most the second
    /// (ignored for the first step).
    pub gap_days: (u16, u16),
    /// This step must be with the provider of that earlier step (its index).
    pub same_provider_as: Option<usize>,
}

/// What to search for.
#[derive(Clone, Debug)]
pub struct ChainRequest {
    /// The current instant (UTC seconds).
    pub now: i64,
    /// The first step starts inside this span.
    pub first_range: Span,
    /// The practice's timezone: the calendar the day gaps are counted on.
    pub tz: TimeZone,
    /// At most this many chains (one per first-step time, in time order).
    pub max_chains: usize,
    /// At most this many candidate checks in all: the bound on the search's work.
    pub max_work: usize,
}

/// A chain of free times: one slot per step, in step order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub slots: Vec<Slot>,
}

/// The chains that start in the request's range: for each free time of the first step (in
/// time order), the earliest times of the later steps that keep every rule. A first-step time
/// no chain can follow is left out.
pub fn find_chains(steps: &[ChainStep], zones: &LocationZones, req: &ChainRequest) -> Vec<Chain> {
    if steps.is_empty() {
        return Vec::new();
    }
    let candidates = step_candidates(steps, zones, req);
    let mut search = Search {
        steps,
        candidates: &candidates,
        tz: &req.tz,
        work: 0,
        max_work: req.max_work,
        chosen: Vec::with_capacity(steps.len()),
    };
    let mut chains = Vec::new();
    for &slot in &candidates[0] {
        if chains.len() >= req.max_chains || search.work >= search.max_work {
            break;
        }
        search.chosen.clear();
        search.chosen.push(slot);
        if search.extend(1) {
            chains.push(Chain {
                slots: search.chosen.clone(),
            });
        }
    }
    chains
}

/// The times a chain's step `index` may move to while every other step stays: within its
/// window after the step before, keeping the step after within its own window, the same
/// provider rules and no overlap. In time order, at most `limit`.
pub fn step_alternatives(
    steps: &[ChainStep],
    zones: &LocationZones,
    req: &ChainRequest,
    chain: &Chain,
    index: usize,
    limit: usize,
) -> Vec<Slot> {
    if index >= steps.len() || chain.slots.len() != steps.len() {
        return Vec::new();
    }
    let candidates = step_candidates(steps, zones, req);
    let mut out = Vec::new();
    for &slot in &candidates[index] {
        if out.len() >= limit {
            break;
        }
        let mut trial = chain.slots.clone();
        trial[index] = slot;
        if chain_holds(steps, &req.tz, &trial) {
            out.push(slot);
        }
    }
    out
}

/// Whether `slots` (one per step) keep every rule of the chain but the free-time ones: each
/// step's day gap, the same-provider rules and no two steps overlapping.
pub fn chain_holds(steps: &[ChainStep], tz: &TimeZone, slots: &[Slot]) -> bool {
    slots.len() == steps.len()
        && (0..slots.len()).all(|k| fits_after(steps, tz, &slots[..k], slots[k], k))
}

/// Each step's free times over every instant it could fall on.
fn step_candidates(
    steps: &[ChainStep],
    zones: &LocationZones,
    req: &ChainRequest,
) -> Vec<Vec<Slot>> {
    let mut range = req.first_range;
    let mut out = Vec::with_capacity(steps.len());
    for (k, step) in steps.iter().enumerate() {
        if k > 0 {
            // From the first day the nearest gap allows (less a day for the step before's
            // own day and one for the clock's changes) up to the last day the widest gap
            // allows, plus a day for the clock's changes.
            let nearest = i64::from(step.gap_days.0);
            let widest = i64::from(step.gap_days.1.max(step.gap_days.0)) + 2;
            let start = range.start + (nearest - 2).max(0) * DAY;
            range = Span::new(start, range.end + widest * DAY);
        }
        let request = SlotRequest {
            timing: step.timing,
            now: req.now,
            range,
            max_per_provider: usize::MAX,
        };
        let mut slots = free_slots_in_rooms(&step.schedules, zones, &request, &step.rooms);
        slots.sort_by_key(|s| (s.start, s.provider));
        out.push(slots);
    }
    out
}

struct Search<'a> {
    steps: &'a [ChainStep],
    candidates: &'a [Vec<Slot>],
    tz: &'a TimeZone,
    work: usize,
    max_work: usize,
    chosen: Vec<Slot>,
}

impl Search<'_> {
    /// Fills steps `k..` after the chosen ones, earliest first; `false` if none can be.
    fn extend(&mut self, k: usize) -> bool {
        if k == self.steps.len() {
            return true;
        }
        let Some((from, to)) = window(self.tz, self.chosen[k - 1].start, self.steps[k].gap_days)
        else {
            return false;
        };
        let list = &self.candidates[k];
        let begin = list.partition_point(|s| s.start < from);
        for &slot in &list[begin..] {
            if slot.start >= to {
                break;
            }
            self.work += 1;
            if self.work > self.max_work {
                return false;
            }
            if !fits_after(self.steps, self.tz, &self.chosen, slot, k) {
                continue;
            }
            self.chosen.push(slot);
            if self.extend(k + 1) {
                return true;
            }
            self.chosen.pop();
        }
        false
    }
}

/// Whether `slot` may be step `k` after `earlier` (steps `0..k`).
fn fits_after(steps: &[ChainStep], tz: &TimeZone, earlier: &[Slot], slot: Slot, k: usize) -> bool {
    if k > 0 {
        let Some((from, to)) = window(tz, earlier[k - 1].start, steps[k].gap_days) else {
            return false;
        };
        // In order: a step starts once the step before it has ended (a gap of 0 days is the
        // same day, later).
        if slot.start < from || slot.start >= to || slot.start < earlier[k - 1].end {
            return false;
        }
    }
    if let Some(j) = steps[k].same_provider_as {
        if earlier.get(j).is_none_or(|e| e.provider != slot.provider) {
            return false;
        }
    }
    earlier
        .iter()
        .enumerate()
        .all(|(j, e)| !clash(e, &steps[j].timing, &slot, &steps[k].timing))
}

/// Two steps clash when the patient would be at both at once, or when one provider would need
/// both steps' buffers at once.
fn clash(a: &Slot, ta: &ReasonTiming, b: &Slot, tb: &ReasonTiming) -> bool {
    let patient = Span::new(a.start, a.end).overlaps(&Span::new(b.start, b.end));
    patient || (a.provider == b.provider && a.blocked_span(ta).overlaps(&b.blocked_span(tb)))
}

/// The UTC span a step may start in: from the start of the local day `gap.0` days after the
/// previous step's date to the end of the day `gap.1` days after it.
fn window(tz: &TimeZone, previous_start: i64, gap: (u16, u16)) -> Option<(i64, i64)> {
    let date = local_date(tz, previous_start)?;
    let first = date
        .checked_add(jiff::Span::new().days(i64::from(gap.0)))
        .ok()?;
    let last = date
        .checked_add(jiff::Span::new().days(i64::from(gap.1.max(gap.0)) + 1))
        .ok()?;
    Some((
        start_of_local_day(tz, first)?,
        start_of_local_day(tz, last)?,
    ))
}

/// The local date of an instant.
pub fn local_date(tz: &TimeZone, at: i64) -> Option<Date> {
    Some(tz.to_datetime(Timestamp::from_second(at).ok()?).date())
}
