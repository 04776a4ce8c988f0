//! Property tests of the chain search against the rules read independently: every chain
//! offered keeps each step's day gap, provider rule, free time and no overlap; on small cases a
//! brute-force walk over every combination finds no chain the search missed; a gap across the
//! daylight-saving change keeps its days and its wall-clock time.

use jiff::civil::date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use proptest::prelude::*;
use slotwise_shared::chains::{
    chain_holds, find_chains, step_alternatives, ChainRequest, ChainStep,
};
use slotwise_shared::model::{LocationId, ProviderId, ReasonTiming};
use slotwise_shared::schedule::{ProviderSchedule, Span, WeeklyHours};
use slotwise_shared::slots::{free_slots, LocationZones, RoomLimits, Slot, SlotRequest};

const LOC: LocationId = LocationId(1);
const ZONE: &str = "America/New_York";

fn tz() -> TimeZone {
    TimeZone::get(ZONE).expect("zone")
}

fn zones() -> LocationZones {
    LocationZones(vec![(LOC, tz())])
}

fn timing(duration_min: u32) -> ReasonTiming {
    ReasonTiming {
        duration_min,
        buffer_before_min: 0,
        buffer_after_min: 10,
        interval_min: 60,
        min_notice_min: 0,
        horizon_days: 400,
    }
}

/// Mornings 9:00–12:00 every weekday at the one location.
fn schedule(provider: i64, busy: Vec<Span>) -> ProviderSchedule {
    ProviderSchedule {
        provider: ProviderId(provider),
        weekly: (1..=5)
            .map(|weekday| WeeklyHours {
                location: LOC,
                weekday,
                start_min: 9 * 60,
                end_min: 12 * 60,
            })
            .collect(),
        overrides: Vec::new(),
        busy,
    }
}

fn at(s: &str) -> i64 {
    s.parse::<Timestamp>().expect("ts").as_second()
}

fn local_date(t: i64) -> jiff::civil::Date {
    tz().to_datetime(Timestamp::from_second(t).expect("ts"))
        .date()
}

/// The rules, read independently of the engine.
fn valid(steps: &[ChainStep], slots: &[Slot]) -> bool {
    for (k, slot) in slots.iter().enumerate() {
        if k > 0 {
            let days = (local_date(slot.start) - local_date(slots[k - 1].start)).get_days();
            let (lo, hi) = steps[k].gap_days;
            if days < i32::from(lo) || days > i32::from(hi) || slot.start < slots[k - 1].end {
                return false;
            }
        }
        if let Some(j) = steps[k].same_provider_as {
            if slots[j].provider != slot.provider {
                return false;
            }
        }
        for (j, other) in slots[..k].iter().enumerate() {
            if other.start < slot.end && slot.start < other.end {
                return false;
            }
            let a = Span::new(
                other.start,
                other.end + i64::from(steps[j].timing.buffer_after_min) * 60,
            );
            let b = Span::new(
                slot.start,
                slot.end + i64::from(steps[k].timing.buffer_after_min) * 60,
            );
            if other.provider == slot.provider && a.overlaps(&b) {
                return false;
            }
        }
    }
    true
}

/// Each step's free times over a wide range (the slot engine has its own properties).
fn free(step: &ChainStep, from: i64, days: i64) -> Vec<Slot> {
    let req = SlotRequest {
        timing: step.timing,
        now: from - 86_400,
        range: Span::new(from, from + days * 86_400),
        max_per_provider: usize::MAX,
    };
    free_slots(&step.schedules, &zones(), &req)
}

fn request(from: i64, first_days: i64) -> ChainRequest {
    ChainRequest {
        now: from - 86_400,
        first_range: Span::new(from, from + first_days * 86_400),
        tz: tz(),
        max_chains: usize::MAX,
        max_work: 1_000_000,
    }
}

fn arb_busy(from: i64) -> impl Strategy<Value = Vec<Span>> {
    prop::collection::vec((0i64..12 * 24, 1i64..6), 0..12).prop_map(move |v| {
        v.into_iter()
            .map(|(h, len)| Span::new(from + h * 3600, from + (h + len) * 3600))
            .collect()
    })
}

fn arb_steps(from: i64) -> impl Strategy<Value = Vec<ChainStep>> {
    prop::collection::vec(
        (
            arb_busy(from),
            arb_busy(from),
            0u16..6,
            0u16..4,
            any::<bool>(),
            1u32..3,
        ),
        2..4,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(k, (busy1, busy2, lo, extra, same, hours))| ChainStep {
                schedules: vec![schedule(1, busy1), schedule(2, busy2)],
                rooms: RoomLimits::default(),
                timing: timing(hours * 30),
                gap_days: (lo, lo + extra),
                same_provider_as: (k > 0 && same).then_some(0),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_chain_keeps_every_rule_and_none_is_missed(steps in arb_steps(at("2026-11-02T05:00:00Z"))) {
        let from = at("2026-11-02T05:00:00Z");
        let chains = find_chains(&steps, &zones(), &request(from, 2));
        let frees: Vec<Vec<Slot>> = steps.iter().map(|s| free(s, from, 21)).collect();
        for chain in &chains {
            prop_assert!(valid(&steps, &chain.slots), "{chain:?}");
            prop_assert!(chain_holds(&steps, &tz(), &chain.slots));
            for (k, slot) in chain.slots.iter().enumerate() {
                prop_assert!(frees[k].contains(slot), "step {k} is not free: {slot:?}");
            }
            prop_assert!(chain.slots[0].start < from + 2 * 86_400);
        }
        // Brute force: every first-step time some valid combination follows has a chain.
        for first in frees[0].iter().filter(|s| s.start < from + 2 * 86_400) {
            let mut partial = vec![vec![*first]];
            for (k, free) in frees.iter().enumerate().skip(1) {
                partial = partial
                    .into_iter()
                    .flat_map(|p| {
                        free.iter()
                            .filter_map(|s| {
                                let mut trial = p.clone();
                                trial.push(*s);
                                valid(&steps[..=k], &trial).then_some(trial)
                            })
                            .collect::<Vec<_>>()
                    })
                    .take(5_000)
                    .collect();
            }
            let exists = !partial.is_empty();
            let offered = chains.iter().any(|c| c.slots[0] == *first);
            prop_assert_eq!(exists, offered, "first step {:?}", first);
        }
    }
}

#[test]
fn a_gap_across_the_clock_change_keeps_its_days_and_its_hour() {
    // New York moves its clocks on Sunday, March 8, 2026.
    let steps = vec![
        ChainStep {
            schedules: vec![schedule(1, Vec::new())],
            rooms: RoomLimits::default(),
            timing: timing(60),
            gap_days: (0, 0),
            same_provider_as: None,
        },
        ChainStep {
            schedules: vec![schedule(1, Vec::new())],
            rooms: RoomLimits::default(),
            timing: timing(60),
            gap_days: (14, 14),
            same_provider_as: Some(0),
        },
    ];
    let monday = at("2026-03-02T05:00:00Z");
    let chains = find_chains(&steps, &zones(), &request(monday, 1));
    let chain = chains.first().expect("a chain");
    let (a, b) = (chain.slots[0].start, chain.slots[1].start);
    assert_eq!(local_date(a), date(2026, 3, 2));
    assert_eq!(local_date(b), date(2026, 3, 16));
    let hour = |t: i64| {
        tz().to_datetime(Timestamp::from_second(t).expect("ts"))
            .hour()
    };
    assert_eq!((hour(a), hour(b)), (9, 9), "the same wall-clock time");
    assert_eq!(b - a, 14 * 86_400 - 3600, "one hour fewer in UTC");
}

#[test]
fn alternatives_keep_the_rest_of_the_chain_and_work_is_bounded() {
    let step = |gap, same| ChainStep {
        schedules: vec![schedule(1, Vec::new()), schedule(2, Vec::new())],
        rooms: RoomLimits::default(),
        timing: timing(30),
        gap_days: gap,
        same_provider_as: same,
    };
    let steps = vec![
        step((0, 0), None),
        step((7, 10), Some(0)),
        step((1, 2), None),
    ];
    let monday = at("2026-11-02T05:00:00Z");
    let req = request(monday, 1);
    let chains = find_chains(&steps, &zones(), &req);
    let chain = chains.first().expect("a chain");
    let options = step_alternatives(&steps, &zones(), &req, chain, 1, 100);
    assert!(options.len() > 1, "several times for the middle step");
    for option in options {
        let mut moved = chain.slots.clone();
        moved[1] = option;
        assert!(valid(&steps, &moved), "{moved:?}");
        assert_eq!(option.provider, chain.slots[0].provider);
    }
    // No work allowed: nothing found, and nothing hangs.
    let starved = ChainRequest { max_work: 0, ..req };
    assert!(find_chains(&steps, &zones(), &starved).is_empty());
}
