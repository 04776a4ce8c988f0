//! Slot engine benchmark: 50 providers × 90 days × 10,000 appointments plus weekly block-offs,
//! over a range that includes the March daylight-saving change in America/New_York; and the
//! chain search of a 4-step implant procedure over a 180-day horizon with 10 of the providers.

use criterion::{criterion_group, criterion_main, Criterion};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use slotwise_shared::chains::{find_chains, ChainRequest, ChainStep};
use slotwise_shared::model::{LocationId, ProviderId, ReasonTiming};
use slotwise_shared::schedule::{ProviderSchedule, Span, WeeklyHours};
use slotwise_shared::slots::{first_available, free_slots, LocationZones, RoomLimits, SlotRequest};
use std::hint::black_box;

const PROVIDERS: i64 = 50;
const DAYS: i64 = 90;
const APPOINTMENTS: i64 = 10_000;

/// A deterministic pseudo-random sequence (no dependency, same data every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as i64
    }
}

fn setup() -> (Vec<ProviderSchedule>, LocationZones, SlotRequest) {
    let tz = TimeZone::get("America/New_York").expect("zone");
    let loc = LocationId(1);
    let first_day = Date::constant(2027, 2, 1);
    let start = first_day
        .to_zoned(tz.clone())
        .expect("zoned")
        .timestamp()
        .as_second();
    let end = start + DAYS * 86_400;
    let mut rng = Lcg(42);
    let mut schedules: Vec<ProviderSchedule> = (0..PROVIDERS)
        .map(|p| ProviderSchedule {
            provider: ProviderId(p),
            weekly: (1..=5)
                .flat_map(|weekday| {
                    [(8 * 60, 12 * 60), (13 * 60, 17 * 60)].map(|(s, e)| WeeklyHours {
                        location: loc,
                        weekday,
                        start_min: s,
                        end_min: e,
                    })
                })
                .collect(),
            overrides: Vec::new(),
            busy: Vec::new(),
        })
        .collect();
    for _ in 0..APPOINTMENTS {
        let p = rng.next(PROVIDERS) as usize;
        let day = rng.next(DAYS);
        // 8:00-17:00 local is roughly 13:00-22:00 UTC in winter.
        let at = start + day * 86_400 + 13 * 3600 + rng.next(36) * 900;
        schedules[p]
            .busy
            .push(Span::new(at, at + 1800 + rng.next(3) * 900));
    }
    for s in &mut schedules {
        // Weekly block-off: Wednesday staff meeting 15:00-16:00 local (approx. UTC here).
        let mut week = start + 2 * 86_400 + 20 * 3600;
        while week < end {
            s.busy.push(Span::new(week, week + 3600));
            week += 7 * 86_400;
        }
    }
    let timing = ReasonTiming {
        duration_min: 30,
        buffer_before_min: 0,
        buffer_after_min: 10,
        interval_min: 15,
        min_notice_min: 120,
        horizon_days: 120,
    };
    let req = SlotRequest {
        timing,
        now: start - 86_400,
        range: Span::new(start, end),
        max_per_provider: usize::MAX,
    };
    (schedules, LocationZones(vec![(loc, tz)]), req)
}

fn bench(c: &mut Criterion) {
    let (schedules, zones, req) = setup();
    let count = free_slots(&schedules, &zones, &req).len();
    assert!(
        count > 50_000,
        "a realistic amount of free time ({count} slots)"
    );
    c.bench_function("slot_engine_50_providers_90_days_10k_appointments", |b| {
        b.iter(|| black_box(free_slots(black_box(&schedules), &zones, &req)).len())
    });
    c.bench_function("slot_engine_first_available_50_providers_90_days", |b| {
        b.iter(|| first_available(free_slots(black_box(&schedules), &zones, &req)).len())
    });
    c.bench_function("slot_engine_first_available_50_providers_14_days", |b| {
        let two_weeks = SlotRequest {
            range: Span::new(req.range.start, req.range.start + 14 * 86_400),
            ..req
        };
        b.iter(|| first_available(free_slots(black_box(&schedules), &zones, &two_weeks)).len())
    });
}

/// The implant sequence: consultation; surgery 7–21 days later with the same provider; crown
/// 90–120 days after the surgery; follow-up 7–14 days after the crown. Each step may be done by
/// the first ten providers (with their appointments); the first step anywhere in two weeks.
fn implant_chain(
    schedules: &[ProviderSchedule],
    zones: &LocationZones,
    req: &SlotRequest,
) -> (Vec<ChainStep>, ChainRequest) {
    let ten: Vec<ProviderSchedule> = schedules.iter().take(10).cloned().collect();
    let step = |duration_min, gap_days, same_provider_as| ChainStep {
        schedules: ten.clone(),
        rooms: RoomLimits::default(),
        timing: ReasonTiming {
            duration_min,
            horizon_days: 180,
            ..req.timing
        },
        gap_days,
        same_provider_as,
    };
    let steps = vec![
        step(30, (0, 0), None),
        step(90, (7, 21), Some(0)),
        step(60, (90, 120), None),
        step(30, (7, 14), None),
    ];
    let chain_req = ChainRequest {
        now: req.now,
        first_range: Span::new(req.range.start, req.range.start + 14 * 86_400),
        tz: zones.0[0].1.clone(),
        max_chains: usize::MAX,
        max_work: 200_000,
    };
    (steps, chain_req)
}

fn bench_chains(c: &mut Criterion) {
    let (schedules, zones, req) = setup();
    let (steps, chain_req) = implant_chain(&schedules, &zones, &req);
    let found = find_chains(&steps, &zones, &chain_req).len();
    assert!(found > 100, "a chain for most first-step times ({found})");
    c.bench_function("chain_search_4_steps_180_days_10_providers", |b| {
        b.iter(|| find_chains(black_box(&steps), &zones, &chain_req).len())
    });
}

criterion_group!(benches, bench, bench_chains);
criterion_main!(benches);
