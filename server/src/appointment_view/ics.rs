//! RFC 5545 calendar files for bookings. The title names the practice, never the reason.

use crate::store::appointments::AppointmentRow;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use jiff::Timestamp;

/// `20261123T140000Z`: RFC 5545 UTC form.
fn utc(seconds: i64) -> String {
    let ts = Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH);
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The VEVENT of an appointment, with a stable UID so re-imports update it.
fn event_of(
    row: &AppointmentRow,
    title: &str,
    location: &str,
    description: &str,
    public_url: &str,
) -> Event {
    let host = public_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split(['/', ':'])
        .next()
        .unwrap_or("slotwise");
    let uid = format!("{}@{host}", row.reference.as_deref().unwrap_or("booking"));
    let mut event = Event::new();
    event
        .uid(&uid)
        .summary(title)
        .location(location)
        .description(description)
        .add_property("DTSTART", utc(row.starts_at))
        .add_property("DTEND", utc(row.ends_at))
        // Grows with every change, so calendars replace an older copy of the event.
        .add_property("SEQUENCE", row.revision.max(0).to_string())
        .add_property("LAST-MODIFIED", utc(row.updated_at));
    if row.status == "cancelled" {
        event.status(EventStatus::Cancelled);
    } else {
        event.status(EventStatus::Confirmed);
    }
    event.done()
}

/// One VEVENT for the appointment.
pub fn calendar_file(
    row: &AppointmentRow,
    title: &str,
    location: &str,
    description: &str,
    public_url: &str,
) -> String {
    let event = event_of(row, title, location, description, public_url);
    Calendar::new().name(title).push(event).done().to_string()
}

/// One file with a VEVENT per appointment (each with its location line): a procedure's visits.
pub fn calendar_file_of_all(
    rows: &[(&AppointmentRow, String)],
    title: &str,
    description: &str,
    public_url: &str,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(title);
    for (row, location) in rows {
        calendar.push(event_of(row, title, location, description, public_url));
    }
    calendar.done().to_string()
}
