//! Automations on the wire: recall rules and their personal booking links, no-show follow-ups,
//! aftercare and feedback settings, broadcasts with their preview, and what patients see when
//! they open a personal link.

use crate::api::InsuranceChoice;
use crate::messages::{Channel, MessageEvent};
use crate::model::{PatientId, ProviderId, ReasonId};
use crate::patients::VerifiedHousehold;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What a personal booking link was sent for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A recall rule's message: time for the next visit.
    Recall,
    /// A no-show follow-up: book the missed visit again.
    Rebooking,
    /// Sent by staff from a procedure's record: book the rest of the procedure.
    Procedure,
}

impl LinkKind {
    /// The name in the database, and the `source` of a booking made through the link.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Recall => "recall",
            LinkKind::Rebooking => "rebooking",
            LinkKind::Procedure => "procedure",
        }
    }

    /// The kind of a stored name.
    pub fn parse(s: &str) -> Option<LinkKind> {
        match s {
            "recall" => Some(LinkKind::Recall),
            "rebooking" => Some(LinkKind::Rebooking),
            "procedure" => Some(LinkKind::Procedure),
            _ => None,
        }
    }
}

/// `POST /api/v1/practices/{slug}/links/{token}/open`: a patient opened their personal link.
/// The patient is known (the link went to their phone or email), so the answer carries a
/// booking session for them, like a verified lookup. Expired or used links answer
/// `410 link_expired` with a message; the widget then offers the ordinary booking flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenedLink {
    pub kind: LinkKind,
    /// The visit the link books.
    pub reason: ReasonId,
    /// The patient the link is for (the only member of `household`).
    pub member: PatientId,
    pub household: VerifiedHousehold,
    /// How the patient paid last time, if the practice knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<InsuranceChoice>,
    /// A procedure link's visits to book (`reason` is the first of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<crate::procedures::ProcedureContinuation>,
}

/// Who a recall rule is for, by age on the day it runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[default]
    All,
    /// 18 or older.
    Adults,
    /// Under 18.
    Children,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Adults => "adults",
            Audience::Children => "children",
        }
    }

    pub fn parse(s: &str) -> Audience {
        match s {
            "adults" => Audience::Adults,
            "children" => Audience::Children,
            _ => Audience::All,
        }
    }
}

/// `POST recall-rules`, `PUT recall-rules/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecallRuleInput {
    /// E.g. "Hygiene recall".
    pub name: String,
    /// The visit whose completion starts the wait (`None`: any completed visit).
    #[serde(default)]
    pub after_reason: Option<ReasonId>,
    /// Days after that visit when the patient is due (e.g. 182 for six months).
    pub interval_days: u32,
    /// The visit the personal link books.
    pub book_reason: ReasonId,
    /// One channel, or `None` for every channel the practice sends on.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The message, with tags (`{{ patient_first_name }}`, `{{ booking_link }}`, …); it is the
    /// `{{ message }}` of the practice's recall template.
    pub message: String,
    #[serde(default)]
    pub audience: Audience,
    pub active: bool,
}

/// A recall rule's numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecallStats {
    /// Patients due now and not messaged yet (the next run sends to them).
    pub due: i64,
    /// Personal links sent.
    pub sent: i64,
    /// Links patients opened.
    pub opened: i64,
    /// Bookings made through the links.
    pub booked: i64,
}

/// A recall rule as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecallRuleView {
    pub id: i64,
    #[serde(flatten)]
    pub input: RecallRuleInput,
    pub stats: RecallStats,
}

/// `GET recall-rules`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecallRuleList {
    pub rules: Vec<RecallRuleView>,
}

/// `GET/PUT automations/settings`: the follow-ups a practice sends by itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationSettings {
    /// Messages after an appointment is marked no-show.
    pub no_show_enabled: bool,
    /// Hours after the no-show for the 1st, 2nd and 3rd message (default 2, 24, 72); the 2nd
    /// and 3rd carry a rebooking link.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi_schemas::no_show_delays)
    )]
    pub no_show_delays_hours: Vec<u32>,
    /// A rating request one hour after an appointment is completed.
    pub feedback_enabled: bool,
    /// Broadcast messages handed to the outbox per minute.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 600))]
    pub broadcast_per_minute: u32,
}

impl Default for AutomationSettings {
    fn default() -> Self {
        AutomationSettings {
            no_show_enabled: true,
            no_show_delays_hours: vec![2, 24, 72],
            feedback_enabled: false,
            broadcast_per_minute: 60,
        }
    }
}

/// One patient rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackItem {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub rating: u8,
    pub comment: String,
    pub provider: String,
    pub service: String,
}

/// `GET automations/stats?from=&to=`: what the automations did in a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationStats {
    pub from: String,
    pub to: String,
    /// Appointments marked no-show in the period.
    pub no_shows: i64,
    /// Of those, patients who booked again after the no-show.
    pub recovered: i64,
    /// Bookings made through recall links.
    pub recall_bookings: i64,
    pub feedback_count: i64,
    /// Average rating, 1–5 (`None` without ratings).
    pub feedback_average: Option<f64>,
    /// How many ratings of 1, 2, 3, 4 and 5.
    pub feedback_by_rating: Vec<i64>,
    /// The latest ratings with comments (at most 20).
    pub recent_feedback: Vec<FeedbackItem>,
}

/// The wording a broadcast uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BroadcastTemplate {
    AppointmentReminder,
    ScheduleChange,
    ClinicClosing,
    ReschedulingRequest,
}

impl BroadcastTemplate {
    pub const ALL: [BroadcastTemplate; 4] = [
        BroadcastTemplate::AppointmentReminder,
        BroadcastTemplate::ScheduleChange,
        BroadcastTemplate::ClinicClosing,
        BroadcastTemplate::ReschedulingRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BroadcastTemplate::AppointmentReminder => "appointment_reminder",
            BroadcastTemplate::ScheduleChange => "schedule_change",
            BroadcastTemplate::ClinicClosing => "clinic_closing",
            BroadcastTemplate::ReschedulingRequest => "rescheduling_request",
        }
    }

    pub fn parse(s: &str) -> Option<BroadcastTemplate> {
        BroadcastTemplate::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The message event whose templates it uses.
    pub fn event(self) -> MessageEvent {
        match self {
            BroadcastTemplate::AppointmentReminder => MessageEvent::BroadcastReminder,
            BroadcastTemplate::ScheduleChange => MessageEvent::BroadcastScheduleChange,
            BroadcastTemplate::ClinicClosing => MessageEvent::BroadcastClosing,
            BroadcastTemplate::ReschedulingRequest => MessageEvent::BroadcastRescheduling,
        }
    }

    /// What staff call it.
    pub fn label(self) -> &'static str {
        match self {
            BroadcastTemplate::AppointmentReminder => "Appointment reminder",
            BroadcastTemplate::ScheduleChange => "Schedule change",
            BroadcastTemplate::ClinicClosing => "Clinic closing",
            BroadcastTemplate::ReschedulingRequest => "Rescheduling request",
        }
    }
}

/// Part of the day of an appointment's start, in the practice's timezone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    #[default]
    Any,
    /// Before noon.
    Morning,
    /// Noon or later.
    Afternoon,
}

/// Which appointments a broadcast is about. Dates are the practice's local `YYYY-MM-DD`,
/// both included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastFilter {
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub to: String,
    #[serde(default)]
    pub part_of_day: PartOfDay,
    #[serde(default)]
    pub provider_id: Option<ProviderId>,
    #[serde(default)]
    pub reason_id: Option<ReasonId>,
    /// `booked`, `confirmed`, `completed`, `cancelled` or `no_show`; empty: booked and
    /// confirmed (appointments still to come).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi_schemas::appointment_status_or_empty)
    )]
    pub status: String,
}

/// `POST broadcasts/preview` and `POST broadcasts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastRequest {
    pub template: BroadcastTemplate,
    pub filter: BroadcastFilter,
    /// The practice's words for this broadcast: the template's `{{ message }}`.
    #[serde(default)]
    pub note: String,
}

/// One message as a recipient will read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastSample {
    pub patient_name: String,
    pub when: String,
    pub channel: Channel,
    pub body: String,
}

/// `POST broadcasts/preview`: exactly who a broadcast would go to, before it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastPreview {
    /// Appointments whose patient will get the message.
    pub recipients: i64,
    /// Messages (one per channel a recipient has an address on).
    pub messages: i64,
    /// Appointments left out: the patient opted out or their automated messages are paused.
    pub excluded_opted_out: i64,
    /// Appointments left out: no address on any channel the practice sends on.
    pub excluded_unreachable: i64,
    /// Up to three messages as they will read.
    pub sample: Vec<BroadcastSample>,
}

/// A broadcast that was sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastView {
    pub id: i64,
    pub template: BroadcastTemplate,
    pub filter: BroadcastFilter,
    pub note: String,
    pub recipients: i64,
    pub messages: i64,
    /// Messages delivered so far.
    pub sent: i64,
    /// Messages that could not be delivered (dead) or were left out at sending (opted out
    /// since).
    pub not_sent: i64,
    pub created_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// `GET broadcasts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastList {
    pub broadcasts: Vec<BroadcastView>,
}

/// Who a broadcast was sent to, and how it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastRecipient {
    pub appointment_id: i64,
    pub patient_name: String,
    pub when: String,
    pub channel: Channel,
    pub recipient: String,
    /// The outbox status: queued, sending, sent, failed, dead, cancelled, suppressed.
    pub status: String,
}

/// `GET broadcasts/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BroadcastDetail {
    pub broadcast: BroadcastView,
    pub recipients: Vec<BroadcastRecipient>,
}

/// `PUT patients/{id}/automations`: pause (or resume) every automated message to a patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutomationPause {
    pub paused: bool,
}
