//! Request and response bodies of the public booking API.

use crate::model::{
    AppointmentStatus, CarrierId, Eligibility, LocationId, PatientType, ProviderId, ReasonId,
};
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// `GET booking-config`: everything the widget needs before the first question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingConfig {
    pub practice: PracticeInfo,
    pub settings: PublicSettings,
    pub locations: Vec<LocationInfo>,
    pub reasons: Vec<ReasonInfo>,
    pub providers: Vec<ProviderInfo>,
    pub carriers: Vec<CarrierInfo>,
    /// The languages the booking can be read in, English first.
    #[serde(default)]
    pub languages: Vec<LanguageInfo>,
    /// The language chosen for this patient (`lang`, then `prefer`, then the practice's
    /// default): the code of the texts below.
    #[serde(default)]
    pub lang: String,
    /// The widget's words in that language, by key (`widget.…`, and `check.…`: the messages
    /// of the shared input rules).
    #[serde(default)]
    pub texts: std::collections::BTreeMap<String, String>,
}

/// A language patients can read the booking in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageInfo {
    /// ISO 639-1 (`es`): the value of `lang` parameters.
    pub code: String,
    /// The language's name for itself (`Español`).
    pub name: String,
}

/// Public facts about the practice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PracticeInfo {
    pub slug: String,
    pub name: String,
    pub phone: String,
    /// IANA zone name; every time shown to patients is in this zone.
    pub timezone: String,
    /// The zone as patients name it ("Eastern Time").
    #[serde(default)]
    pub timezone_name: String,
    /// `#RRGGBB`.
    pub accent_color: String,
    pub logo_url: Option<String>,
}

/// Practice settings the widget acts on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSettings {
    pub hold_minutes: u32,
    pub existing_patients_only: bool,
    pub confirmation_text: String,
    pub out_of_network_text: String,
    /// Veterinary practices ask for the pet's name and species.
    #[serde(default)]
    pub practice_kind: crate::patients::PracticeKind,
    /// The country (ISO 3166-1 alpha-2, e.g. `US`) whose national phone numbers patients may
    /// type, like `(415) 555-0147`; empty: numbers need their country code.
    #[serde(default)]
    pub phone_country: String,
    /// Whether patients may choose "Any location" (the first free time at any of the
    /// reason's locations) when a reason is offered at more than one.
    #[serde(default)]
    pub any_location: bool,
    /// The language patients read when neither they nor their browser choose one.
    #[serde(default)]
    pub default_lang: String,
}

/// A practice location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocationInfo {
    pub id: LocationId,
    pub name: String,
    pub address: String,
    pub timezone: String,
}

/// A reason for visit as patients see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonInfo {
    pub id: ReasonId,
    pub name: String,
    pub description: String,
    pub duration_min: u32,
    pub eligibility: Eligibility,
    pub provider_ids: Vec<ProviderId>,
    /// The locations where someone sees patients for this reason, in the practice's order.
    #[serde(default)]
    pub location_ids: Vec<LocationId>,
}

/// A bookable provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderInfo {
    pub id: ProviderId,
    pub name: String,
    pub role: String,
    pub bio: String,
    pub photo_url: Option<String>,
    pub reason_ids: Vec<ReasonId>,
    /// The locations where the provider works.
    #[serde(default)]
    pub location_ids: Vec<LocationId>,
}

/// An accepted insurance carrier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarrierInfo {
    pub id: CarrierId,
    pub name: String,
    pub member_id_required: bool,
}

/// A specific provider, or whoever is free first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderChoice {
    Any,
    Id(ProviderId),
}

impl ProviderChoice {
    /// `any` or a numeric id, as in the `provider` query parameter.
    pub fn parse(s: &str) -> Option<Self> {
        if s.is_empty() || s == "any" {
            return Some(ProviderChoice::Any);
        }
        s.parse().ok().map(|id| ProviderChoice::Id(ProviderId(id)))
    }

    /// The query-parameter form.
    pub fn as_query(&self) -> String {
        match self {
            ProviderChoice::Any => "any".to_string(),
            ProviderChoice::Id(id) => id.to_string(),
        }
    }
}

/// One free (or offered) time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotOption {
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: Timestamp,
    pub provider: ProviderId,
    pub location: LocationId,
    /// The local date in the practice timezone.
    #[serde(with = "crate::wire_time::date")]
    pub date: Date,
    /// `9:00 AM` in the practice timezone.
    pub label: String,
    /// `Monday, November 23, 2026 at 9:00 AM EST`, for screen readers and alternatives.
    pub full_label: String,
}

/// Free times of one local day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotDay {
    /// Local date in the practice timezone.
    #[serde(with = "crate::wire_time::date")]
    pub date: Date,
    /// `Monday, November 23`.
    pub label: String,
    pub slots: Vec<SlotOption>,
}

/// `GET slots`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotsResponse {
    pub timezone: String,
    pub reason: ReasonId,
    #[serde(with = "crate::wire_time::date")]
    pub from: Date,
    /// Every day of the range, also the ones without free times.
    pub days: Vec<SlotDay>,
    /// The first free time after the range, when the range has none.
    pub next_available: Option<SlotOption>,
}

/// `POST holds`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldRequest {
    pub reason: ReasonId,
    pub provider: ProviderId,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    /// The language the held time's labels are written in (`es`; English when absent or
    /// when there is no such language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
}

/// A held time: it is the patient's until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldResponse {
    pub hold_token: String,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    pub slot: SlotOption,
}

/// Who the appointment is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientDetails {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// E.164, e.g. `+14155550123` (spaces, dashes, dots and brackets are ignored).
    pub phone: String,
    pub email: String,
    /// At a veterinary practice: the pet the visit is for (the details above are the owner's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pet: Option<crate::patients::PetDetails>,
}

/// How the visit is paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InsuranceChoice {
    Carrier {
        carrier: CarrierId,
        #[serde(default)]
        member_id: Option<String>,
    },
    SelfPay,
}

/// Where the patient came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    pub referrer: Option<String>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub utm_term: Option<String>,
    pub utm_content: Option<String>,
}

/// `POST bookings` (with an `Idempotency-Key` header).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequest {
    pub hold_token: String,
    pub patient_type: PatientType,
    pub patient: PatientDetails,
    pub insurance: InsuranceChoice,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub referral: Option<Referral>,
    /// Set after the returning-patient lookup: who of the verified household is coming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<crate::patients::VerifiedPatient>,
    /// The personal recall or rebooking link the patient came through (counts the booking
    /// for its rule or no-show).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The language of the messages about this request (`es`; the practice's default when
    /// absent or when there is no such language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
}

/// Name and id of something the booking refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named<Id> {
    pub id: Id,
    pub name: String,
}

/// Where the appointment is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingLocation {
    pub id: LocationId,
    pub name: String,
    pub address: String,
}

/// Add-to-calendar links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarLinks {
    /// RFC 5545 file.
    pub ics_url: String,
    /// Google Calendar template.
    pub google_url: String,
}

/// A booking as its patient sees it (through the manage token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingView {
    pub reference: String,
    pub status: AppointmentStatus,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: Timestamp,
    pub timezone: String,
    /// `Monday, November 23, 2026 at 9:00 AM EST`.
    pub when_label: String,
    pub practice_name: String,
    pub practice_phone: String,
    pub provider: Named<ProviderId>,
    pub reason: Named<ReasonId>,
    pub location: BookingLocation,
    pub manage_url: String,
    pub calendar: CalendarLinks,
    pub confirmation_text: String,
    pub can_change: bool,
    /// Still ahead, but inside its reason's late-cancellation window: the patient calls the
    /// practice to cancel or move it.
    #[serde(default)]
    pub late_change: bool,
}

/// `201` answer to `POST bookings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingCreated {
    pub booking: BookingView,
    /// Secret that manages this booking; only ever in the patient's own links.
    pub manage_token: String,
    /// For new patients, the practice's intake form, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake_url: Option<String>,
}

/// `POST bookings/{token}/reschedule`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RescheduleRequest {
    pub hold_token: String,
}

/// Query of `GET slots`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotsParams {
    pub reason: ReasonId,
    pub provider: ProviderChoice,
    pub patient: Option<PatientType>,
    /// Only times at this location; any of the reason's locations when absent.
    pub location: Option<LocationId>,
    /// First local day (practice timezone); today when absent.
    pub from: Option<Date>,
    /// Number of days, 1 to 31 (7 when absent).
    pub days: Option<u32>,
    /// The language the labels are written in (`es`; English when absent).
    pub lang: Option<String>,
}

impl SlotsParams {
    /// `reason=1&provider=any&...`
    pub fn to_query(&self) -> String {
        let mut q = format!(
            "reason={}&provider={}",
            self.reason,
            self.provider.as_query()
        );
        if let Some(p) = self.patient {
            q.push_str(&format!("&patient={}", p.as_str()));
        }
        if let Some(location) = self.location {
            q.push_str(&format!("&location={location}"));
        }
        if let Some(from) = self.from {
            q.push_str(&format!("&from={from}"));
        }
        if let Some(days) = self.days {
            q.push_str(&format!("&days={days}"));
        }
        if let Some(lang) = &self.lang {
            q.push_str(&format!("&lang={}", urlencoding::encode(lang)));
        }
        q
    }
}
