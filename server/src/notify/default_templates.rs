//! The wording every practice starts with, in each language (the `messages` of
//! `shared/lang/{code}.json`): warm, short, and always with a way to change the appointment.
//! SMS and WhatsApp texts leave out the reason for visit (a lock screen is not private); email,
//! which the patient opens, names it.

use super::templates::TemplateText;
use slotwise_shared::lang::{messages::message, Language};
use slotwise_shared::messages::{Channel, MessageEvent};

/// The default template of an event on a channel, in `language`.
pub fn default_template(
    event: MessageEvent,
    channel: Channel,
    language: &Language,
) -> TemplateText {
    let text = |field: &str| {
        message(language, &format!("{}.{field}", event.as_str()))
            .unwrap_or_default()
            .to_string()
    };
    match channel {
        Channel::Sms => TemplateText {
            subject: String::new(),
            body: text("sms"),
        },
        Channel::Whatsapp => TemplateText {
            subject: String::new(),
            body: text("whatsapp"),
        },
        Channel::Email => TemplateText {
            subject: text("email_subject"),
            body: text("email_body"),
        },
    }
}

/// The text a practice uses for an event and channel in a language: its own, or the default.
pub fn effective(
    custom: Option<TemplateText>,
    event: MessageEvent,
    channel: Channel,
    language: &Language,
) -> TemplateText {
    custom.unwrap_or_else(|| default_template(event, channel, language))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::templates::check_template;
    use slotwise_shared::lang::LANGUAGES;

    #[test]
    fn every_default_template_of_every_language_passes_its_own_checks() {
        for language in &LANGUAGES {
            for event in MessageEvent::ALL {
                for channel in Channel::ALL {
                    let t = default_template(event, channel, language);
                    assert!(
                        !t.body.is_empty(),
                        "{} {event:?} {channel:?}",
                        language.code
                    );
                    assert_eq!(
                        check_template(channel, &t, language),
                        Ok(()),
                        "{} {event:?} {channel:?}",
                        language.code
                    );
                }
            }
        }
    }

    #[test]
    fn spanish_defaults_are_spanish() {
        let es = slotwise_shared::lang::of("es");
        let t = default_template(MessageEvent::Confirmation, Channel::Sms, es);
        assert!(t.body.starts_with("Hola"), "{}", t.body);
        assert!(t.body.contains("STOP"), "{}", t.body);
    }
}
