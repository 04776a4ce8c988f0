//! How times are shown to people: one renderer, always in the practice's timezone, in the
//! patient's language (its words and patterns from `shared/lang`). The functions without a
//! language write English.

use crate::lang::{self, Language};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// `2026-11-23`: the local date, used as a stable key for a day.
pub fn date_key(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%Y-%m-%d").to_string()
}

/// `pattern` with its placeholders filled in from `at`, in `language`'s words.
fn fill(language: &Language, pattern: &str, at: &Zoned) -> String {
    let words = &language.dates;
    let weekday = usize::from(at.weekday().to_monday_zero_offset().unsigned_abs());
    let month = usize::from(at.month().unsigned_abs()).saturating_sub(1);
    let hour = at.hour();
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    pattern
        .replace(
            "{weekday}",
            words.weekdays.get(weekday).copied().unwrap_or_default(),
        )
        .replace(
            "{month}",
            words.months.get(month).copied().unwrap_or_default(),
        )
        .replace("{day}", &at.day().to_string())
        .replace("{year}", &at.year().to_string())
        .replace("{hour12}", &hour12.to_string())
        .replace("{minute}", &format!("{:02}", at.minute()))
        .replace("{am_pm}", words.am_pm[usize::from(hour >= 12)])
        .replace("{zone}", &at.strftime("%Z").to_string())
}

/// `lunes, 23 de noviembre` / `Monday, November 23`.
pub fn day_label_in(language: &Language, at: Timestamp, tz: &TimeZone) -> String {
    fill(language, language.dates.day, &at.to_zoned(tz.clone()))
}

/// `lunes, 23 de noviembre de 2026` / `Monday, November 23, 2026`: a date as messages write it.
pub fn date_label_in(language: &Language, at: Timestamp, tz: &TimeZone) -> String {
    fill(language, language.dates.date, &at.to_zoned(tz.clone()))
}

/// `9:00 a. m.` / `9:00 AM`.
pub fn time_label_in(language: &Language, at: Timestamp, tz: &TimeZone) -> String {
    fill(language, language.dates.time, &at.to_zoned(tz.clone()))
}

/// `lunes, 23 de noviembre de 2026, 9:00 a. m. EST` / `Monday, November 23, 2026 at 9:00 AM
/// EST`: unambiguous, for confirmations and screen readers.
pub fn full_label_in(language: &Language, at: Timestamp, tz: &TimeZone) -> String {
    fill(language, language.dates.full, &at.to_zoned(tz.clone()))
}

/// `Monday, November 23`.
pub fn day_label(at: Timestamp, tz: &TimeZone) -> String {
    day_label_in(lang::DEFAULT, at, tz)
}

/// `9:00 AM`.
pub fn time_label(at: Timestamp, tz: &TimeZone) -> String {
    time_label_in(lang::DEFAULT, at, tz)
}

/// `Monday, November 23, 2026 at 9:00 AM EST`: unambiguous, for confirmations and screen readers.
pub fn full_label(at: Timestamp, tz: &TimeZone) -> String {
    full_label_in(lang::DEFAULT, at, tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("ts")
    }

    #[test]
    fn labels_are_in_the_given_zone() {
        let tz = TimeZone::get("America/New_York").expect("zone");
        let at = at("2026-11-23T14:00:00Z");
        assert_eq!(date_key(at, &tz), "2026-11-23");
        assert_eq!(day_label(at, &tz), "Monday, November 23");
        assert_eq!(time_label(at, &tz), "9:00 AM");
        assert_eq!(
            full_label(at, &tz),
            "Monday, November 23, 2026 at 9:00 AM EST"
        );
    }

    #[test]
    fn spanish_writes_dates_and_times_its_own_way() {
        let tz = TimeZone::get("America/New_York").expect("zone");
        let es = lang::of("es");
        let morning = at("2026-12-03T13:00:00Z");
        assert_eq!(day_label_in(es, morning, &tz), "jueves, 3 de diciembre");
        assert_eq!(time_label_in(es, morning, &tz), "8:00 a. m.");
        assert_eq!(
            full_label_in(es, morning, &tz),
            "jueves, 3 de diciembre de 2026, 8:00 a. m. EST"
        );
        let noon = at("2026-12-03T17:05:00Z");
        assert_eq!(time_label_in(es, noon, &tz), "12:05 p. m.");
    }

    #[test]
    fn english_matches_strftime_around_the_clock() {
        let tz = TimeZone::get("America/Chicago").expect("zone");
        for hour in 0..24 {
            let t = at(&format!("2026-03-08T{hour:02}:30:00Z"));
            let z = t.to_zoned(tz.clone());
            assert_eq!(time_label(t, &tz), z.strftime("%-I:%M %p").to_string());
            assert_eq!(day_label(t, &tz), z.strftime("%A, %B %-d").to_string());
            assert_eq!(
                full_label(t, &tz),
                z.strftime("%A, %B %-d, %Y at %-I:%M %p %Z").to_string()
            );
        }
    }
}
