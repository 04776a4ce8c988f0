//! The waitlist on the wire: a patient asks to be told when a time opens for a visit (from
//! the widget when no time suits, or from the manage page for an earlier time), and staff see,
//! add and remove entries.

use crate::model::{PatientId, ProviderId, ReasonId};
use crate::patients::VerifiedPatient;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Most days one entry may cover.
pub const MAX_RANGE_DAYS: i64 = 120;

/// `POST waitlist`: "Tell me if something opens".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistJoin {
    pub reason: ReasonId,
    /// Only with this provider; anyone free when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderId>,
    /// The first local day the patient could come (today at the earliest).
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    /// The last local day (at most 120 days after `from`); the entry ends after it.
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    /// Some of `monday` … `sunday`; empty means any day.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 7))]
    pub preferred_days: Vec<String>,
    /// Some of `morning`, `afternoon`, `evening`; empty means any time.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 3))]
    pub times_of_day: Vec<String>,
    /// As soon as possible: offered a time before patients who are not.
    #[serde(default)]
    pub asap: bool,
    /// Can come at short notice (a time that opens shortly before it starts).
    #[serde(default)]
    pub short_notice: bool,
    /// A verified returning patient: their session and who in the household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<VerifiedPatient>,
    /// Someone new: their name and contact (a phone, an email or both).
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
}

/// `POST bookings/{token}/waitlist`: the patient would take an earlier time for this booking.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlierTime {
    #[serde(default)]
    pub short_notice: bool,
}

/// The answer to joining: the patient is on the list until `until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistJoined {
    pub waiting: bool,
    /// "You're on the list: we'll message you if a time opens …"
    pub message: String,
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub until: Date,
}

/// `POST /api/v1/admin/waitlist`: staff add a patient (known, or by name and contact).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistAdd {
    /// A patient of the practice; else the name and contact below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient: Option<PatientId>,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    pub reason: ReasonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderId>,
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 7))]
    pub preferred_days: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 3))]
    pub times_of_day: Vec<String>,
    #[serde(default)]
    pub asap: bool,
    #[serde(default)]
    pub short_notice: bool,
}

/// One entry as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistEntryView {
    pub id: i64,
    /// `waiting`, `booked`, `expired` or `removed`.
    pub status: String,
    pub patient: Option<PatientId>,
    pub patient_name: String,
    pub phone: String,
    pub email: String,
    pub reason: ReasonId,
    pub reason_name: String,
    pub provider: Option<ProviderId>,
    /// Empty: whoever is free.
    pub provider_name: String,
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    pub preferred_days: Vec<String>,
    pub times_of_day: Vec<String>,
    pub asap: bool,
    pub short_notice: bool,
    /// `widget`, `manage` or `staff`.
    pub source: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// `GET /api/v1/admin/waitlist?status=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistList {
    pub entries: Vec<WaitlistEntryView>,
}

/// Weekday names as bits (Monday 1 … Sunday 64); empty: every day.
pub fn days_mask(days: &[String]) -> i64 {
    let mask = crate::patients::WEEKDAYS
        .iter()
        .enumerate()
        .filter(|(_, d)| days.iter().any(|x| x == *d))
        .fold(0, |m, (k, _)| m | (1 << k));
    if mask == 0 {
        127
    } else {
        mask
    }
}

/// Times of day as bits (morning 1, afternoon 2, evening 4); empty: any time.
pub fn times_mask(times: &[String]) -> i64 {
    let mask = crate::patients::TIMES_OF_DAY
        .iter()
        .enumerate()
        .filter(|(_, t)| times.iter().any(|x| x == *t))
        .fold(0, |m, (k, _)| m | (1 << k));
    if mask == 0 {
        7
    } else {
        mask
    }
}

/// The names a mask stands for (all of them: empty).
pub fn names_of(mask: i64, names: &[&str]) -> Vec<String> {
    let all = (1_i64 << names.len()) - 1;
    if mask & all == all {
        return Vec::new();
    }
    names
        .iter()
        .enumerate()
        .filter(|(k, _)| mask & (1 << k) != 0)
        .map(|(_, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patients::{TIMES_OF_DAY, WEEKDAYS};

    #[test]
    fn masks_round_trip_and_empty_means_all() {
        let days = vec!["monday".to_string(), "friday".to_string()];
        assert_eq!(days_mask(&days), 1 | 16);
        assert_eq!(names_of(days_mask(&days), &WEEKDAYS), days);
        assert_eq!(days_mask(&[]), 127);
        assert!(names_of(127, &WEEKDAYS).is_empty());
        assert_eq!(times_mask(&["evening".to_string()]), 4);
        assert_eq!(times_mask(&["noon".to_string()]), 7);
        assert!(names_of(7, &TIMES_OF_DAY).is_empty());
    }
}
