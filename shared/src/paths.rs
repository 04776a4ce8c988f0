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

/// `GET`: the procedures patients may book online.
pub fn procedures(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/procedures")
}

/// `GET`: chains of free times for a procedure.
pub fn procedure_chains(slug: &str, procedure: i64) -> String {
    format!("{}/{procedure}/chains", procedures(slug))
}

/// `POST`: where one step of a chain may move.
pub fn procedure_step_times(slug: &str, procedure: i64) -> String {
    format!("{}/{procedure}/step-times", procedures(slug))
}

/// `POST`: hold every step of a chain.
pub fn procedure_holds(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/procedure-holds")
}

/// `POST`: give a held chain back.
pub fn release_procedure_hold(slug: &str, token: &str) -> String {
    format!("{}/{}/release", procedure_holds(slug), segment(token))
}

/// `POST`: book a held chain.
pub fn procedure_bookings(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/procedure-bookings")
}

/// `POST`: a returning patient asks for a one-time code.
pub fn patient_lookup(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/patients/lookup")
}

/// `POST`: a returning patient proves the code and sees their household.
pub fn patient_verify(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/patients/verify")
}

/// `POST`: ask the practice to call back with an appointment.
pub fn appointment_requests(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/appointment-requests")
}

/// `POST`: a patient opened a personal recall or rebooking link.
pub fn open_link(slug: &str, token: &str) -> String {
    let (slug, token) = (segment(slug), segment(token));
    format!("{API}/practices/{slug}/links/{token}/open")
}

/// The page a personal booking link opens (the widget, full page).
pub fn personal_link_page(slug: &str, token: &str) -> String {
    let (slug, token) = (segment(slug), segment(token));
    format!("/book/{slug}/link/{token}")
}

/// The page where a patient rates a visit.
pub fn feedback_page(token: &str) -> String {
    format!("/feedback/{}", segment(token))
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

/// `POST`: the patient would take an earlier time for this booking (joins the waitlist).
pub fn booking_waitlist(slug: &str, token: &str) -> String {
    format!("{}/waitlist", booking(slug, token))
}

/// `POST`: join the waitlist for a visit ("tell me if something opens").
pub fn waitlist(slug: &str) -> String {
    let slug = segment(slug);
    format!("{API}/practices/{slug}/waitlist")
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

/// Paths of the staff console's API; the practice always comes from the session (or API key).
pub mod admin {
    /// Prefix of every admin path.
    pub const ADMIN: &str = "/api/v1/admin";
    /// `POST` sign in, `GET` who is signed in, `DELETE` sign out.
    pub const SESSION: &str = "/api/v1/admin/session";
    /// `GET`/`PUT` practice settings.
    pub const PRACTICE: &str = "/api/v1/admin/practice";
    /// `GET` locations, providers, reasons and carriers at once.
    pub const SETUP: &str = "/api/v1/admin/setup";
    /// `GET` how messages go out (channels and reminders).
    pub const MESSAGING: &str = "/api/v1/admin/messaging";
    /// `POST` a location.
    pub const LOCATIONS: &str = "/api/v1/admin/locations";
    /// `POST` a room.
    pub const OPERATORIES: &str = "/api/v1/admin/operatories";
    /// `POST` a provider.
    pub const PROVIDERS: &str = "/api/v1/admin/providers";
    /// `POST` a reason for visit.
    pub const REASONS: &str = "/api/v1/admin/reasons";
    /// `POST` an insurance carrier.
    pub const INSURANCE: &str = "/api/v1/admin/insurance";
    /// `GET` appointments (filters as query).
    pub const APPOINTMENTS: &str = "/api/v1/admin/appointments";
    /// `GET` the appointments as CSV (same filters).
    pub const APPOINTMENTS_CSV: &str = "/api/v1/admin/appointments.csv";
    /// `GET` the booking queue (`?status=`).
    pub const BOOKING_QUEUE: &str = "/api/v1/admin/booking-queue";
    /// `GET` the dashboard (`?from=&to=`).
    pub const DASHBOARD: &str = "/api/v1/admin/dashboard";
    /// `GET`/`PUT` the practice-management connection.
    pub const PMS: &str = "/api/v1/admin/pms";
    /// `GET` the audit log.
    pub const AUDIT: &str = "/api/v1/admin/audit";
    /// `GET`/`POST` staff accounts (owners only).
    pub const STAFF: &str = "/api/v1/admin/staff";
    /// `GET`/`POST` the practice's API keys.
    pub const API_KEYS: &str = "/api/v1/admin/api-keys";
    /// `GET` templates.
    pub const TEMPLATES: &str = "/api/v1/admin/templates";
    /// `GET` outbox messages (`?status=dead` for failed ones).
    pub const MESSAGES: &str = "/api/v1/admin/messages";
    /// The OpenAPI document of the admin API.
    pub const OPENAPI: &str = "/api/v1/openapi.json";

    /// `POST` disable (`disable`) or enable (`enable`) a staff account.
    pub fn staff_action(id: i64, action: &str) -> String {
        format!("{STAFF}/{id}/{action}")
    }
    /// `DELETE` (revoke) an API key.
    pub fn api_key(id: i64) -> String {
        format!("{API_KEYS}/{id}")
    }
    /// `PUT` a provider.
    pub fn provider(id: i64) -> String {
        format!("{PROVIDERS}/{id}")
    }
    /// `PUT` a provider's weekly hours.
    pub fn provider_hours(id: i64) -> String {
        format!("{PROVIDERS}/{id}/hours")
    }
    /// `POST` time off for a provider.
    pub fn provider_time_off(id: i64) -> String {
        format!("{PROVIDERS}/{id}/time-off")
    }
    /// `DELETE` a block of time off.
    pub fn time_off(id: i64) -> String {
        format!("{ADMIN}/time-off/{id}")
    }
    /// `PUT` a reason for visit.
    pub fn reason(id: i64) -> String {
        format!("{REASONS}/{id}")
    }
    /// `PUT`/`DELETE` a carrier.
    pub fn carrier(id: i64) -> String {
        format!("{INSURANCE}/{id}")
    }
    /// `POST` an action (`confirm`, `cancel`, `complete`, `no_show`) on an appointment.
    pub fn appointment_action(id: i64, action: &str) -> String {
        format!("{APPOINTMENTS}/{id}/{action}")
    }
    /// `POST` complete or cancel a booking-queue entry.
    pub fn queue_action(id: i64, action: &str) -> String {
        format!("{BOOKING_QUEUE}/{id}/{action}")
    }
    /// `PUT`/`DELETE` one template in a language.
    pub fn template(event: &str, channel: &str, lang: &str) -> String {
        format!("{TEMPLATES}/{event}/{channel}?lang={lang}")
    }
    /// `POST` a template (in a language) rendered with sample values.
    pub fn template_preview(event: &str, channel: &str, lang: &str) -> String {
        format!("{TEMPLATES}/{event}/{channel}/preview?lang={lang}")
    }
    /// `POST` send a message again.
    pub fn resend(id: i64) -> String {
        format!("{MESSAGES}/{id}/resend")
    }
    /// `PUT` a patient's phone and email.
    pub fn patient_contact(id: i64) -> String {
        format!("{ADMIN}/patients/{id}/contact")
    }
    /// `PUT` the language a patient reads.
    pub fn patient_language(id: i64) -> String {
        format!("{ADMIN}/patients/{id}/language")
    }
    /// `PUT` pause or resume a patient's automated messages.
    pub fn patient_automations(id: i64) -> String {
        format!("{ADMIN}/patients/{id}/automations")
    }
    /// `GET` recall rules with their numbers, `POST` a new one.
    pub const RECALL_RULES: &str = "/api/v1/admin/recall-rules";
    /// `PUT`/`DELETE` one recall rule.
    pub fn recall_rule(id: i64) -> String {
        format!("{RECALL_RULES}/{id}")
    }
    /// `GET` the procedure templates, `POST` a new one.
    pub const PROCEDURE_TEMPLATES: &str = "/api/v1/admin/procedure-templates";
    /// `PUT`/`DELETE` one procedure template.
    pub fn procedure_template(id: i64) -> String {
        format!("{PROCEDURE_TEMPLATES}/{id}")
    }
    /// `GET` patients' procedures, `POST` start one.
    pub const PROCEDURES: &str = "/api/v1/admin/procedures";
    /// `POST` cancel a procedure and its steps booked ahead.
    pub fn procedure_cancel(id: i64) -> String {
        format!("{PROCEDURES}/{id}/cancel")
    }
    /// `POST` send the patient a personal link to book the rest of a procedure.
    pub fn procedure_link(id: i64) -> String {
        format!("{PROCEDURES}/{id}/link")
    }
    /// `GET`/`PUT` no-show follow-ups, feedback and broadcast pace.
    pub const AUTOMATION_SETTINGS: &str = "/api/v1/admin/automations/settings";
    /// `GET` what the automations did in a period.
    pub const AUTOMATION_STATS: &str = "/api/v1/admin/automations/stats";
    /// `GET` sent broadcasts, `POST` send one.
    pub const BROADCASTS: &str = "/api/v1/admin/broadcasts";
    /// `GET` waitlist entries by status, `POST` add a patient.
    pub const WAITLIST: &str = "/api/v1/admin/waitlist";
    /// `POST` take an entry off the waitlist.
    pub fn waitlist_remove(id: i64) -> String {
        format!("{WAITLIST}/{id}/remove")
    }
    /// `GET` the day and week view.
    pub const SCHEDULE: &str = "/api/v1/admin/schedule";
    /// `POST` offer free time to the waitlist now.
    pub const SCHEDULE_OFFER: &str = "/api/v1/admin/schedule/offer";
    /// `POST` staff book a patient into a held time.
    pub const STAFF_BOOKINGS: &str = "/api/v1/admin/bookings";
    /// `POST` who a broadcast would reach, and a sample.
    pub const BROADCAST_PREVIEW: &str = "/api/v1/admin/broadcasts/preview";
    /// `GET` one broadcast and its recipients.
    pub fn broadcast(id: i64) -> String {
        format!("{BROADCASTS}/{id}")
    }
}
