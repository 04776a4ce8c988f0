//! How a booking is shown to its patient: the one place that renders times and links (the
//! widget's view, messages and calendar files all read it).

pub mod ics;
pub mod staff_item;

use crate::catalog::Catalog;
use crate::store::appointments::AppointmentRow;
use ics::calendar_file;
use jiff::Timestamp;
use slotwise_shared::api::{BookingLocation, BookingView, CalendarLinks, Named};
use slotwise_shared::calendar::google_calendar_url;
use slotwise_shared::lang::Language;
use slotwise_shared::model::{AppointmentStatus, LocationId};
use slotwise_shared::{labels, paths};

/// Title of calendar entries: never the reason for visit (health data stays off calendars).
pub fn calendar_title(catalog: &Catalog, language: &Language) -> String {
    language.say(
        "booking.calendar_title",
        &[("practice", &catalog.practice.name)],
    )
}

/// How to change the visit, for calendar entries: no manage link (calendars are shared, and
/// the Google link's text is sent to Google).
fn calendar_details(catalog: &Catalog, language: &Language) -> String {
    language.say(
        "booking.calendar_details",
        &[
            ("practice", &catalog.practice.name),
            ("phone", &catalog.practice.phone),
        ],
    )
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

/// The patient's view of a booking, in `language` (the time's label, the default confirmation
/// text, the calendar entry).
pub fn booking_view(
    catalog: &Catalog,
    row: &AppointmentRow,
    links: &BookingLinks,
    now: i64,
    language: &Language,
) -> BookingView {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(row.starts_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let end = Timestamp::from_second(row.ends_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let status = AppointmentStatus::parse(&row.status).unwrap_or(AppointmentStatus::Booked);
    let provider = row.provider_id;
    let reason = row.reason_id;
    let location = catalog.location(row.location_id);
    let confirmation_text = if catalog.practice.confirmation_text.trim().is_empty() {
        language.say("booking.confirmation", &[])
    } else {
        catalog.practice.confirmation_text.clone()
    };
    let open = matches!(
        status,
        AppointmentStatus::Booked | AppointmentStatus::Confirmed
    ) && row.starts_at > now;
    let late = catalog
        .reason(reason)
        .is_some_and(|r| r.policy.too_late(row.starts_at, row.created_at, now));
    BookingView {
        reference: row.reference.clone().unwrap_or_default(),
        status,
        start,
        end,
        timezone: catalog.practice.timezone.clone(),
        when_label: labels::full_label_in(language, start, tz),
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
                &calendar_title(catalog, language),
                start,
                end,
                &calendar_details(catalog, language),
                &location_line(catalog, row.location_id),
            ),
        },
        confirmation_text,
        can_change: open && !late,
        late_change: open && late,
    }
}

/// The booking's calendar file (`.ics`): for the download link and email attachments. It
/// carries no manage link: calendars are shared, synced and forwarded, and the link lets
/// whoever holds it cancel the visit (the confirmation message has it).
pub fn booking_calendar_file(
    catalog: &Catalog,
    row: &AppointmentRow,
    public_url: &str,
    language: &Language,
) -> String {
    calendar_file(
        row,
        &calendar_title(catalog, language),
        &location_line(catalog, row.location_id),
        &calendar_details(catalog, language),
        public_url,
    )
}

/// One calendar file holding every visit of a procedure, in `language`.
pub fn procedure_calendar_file(
    catalog: &Catalog,
    rows: &[AppointmentRow],
    public_url: &str,
    language: &Language,
) -> String {
    let located: Vec<_> = rows
        .iter()
        .map(|row| (row, location_line(catalog, row.location_id)))
        .collect();
    ics::calendar_file_of_all(
        &located,
        &calendar_title(catalog, language),
        &calendar_details(catalog, language),
        public_url,
    )
}
