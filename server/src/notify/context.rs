//! The values of the personalisation tags, captured when a message is queued.

use serde::{Deserialize, Serialize};

/// Tag values of one message (see [`super::templates::TAGS`]). Times are already rendered in
/// the practice's timezone, so a message says what the patient saw when booking.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageContext {
    pub patient_first_name: String,
    pub date: String,
    pub time: String,
    pub provider: String,
    pub service: String,
    pub clinic_name: String,
    pub clinic_phone: String,
    pub calendar_link: String,
    pub manage_link: String,
    pub booking_link: String,
    pub reference: String,
    /// A returning patient's one-time code (verification messages only).
    #[serde(default)]
    pub code: String,
    /// The nearest free times, when a queued booking's time was taken.
    #[serde(default)]
    pub alternatives: String,
    /// The recall rule's message, a broadcast's note or the reason's aftercare text.
    #[serde(default)]
    pub message: String,
    /// Where the patient rates the visit (feedback requests only).
    #[serde(default)]
    pub survey_link: String,
    /// Calendar file attached to emails (confirmations and moves); not a tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ics: Option<String>,
}

impl MessageContext {
    /// Values shown in template previews and used to check a template when it is saved.
    pub fn sample() -> Self {
        MessageContext {
            patient_first_name: "Jamie".into(),
            date: "Tuesday, March 10, 2026".into(),
            time: "9:30 AM".into(),
            provider: "Dr. Maya Chen".into(),
            service: "Cleaning".into(),
            clinic_name: "Brightside Dental".into(),
            clinic_phone: "+1 415 510 0199".into(),
            calendar_link: "https://book.example/calendar.ics".into(),
            manage_link: "https://book.example/manage".into(),
            booking_link: "https://book.example/book".into(),
            reference: "K7PX2M9QRT".into(),
            code: "482913".into(),
            alternatives: "Wednesday, March 11 at 9:00 AM; Wednesday, March 11 at 2:30 PM".into(),
            message: "It's time for your six-monthly cleaning.".into(),
            survey_link: "https://book.example/feedback".into(),
            ics: None,
        }
    }
}
