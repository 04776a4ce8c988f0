//! "Add to Calendar" links that need no server round trip.

use jiff::Timestamp;

/// A Google Calendar "create event" template link.
pub fn google_calendar_url(
    title: &str,
    start: Timestamp,
    end: Timestamp,
    details: &str,
    location: &str,
) -> String {
    let fmt = |t: Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
        urlencoding::encode(title),
        fmt(start),
        fmt(end),
        urlencoding::encode(details),
        urlencoding::encode(location),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_link_carries_utc_times_and_encoded_text() {
        let start: Timestamp = "2026-11-23T14:00:00Z".parse().expect("ts");
        let end: Timestamp = "2026-11-23T14:30:00Z".parse().expect("ts");
        let url = google_calendar_url(
            "Appointment at Smile & Co",
            start,
            end,
            "Manage",
            "1 Main St",
        );
        assert!(url.contains("dates=20261123T140000Z/20261123T143000Z"));
        assert!(url.contains("text=Appointment%20at%20Smile%20%26%20Co"));
    }
}
