//! The wording every practice starts with: warm, short, and always with a way to change the
//! appointment. SMS and WhatsApp texts leave out the reason for visit (a lock screen is not
//! private); email, which the patient opens, names it.

use super::templates::TemplateText;
use slotwise_shared::messages::{Channel, MessageEvent};

/// The default template of an event on a channel.
pub fn default_template(event: MessageEvent, channel: Channel) -> TemplateText {
    let subject = match channel {
        Channel::Email => email_subject(event),
        Channel::Sms | Channel::Whatsapp => "",
    };
    let body = match channel {
        Channel::Sms => short_text(event, true),
        Channel::Whatsapp => short_text(event, false),
        Channel::Email => email_body(event),
    };
    TemplateText {
        subject: subject.to_string(),
        body: body.to_string(),
    }
}

fn short_text(event: MessageEvent, sms: bool) -> &'static str {
    match (event, sms) {
        (MessageEvent::Confirmation, true) => "Hi {{ patient_first_name }}, you're booked with {{ provider }} at {{ clinic_name }} on {{ date }} at {{ time }}. Add it to your calendar: {{ calendar_link }} Need to change it? {{ manage_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::Confirmation, false) => "Hi {{ patient_first_name }}, you're booked with {{ provider }} at {{ clinic_name }} on {{ date }} at {{ time }}. Add it to your calendar: {{ calendar_link }} Need to change it? {{ manage_link }} or call {{ clinic_phone }}.",
        (MessageEvent::Reminder, true) => "Hi {{ patient_first_name }}, a friendly reminder: you're seeing {{ provider }} at {{ clinic_name }} on {{ date }} at {{ time }}. Need to change it? {{ manage_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::Reminder, false) => "Hi {{ patient_first_name }}, a friendly reminder: you're seeing {{ provider }} at {{ clinic_name }} on {{ date }} at {{ time }}. Need to change it? {{ manage_link }} or call {{ clinic_phone }}.",
        (MessageEvent::Rescheduled, true) => "Hi {{ patient_first_name }}, your appointment at {{ clinic_name }} is now on {{ date }} at {{ time }} with {{ provider }}. Updated calendar entry: {{ calendar_link }} Details: {{ manage_link }} Reply STOP to opt out.",
        (MessageEvent::Rescheduled, false) => "Hi {{ patient_first_name }}, your appointment at {{ clinic_name }} is now on {{ date }} at {{ time }} with {{ provider }}. Updated calendar entry: {{ calendar_link }} Details: {{ manage_link }}",
        (MessageEvent::Cancelled, true) => "Hi {{ patient_first_name }}, your appointment at {{ clinic_name }} on {{ date }} at {{ time }} is cancelled. Whenever you're ready, book a new time at {{ booking_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::Cancelled, false) => "Hi {{ patient_first_name }}, your appointment at {{ clinic_name }} on {{ date }} at {{ time }} is cancelled. Whenever you're ready, book a new time at {{ booking_link }} or call {{ clinic_phone }}.",
        (MessageEvent::QueueCompleted, true) => "Hi {{ patient_first_name }}, good news: {{ clinic_name }} has booked you in with {{ provider }} on {{ date }} at {{ time }}. Questions or changes? Call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::VerificationCode, _) => "{{ code }} is your {{ clinic_name }} booking code. It works for 10 minutes. If you didn't ask for it, you can ignore this message.",
        (MessageEvent::QueueUnavailable, true) => "Hi {{ patient_first_name }}, sorry: {{ date }} at {{ time }} at {{ clinic_name }} was taken before we could book it for you. Nearest free times: {{ alternatives }}. Book one at {{ booking_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::QueueUnavailable, false) => "Hi {{ patient_first_name }}, sorry: {{ date }} at {{ time }} at {{ clinic_name }} was taken before we could book it for you. Nearest free times: {{ alternatives }}. Book one at {{ booking_link }} or call {{ clinic_phone }}.",
        (MessageEvent::QueueCompleted, false) => "Hi {{ patient_first_name }}, good news: {{ clinic_name }} has booked you in with {{ provider }} on {{ date }} at {{ time }}. Questions or changes? Call {{ clinic_phone }}.",
        (MessageEvent::Recall, true) => "Hi {{ patient_first_name }}, {{ message }} Pick a time that suits you: {{ booking_link }} Reply STOP to opt out.",
        (MessageEvent::Recall, false) => "Hi {{ patient_first_name }}, {{ message }} Pick a time that suits you: {{ booking_link }}",
        (MessageEvent::NoShowFirst, true) => "Hi {{ patient_first_name }}, we missed you at {{ clinic_name }} today. We hope everything is all right. Call us on {{ clinic_phone }} whenever suits you. Reply STOP to opt out.",
        (MessageEvent::NoShowFirst, false) => "Hi {{ patient_first_name }}, we missed you at {{ clinic_name }} today. We hope everything is all right. Call us on {{ clinic_phone }} whenever suits you.",
        (MessageEvent::NoShowSecond, true) => "Hi {{ patient_first_name }}, let's find you a new time at {{ clinic_name }}. Book in a few taps: {{ booking_link }} Reply STOP to opt out.",
        (MessageEvent::NoShowSecond, false) => "Hi {{ patient_first_name }}, let's find you a new time at {{ clinic_name }}. Book in a few taps: {{ booking_link }}",
        (MessageEvent::NoShowThird, true) => "Hi {{ patient_first_name }}, a last nudge from {{ clinic_name }}: your visit is still waiting to be booked. {{ booking_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::NoShowThird, false) => "Hi {{ patient_first_name }}, a last nudge from {{ clinic_name }}: your visit is still waiting to be booked. {{ booking_link }} or call {{ clinic_phone }}.",
        (MessageEvent::Aftercare, true) => "Hi {{ patient_first_name }}, thank you for visiting {{ clinic_name }} today. {{ message }} Questions? Call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::Aftercare, false) => "Hi {{ patient_first_name }}, thank you for visiting {{ clinic_name }} today. {{ message }} Questions? Call {{ clinic_phone }}.",
        (MessageEvent::FeedbackRequest, true) => "Hi {{ patient_first_name }}, how was your visit to {{ clinic_name }}? Tell us in one tap: {{ survey_link }} Reply STOP to opt out.",
        (MessageEvent::FeedbackRequest, false) => "Hi {{ patient_first_name }}, how was your visit to {{ clinic_name }}? Tell us in one tap: {{ survey_link }}",
        (MessageEvent::BroadcastReminder, true) => "Hi {{ patient_first_name }}, a reminder from {{ clinic_name }}: we'll see you on {{ date }} at {{ time }}. {{ message }} Changes: {{ manage_link }} Reply STOP to opt out.",
        (MessageEvent::BroadcastReminder, false) => "Hi {{ patient_first_name }}, a reminder from {{ clinic_name }}: we'll see you on {{ date }} at {{ time }}. {{ message }} Changes: {{ manage_link }}",
        (MessageEvent::BroadcastScheduleChange, true) => "Hi {{ patient_first_name }}, a change at {{ clinic_name }} about your visit on {{ date }} at {{ time }}: {{ message }} Questions? Call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::BroadcastScheduleChange, false) => "Hi {{ patient_first_name }}, a change at {{ clinic_name }} about your visit on {{ date }} at {{ time }}: {{ message }} Questions? Call {{ clinic_phone }}.",
        (MessageEvent::BroadcastClosing, true) => "Hi {{ patient_first_name }}, {{ clinic_name }} is closed on {{ date }}. {{ message }} Please pick a new time for your {{ time }} visit: {{ manage_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::BroadcastClosing, false) => "Hi {{ patient_first_name }}, {{ clinic_name }} is closed on {{ date }}. {{ message }} Please pick a new time for your {{ time }} visit: {{ manage_link }} or call {{ clinic_phone }}.",
        (MessageEvent::BroadcastRescheduling, true) => "Hi {{ patient_first_name }}, {{ clinic_name }} needs to move your visit on {{ date }} at {{ time }}. {{ message }} Please choose a new time: {{ manage_link }} or call {{ clinic_phone }}. Reply STOP to opt out.",
        (MessageEvent::BroadcastRescheduling, false) => "Hi {{ patient_first_name }}, {{ clinic_name }} needs to move your visit on {{ date }} at {{ time }}. {{ message }} Please choose a new time: {{ manage_link }} or call {{ clinic_phone }}.",
    }
}

fn email_subject(event: MessageEvent) -> &'static str {
    match event {
        MessageEvent::Confirmation => "You're booked: {{ date }} at {{ time }}",
        MessageEvent::Reminder => "See you soon: {{ date }} at {{ time }}",
        MessageEvent::Rescheduled => "Your appointment has moved to {{ date }} at {{ time }}",
        MessageEvent::Cancelled => "Your appointment on {{ date }} is cancelled",
        MessageEvent::QueueCompleted => "You're booked: {{ date }} at {{ time }}",
        MessageEvent::VerificationCode => "Your {{ clinic_name }} booking code: {{ code }}",
        MessageEvent::QueueUnavailable => "Your requested time at {{ clinic_name }} was taken",
        MessageEvent::Recall => "Time for your next visit to {{ clinic_name }}",
        MessageEvent::NoShowFirst => "We missed you at {{ clinic_name }}",
        MessageEvent::NoShowSecond => "Let's find you a new time at {{ clinic_name }}",
        MessageEvent::NoShowThird => "Your visit to {{ clinic_name }} is waiting to be booked",
        MessageEvent::Aftercare => "After your visit to {{ clinic_name }}",
        MessageEvent::FeedbackRequest => "How was your visit to {{ clinic_name }}?",
        MessageEvent::BroadcastReminder => "Reminder: {{ date }} at {{ time }}",
        MessageEvent::BroadcastScheduleChange => "A change about your visit on {{ date }}",
        MessageEvent::BroadcastClosing => "{{ clinic_name }} is closed on {{ date }}",
        MessageEvent::BroadcastRescheduling => {
            "Please choose a new time for your visit on {{ date }}"
        }
    }
}

fn email_body(event: MessageEvent) -> &'static str {
    match event {
        MessageEvent::Confirmation => {
            "Hi {{ patient_first_name }},

Thank you for booking with {{ clinic_name }}. We look forward to seeing you.

{{ service }} with {{ provider }}
{{ date }} at {{ time }}
Reference: {{ reference }}

Add it to your calendar: {{ calendar_link }}
Need to reschedule or cancel? {{ manage_link }} or call us on {{ clinic_phone }}.

See you soon,
The team at {{ clinic_name }}"
        }
        MessageEvent::Reminder => {
            "Hi {{ patient_first_name }},

A friendly reminder of your upcoming visit to {{ clinic_name }}:

{{ service }} with {{ provider }}
{{ date }} at {{ time }}

Need to reschedule or cancel? {{ manage_link }} or call us on {{ clinic_phone }}.

See you soon,
The team at {{ clinic_name }}"
        }
        MessageEvent::Rescheduled => {
            "Hi {{ patient_first_name }},

Your appointment at {{ clinic_name }} has moved. Here are the new details:

{{ service }} with {{ provider }}
{{ date }} at {{ time }}
Reference: {{ reference }}

The attached calendar file replaces the earlier one: {{ calendar_link }}
Need another change? {{ manage_link }} or call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::Cancelled => {
            "Hi {{ patient_first_name }},

Your appointment at {{ clinic_name }} on {{ date }} at {{ time }} is cancelled.

Whenever you're ready, book a new time at {{ booking_link }} or call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::QueueCompleted => {
            "Hi {{ patient_first_name }},

Good news: our team has booked your appointment at {{ clinic_name }}.

{{ service }} with {{ provider }}
{{ date }} at {{ time }}

Need to change it? Call us on {{ clinic_phone }}.

See you soon,
The team at {{ clinic_name }}"
        }
        MessageEvent::VerificationCode => {
            "Hello,

Your {{ clinic_name }} booking code is {{ code }}. It works for 10 minutes.

If you didn't ask for it, you can ignore this email.

The team at {{ clinic_name }}"
        }
        MessageEvent::QueueUnavailable => {
            "Hi {{ patient_first_name }},

We're sorry: {{ date }} at {{ time }} was taken before we could book it for you.

The nearest free times are: {{ alternatives }}.

Book one at {{ booking_link }} or call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::Recall => {
            "Hi {{ patient_first_name }},

{{ message }}

Pick a time that suits you: {{ booking_link }}
This link is just for you and works for 30 days. You can also call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::NoShowFirst => {
            "Hi {{ patient_first_name }},

We missed you at {{ clinic_name }} today and hope everything is all right.

Call us on {{ clinic_phone }} whenever suits you and we'll find a new time.

The team at {{ clinic_name }}"
        }
        MessageEvent::NoShowSecond => {
            "Hi {{ patient_first_name }},

Let's find you a new time for your {{ service }}. Book in a few taps: {{ booking_link }}

Or call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::NoShowThird => {
            "Hi {{ patient_first_name }},

A last nudge: your {{ service }} is still waiting to be booked. {{ booking_link }}

Or call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::Aftercare => {
            "Hi {{ patient_first_name }},

Thank you for visiting {{ clinic_name }} today. A few notes for after your {{ service }}:

{{ message }}

Questions? Call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::FeedbackRequest => {
            "Hi {{ patient_first_name }},

How was your visit to {{ clinic_name }}? Rate it in one click: {{ survey_link }}

Thank you for helping us do better.

The team at {{ clinic_name }}"
        }
        MessageEvent::BroadcastReminder => {
            "Hi {{ patient_first_name }},

A reminder of your visit to {{ clinic_name }}: {{ service }} with {{ provider }} on {{ date }} at {{ time }}.

{{ message }}

Need to change it? {{ manage_link }} or call us on {{ clinic_phone }}.

The team at {{ clinic_name }}"
        }
        MessageEvent::BroadcastScheduleChange => {
            "Hi {{ patient_first_name }},

A change at {{ clinic_name }} about your visit on {{ date }} at {{ time }}:

{{ message }}

Questions? Call us on {{ clinic_phone }}. Your booking: {{ manage_link }}

The team at {{ clinic_name }}"
        }
        MessageEvent::BroadcastClosing => {
            "Hi {{ patient_first_name }},

{{ clinic_name }} is closed on {{ date }}. {{ message }}

Please choose a new time for your {{ time }} visit: {{ manage_link }} or call us on {{ clinic_phone }}.

We're sorry for the trouble.
The team at {{ clinic_name }}"
        }
        MessageEvent::BroadcastRescheduling => {
            "Hi {{ patient_first_name }},

We need to move your visit on {{ date }} at {{ time }}. {{ message }}

Please choose a new time: {{ manage_link }} or call us on {{ clinic_phone }}.

We're sorry for the trouble.
The team at {{ clinic_name }}"
        }
    }
}

/// The text a practice uses for an event and channel: its own, or the default.
pub fn effective(
    custom: Option<TemplateText>,
    event: MessageEvent,
    channel: Channel,
) -> TemplateText {
    custom.unwrap_or_else(|| default_template(event, channel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::templates::check_template;

    #[test]
    fn every_default_template_passes_its_own_checks() {
        for event in MessageEvent::ALL {
            for channel in Channel::ALL {
                let t = default_template(event, channel);
                assert_eq!(check_template(channel, &t), Ok(()), "{event:?} {channel:?}");
            }
        }
    }
}
