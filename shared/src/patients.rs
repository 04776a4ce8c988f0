//! Patients on the wire: the returning-patient lookup and its one-time code, households, the
//! appointment request of practices that book existing patients only, and queued bookings.

use crate::model::{PatientId, ReasonId};
use serde::{Deserialize, Serialize};

/// Digits of a one-time code.
pub const CODE_DIGITS: usize = 6;
/// How long a one-time code works.
pub const CODE_MINUTES: u32 = 10;
/// Wrong codes before the code stops working.
pub const CODE_ATTEMPTS: u32 = 5;

/// What kind of practice this is: pets are the patients of a veterinary practice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PracticeKind {
    #[default]
    Dental,
    Medical,
    Veterinary,
}

impl PracticeKind {
    /// Stable storage/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PracticeKind::Dental => "dental",
            PracticeKind::Medical => "medical",
            PracticeKind::Veterinary => "veterinary",
        }
    }

    /// Parses the storage name (unknown names read as dental, the default).
    pub fn parse(s: &str) -> Self {
        match s {
            "medical" => PracticeKind::Medical,
            "veterinary" => PracticeKind::Veterinary,
            _ => PracticeKind::Dental,
        }
    }
}

/// `POST patients/lookup`: a returning patient's phone number or email address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRequest {
    pub contact: String,
    /// The language of the answer's words (`es`; the practice's default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
}

/// The answer to every well-formed lookup, known contact or not: the same status and body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupAccepted {
    pub message: String,
    pub code_digits: u32,
    pub expires_in_minutes: u32,
}

/// `POST patients/verify`: the contact again and the code it received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    pub contact: String,
    pub code: String,
    /// The language of the answer's words (`es`; the practice's default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
}

/// A verified contact: a session to book with, and the household members it may book for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedHousehold {
    /// Goes into [`VerifiedPatient::session`] of the booking.
    pub patient_session: String,
    pub members: Vec<HouseholdMember>,
    /// Who the household's messages go to (first name only).
    pub contact_first_name: String,
}

/// Someone (or some pet) of a verified household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdMember {
    pub id: PatientId,
    pub first_name: String,
    pub last_name: String,
    /// Pets only.
    #[serde(default)]
    pub species: Option<String>,
}

/// A booking made after verifying: for an existing member, or (member `None`) for someone new
/// to the practice in the same household, whose details the booking carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedPatient {
    pub session: String,
    #[serde(default)]
    pub member: Option<PatientId>,
}

/// The pet a booking at a veterinary practice is for (the details are its owner's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PetDetails {
    pub name: String,
    /// `dog`, `cat`, `rabbit`...
    pub species: String,
}

/// Days a patient would like to come, as in a request.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Parts of the day a patient would like to come.
pub const TIMES_OF_DAY: [&str; 3] = ["morning", "afternoon", "evening"];

/// `POST appointment-requests`: a new patient at an existing-patients-only practice (or anyone
/// who prefers a call back) asks for an appointment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentRequest {
    pub reason: Option<ReasonId>,
    /// Some of [`WEEKDAYS`]; empty means any day.
    #[serde(default)]
    pub preferred_days: Vec<String>,
    /// Some of [`TIMES_OF_DAY`]; empty means any time.
    #[serde(default)]
    pub times_of_day: Vec<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    #[serde(default)]
    pub note: Option<String>,
    /// The language of the messages about this request (`es`; the practice's default when
    /// absent or when there is no such language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
}

/// The answer to a request, and to a booking the practice system could not take right away
/// (HTTP 202): the team has the details and will be in touch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queued {
    pub queued: bool,
    pub message: String,
    pub practice_phone: String,
}
