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
    }
}
