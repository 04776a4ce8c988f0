//! Messages on the wire: channels, events, templates and outbox entries as the practice API
//! (and the staff console) sees them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How a message reaches a patient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Whatsapp,
    Email,
}

impl Channel {
    /// Every channel, in the order staff see them.
    pub const ALL: [Channel; 3] = [Channel::Sms, Channel::Whatsapp, Channel::Email];

    /// The name in URLs and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
            Channel::Email => "email",
        }
    }

    /// The channel of a stored or URL name.
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name staff read.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Sms => "SMS",
            Channel::Whatsapp => "WhatsApp",
            Channel::Email => "Email",
        }
    }
}

/// Why a message is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageEvent {
    /// Right after a booking.
    Confirmation,
    /// Before the appointment, at the practice's offsets.
    Reminder,
    /// The appointment moved.
    Rescheduled,
    /// The appointment was cancelled.
    Cancelled,
    /// Staff completed a booking-queue entry by hand.
    QueueCompleted,
    /// A returning patient's one-time code.
    VerificationCode,
    /// A queued booking's time was taken before the practice system could take it.
    QueueUnavailable,
    /// A recall rule found the patient due: a personal booking link.
    Recall,
    /// First message after a no-show.
    NoShowFirst,
    /// Second message after a no-show, with a rebooking link.
    NoShowSecond,
    /// Third and last message after a no-show, with a rebooking link.
    NoShowThird,
    /// Aftercare text of the visit's reason, when the appointment is completed.
    Aftercare,
    /// A rating request an hour after the appointment was completed.
    FeedbackRequest,
    /// Broadcast: a reminder of the appointment.
    BroadcastReminder,
    /// Broadcast: the practice's schedule changed.
    BroadcastScheduleChange,
    /// Broadcast: the clinic is closing (e.g. weather, holiday).
    BroadcastClosing,
    /// Broadcast: please reschedule.
    BroadcastRescheduling,
    /// Every visit of a procedure booked at once: one confirmation listing them all.
    ProcedureBooked,
    /// A procedure's next visit can be booked now and nothing is booked for it.
    ProcedureStepDue,
    /// A time opened that a waitlist entry may want: first to book it wins.
    WaitlistOffer,
    /// The patient's history asks them to confirm the visit by a deadline.
    ConfirmRequest,
}

impl MessageEvent {
    /// Every event, in the order staff see them.
    pub const ALL: [MessageEvent; 21] = [
        MessageEvent::Confirmation,
        MessageEvent::ProcedureBooked,
        MessageEvent::Reminder,
        MessageEvent::ConfirmRequest,
        MessageEvent::Rescheduled,
        MessageEvent::Cancelled,
        MessageEvent::QueueCompleted,
        MessageEvent::VerificationCode,
        MessageEvent::QueueUnavailable,
        MessageEvent::Recall,
        MessageEvent::NoShowFirst,
        MessageEvent::NoShowSecond,
        MessageEvent::NoShowThird,
        MessageEvent::Aftercare,
        MessageEvent::FeedbackRequest,
        MessageEvent::BroadcastReminder,
        MessageEvent::BroadcastScheduleChange,
        MessageEvent::BroadcastClosing,
        MessageEvent::BroadcastRescheduling,
        MessageEvent::ProcedureStepDue,
        MessageEvent::WaitlistOffer,
    ];

    /// Events the practice's automations send (recall, no-show follow-ups, aftercare,
    /// feedback, broadcasts): never to a patient who opted out or whose automated messages
    /// are paused.
    pub fn is_automation(self) -> bool {
        !matches!(
            self,
            MessageEvent::Confirmation
                | MessageEvent::ProcedureBooked
                | MessageEvent::Reminder
                | MessageEvent::ConfirmRequest
                | MessageEvent::Rescheduled
                | MessageEvent::Cancelled
                | MessageEvent::QueueCompleted
                | MessageEvent::VerificationCode
                | MessageEvent::QueueUnavailable
        )
    }

    /// The no-show follow-ups, in order.
    pub const NO_SHOW: [MessageEvent; 3] = [
        MessageEvent::NoShowFirst,
        MessageEvent::NoShowSecond,
        MessageEvent::NoShowThird,
    ];

    /// The name in URLs and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::Confirmation => "confirmation",
            MessageEvent::Reminder => "reminder",
            MessageEvent::Rescheduled => "rescheduled",
            MessageEvent::Cancelled => "cancelled",
            MessageEvent::QueueCompleted => "queue_completed",
            MessageEvent::VerificationCode => "verification_code",
            MessageEvent::QueueUnavailable => "queue_unavailable",
            MessageEvent::Recall => "recall",
            MessageEvent::NoShowFirst => "no_show_first",
            MessageEvent::NoShowSecond => "no_show_second",
            MessageEvent::NoShowThird => "no_show_third",
            MessageEvent::Aftercare => "aftercare",
            MessageEvent::FeedbackRequest => "feedback_request",
            MessageEvent::BroadcastReminder => "broadcast_reminder",
            MessageEvent::BroadcastScheduleChange => "broadcast_schedule_change",
            MessageEvent::BroadcastClosing => "broadcast_closing",
            MessageEvent::BroadcastRescheduling => "broadcast_rescheduling",
            MessageEvent::ProcedureBooked => "procedure_booked",
            MessageEvent::ProcedureStepDue => "procedure_step_due",
            MessageEvent::WaitlistOffer => "waitlist_offer",
            MessageEvent::ConfirmRequest => "confirm_request",
        }
    }

    /// The event of a stored or URL name.
    pub fn parse(s: &str) -> Option<MessageEvent> {
        MessageEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// A personalisation tag templates may use, e.g. `{{ patient_first_name }}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagInfo {
    pub name: String,
    pub description: String,
}

/// One template as the practice uses it (its own wording, or the default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateView {
    pub event: MessageEvent,
    pub channel: Channel,
    /// The language it is written in (a code of `booking-config`'s languages, e.g. `es`).
    pub lang: String,
    /// Email subject; empty for SMS and WhatsApp.
    pub subject: String,
    pub body: String,
    /// False while the practice uses the default wording.
    pub customised: bool,
}

/// `GET /api/v1/admin/templates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateList {
    pub templates: Vec<TemplateView>,
    pub tags: Vec<TagInfo>,
}

/// `PUT /api/v1/admin/templates/{event}/{channel}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateUpdate {
    #[serde(default)]
    pub subject: String,
    pub body: String,
}

/// Where a message is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Queued,
    Sending,
    Sent,
    /// An attempt failed; another follows.
    Failed,
    /// Every attempt failed, or the provider refused it for good.
    Dead,
    /// No longer needed (the appointment moved or was cancelled).
    Cancelled,
    /// The recipient opted out; not sent.
    Suppressed,
    #[serde(other)]
    Unknown,
}

impl MessageStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::Dead => "dead",
            MessageStatus::Cancelled => "cancelled",
            MessageStatus::Suppressed => "suppressed",
            MessageStatus::Unknown => "unknown",
        }
    }

    /// The status of a stored name.
    pub fn parse(s: &str) -> MessageStatus {
        [
            MessageStatus::Queued,
            MessageStatus::Sending,
            MessageStatus::Sent,
            MessageStatus::Failed,
            MessageStatus::Dead,
            MessageStatus::Cancelled,
            MessageStatus::Suppressed,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
        .unwrap_or(MessageStatus::Unknown)
    }
}

/// One outbox message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub id: i64,
    pub event: MessageEvent,
    pub channel: Channel,
    pub recipient: String,
    pub status: MessageStatus,
    pub attempts: i64,
    /// Why the last attempt failed (for dead messages: why it was given up).
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    /// Sent again after an attempt whose outcome was unknown: may have arrived twice.
    pub possible_duplicate: bool,
    pub patient_id: Option<i64>,
    /// The booking reference, when the message is about an appointment.
    pub reference: Option<String>,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub send_after: Timestamp,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// What was (last) rendered: the email subject.
    pub subject: Option<String>,
    /// What was (last) rendered: the text.
    pub body: Option<String>,
}

/// `GET /api/v1/admin/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageList {
    pub messages: Vec<MessageView>,
}

/// `PUT /api/v1/admin/patients/{id}/contact`: correct a phone number or email address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactUpdate {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// `PUT /api/v1/admin/patients/{id}/language`: the language a patient (and their household)
/// reads; `null` goes back to the practice's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientLanguage {
    /// A language code (`en`, `es`), or `null` for the practice's default.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 16))]
    pub lang: Option<String>,
}

/// `GET /api/v1/admin/messaging`: how the practice's messages go out (secrets never shown).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagingSettings {
    pub channels: Vec<ChannelSettingsView>,
    /// Minutes before the appointment.
    pub reminder_offsets_minutes: Vec<i64>,
}

/// One channel's transport, with secrets replaced by `"********"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelSettingsView {
    pub channel: Channel,
    pub enabled: bool,
    pub config: serde_json::Value,
}

/// `PUT /api/v1/admin/messaging/channels/{channel}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelSettingsUpdate {
    pub enabled: bool,
    /// The transport's settings, e.g. `{"transport": "twilio", "account_sid": ...}`.
    pub config: serde_json::Value,
}

/// `PUT /api/v1/admin/messaging/reminders`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderOffsets {
    /// Minutes before the appointment: up to five, each from 15 minutes to 60 days.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi_schemas::reminder_offsets)
    )]
    pub reminder_offsets_minutes: Vec<i64>,
}
