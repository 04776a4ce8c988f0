//! Staff type dates and times in the practice's timezone; these turn them into instants.

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Minutes after midnight of `HH:MM` (24:00 allowed as the end of a day). Only digits count
/// (no signs), and the arithmetic is checked: any number, however long, is an answer or `None`,
/// never an overflow.
pub fn minutes_of(hhmm: &str) -> Option<i64> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let number = |s: &str| -> Option<i64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (h, m) = (number(h)?, number(m)?);
    let total = h.checked_mul(60)?.checked_add(m)?;
    ((0..60).contains(&m) && (0..=1440).contains(&total)).then_some(total)
}

/// A local `YYYY-MM-DD`.
pub fn date_of(text: &str) -> Option<Date> {
    text.trim().parse().ok()
}

/// UTC seconds of `minutes` (0–1439) after local midnight of `date` in `tz`; a time skipped
/// by a DST change resolves as jiff's compatible rule says (later).
pub fn local_instant(date: Date, minutes: i64, tz: &TimeZone) -> Option<i64> {
    if !(0..1440).contains(&minutes) {
        return None;
    }
    let (h, m) = (
        i8::try_from(minutes / 60).ok()?,
        i8::try_from(minutes % 60).ok()?,
    );
    let zoned = date.at(h, m, 0, 0).to_zoned(tz.clone()).ok()?;
    Some(zoned.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_turn_into_instants_in_the_practice_zone() {
        assert_eq!(minutes_of("09:30"), Some(570));
        assert_eq!(minutes_of("24:00"), Some(1440));
        assert_eq!(minutes_of("9:75"), None);
        assert_eq!(minutes_of("nine"), None);
        assert_eq!(minutes_of("-1:30"), None);
        assert_eq!(minutes_of("+9:30"), None);
    }

    #[test]
    fn huge_hours_and_minutes_are_refused_without_overflow() {
        // 153722867280912931 * 60 is past i64::MAX; i64::MAX itself parses but cannot be hours.
        for text in [
            "153722867280912931:00",
            "9223372036854775807:00",
            "9223372036854775807:59",
            "00:9223372036854775807",
            "99999999999999999999999999:00",
            "153722867280912930:59",
        ] {
            assert_eq!(minutes_of(text), None, "{text}");
        }
        assert_eq!(minutes_of("0:1440"), None, "minutes stay under 60");
        let tz = TimeZone::get("America/New_York").expect("tz");
        let day = date_of("2026-12-01").expect("date");
        // 09:00 EST is 14:00 UTC.
        assert_eq!(local_instant(day, 540, &tz), Some(1_796_133_600));
        assert_eq!(local_instant(day, 1440, &tz), None);
        assert!(date_of("yesterday").is_none());
    }
}
