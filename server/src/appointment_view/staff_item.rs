//! An appointment as staff see it in the console's lists and day view.

use crate::catalog::Catalog;
use crate::store::appointment_search::ListedAppointment;
use jiff::Timestamp;
use slotwise_shared::admin::AppointmentItem;

/// The row as staff see it, times in the practice's timezone.
pub fn staff_item(a: ListedAppointment, catalog: &Catalog) -> AppointmentItem {
    let ts = |at: i64| Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    let tz = &catalog.practice.tz;
    let start = ts(a.starts_at);
    let confirmation = match (a.confirm_missed_at, a.confirm_by, a.status.as_str()) {
        (Some(_), _, _) => "missed",
        (None, Some(_), "booked") => "asked",
        _ => "",
    };
    AppointmentItem {
        id: a.id,
        reference: a.reference.unwrap_or_default(),
        status: a.status,
        source: a.source,
        starts_at: start,
        ends_at: ts(a.ends_at),
        when_label: start
            .to_zoned(tz.clone())
            .strftime("%a %-d %b %Y, %-I:%M %p")
            .to_string(),
        provider_id: a.provider_id.0,
        provider_name: a.provider_name,
        reason_id: a.reason_id.0,
        reason_name: a.reason_name,
        patient_id: a.patient_id.map(i64::from),
        patient_name: format!(
            "{} {}",
            a.first_name.unwrap_or_default(),
            a.last_name.unwrap_or_default()
        )
        .trim()
        .to_string(),
        phone: a.phone.unwrap_or_default(),
        email: a.email.unwrap_or_default(),
        automations_paused: a.automations_paused_at.is_some(),
        patient_lang: a.patient_lang,
        patient_type: a.patient_type.unwrap_or_default(),
        confirmation: confirmation.to_string(),
    }
}
