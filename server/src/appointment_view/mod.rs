//! How a booking is shown to its patient: the one place that renders times and links (the
//! widget's view, messages and calendar files all read it).

pub mod ics;

use crate::catalog::Catalog;
use crate::store::appointments::AppointmentRow;
use ics::calendar_file;
use jiff::Timestamp;
use slotwise_shared::api::{BookingLocation, BookingView, CalendarLinks, Named};
use slotwise_shared::calendar::google_calendar_url;
use slotwise_shared::model::{AppointmentStatus, LocationId};
use slotwise_shared::{labels, paths};

/// What the confirmation screen says when the practice has not written its own text.
pub const DEFAULT_CONFIRMATION: &str =
    "You're all set. We look forward to seeing you! If your plans change, use the link in your confirmation to reschedule or cancel.";

/// Title of calendar entries: never the reason for visit (health data stays off calendars).
pub fn calendar_title(catalog: &Catalog) -> String {
    format!("Appointment at {}", catalog.practice.name)
}

/// Links that manage a booking.
pub struct BookingLinks {
    pub manage_url: String,
    pub ics_url: String,
}

impl BookingLinks {
    /// Links for a manage token.
    pub fn new(public_url: &str, slug: &str, token: &str) -> Self {
        let base = public_url.trim_end_matches('/');
        BookingLinks {
            manage_url: format!("{base}{}", paths::manage_page(slug, token)),
            ics_url: format!("{base}{}", paths::calendar_ics(slug, token)),
        }
    }
}

/// Location name and address on one line.
pub fn location_line(catalog: &Catalog, id: LocationId) -> String {
    match catalog.location(id) {
        Some(l) if !l.address.is_empty() => format!("{}, {}", l.name, l.address),
        Some(l) => l.name.clone(),
        None => catalog.practice.name.clone(),
    }
}

/// The patient's view of a booking.
pub fn booking_view(
    catalog: &Catalog,
    row: &AppointmentRow,
    links: &BookingLinks,
    now: i64,
) -> BookingView {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(row.starts_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let end = Timestamp::from_second(row.ends_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let status = AppointmentStatus::parse(&row.status).unwrap_or(AppointmentStatus::Booked);
    let provider = row.provider_id;
    let reason = row.reason_id;
    let location = catalog.location(row.location_id);
    // The manage link stays out of the Google link: that text is sent to Google.
    let details = format!(
        "To change or cancel, use the link in your confirmation or call {} at {}.",
        catalog.practice.name, catalog.practice.phone
    );
    let confirmation_text = if catalog.practice.confirmation_text.trim().is_empty() {
        DEFAULT_CONFIRMATION.to_string()
    } else {
        catalog.practice.confirmation_text.clone()
    };
    BookingView {
        reference: row.reference.clone().unwrap_or_default(),
        status,
        start,
        end,
        timezone: catalog.practice.timezone.clone(),
        when_label: labels::full_label(start, tz),
        practice_name: catalog.practice.name.clone(),
        practice_phone: catalog.practice.phone.clone(),
        provider: Named {
            id: provider,
            name: catalog
                .provider(provider)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        },
        reason: Named {
            id: reason,
            name: catalog
                .reasons
                .iter()
                .find(|r| r.id == reason)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
        },
        location: BookingLocation {
            id: row.location_id,
            name: location.map(|l| l.name.clone()).unwrap_or_default(),
            address: location.map(|l| l.address.clone()).unwrap_or_default(),
        },
        manage_url: links.manage_url.clone(),
        calendar: CalendarLinks {
            ics_url: links.ics_url.clone(),
            google_url: google_calendar_url(
                &calendar_title(catalog),
                start,
                end,
                &details,
                &location_line(catalog, row.location_id),
            ),
        },
        confirmation_text,
        can_change: matches!(
            status,
            AppointmentStatus::Booked | AppointmentStatus::Confirmed
        ) && row.starts_at > now,
    }
}

/// The booking's calendar file (`.ics`): for the download link and email attachments. It
/// carries no manage link: calendars are shared, synced and forwarded, and the link lets
/// whoever holds it cancel the visit (the confirmation message has it).
pub fn booking_calendar_file(catalog: &Catalog, row: &AppointmentRow, public_url: &str) -> String {
    calendar_file(
        row,
        &calendar_title(catalog),
        &location_line(catalog, row.location_id),
        &format!(
            "To change or cancel, use the link in your confirmation, or call {} at {}.",
            catalog.practice.name, catalog.practice.phone
        ),
        public_url,
    )
}
