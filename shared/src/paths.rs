//! API paths, written once for the server's router, the client and the tests.

/// One path segment, percent-encoded: values from links can never reach another path.
fn segment(value: &str) -> std::borrow::Cow<'_, str> {
    urlencoding::encode(value)
}

/// Version prefix of the public API.
pub const API: &str = "/api/v1";
/// Liveness probe.
pub const HEALTHZ: &str = "/healthz";

/// `GET`: what the widget needs to render the practice.
pub fn booking_config(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/booking-config")
}

/// `GET`: free times.
pub fn slots(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/slots")
}

/// `POST`: hold a time.
pub fn holds(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/holds")
}

/// `POST`: give a hold back.
pub fn release_hold(slug: &str, token: &str) -> String {
    format!("{}/{}/release", holds(slug), segment(token))
}

/// `POST`: book a held time.
pub fn bookings(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/bookings")
}

/// `GET`: a booking by its manage token.
pub fn booking(slug: &str, token: &str) -> String {
    let (slug, token) = (segment(slug), segment(token));
    format!("{API}/practices/{slug}/bookings/{token}")
}

/// `POST`: cancel a booking.
pub fn cancel(slug: &str, token: &str) -> String {
    format!("{}/cancel", booking(slug, token))
}

/// `POST`: move a booking to a newly held time.
pub fn reschedule(slug: &str, token: &str) -> String {
    format!("{}/reschedule", booking(slug, token))
}

/// `GET`: the booking as an RFC 5545 calendar file.
pub fn calendar_ics(slug: &str, token: &str) -> String {
    format!("{}/calendar.ics", booking(slug, token))
}

/// The patient-facing page that manages a booking (served by the widget).
pub fn manage_page(slug: &str, token: &str) -> String {
    let (slug, token) = (segment(slug), segment(token));
    format!("/book/{slug}/manage/{token}")
}
