//! A patient whose browser prefers Spanish books in Spanish in real headless Chromium: every
//! step's heading, the time labels, an input error and the confirmation; the language switch
//! changes language mid-flow without losing the choices or the held time; the confirmation SMS
//! and email that follow are Spanish.

use crate::common;
use crate::common::messaging::{of, wait_for_messages, Admin};

use common::browser::{attr_of, click, find, text_of, type_into, wait_for_title, Browser};
use common::widget_site::{Site, ONE_AT_A_TIME};
use fantoccini::Locator;

/// Chooses `code` in the widget's language switch.
async fn switch_to(w: &fantoccini::elements::ShadowRoot, code: &str) {
    click(w, &format!(".sw-lang option[value={code}]")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_whose_browser_prefers_spanish_books_in_spanish() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch_in(390, "es-MX,es").await;
    b.client.goto(&site.host.url()).await.expect("host page");
    let w = b.widget("#book").await;

    wait_for_title(&w, "¿Nos ha visitado antes?").await;
    assert_eq!(attr_of(&w, ".sw-shell", "lang").await, "es");
    click(&w, "[data-choice=new]").await;
    wait_for_title(&w, "¿Cuál es el motivo de la visita?").await;
    let new_exam = site.app.reason("New patient exam & cleaning");
    click(&w, &format!("[data-choice=reason-{new_exam}]")).await;
    wait_for_title(&w, "¿Dónde quiere que lo atiendan?").await;
    click(&w, "[data-choice=location-any]").await;
    wait_for_title(&w, "¿Con quién quiere su cita?").await;
    click(&w, "[data-choice=provider-any]").await;
    wait_for_title(&w, "¿Cómo pagará la visita?").await;
    click(&w, "[data-choice=self-pay]").await;

    wait_for_title(&w, "Elija un horario").await;
    let label = attr_of(&w, ".sw-time", "aria-label").await;
    assert!(
        label.contains(" de ") && (label.contains("a. m.") || label.contains("p. m.")),
        "times are written the Spanish way: {label}"
    );
    let lead = text_of(&w, ".sw-lead").await;
    assert!(lead.contains("hora del Este"), "{lead}");

    // Mid-flow to English and back: the step is redrawn, the choices stay.
    switch_to(&w, "en").await;
    wait_for_title(&w, "Pick a time").await;
    assert_eq!(attr_of(&w, ".sw-shell", "lang").await, "en");
    let english = attr_of(&w, ".sw-time", "aria-label").await;
    assert!(english.contains(" at "), "{english}");
    switch_to(&w, "es").await;
    wait_for_title(&w, "Elija un horario").await;
    click(&w, ".sw-back").await;
    wait_for_title(&w, "¿Cómo pagará la visita?").await;
    assert_eq!(
        attr_of(&w, "[data-choice=self-pay]", "aria-pressed").await,
        "true",
        "the choice made before switching is kept"
    );
    click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Elija un horario").await;

    click(&w, ".sw-time").await;
    wait_for_title(&w, "Sus datos").await;
    assert_eq!(attr_of(&w, ".sw-shell", "lang").await, "es");
    // An input error from the shared rules, in Spanish.
    type_into(&w, "#sw-patient-phone", "555").await;
    click(&w, ".sw-form button[type=submit]").await;
    let phone_error = text_of(&w, "#sw-patient-phone-error").await;
    assert!(
        !phone_error.is_empty() && !phone_error.contains("digits"),
        "{phone_error}"
    );
    type_into(&w, "#sw-patient-phone", "\u{E003}\u{E003}\u{E003}").await;
    type_into(&w, "#sw-patient-first_name", "Lucía").await;
    type_into(&w, "#sw-patient-last_name", "Hernández").await;
    type_into(&w, "#sw-patient-date_of_birth", "05121988").await;
    type_into(&w, "#sw-patient-phone", "(415) 555-0188").await;
    type_into(&w, "#sw-patient-email", "lucia@example.com").await;
    click(&w, ".sw-form button[type=submit]").await;

    wait_for_title(&w, "Revise y confirme").await;
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "Su cita está confirmada").await;
    let page = find(&w, ".sw").await.text().await.unwrap_or_default();
    for english in ["You're", "Reference", "Add to", "Appointment at"] {
        assert!(
            !page.contains(english),
            "English on the Spanish confirmation ({english}):\n{page}"
        );
    }
    let google = attr_of(&w, "a[href^=\"https://calendar.google.com\"]", "href").await;
    assert!(google.contains("Cita"), "{google}");
    assert!(w
        .find(Locator::Css("[data-testid=reference]"))
        .await
        .is_ok());
    b.close().await;

    // The messages the patient gets are Spanish too: the booking's language is theirs now.
    let admin = Admin::for_practice(&site.app, "demo").await;
    let messages = wait_for_messages(&admin, 20, "the confirmations", |ms| {
        ["sms", "email"].iter().all(|c| {
            of(ms, "confirmation", c)
                .iter()
                .any(|m| m["status"] == "sent")
        })
    })
    .await;
    let sms = of(&messages, "confirmation", "sms")[0]["body"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(sms.starts_with("Hola, Lucía."), "{sms}");
    assert!(sms.contains("Responda STOP"), "{sms}");
    let email = of(&messages, "confirmation", "email")[0];
    let subject = email["subject"].as_str().unwrap_or_default();
    assert!(subject.starts_with("Cita confirmada: "), "{subject}");
    assert!(
        subject.contains("a. m.") || subject.contains("p. m."),
        "{subject}"
    );
    let body = email["body"].as_str().unwrap_or_default();
    for english in ["Hi ", "Thank you", "Reference", "See you soon"] {
        assert!(
            !body.contains(english),
            "English in the Spanish email ({english}):\n{body}"
        );
    }
    site.finish().await;
}
