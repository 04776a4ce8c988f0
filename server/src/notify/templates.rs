//! Message templates: a fixed set of tags, checks when a practice saves its own wording, and
//! rendering for each channel through the bounded engine (`template_engine`).

use super::context::MessageContext;
use super::template_engine::{environment, off_runtime, render_now, RenderError};
use slotwise_shared::lang::{messages::message, Language};
use slotwise_shared::messages::{Channel, TagInfo};
use std::collections::BTreeSet;

/// The tags templates may use, with what staff see about each.
pub const TAGS: &[(&str, &str)] = &[
    ("patient_first_name", "The patient's first name"),
    ("date", "Appointment date, in the practice's timezone"),
    ("time", "Appointment time, in the practice's timezone"),
    ("provider", "Who the patient will see"),
    ("service", "The reason for visit"),
    ("clinic_name", "The practice's name"),
    ("clinic_phone", "The practice's phone number"),
    ("calendar_link", "Add-to-calendar link (.ics)"),
    ("manage_link", "Link to reschedule or cancel"),
    ("booking_link", "Link to book a new appointment (a waitlist offer: that visit; a confirmation request: the page to confirm)"),
    ("reference", "The booking reference"),
    (
        "code",
        "A returning patient's one-time code (verification only)",
    ),
    (
        "alternatives",
        "Nearest free times (time-taken messages only)",
    ),
    (
        "message",
        "The recall rule's message, the broadcast's note, the reason's aftercare text or the confirmation deadline",
    ),
    (
        "survey_link",
        "Link to rate the visit (feedback requests only)",
    ),
    (
        "visits",
        "Every visit of a procedure with its time, provider and link (procedure bookings only)",
    ),
    ("unsubscribe_link", "Email only: one-click unsubscribe link"),
];

/// The tags as the API lists them.
pub fn tag_list() -> Vec<TagInfo> {
    TAGS.iter()
        .map(|(name, description)| TagInfo {
            name: (*name).to_string(),
            description: (*description).to_string(),
        })
        .collect()
}

/// What a template renders to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

/// A template as stored: subject (email only) and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateText {
    pub subject: String,
    pub body: String,
}

/// Checks a template a practice wants to save in `language`. Errors are per field (`subject`,
/// `body`) and name the unknown tags or the syntax problem.
pub fn check_template(
    channel: Channel,
    t: &TemplateText,
    language: &Language,
) -> Result<(), Vec<(String, String)>> {
    let mut problems = Vec::new();
    if t.body.trim().is_empty() {
        problems.push(("body".into(), "Write the message text.".into()));
    }
    if t.body.len() > 8_000 || t.subject.len() > 300 {
        problems.push(("body".into(), "This message is too long.".into()));
    }
    if channel == Channel::Email && t.subject.trim().is_empty() {
        problems.push(("subject".into(), "Write a subject line.".into()));
    }
    for (field, source) in [("subject", &t.subject), ("body", &t.body)] {
        if let Err(message) = check_source(source) {
            problems.push((field.to_string(), message));
        }
    }
    if problems.is_empty() {
        // Filters and tests are only known when rendering, and the work a template does only
        // shows then: try it with sample values, within the same bounds as every render.
        if let Err(e) = render_with(
            t,
            &MessageContext::sample(language),
            "https://book.example/u",
        ) {
            problems.push(("body".into(), e.to_string()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// [`check_template`] on the blocking pool (it renders).
pub async fn check_template_off_runtime(
    channel: Channel,
    t: TemplateText,
    language: &'static Language,
) -> Result<(), Vec<(String, String)>> {
    off_runtime(move || Ok(check_template(channel, &t, language)))
        .await
        .unwrap_or_else(|e| Err(vec![("body".into(), e.to_string())]))
}

fn check_source(source: &str) -> Result<(), String> {
    super::template_engine::check_operators(source)?;
    let env = environment();
    let template = env.template_from_str(source).map_err(|e| {
        format!(
            "This template has a mistake: {}",
            e.detail().unwrap_or("syntax error")
        )
    })?;
    let known: BTreeSet<&str> = TAGS.iter().map(|(name, _)| *name).collect();
    let unknown: Vec<String> = template
        .undeclared_variables(false)
        .into_iter()
        .filter(|v| !known.contains(v.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Unknown tag{}: {}. Use one of the listed tags.",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", ")
        ))
    }
}

/// Renders a template with a message's values, within the engine's bounds, on this thread:
/// call it from blocking code, or use [`render`].
pub fn render_with(
    t: &TemplateText,
    ctx: &MessageContext,
    unsubscribe_link: &str,
) -> Result<Rendered, RenderError> {
    let env = environment();
    let mut values = serde_json::to_value(ctx).map_err(|e| RenderError::Failed(e.to_string()))?;
    if let Some(map) = values.as_object_mut() {
        map.remove("ics");
        map.insert("unsubscribe_link".into(), unsubscribe_link.into());
    }
    Ok(Rendered {
        subject: render_now(&env, &t.subject, &values)?.trim().to_string(),
        text: render_now(&env, &t.body, &values)?.trim().to_string(),
    })
}

/// [`render_with`] on the blocking pool, a few at a time: what async code calls.
pub async fn render(
    t: TemplateText,
    ctx: MessageContext,
    unsubscribe_link: String,
) -> Result<Rendered, RenderError> {
    off_runtime(move || render_with(&t, &ctx, &unsubscribe_link)).await
}

/// SMS must always say how to opt out; a practice template that forgot gets the line added,
/// in the message's language (the keyword stays STOP: it is what carriers act on).
pub fn with_opt_out_line(channel: Channel, text: String, language: &Language) -> String {
    if channel == Channel::Sms && !text.to_ascii_uppercase().contains("STOP") {
        format!(
            "{text} {}",
            message(language, "opt_out").unwrap_or_default()
        )
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slotwise_shared::lang::{of, DEFAULT};

    fn text(body: &str) -> TemplateText {
        TemplateText {
            subject: String::new(),
            body: body.into(),
        }
    }

    #[test]
    fn unknown_tags_and_syntax_errors_are_refused_with_their_names() {
        let err = check_template(
            Channel::Sms,
            &text("Hi {{ first_name }} {{ date }}"),
            DEFAULT,
        )
        .expect_err("unknown tag");
        assert!(err[0].1.contains("first_name"), "{err:?}");
        let err = check_template(Channel::Sms, &text("Hi {{ date "), DEFAULT).expect_err("syntax");
        assert_eq!(err[0].0, "body");
        let err = check_template(Channel::Sms, &text("{{ date | shout }}"), DEFAULT)
            .expect_err("unknown filter");
        assert!(err[0].1.contains("shout"), "{err:?}");
        let err = check_template(Channel::Email, &text("Hi"), DEFAULT).expect_err("no subject");
        assert_eq!(err[0].0, "subject");
        // A Spanish text is checked the same way.
        let err = check_template(Channel::Sms, &text("Hola {{ nombre }}"), of("es"))
            .expect_err("unknown tag in Spanish");
        assert!(err[0].1.contains("nombre"), "{err:?}");
    }

    #[test]
    fn rendering_fills_tags_and_sms_always_carries_the_opt_out_line() {
        let t = text("Hi {{ patient_first_name }}, see you {{ date }} at {{ time }}.");
        let r = render_with(&t, &MessageContext::sample(DEFAULT), "").expect("renders");
        assert_eq!(
            r.text,
            "Hi Jamie, see you Tuesday, March 10, 2026 at 9:30 AM EDT."
        );
        let sms = with_opt_out_line(Channel::Sms, r.text.clone(), DEFAULT);
        assert!(sms.ends_with("Reply STOP to opt out."));
        assert_eq!(
            with_opt_out_line(Channel::Email, r.text.clone(), DEFAULT),
            r.text
        );
        assert_eq!(
            with_opt_out_line(Channel::Sms, "Reply stop to end".into(), DEFAULT),
            "Reply stop to end"
        );
        let es = of("es");
        let r = render_with(&t, &MessageContext::sample(es), "").expect("renders");
        assert_eq!(
            r.text,
            "Hi Lucía, see you martes, 10 de marzo de 2026 at 9:30 a. m. EDT."
        );
        let sms = with_opt_out_line(Channel::Sms, "Hola".into(), es);
        assert_eq!(sms, "Hola Responda STOP para no recibir más mensajes.");
    }
}
