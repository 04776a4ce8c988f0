//! How times are shown to people: one renderer, always in the practice's timezone.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// `2026-11-23`: the local date, used as a stable key for a day.
pub fn date_key(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%Y-%m-%d").to_string()
}

/// `Monday, November 23`.
pub fn day_label(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%A, %B %-d").to_string()
}

/// `9:00 AM`.
pub fn time_label(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%-I:%M %p").to_string()
}

/// `Monday, November 23, 2026 at 9:00 AM EST`: unambiguous, for confirmations and screen readers.
pub fn full_label(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone())
        .strftime("%A, %B %-d, %Y at %-I:%M %p %Z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_in_the_given_zone() {
        let tz = TimeZone::get("America/New_York").expect("zone");
        let at: Timestamp = "2026-11-23T14:00:00Z".parse().expect("ts");
        assert_eq!(date_key(at, &tz), "2026-11-23");
        assert_eq!(day_label(at, &tz), "Monday, November 23");
        assert_eq!(time_label(at, &tz), "9:00 AM");
        assert_eq!(
            full_label(at, &tz),
            "Monday, November 23, 2026 at 9:00 AM EST"
        );
    }
}
