//! Wire types of the staff console's API (`/api/v1/admin/...`): sessions, practice setup,
//! appointments, the booking queue, the dashboard and the audit log.

use crate::model::{Eligibility, ProviderId, ReasonId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What a staff member may do. Owners also manage staff; front desk runs the day only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    FrontDesk,
    Admin,
    Owner,
}

impl StaffRole {
    /// Stable storage/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::FrontDesk => "front_desk",
            StaffRole::Admin => "admin",
            StaffRole::Owner => "owner",
        }
    }

    /// The role of a stored name.
    pub fn parse(s: &str) -> Option<StaffRole> {
        match s {
            "front_desk" => Some(StaffRole::FrontDesk),
            "admin" => Some(StaffRole::Admin),
            "owner" => Some(StaffRole::Owner),
            _ => None,
        }
    }

    /// How the console names the role.
    pub fn label(self) -> &'static str {
        match self {
            StaffRole::FrontDesk => "Front desk",
            StaffRole::Admin => "Admin",
            StaffRole::Owner => "Owner",
        }
    }
}

/// `POST session`: sign in.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A staff member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: StaffRole,
    /// A disabled account cannot sign in and has no sessions; owners and admins enable it
    /// again.
    #[serde(default)]
    pub disabled: bool,
}

/// `POST staff`: a new staff member (owners only).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub role: StaffRole,
    pub password: String,
}

/// The signed-in staff member, their practice, and the token every change must carry in the
/// `X-CSRF-Token` header.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub staff: StaffView,
    pub practice_slug: String,
    pub practice_name: String,
    pub timezone: String,
    pub csrf_token: String,
}

/// Practice-wide settings staff can change (branding, widget behaviour, messages' wording).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeSettings {
    /// 1–120 characters, not only white space.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = "[^\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
        )
    )]
    pub name: String,
    pub phone: String,
    /// `#rrggbb`.
    pub accent_color: String,
    pub logo_url: Option<String>,
    /// Minutes a chosen time is held while the patient finishes (1–60).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    pub hold_minutes: u32,
    pub existing_patients_only: bool,
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub confirmation_text: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub out_of_network_text: String,
    /// Origins of the websites allowed to embed the widget, e.g. `https://example-dental.com`.
    pub allowed_origins: Vec<String>,
    /// Hours after which a pending booking-queue entry expires (1–720).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 720))]
    pub queue_expiry_hours: u32,
    #[serde(default)]
    pub kind: crate::patients::PracticeKind,
    /// Intake form for new patients (`https://…`), linked from their confirmation; may be empty.
    #[serde(default)]
    pub intake_url: String,
    /// The country (ISO 3166-1 alpha-2, e.g. `US`) whose national phone numbers patients may
    /// type; empty: the country of the practice's phone number.
    #[serde(default)]
    pub country: String,
    /// Whether patients may choose "Any location" for a reason offered at several locations
    /// (default: yes).
    #[serde(default = "offered")]
    pub any_location: bool,
    /// The language patients read when neither they nor their browser choose one: a code of
    /// the languages in `booking-config` (`en`, `es`).
    #[serde(default = "english")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub default_lang: String,
    /// A freed time is offered to this many waitlist patients at a time (default 3).
    #[serde(default = "wave_size")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20))]
    pub waitlist_wave_size: u32,
    /// Minutes between waves of offers while the time is still free (default 10).
    #[serde(default = "wave_minutes")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 240))]
    pub waitlist_wave_minutes: u32,
    /// Confirmation policy: patients with at least this many no-shows in the last
    /// `confirm_months` months must confirm a booking (0, the default: nobody must).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 20))]
    pub confirm_no_shows: u32,
    /// The policy's look-back in months of 30 days (default 12).
    #[serde(default = "confirm_months")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 36))]
    pub confirm_months: u32,
    /// The confirmation deadline, in hours before the visit (default 24).
    #[serde(default = "confirm_hours")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 168))]
    pub confirm_hours: u32,
    /// Unconfirmed at the deadline: cancel the booking, tell the patient and offer the time to
    /// the waitlist (otherwise the team is only alerted).
    #[serde(default)]
    pub confirm_release: bool,
}

/// The confirmation policy's look-back, unless the practice says otherwise.
fn confirm_months() -> u32 {
    12
}

/// The confirmation deadline before the visit, unless the practice says otherwise.
fn confirm_hours() -> u32 {
    24
}

/// Waitlist patients offered a freed time at once, unless the practice says otherwise.
fn wave_size() -> u32 {
    3
}

/// Minutes between waves, unless the practice says otherwise.
fn wave_minutes() -> u32 {
    10
}

/// The default language.
fn english() -> String {
    "en".to_string()
}

/// The default of settings that are on unless turned off.
fn offered() -> bool {
    true
}

/// `GET practice`: the settings plus what staff cannot change here.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeView {
    pub slug: String,
    pub timezone: String,
    pub settings: PracticeSettings,
}

/// A room or chair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatoryView {
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    pub kind: String,
}

/// A location with its rooms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationView {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub timezone: String,
    pub operatories: Vec<OperatoryView>,
}

/// `POST locations`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationInput {
    pub name: String,
    pub address: String,
    /// IANA zone; empty means the practice's.
    pub timezone: String,
}

/// `POST operatories`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatoryInput {
    pub location_id: i64,
    pub name: String,
    pub kind: String,
}

/// One weekly working window: `weekday` 1 = Monday … 7 = Sunday, times `HH:MM` local.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursRow {
    pub location_id: i64,
    pub weekday: u8,
    pub start: String,
    pub end: String,
}

/// `PUT providers/{id}/hours`: the provider's whole week (replaces what was there).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursUpdate {
    pub hours: Vec<HoursRow>,
}

/// A block of time a provider is away.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeOffView {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: Timestamp,
    /// The span in the practice's timezone, e.g. "Mon 1 Dec 09:00 – Mon 1 Dec 12:00".
    pub label: String,
    pub note: String,
}

/// `POST providers/{id}/time-off`: local dates, and times unless whole days.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeOffInput {
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// `HH:MM`; empty for the whole day.
    #[serde(default)]
    pub start_time: String,
    pub end_date: String,
    /// `HH:MM`; empty for the whole day.
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub note: String,
}

/// A provider as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderView {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub bio: String,
    pub photo_url: Option<String>,
    pub bookable: bool,
    /// Their Practitioner id in the practice's FHIR system (empty: Slotwise's id is used).
    #[serde(default)]
    pub external_id: String,
    pub hours: Vec<HoursRow>,
    /// Time off that has not ended yet.
    pub time_off: Vec<TimeOffView>,
}

/// `POST providers`, `PUT providers/{id}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderInput {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub bio: String,
    #[serde(default)]
    pub photo_url: Option<String>,
    pub bookable: bool,
    /// Their Practitioner id in the practice's FHIR system; empty keeps Slotwise's id.
    #[serde(default)]
    pub external_id: String,
}

/// `POST reasons`, `PUT reasons/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonInput {
    /// 1–100 characters, not only white space.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "[^\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 720))]
    pub duration_min: u32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 240))]
    pub buffer_before_min: u32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 240))]
    pub buffer_after_min: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 720))]
    pub interval_min: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 43200))]
    pub min_notice_min: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 730))]
    pub horizon_days: u32,
    pub eligibility: Eligibility,
    #[serde(default)]
    pub operatory_kind: Option<String>,
    pub active: bool,
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub provider_ids: Vec<i64>,
    /// Sent to the patient when an appointment for this reason is marked completed (empty:
    /// no aftercare message).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub aftercare: String,
    /// Late-cancellation window: this many hours before the visit a patient may no longer
    /// cancel or move it online (they call; staff still can). 0: none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 720))]
    pub late_cancel_hours: u32,
    /// Grace period: for this many minutes after booking the patient may cancel or move
    /// freely, even inside the late-cancellation window. 0: none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub grace_minutes: u32,
}

/// A reason for visit, with its direct booking link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonView {
    pub id: i64,
    #[serde(flatten)]
    pub input: ReasonInput,
    pub direct_link: String,
}

/// An accepted insurance carrier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarrierView {
    pub id: i64,
    pub name: String,
    pub member_id_required: bool,
}

/// `POST insurance`, `PUT insurance/{id}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarrierInput {
    /// 1–100 characters, not the name of a carrier on the list already.
    #[cfg_attr(
        feature = "openapi",
        // Not only white space (Unicode `White_Space`, which the server trims).
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "[^\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
        )
    )]
    pub name: String,
    pub member_id_required: bool,
}

/// Setup lists in one answer (what the console's setup screens read).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetupView {
    pub locations: Vec<LocationView>,
    pub providers: Vec<ProviderView>,
    pub reasons: Vec<ReasonView>,
    pub carriers: Vec<CarrierView>,
}

/// An appointment in the staff list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentItem {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub source: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: Timestamp,
    /// Date and time in the practice's timezone, e.g. "Tue 2 Dec 2026, 9:30 AM".
    pub when_label: String,
    pub provider_id: i64,
    pub provider_name: String,
    pub reason_id: i64,
    pub reason_name: String,
    pub patient_id: Option<i64>,
    pub patient_name: String,
    pub phone: String,
    pub email: String,
    pub patient_type: String,
    /// The patient's automated messages are paused (they opted out, or staff paused them).
    #[serde(default)]
    pub automations_paused: bool,
    /// The language the patient reads (a code); `null`: the practice's default.
    #[serde(default)]
    pub patient_lang: Option<String>,
    /// The confirmation policy: empty (not asked), `asked` (the patient must confirm by the
    /// deadline) or `missed` (the deadline passed unconfirmed: call the patient).
    #[serde(default)]
    pub confirmation: String,
}

/// `GET appointments`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentList {
    pub appointments: Vec<AppointmentItem>,
}

/// Filters of `GET appointments` (and the CSV export): all optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AppointmentFilter {
    /// Patient name, phone or reference.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: String,
    /// First local date, `YYYY-MM-DD` (empty: no lower bound).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = crate::openapi_schemas::date_or_empty),
        schema(schema_with = crate::openapi_schemas::date_or_empty)
    )]
    pub from: String,
    /// Last local date, `YYYY-MM-DD`, inclusive (empty: no upper bound).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = crate::openapi_schemas::date_or_empty),
        schema(schema_with = crate::openapi_schemas::date_or_empty)
    )]
    pub to: String,
    /// Only this provider's appointments.
    #[serde(default)]
    pub provider_id: Option<i64>,
    /// Only appointments for this reason.
    #[serde(default)]
    pub reason_id: Option<i64>,
    /// Only appointments with this status (empty: any).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = crate::openapi_schemas::appointment_status_or_empty),
        schema(schema_with = crate::openapi_schemas::appointment_status_or_empty)
    )]
    pub status: String,
    /// Only appointments booked this way (empty: any).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = crate::openapi_schemas::booking_source_or_empty),
        schema(schema_with = crate::openapi_schemas::booking_source_or_empty)
    )]
    pub source: String,
}

impl AppointmentFilter {
    /// As a query string (without `?`).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", self.q.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("status", self.status.as_str()),
            ("source", self.source.as_str()),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", urlencoding::encode(v)));
            }
        }
        if let Some(id) = self.provider_id {
            parts.push(format!("provider_id={id}"));
        }
        if let Some(id) = self.reason_id {
            parts.push(format!("reason_id={id}"));
        }
        parts.join("&")
    }
}

/// What staff can do to an appointment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentAction {
    Confirm,
    Cancel,
    Complete,
    NoShow,
}

impl AppointmentAction {
    /// Path segment and audit name.
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentAction::Confirm => "confirm",
            AppointmentAction::Cancel => "cancel",
            AppointmentAction::Complete => "complete",
            AppointmentAction::NoShow => "no_show",
        }
    }
}

/// `POST appointments/{id}/reschedule`: move into a time held through the public holds API.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffReschedule {
    pub hold_token: String,
}

/// A booking-queue entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueEntryView {
    pub id: i64,
    /// `booking` (the schedule of record could not take it), `procedure` (a whole procedure
    /// it could not take, booked as one) or `request`.
    pub kind: String,
    /// `pending`, `completed`, `cancelled` or `expired`.
    pub status: String,
    pub patient_name: String,
    pub phone: String,
    pub email: String,
    pub reason_name: String,
    pub provider_name: String,
    /// The wanted time in the practice's timezone, empty for requests without one.
    pub when_label: String,
    pub preference: String,
    pub detail: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<Timestamp>,
    pub resolved_by: Option<String>,
    /// A booking the practice system could not take: retried automatically when it answers.
    #[serde(default)]
    pub retrying: bool,
    #[serde(default)]
    pub attempts: i64,
    /// Why the last automatic retry did not book it.
    #[serde(default)]
    pub last_error: Option<String>,
    /// A procedure entry's visits in step order, each with its time and provider (completing
    /// the entry books them all at these times).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visits: Vec<String>,
}

/// `GET booking-queue?status=`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueList {
    pub entries: Vec<QueueEntryView>,
}

/// One bar of a chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub label: String,
    pub count: i64,
}

/// `GET dashboard?from=&to=`: bookings made in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    pub total: i64,
    pub by_status: Vec<Count>,
    pub new_vs_returning: Vec<Count>,
    pub referrers: Vec<Count>,
    pub utm_sources: Vec<Count>,
    pub by_source: Vec<Count>,
    /// Appointment start hours (local), "08:00" … .
    pub busiest_hours: Vec<Count>,
    /// Procedures started in the period and how far they got.
    #[serde(default)]
    pub procedures: ProcedureStats,
    /// Times freed in the period and how the waitlist refilled them.
    #[serde(default)]
    pub waitlist: WaitlistStats,
}

/// Times freed in a period (cancellations, moves) and the waitlist's part in refilling them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistStats {
    /// Times freed while still ahead.
    pub freed: i64,
    /// Freed times offered to the waitlist and booked again.
    pub refilled: i64,
    /// Average hours from a time being freed to its booking again (refilled times only).
    #[serde(default)]
    pub hours_to_refill: Option<f64>,
    /// Average offers sent per refilled time.
    #[serde(default)]
    pub offers_per_refill: Option<f64>,
}

/// Procedures started in a period: how many, how many are done or cancelled, and how many
/// reached each visit (the drop-off between visits).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureStats {
    pub started: i64,
    /// Every visit done.
    pub completed: i64,
    pub cancelled: i64,
    /// Visits done, by visit number ("Visit 1", "Visit 2", …).
    pub visits_done: Vec<Count>,
}

/// An audit-log line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub target: String,
}

/// `GET audit`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
}

/// `POST templates/preview`: a template rendered with sample values.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplatePreview {
    pub subject: String,
    pub body: String,
}

/// `POST booking-queue/{id}/complete`: when the visit was booked (local date `YYYY-MM-DD` and
/// `HH:MM`); empty fields keep the time the patient asked for.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueCompletion {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub time: String,
    /// Who the visit is with, when the entry does not say (a request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<ProviderId>,
    /// What the visit is for, when the entry does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_id: Option<ReasonId>,
}

/// Which system is the practice's schedule of record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PmsKind {
    /// Slotwise itself.
    #[default]
    Builtin,
    /// A FHIR R4 server: busy Slots and Appointments are read, bookings written as Appointments.
    Fhir,
}

/// `PUT pms`: the practice-management connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PmsSettings {
    pub kind: PmsKind,
    /// The FHIR base URL, e.g. `https://ehr.example/fhir` (FHIR only).
    #[serde(default)]
    pub base_url: String,
    /// Bearer token; `None` keeps the stored one.
    #[serde(default)]
    pub auth_token: Option<String>,
}

/// `GET pms`: the connection and its health.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PmsView {
    pub kind: PmsKind,
    pub base_url: String,
    pub has_token: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_success_at: Option<Timestamp>,
    pub last_error: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_error_at: Option<Timestamp>,
    /// Queued bookings waiting for the connection.
    pub waiting: i64,
    /// Cancellations and moves made here that the practice system has not taken yet.
    #[serde(default)]
    pub changes_waiting: i64,
    /// Cancellations and moves the practice system refused: staff change them there by hand.
    #[serde(default)]
    pub changes_failed: i64,
}
