//! Times and dates on the wire: written in jiff's RFC 3339 form (`2026-11-23T14:00:00Z`,
//! `2026-11-23`) and read by a small exact parser for those forms. The browser build needs no
//! general date parser (it is most of jiff's size in wasm); natively, other RFC 3339 forms
//! (offsets like `+01:00`) are still accepted through jiff.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use std::borrow::Cow;

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD`, exactly.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&s[0..4])?;
    let month = digits(&s[5..7])?;
    let day = digits(&s[8..10])?;
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
pub fn parse_utc(s: &str) -> Option<Timestamp> {
    let rest = s.strip_suffix('Z').or_else(|| s.strip_suffix('z'))?;
    let (date, time) = rest.split_once(['T', 't', ' '])?;
    let date = parse_date(date)?;
    let (hms, fraction) = match time.split_once('.') {
        Some((hms, f)) if !f.is_empty() && f.len() <= 9 => (hms, Some(f)),
        Some(_) => return None,
        None => (time, None),
    };
    let b = hms.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, sec) = (
        digits(&hms[0..2])?,
        digits(&hms[3..5])?,
        digits(&hms[6..8])?,
    );
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let nanos = match fraction {
        Some(f) => digits(f)? * 10_i64.pow(9 - f.len() as u32),
        None => 0,
    };
    let days = days_since_epoch(date);
    let seconds = days * 86_400 + h * 3600 + m * 60 + sec;
    Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
}

/// Days from 1970-01-01 to `date` (the proleptic Gregorian civil-day count).
fn days_since_epoch(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month()), i64::from(date.day()));
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    Cow::<'de, str>::deserialize(d)
}

/// `#[serde(with = "wire_time::timestamp")]`
pub mod timestamp {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(t)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = text(d)?;
        let parsed = parse_utc(&s);
        #[cfg(not(target_arch = "wasm32"))]
        let parsed = parsed.or_else(|| s.parse().ok());
        parsed.ok_or_else(|| {
            D::Error::custom("expected an RFC 3339 timestamp such as 2026-11-23T14:00:00Z")
        })
    }
}

/// `#[serde(with = "wire_time::date")]`
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        parse_date(&text(d)?).ok_or_else(|| D::Error::custom("expected a date as YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn what_jiff_writes_is_read_back_exactly(seconds in -2_000_000_000_i64..5_000_000_000, nanos in 0_i32..1_000_000_000) {
            let t = Timestamp::new(seconds, nanos).expect("in range");
            prop_assert_eq!(parse_utc(&t.to_string()), Some(t));
            let date = t.to_zoned(jiff::tz::TimeZone::UTC).date();
            prop_assert_eq!(parse_date(&date.to_string()), Some(date));
        }
    }

    #[test]
    fn malformed_times_and_dates_are_refused() {
        for bad in [
            "2026-11-23T14:00:00",
            "2026-11-23T24:00:00Z",
            "2026-11-23T14:00Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-23T14:00:00.Z",
            "+2026-11-23T14:00:00Z",
            "",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
        for bad in [
            "2026-1-23",
            "2026-11-31",
            "20261123",
            "2026-11-23T00:00:00Z",
            "-026-11-23",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
