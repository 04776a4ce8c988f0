//! Property tests of the slot engine against a brute-force reading of the rules, plus the
//! daylight-saving weeks of America/New_York.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use proptest::prelude::*;
use slotwise_shared::model::{LocationId, ProviderId, ReasonTiming};
use slotwise_shared::schedule::{DateOverride, ProviderSchedule, Span, WeeklyHours};
use slotwise_shared::slots::{
    first_available, free_slots, free_slots_in_rooms, LocationZones, RoomLimits, Slot, SlotRequest,
};

const ZONES: [&str; 4] = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
];
const LOC: LocationId = LocationId(1);

fn zones(name: &str) -> LocationZones {
    LocationZones(vec![(LOC, TimeZone::get(name).expect("zone"))])
}

/// The working windows in UTC, computed independently through `Zoned`.
fn oracle_windows(s: &ProviderSchedule, tz: &TimeZone, from: Date, to: Date) -> Vec<Span> {
    let mut out = Vec::new();
    let mut date = from;
    while date <= to {
        for w in s.windows_on(date) {
            let at = |m: u16| {
                let (d, m) = if m == 1440 {
                    (date.tomorrow().expect("date"), 0)
                } else {
                    (date, m)
                };
                d.at((m / 60) as i8, (m % 60) as i8, 0, 0)
                    .to_zoned(tz.clone())
                    .expect("zoned")
                    .timestamp()
                    .as_second()
            };
            out.push(Span::new(at(w.start_min), at(w.end_min)));
        }
        date = date.tomorrow().expect("date");
    }
    out
}

/// Every slot the rules allow, found by trying each aligned start one by one.
fn brute_force(
    s: &ProviderSchedule,
    tz: &TimeZone,
    req: &SlotRequest,
    rooms: &Option<Vec<Vec<Span>>>,
) -> Vec<i64> {
    let t = req.timing;
    let step = i64::from(t.interval_min) * 60;
    let dur = i64::from(t.duration_min) * 60;
    let from = tz
        .to_datetime(Timestamp::from_second(req.range.start).expect("ts"))
        .date();
    let to = tz
        .to_datetime(Timestamp::from_second(req.range.end).expect("ts"))
        .date();
    let mut starts = Vec::new();
    for w in oracle_windows(s, tz, from.yesterday().expect("d"), to) {
        let mut start = w.start;
        while start + dur <= w.end {
            let blocked = Span::new(
                start - i64::from(t.buffer_before_min) * 60,
                start + dur + i64::from(t.buffer_after_min) * 60,
            );
            let ok = start >= req.range.start
                && start < req.range.end
                && start >= req.earliest_start()
                && start < req.latest_start_exclusive()
                && !s.busy.iter().any(|b| b.overlaps(&blocked))
                && rooms
                    .as_ref()
                    .is_none_or(|rs| rs.iter().any(|r| !r.iter().any(|b| b.overlaps(&blocked))));
            if ok {
                starts.push(start);
            }
            start += step;
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

fn timing() -> impl Strategy<Value = ReasonTiming> {
    (
        1u32..=24,
        0u32..=6,
        0u32..=6,
        prop::sample::select(vec![5u32, 10, 15, 20, 30, 60]),
        0u32..=3000,
        1u32..=60,
    )
        .prop_map(|(d, b, a, interval, notice, horizon)| ReasonTiming {
            duration_min: d * 5,
            buffer_before_min: b * 5,
            buffer_after_min: a * 5,
            interval_min: interval,
            min_notice_min: notice,
            horizon_days: horizon,
        })
}

fn weekly() -> impl Strategy<Value = Vec<WeeklyHours>> {
    prop::collection::vec((1u8..=7, 0u16..92, 1u16..48), 0..12).prop_map(|v| {
        v.into_iter()
            .map(|(weekday, start, len)| WeeklyHours {
                location: LOC,
                weekday,
                start_min: start * 15,
                end_min: (start * 15 + len * 15).min(1440),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn free_slots_follow_every_rule(
        zone in prop::sample::select(ZONES.to_vec()),
        weekly in weekly(),
        timing in timing(),
        now_offset_min in 0i64..(300 * 24 * 60),
        busy in prop::collection::vec((0i64..(20 * 24 * 60), 1i64..600), 0..40),
        closed_day in 0i64..20,
        range_days in 1i64..20,
        rooms in prop::option::of(prop::collection::vec(prop::collection::vec((0i64..(20 * 24 * 60), 1i64..300), 0..15), 1..4)),
    ) {
        let tz = TimeZone::get(zone).expect("zone");
        // Around 2026, including both daylight-saving changes of every zone above.
        let now = 1_767_225_600 + now_offset_min * 60;
        let range = Span::new(now - 86_400, now + range_days * 86_400);
        let busy: Vec<Span> = busy.into_iter().map(|(o, l)| Span::new(now + o * 60, now + (o + l) * 60)).collect();
        let closed = tz.to_datetime(Timestamp::from_second(now + closed_day * 86_400).expect("ts")).date();
        let schedule = ProviderSchedule {
            provider: ProviderId(7),
            weekly,
            overrides: vec![DateOverride { date: closed, windows: vec![] }],
            busy: busy.clone(),
        };
        let req = SlotRequest { timing, now, range, max_per_provider: usize::MAX };
        let rooms: Option<Vec<Vec<Span>>> = rooms.map(|rs| {
            rs.into_iter()
                .map(|r| r.into_iter().map(|(o, l)| Span::new(now + o * 60, now + (o + l) * 60)).collect())
                .collect()
        });
        let mut limits = RoomLimits::default();
        if let Some(rs) = &rooms {
            limits.add_location(LOC, rs.clone());
        }
        let slots = free_slots_in_rooms(std::slice::from_ref(&schedule), &zones(zone), &req, &limits);
        let windows = oracle_windows(&schedule, &tz, closed.yesterday().expect("d").saturating_sub(jiff::Span::new().days(25)), closed.saturating_add(jiff::Span::new().days(25)));
        let step = i64::from(timing.interval_min) * 60;
        for s in &slots {
            let blocked = s.blocked_span(&timing);
            prop_assert!(!busy.iter().any(|b| b.overlaps(&blocked)), "slot {s:?} overlaps busy time");
            if let Some(rs) = &rooms {
                prop_assert!(rs.iter().any(|r| !r.iter().any(|b| b.overlaps(&blocked))), "slot {s:?} has no free room");
            }
            let window = windows.iter().find(|w| w.start <= s.start && s.end <= w.end);
            prop_assert!(window.is_some(), "slot {s:?} outside working hours");
            prop_assert_eq!((s.start - window.expect("window").start) % step, 0, "slot not aligned");
            prop_assert!(s.start >= now + i64::from(timing.min_notice_min) * 60, "before notice");
            prop_assert!(s.start < now + i64::from(timing.horizon_days) * 86_400, "past horizon");
            prop_assert!(s.start >= range.start && s.start < range.end);
            prop_assert_eq!(s.end - s.start, i64::from(timing.duration_min) * 60);
            let local = tz.to_datetime(Timestamp::from_second(s.start).expect("ts")).date();
            prop_assert!(local != closed, "slot on a closed day");
        }
        prop_assert!(slots.windows(2).all(|p| p[0].start < p[1].start), "sorted and unique");
        let expected = brute_force(&schedule, &tz, &req, &rooms);
        let got: Vec<i64> = slots.iter().map(|s| s.start).collect();
        prop_assert_eq!(got, expected, "engine and brute force disagree");
    }

    #[test]
    fn first_available_offers_each_time_once_from_a_free_provider(
        a in weekly(), b in weekly(), timing in timing(),
        busy in prop::collection::vec((0i64..(10 * 24 * 60), 1i64..600), 0..20),
    ) {
        let now = 1_780_000_000;
        let mk = |id, weekly, busy: Vec<Span>| ProviderSchedule { provider: ProviderId(id), weekly, overrides: vec![], busy };
        let busy: Vec<Span> = busy.into_iter().map(|(o, l)| Span::new(now + o * 60, now + (o + l) * 60)).collect();
        let schedules = vec![mk(1, a, busy.clone()), mk(2, b, vec![])];
        let req = SlotRequest { timing, now, range: Span::new(now, now + 10 * 86_400), max_per_provider: usize::MAX };
        let all = free_slots(&schedules, &zones("America/New_York"), &req);
        let firsts = first_available(all.clone());
        prop_assert!(firsts.windows(2).all(|p| p[0].start < p[1].start));
        for f in &firsts {
            prop_assert!(all.contains(f));
            // Provider 1 comes first whenever both are free.
            if f.provider == ProviderId(2) {
                prop_assert!(!all.iter().any(|s| s.start == f.start && s.provider == ProviderId(1)));
            }
        }
    }
}

fn week_of_mornings(date_from: Date, days: i64, window: (u16, u16)) -> Vec<Slot> {
    let tz = TimeZone::get("America/New_York").expect("zone");
    let schedule = ProviderSchedule {
        provider: ProviderId(1),
        weekly: (1..=7)
            .map(|weekday| WeeklyHours {
                location: LOC,
                weekday,
                start_min: window.0,
                end_min: window.1,
            })
            .collect(),
        overrides: vec![],
        busy: vec![],
    };
    let start = date_from
        .to_zoned(tz.clone())
        .expect("z")
        .timestamp()
        .as_second();
    let end = date_from
        .saturating_add(jiff::Span::new().days(days))
        .to_zoned(tz)
        .expect("z")
        .timestamp()
        .as_second();
    let timing = ReasonTiming {
        duration_min: 30,
        buffer_before_min: 0,
        buffer_after_min: 0,
        interval_min: 30,
        min_notice_min: 0,
        horizon_days: 365,
    };
    let req = SlotRequest {
        timing,
        now: start - 86_400,
        range: Span::new(start, end),
        max_per_provider: usize::MAX,
    };
    free_slots(&[schedule], &zones("America/New_York"), &req)
}

fn local(ts: i64) -> String {
    let tz = TimeZone::get("America/New_York").expect("zone");
    Timestamp::from_second(ts)
        .expect("ts")
        .to_zoned(tz)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn spring_forward_week_keeps_nine_oclock_local() {
    let slots = week_of_mornings(Date::constant(2026, 3, 5), 7, (9 * 60, 12 * 60));
    assert_eq!(slots.len(), 7 * 6, "six half-hour slots every morning");
    for day in slots.chunks(6) {
        assert!(
            local(day[0].start).ends_with("09:00"),
            "{}",
            local(day[0].start)
        );
        assert!(local(day[5].start).ends_with("11:30"));
    }
    // 9:00 EST is 14:00 UTC before March 8th, 9:00 EDT is 13:00 UTC from then on.
    assert_eq!(slots[0].start % 86_400, 14 * 3600);
    assert_eq!(slots[6 * 6].start % 86_400, 13 * 3600);
}

#[test]
fn fall_back_week_keeps_nine_oclock_local() {
    let slots = week_of_mornings(Date::constant(2026, 10, 29), 7, (9 * 60, 12 * 60));
    assert_eq!(slots.len(), 7 * 6);
    for day in slots.chunks(6) {
        assert!(local(day[0].start).ends_with("09:00"));
    }
    assert_eq!(slots[0].start % 86_400, 13 * 3600);
    assert_eq!(slots[6 * 6].start % 86_400, 14 * 3600);
}

#[test]
fn a_window_across_the_spring_gap_has_only_real_times() {
    // 1:00 to 4:00 on March 8th 2026 is two real hours: 2:00-3:00 does not exist.
    let slots = week_of_mornings(Date::constant(2026, 3, 8), 1, (60, 240));
    let labels: Vec<String> = slots.iter().map(|s| local(s.start)).collect();
    assert_eq!(
        labels,
        [
            "2026-03-08 01:00",
            "2026-03-08 01:30",
            "2026-03-08 03:00",
            "2026-03-08 03:30"
        ]
    );
}

#[test]
fn a_window_across_the_fall_overlap_has_every_real_half_hour() {
    // 0:00 to 3:00 on November 1st 2026 is four real hours: 1:00-2:00 happens twice.
    let slots = week_of_mornings(Date::constant(2026, 11, 1), 1, (0, 180));
    assert_eq!(slots.len(), 8);
}

#[test]
fn back_to_back_windows_at_two_locations_keep_their_own_location() {
    let tz = TimeZone::get("America/New_York").expect("zone");
    let (downtown, riverside) = (LocationId(1), LocationId(2));
    let schedule = ProviderSchedule {
        provider: ProviderId(1),
        weekly: vec![
            WeeklyHours {
                location: downtown,
                weekday: 1,
                start_min: 8 * 60,
                end_min: 12 * 60,
            },
            WeeklyHours {
                location: riverside,
                weekday: 1,
                start_min: 12 * 60,
                end_min: 17 * 60,
            },
        ],
        overrides: vec![],
        busy: vec![],
    };
    let monday = Date::constant(2026, 11, 23);
    let start = monday
        .to_zoned(tz.clone())
        .expect("z")
        .timestamp()
        .as_second();
    let timing = ReasonTiming {
        duration_min: 30,
        buffer_before_min: 0,
        buffer_after_min: 0,
        interval_min: 15,
        min_notice_min: 0,
        horizon_days: 30,
    };
    let req = SlotRequest {
        timing,
        now: start - 86_400,
        range: Span::new(start, start + 86_400),
        max_per_provider: usize::MAX,
    };
    let zones = LocationZones(vec![(downtown, tz.clone()), (riverside, tz)]);
    let slots = free_slots(&[schedule], &zones, &req);
    let at = |hhmm: &str| {
        slots
            .iter()
            .find(|s| local(s.start).ends_with(hhmm))
            .map(|s| s.location)
    };
    assert_eq!(at("11:30"), Some(downtown));
    assert_eq!(at("12:00"), Some(riverside));
    assert_eq!(
        at("11:45"),
        None,
        "no appointment straddles the move between offices"
    );
}
