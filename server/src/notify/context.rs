//! The values of the personalisation tags, captured when a message is queued, with its dates
//! and times written in the language of the patient it goes to.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slotwise_shared::labels;
use slotwise_shared::lang::{messages::message, Language};

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
    /// Every visit of a procedure, one per line (procedure confirmations only).
    #[serde(default)]
    pub visits: String,
    /// Calendar file attached to emails (confirmations and moves); not a tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ics: Option<String>,
    /// The moments `date`, `time` and `alternatives` are written from, in the language of the
    /// message (see [`MessageContext::in_language`]); not stored.
    #[serde(skip)]
    pub times: Option<MessageTimes>,
}

/// The moments a message speaks of, in the practice's timezone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageTimes {
    pub tz: TimeZone,
    /// The appointment (or the asked-for time): `date` and `time`.
    pub start: Option<Timestamp>,
    /// The nearest free times, when a queued booking's time was taken (`alternatives`).
    pub alternatives: Option<Vec<Timestamp>>,
    /// A procedure's visits (`visits`).
    pub visits: Option<Vec<VisitTime>>,
}

/// One visit of a procedure as its confirmation lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitTime {
    /// The reason for visit.
    pub name: String,
    pub start: Timestamp,
    pub provider: String,
    /// The visit's own page to move or cancel it.
    pub manage_link: String,
}

impl MessageTimes {
    /// An appointment's moment.
    pub fn at(start: Timestamp, tz: &TimeZone) -> Self {
        MessageTimes {
            tz: tz.clone(),
            start: Some(start),
            alternatives: None,
            visits: None,
        }
    }
}

impl MessageContext {
    /// The values with `date`, `time` and `alternatives` written in `language` (from
    /// [`MessageContext::times`]; values without times stay as they are).
    pub fn in_language(&self, language: &Language) -> MessageContext {
        let mut ctx = self.clone();
        let Some(times) = &self.times else {
            return ctx;
        };
        if let Some(start) = times.start {
            ctx.date = labels::date_label_in(language, start, &times.tz);
            ctx.time = format!(
                "{} {}",
                labels::time_label_in(language, start, &times.tz),
                start.to_zoned(times.tz.clone()).strftime("%Z")
            );
        }
        if let Some(visits) = &times.visits {
            ctx.visits = visits
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    format!(
                        "{}. {}: {}, {} {}",
                        k + 1,
                        v.name,
                        labels::full_label_in(language, v.start, &times.tz),
                        v.provider,
                        v.manage_link
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
        }
        if let Some(list) = &times.alternatives {
            ctx.alternatives = if list.is_empty() {
                message(language, "no_alternatives")
                    .unwrap_or_default()
                    .to_string()
            } else {
                list.iter()
                    .map(|&at| labels::full_label_in(language, at, &times.tz))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
        }
        ctx
    }

    /// The values with the pages its links open (manage, booking, rating) asked for in the
    /// language `code`: for a message in another language than the practice's default, so the
    /// page reads like the message whatever the patient's browser says.
    pub fn with_page_language(mut self, code: &str) -> MessageContext {
        for link in [
            &mut self.manage_link,
            &mut self.booking_link,
            &mut self.survey_link,
        ] {
            if !link.is_empty() {
                let joint = if link.contains('?') { '&' } else { '?' };
                link.push(joint);
                link.push_str("lang=");
                link.push_str(code);
            }
        }
        self
    }

    /// Values shown in template previews and used to check a template when it is saved, in
    /// `language`.
    pub fn sample(language: &Language) -> Self {
        let word = |key: &str| message(language, key).unwrap_or_default().to_string();
        let tz = TimeZone::get("America/New_York").unwrap_or(TimeZone::UTC);
        let at = |s: &str| s.parse::<Timestamp>().unwrap_or(Timestamp::UNIX_EPOCH);
        let visit = |start: &str| VisitTime {
            name: word("sample.service"),
            start: at(start),
            provider: "Dr. Maya Chen".into(),
            manage_link: "https://book.example/manage".into(),
        };
        let times = MessageTimes {
            tz,
            start: Some(at("2026-03-10T13:30:00Z")),
            alternatives: Some(vec![at("2026-03-11T13:00:00Z"), at("2026-03-11T18:30:00Z")]),
            visits: Some(vec![
                visit("2026-03-10T13:30:00Z"),
                visit("2026-03-24T13:30:00Z"),
            ]),
        };
        MessageContext {
            patient_first_name: word("sample.first_name"),
            date: String::new(),
            time: String::new(),
            provider: "Dr. Maya Chen".into(),
            service: word("sample.service"),
            clinic_name: "Brightside Dental".into(),
            clinic_phone: "+1 415 510 0199".into(),
            calendar_link: "https://book.example/calendar.ics".into(),
            manage_link: "https://book.example/manage".into(),
            booking_link: "https://book.example/book".into(),
            reference: "K7PX2M9QRT".into(),
            code: "482913".into(),
            alternatives: String::new(),
            message: word("sample.message"),
            survey_link: "https://book.example/feedback".into(),
            visits: String::new(),
            ics: None,
            times: Some(times),
        }
        .in_language(language)
    }
}
