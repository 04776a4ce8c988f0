//! What staff call message events and channels (the wire names are for machines).

use slotwise_shared::messages::{Channel, MessageEvent};

/// A channel as staff say it.
pub fn channel_label(c: Channel) -> &'static str {
    match c {
        Channel::Sms => "SMS",
        Channel::Whatsapp => "WhatsApp",
        Channel::Email => "Email",
    }
}

/// The groups of events, in the order the templates screen lists them.
pub const EVENT_GROUPS: [&str; 4] = [
    "Appointments",
    "Booking queue and codes",
    "Recall and follow-ups",
    "Broadcasts",
];

/// Which of [`EVENT_GROUPS`] an event belongs to.
pub fn event_group(e: MessageEvent) -> &'static str {
    use MessageEvent as E;
    match e {
        E::Confirmation
        | E::ProcedureBooked
        | E::Reminder
        | E::ConfirmRequest
        | E::Rescheduled
        | E::Cancelled => EVENT_GROUPS[0],
        E::QueueCompleted | E::VerificationCode | E::QueueUnavailable => EVENT_GROUPS[1],
        E::Recall
        | E::NoShowFirst
        | E::NoShowSecond
        | E::NoShowThird
        | E::Aftercare
        | E::FeedbackRequest
        | E::ProcedureStepDue
        | E::WaitlistOffer => EVENT_GROUPS[2],
        E::BroadcastReminder
        | E::BroadcastScheduleChange
        | E::BroadcastClosing
        | E::BroadcastRescheduling => EVENT_GROUPS[3],
    }
}

/// An event as staff say it.
pub fn event_label(e: MessageEvent) -> &'static str {
    use MessageEvent as E;
    match e {
        E::Confirmation => "Booking confirmation",
        E::Reminder => "Reminder",
        E::Rescheduled => "Appointment moved",
        E::Cancelled => "Appointment cancelled",
        E::QueueCompleted => "Booked from the queue",
        E::VerificationCode => "Returning-patient code",
        E::QueueUnavailable => "Time taken before booking",
        E::Recall => "Recall",
        E::NoShowFirst => "No-show: 1st follow-up",
        E::NoShowSecond => "No-show: 2nd follow-up (rebooking link)",
        E::NoShowThird => "No-show: 3rd follow-up (rebooking link)",
        E::Aftercare => "Aftercare",
        E::FeedbackRequest => "Feedback request",
        E::BroadcastReminder => "Broadcast: appointment reminder",
        E::BroadcastScheduleChange => "Broadcast: schedule change",
        E::BroadcastClosing => "Broadcast: clinic closing",
        E::BroadcastRescheduling => "Broadcast: rescheduling request",
        E::ProcedureBooked => "Procedure booked (every visit)",
        E::ProcedureStepDue => "Procedure: next visit to book",
        E::WaitlistOffer => "Waitlist: a time opened",
        E::ConfirmRequest => "Please confirm (patients with no-shows)",
    }
}
