//! Placing one provider's day on the grid: open hours from the schedule, time off and
//! appointments as they are, and free time as open time with nothing in it. Rows are the
//! practice's wall clock, so a day with a DST change still reads 8:00 to 18:00.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use slotwise_shared::admin::AppointmentItem;
use slotwise_shared::day_view::{DayColumn, FreeTime, Minutes, PlacedAppointment, TimeOffBlock};
use slotwise_shared::model::ProviderId;
use slotwise_shared::schedule::{merge_spans, ProviderSchedule, Span};
use slotwise_shared::slots::{local_instant, LocationZones};

/// Free time shorter than this is not shown (the gap between two back-to-back visits).
pub const MIN_FREE_SECONDS: i64 = 5 * 60;
const DAY_MINUTES: u16 = 24 * 60;

/// What one column is made of.
pub struct ColumnInput<'a> {
    pub date: Date,
    pub provider: ProviderId,
    pub provider_name: &'a str,
    /// The provider's hours (already narrowed to a location when one was asked for).
    pub schedule: &'a ProviderSchedule,
    pub zones: &'a LocationZones,
    /// The practice's zone: the grid's wall clock.
    pub tz: &'a TimeZone,
    /// The provider's appointments that day, in time order.
    pub appointments: Vec<AppointmentItem>,
    /// The provider's time off touching that day: (start, end, label).
    pub time_off: Vec<(i64, i64, String)>,
    pub now: i64,
}

/// The practice wall-clock minute of `at` on `date`: 0 before the day, 1440 after it.
pub fn wall_minute(at: i64, date: Date, tz: &TimeZone) -> u16 {
    let Ok(ts) = Timestamp::from_second(at) else {
        return 0;
    };
    let local = tz.to_datetime(ts);
    match local.date().cmp(&date) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Greater => DAY_MINUTES,
        std::cmp::Ordering::Equal => local.hour() as u16 * 60 + local.minute() as u16,
    }
}

fn minutes(span: Span, date: Date, tz: &TimeZone) -> Minutes {
    let start_min = wall_minute(span.start, date, tz);
    Minutes {
        start_min,
        end_min: wall_minute(span.end, date, tz).max(start_min),
    }
}

/// `open` minus `busy` (both merged, in time order).
fn subtract(open: &[Span], busy: &[Span]) -> Vec<Span> {
    let mut free = Vec::new();
    for window in open {
        let mut from = window.start;
        for b in busy.iter().filter(|b| b.overlaps(window)) {
            if b.start > from {
                free.push(Span::new(from, b.start));
            }
            from = from.max(b.end);
        }
        if from < window.end {
            free.push(Span::new(from, window.end));
        }
    }
    free
}

fn clock(at: i64, tz: &TimeZone) -> String {
    Timestamp::from_second(at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .strftime("%-I:%M %p")
        .to_string()
}

/// The column of one provider on one day.
pub fn column(input: ColumnInput<'_>) -> DayColumn {
    let (date, tz) = (input.date, input.tz);
    let open: Vec<Span> = merge_spans(
        input
            .schedule
            .windows_on(date)
            .into_iter()
            .filter_map(|w| {
                let zone = input.zones.get(w.location).unwrap_or(tz);
                Some(Span::new(
                    local_instant(zone, date, w.start_min)?,
                    local_instant(zone, date, w.end_min)?,
                ))
            })
            .collect(),
    );
    let occupied: Vec<Span> = merge_spans(
        input
            .appointments
            .iter()
            .map(|a| Span::new(a.starts_at.as_second(), a.ends_at.as_second()))
            .chain(input.time_off.iter().map(|t| Span::new(t.0, t.1)))
            .collect(),
    );
    let free = subtract(&open, &occupied)
        .into_iter()
        .filter(|s| s.end - s.start >= MIN_FREE_SECONDS)
        .map(|s| FreeTime {
            at: minutes(s, date, tz),
            starts_at: Timestamp::from_second(s.start).unwrap_or(Timestamp::UNIX_EPOCH),
            ends_at: Timestamp::from_second(s.end).unwrap_or(Timestamp::UNIX_EPOCH),
            label: format!("{} – {}", clock(s.start, tz), clock(s.end, tz)),
            ahead: s.end > input.now + MIN_FREE_SECONDS,
        })
        .collect();
    DayColumn {
        date,
        day_label: date.strftime("%a %-d %b").to_string(),
        provider_id: input.provider,
        provider_name: input.provider_name.to_string(),
        open: open.iter().map(|&s| minutes(s, date, tz)).collect(),
        time_off: input
            .time_off
            .into_iter()
            .map(|(start, end, label)| TimeOffBlock {
                at: minutes(Span::new(start, end), date, tz),
                label,
            })
            .collect(),
        free,
        appointments: input
            .appointments
            .into_iter()
            .map(|a| PlacedAppointment {
                at: minutes(
                    Span::new(a.starts_at.as_second(), a.ends_at.as_second()),
                    date,
                    tz,
                ),
                appointment: a,
            })
            .collect(),
    }
}

/// The grid's rows: the earliest start to the latest end of anything shown, on whole hours;
/// 8:00 to 18:00 when nothing is.
pub fn rows(columns: &[DayColumn]) -> Minutes {
    let spans = columns.iter().flat_map(|c| {
        c.open
            .iter()
            .copied()
            .chain(c.appointments.iter().map(|a| a.at))
    });
    let (mut start, mut end) = (u16::MAX, 0u16);
    for m in spans.filter(|m| m.end_min > m.start_min) {
        start = start.min(m.start_min);
        end = end.max(m.end_min);
    }
    if start >= end {
        return Minutes {
            start_min: 8 * 60,
            end_min: 18 * 60,
        };
    }
    Minutes {
        start_min: start / 60 * 60,
        end_min: end.div_ceil(60).saturating_mul(60).min(DAY_MINUTES),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slotwise_shared::model::LocationId;
    use slotwise_shared::schedule::WeeklyHours;

    fn tz() -> TimeZone {
        TimeZone::get("America/New_York").expect("zone")
    }

    fn schedule(date: Date) -> ProviderSchedule {
        ProviderSchedule {
            provider: ProviderId(1),
            weekly: vec![WeeklyHours {
                location: LocationId(1),
                weekday: date.weekday().to_monday_one_offset() as u8,
                start_min: 9 * 60,
                end_min: 17 * 60,
            }],
            overrides: vec![],
            busy: vec![],
        }
    }

    fn at(date: Date, h: i8, m: i8) -> i64 {
        date.at(h, m, 0, 0)
            .to_zoned(tz())
            .expect("time")
            .timestamp()
            .as_second()
    }

    #[test]
    fn free_time_is_open_time_without_time_off() {
        let date = Date::constant(2026, 12, 8);
        let s = schedule(date);
        let zones = LocationZones(vec![(LocationId(1), tz())]);
        let c = column(ColumnInput {
            date,
            provider: ProviderId(1),
            provider_name: "Dr. A",
            schedule: &s,
            zones: &zones,
            tz: &tz(),
            appointments: vec![],
            time_off: vec![(at(date, 12, 0), at(date, 13, 0), "Lunch".into())],
            now: 0,
        });
        assert_eq!(
            c.open,
            vec![Minutes {
                start_min: 540,
                end_min: 1020
            }]
        );
        let free: Vec<_> = c
            .free
            .iter()
            .map(|f| (f.at.start_min, f.at.end_min))
            .collect();
        assert_eq!(free, vec![(540, 720), (780, 1020)]);
        assert_eq!(c.free[0].label, "9:00 AM – 12:00 PM");
        assert_eq!(c.time_off[0].at.start_min, 720);
        assert_eq!(
            rows(&[c]),
            Minutes {
                start_min: 540,
                end_min: 1020
            }
        );
    }

    #[test]
    fn a_dst_day_keeps_the_wall_clock() {
        // 2026-11-01: New York falls back at 2:00; the working day still reads 9:00 to 17:00.
        let date = Date::constant(2026, 11, 1);
        let s = schedule(date);
        let zones = LocationZones(vec![(LocationId(1), tz())]);
        let c = column(ColumnInput {
            date,
            provider: ProviderId(1),
            provider_name: "Dr. A",
            schedule: &s,
            zones: &zones,
            tz: &tz(),
            appointments: vec![],
            time_off: vec![],
            now: 0,
        });
        assert_eq!((c.open[0].start_min, c.open[0].end_min), (9 * 60, 17 * 60));
        assert_eq!(
            c.free[0].ends_at.as_second() - c.free[0].starts_at.as_second(),
            8 * 3600
        );
    }

    #[test]
    fn past_free_time_is_not_ahead_and_days_off_have_nothing_open() {
        let date = Date::constant(2026, 12, 8);
        let s = schedule(date);
        let zones = LocationZones(vec![(LocationId(1), tz())]);
        let utc = TimeZone::UTC;
        let input = |d: Date, now: i64| ColumnInput {
            date: d,
            provider: ProviderId(1),
            provider_name: "Dr. A",
            schedule: &s,
            zones: &zones,
            tz: &utc,
            appointments: vec![],
            time_off: vec![],
            now,
        };
        let later = column(input(date, at(date, 20, 0)));
        assert!(later.free.iter().all(|f| !f.ahead));
        let next_day = date.tomorrow().expect("date");
        assert!(column(input(next_day, 0)).open.is_empty());
    }
}
