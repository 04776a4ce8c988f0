//! The practice's bookable world: ids, providers, reasons for visit, carriers, statuses.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A practice (tenant). Public links use its slug instead.
    PracticeId,
    /// A practice location (address, timezone).
    LocationId,
    /// A room or chair.
    OperatoryId,
    /// A bookable person (dentist, hygienist, vet...).
    ProviderId,
    /// A reason for visit (service).
    ReasonId,
    /// An accepted insurance carrier.
    CarrierId,
    /// A patient: a person, or a pet at a veterinary practice.
    PatientId,
    /// A procedure template: the steps of a treatment of several visits.
    ProcedureTemplateId,
    /// One patient's procedure: a template's steps with their appointments.
    ProcedureId,
);

/// Which patients may book a reason for visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Only patients who have not been seen before.
    New,
    /// Only existing patients.
    Returning,
    /// Everyone.
    Both,
}

impl Eligibility {
    /// Whether a patient of this type may book a reason with this eligibility.
    pub fn admits(self, patient: PatientType) -> bool {
        matches!(
            (self, patient),
            (Eligibility::Both, _)
                | (Eligibility::New, PatientType::New)
                | (Eligibility::Returning, PatientType::Returning)
        )
    }

    /// Stable storage/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::New => "new",
            Eligibility::Returning => "returning",
            Eligibility::Both => "both",
        }
    }

    /// Parses the storage name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "new" => Some(Eligibility::New),
            "returning" => Some(Eligibility::Returning),
            "both" => Some(Eligibility::Both),
            _ => None,
        }
    }
}

/// Whether the patient has been seen at the practice before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PatientType {
    New,
    Returning,
}

impl PatientType {
    /// Stable storage/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PatientType::New => "new",
            PatientType::Returning => "returning",
        }
    }

    /// Parses the storage/query name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "new" => Some(PatientType::New),
            "returning" => Some(PatientType::Returning),
            _ => None,
        }
    }
}

/// The life of an appointment. `Held`, `Booked` and `Confirmed` block the provider's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// A time kept for a patient who is still finishing the booking.
    Held,
    /// A hold that ran out before the booking was completed.
    Expired,
    Booked,
    Confirmed,
    Completed,
    Cancelled,
    NoShow,
}

impl AppointmentStatus {
    /// Statuses whose rows occupy the provider's (and operatory's) time.
    pub const BLOCKING: [AppointmentStatus; 3] = [
        AppointmentStatus::Held,
        AppointmentStatus::Booked,
        AppointmentStatus::Confirmed,
    ];

    /// Stable storage/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Held => "held",
            AppointmentStatus::Expired => "expired",
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Confirmed => "confirmed",
            AppointmentStatus::Completed => "completed",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    /// Parses the storage name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "held" => AppointmentStatus::Held,
            "expired" => AppointmentStatus::Expired,
            "booked" => AppointmentStatus::Booked,
            "confirmed" => AppointmentStatus::Confirmed,
            "completed" => AppointmentStatus::Completed,
            "cancelled" => AppointmentStatus::Cancelled,
            "no_show" => AppointmentStatus::NoShow,
            _ => return None,
        })
    }

    /// Whether the appointment occupies time.
    pub fn is_blocking(self) -> bool {
        Self::BLOCKING.contains(&self)
    }
}

/// Timing rules of a reason for visit, in minutes (horizon in days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonTiming {
    /// Length of the appointment itself.
    pub duration_min: u32,
    /// Preparation time before the appointment, kept free of other appointments.
    pub buffer_before_min: u32,
    /// Clean-up time after the appointment, kept free of other appointments.
    pub buffer_after_min: u32,
    /// Candidate start times are this many minutes apart.
    pub interval_min: u32,
    /// Earliest start is now + this many minutes.
    pub min_notice_min: u32,
    /// Latest start is before now + this many days.
    pub horizon_days: u32,
}

impl ReasonTiming {
    /// Sensible defaults for a 30-minute visit.
    pub const DEFAULT: ReasonTiming = ReasonTiming {
        duration_min: 30,
        buffer_before_min: 0,
        buffer_after_min: 0,
        interval_min: 15,
        min_notice_min: 120,
        horizon_days: 90,
    };
}
