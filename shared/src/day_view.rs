//! The front desk's day and week view on the wire: one column per provider and day, with the
//! provider's open hours, time off, appointments and free time placed in local minutes, and
//! what staff do from it (book a patient into free time, offer free time to the waitlist).

use crate::admin::AppointmentItem;
use crate::api::PatientDetails;
use crate::model::ProviderId;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Most days one view covers (a week).
pub const MAX_DAYS: u8 = 7;

/// Query of `GET schedule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DayViewQuery {
    /// The first local day, `YYYY-MM-DD` (empty: today).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = crate::openapi_schemas::date_or_empty)
    )]
    pub date: String,
    /// How many days from `date`: 1 (default) to 7.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 7))]
    pub days: Option<u8>,
    /// Only the hours at this location.
    #[serde(default)]
    pub location_id: Option<i64>,
    /// Only this provider.
    #[serde(default)]
    pub provider_id: Option<i64>,
}

impl DayViewQuery {
    /// The query string (without `?`).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if !self.date.is_empty() {
            parts.push(format!("date={}", self.date));
        }
        if let Some(d) = self.days {
            parts.push(format!("days={d}"));
        }
        if let Some(l) = self.location_id {
            parts.push(format!("location_id={l}"));
        }
        if let Some(p) = self.provider_id {
            parts.push(format!("provider_id={p}"));
        }
        parts.join("&")
    }
}

/// A stretch of one local day, in minutes since its midnight (`end_min` may be 1440).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Minutes {
    pub start_min: u16,
    pub end_min: u16,
}

/// Time off in a column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeOffBlock {
    pub at: Minutes,
    pub label: String,
}

/// Open time with nothing in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeTime {
    pub at: Minutes,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: Timestamp,
    /// E.g. "10:30 AM – 11:15 AM".
    pub label: String,
    /// Still ahead: a patient can be booked into it or it can be offered to the waitlist.
    pub ahead: bool,
}

/// An appointment placed in a column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedAppointment {
    pub at: Minutes,
    pub appointment: AppointmentItem,
}

/// One provider on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayColumn {
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// E.g. "Tue 8 Dec".
    pub day_label: String,
    pub provider_id: ProviderId,
    pub provider_name: String,
    /// Working hours (everything else is closed).
    pub open: Vec<Minutes>,
    pub time_off: Vec<TimeOffBlock>,
    pub free: Vec<FreeTime>,
    /// Not cancelled, in time order.
    pub appointments: Vec<PlacedAppointment>,
}

/// `GET schedule`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayView {
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    pub days: u8,
    /// The rows of the grid: from the earliest opening to the latest closing, on the hour.
    pub rows: Minutes,
    pub columns: Vec<DayColumn>,
    /// Appointments left out because the view holds at most 500.
    pub truncated: bool,
}

/// `POST schedule/offer`: offer a provider's free time to the waitlist now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeTimeOffer {
    pub provider_id: ProviderId,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: Timestamp,
}

/// The answer to an offer: how many patients were offered the time now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferSent {
    pub offers: u32,
}

/// `POST bookings` (staff): book a patient into a held time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBooking {
    pub hold_token: String,
    pub patient: PatientDetails,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The answer to a staff booking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBooked {
    /// The booking's reference (empty when queued).
    pub reference: String,
    /// It waits in the booking queue for the practice system.
    pub queued: bool,
    /// What happened, to show staff.
    pub message: String,
}
