//! Languages at the API and on the server's pages: booking-config lists them, free times and
//! held times are labelled in the language asked for (or the practice's default), pages follow
//! `?lang=`, then the browser, then the practice's default, and staff choose that default from
//! the languages there are — on SQLite and on PostgreSQL.

use crate::common;
use crate::db_test;

use common::staff::signed_in;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::api::{HoldRequest, ProviderChoice, SlotsParams, SlotsResponse};

async fn slots_in(app: &common::TestApp, lang: Option<&str>) -> SlotsResponse {
    let params = SlotsParams {
        reason: app.reason("Checkup"),
        provider: ProviderChoice::Any,
        patient: None,
        location: None,
        from: None,
        days: Some(7),
        lang: lang.map(str::to_string),
    };
    app.client.slots("demo", &params).await.expect("slots")
}

const WEEKDAYS_ES: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];

db_test! {
    async fn booking_config_lists_the_languages_and_the_practice_default(app) {
        let config = app.client.booking_config("demo").await.expect("config");
        let languages: Vec<(String, String)> =
            config.languages.iter().map(|l| (l.code.clone(), l.name.clone())).collect();
        assert_eq!(languages[0], ("en".to_string(), "English".to_string()));
        assert!(languages.contains(&("es".to_string(), "Español".to_string())));
        assert_eq!(config.settings.default_lang, "en");
    }
}

db_test! {
    async fn free_times_are_labelled_in_the_language_asked_for(app) {
        let spanish = slots_in(app, Some("es-MX")).await;
        let english = slots_in(app, None).await;
        for (es, en) in spanish.days.iter().zip(&english.days) {
            assert_eq!(es.date, en.date);
            assert!(WEEKDAYS_ES.iter().any(|d| es.label.starts_with(d)), "{}", es.label);
            assert!(es.label.contains(" de "), "{}", es.label);
            assert!(!en.label.contains(" de "), "{}", en.label);
        }
        let slot = spanish.days.iter().flat_map(|d| &d.slots).next().expect("a free time");
        assert!(slot.label.ends_with("a. m.") || slot.label.ends_with("p. m."), "{}", slot.label);
        assert!(slot.full_label.contains(" de 20"), "{}", slot.full_label);
        let french = slots_in(app, Some("fr")).await;
        assert_eq!(french.days[0].label, english.days[0].label, "no such language: the default");

        let held = app
            .client
            .hold("demo", &HoldRequest {
                reason: app.reason("Checkup"),
                provider: slot.provider,
                start: slot.start,
                lang: Some("es".into()),
            })
            .await
            .expect("hold");
        assert_eq!(held.slot.full_label, slot.full_label, "the held time in the same words");
    }
}

db_test! {
    async fn the_practice_default_language_applies_when_none_is_asked_for(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let mut settings = owner.practice().await.expect("practice").settings;
        assert_eq!(settings.default_lang, "en");
        settings.default_lang = "fr".into();
        let err = owner.save_practice(&settings).await.expect_err("no French");
        assert_eq!(err.status(), Some(422));
        assert!(err.body().and_then(|b| b.fields.as_ref()).is_some_and(|f| f["default_lang"].contains("es")));
        settings.default_lang = "es".into();
        owner.save_practice(&settings).await.expect("save");
        let config = app.client.booking_config("demo").await.expect("config");
        assert_eq!(config.settings.default_lang, "es");
        let by_default = slots_in(app, None).await;
        assert!(WEEKDAYS_ES.iter().any(|d| by_default.days[0].label.starts_with(d)), "{}", by_default.days[0].label);
        let asked = slots_in(app, Some("en")).await;
        assert!(!asked.days[0].label.contains(" de "), "{}", asked.days[0].label);
    }
}

async fn page_in(app: &common::TestApp, path: &str, accept: Option<&str>) -> (u16, String) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.server.url()));
    if let Some(accept) = accept {
        request = request.header("accept-language", accept);
    }
    let answer = request.send().await.expect("page");
    (answer.status().as_u16(), answer.text().await.expect("html"))
}

db_test! {
    async fn booking_pages_follow_the_link_then_the_browser_then_the_practice(app) {
        let (status, html) = page_in(app, "/book/demo", Some("es-US,es;q=0.9,en;q=0.5")).await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"es\">") && html.contains("Pedir una cita · Brightside Dental"), "{html}");
        let (_, html) = page_in(app, "/book/demo?lang=en", Some("es")).await;
        assert!(html.contains("Book an appointment · Brightside Dental"), "{html}");
        let (status, html) = page_in(app, "/book/no-such-practice", Some("es")).await;
        assert_eq!(status, 404);
        assert!(html.contains("Esta página de citas no existe"), "{html}");
        let (_, html) = page_in(app, "/book/demo", None).await;
        assert!(html.contains("<html lang=\"en\">"), "{html}");

        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let mut settings = owner.practice().await.expect("practice").settings;
        settings.default_lang = "es".into();
        owner.save_practice(&settings).await.expect("save");
        let (_, html) = page_in(app, "/book/demo", None).await;
        assert!(html.contains("Pedir una cita"), "the practice's default: {html}");
        let (_, html) = page_in(app, "/book/demo", Some("de-DE,en;q=0.8")).await;
        assert!(html.contains("Book an appointment"), "the browser's English before the practice's Spanish: {html}");
    }
}

db_test! {
    async fn booking_config_carries_the_widgets_words_in_the_language_chosen(app) {
        let spanish = app.client.booking_config_with("demo", "lang=es").await.expect("config");
        assert_eq!(spanish.lang, "es");
        assert_eq!(spanish.texts["widget.patient_type.title"], "¿Nos ha visitado antes?");
        assert_eq!(spanish.practice.timezone_name, "hora del Este", "the zone named in Spanish too");
        assert!(
            spanish.texts.keys().all(|k| k.starts_with("widget.") || k.starts_with("check.")),
            "only the widget's words and the shared rules' messages"
        );
        let preferred = app.client.booking_config_with("demo", "prefer=de-DE%2Ces-MX%2Cen").await.expect("config");
        assert_eq!(preferred.lang, "es", "the browser's first language there is");
        let english = app.client.booking_config("demo").await.expect("config");
        assert_eq!(english.lang, "en");
        assert_eq!(english.texts["widget.patient_type.title"], "Have you visited us before?");
        assert_eq!(english.texts.len(), spanish.texts.len(), "every word in both");
    }
}

db_test! {
    async fn the_shared_rules_answer_in_the_language_of_the_request(app) {
        let (_, hold) = app.hold_first_checkup().await;
        let mut request = common::booking_request(&hold.hold_token);
        request.patient.first_name = String::new();
        request.notes = Some("x".repeat(1001));
        request.lang = Some("es".into());
        let err = app.client.book("demo", "lang-es-1", &request).await.expect_err("no name");
        assert_eq!(err.status(), Some(422));
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert_eq!(fields["patient.first_name"], "Escriba un nombre.");
        assert_eq!(fields["notes"], "Escriba menos de 1000 caracteres.");
        request.lang = None;
        let err = app.client.book("demo", "lang-en-1", &request).await.expect_err("no name");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert_eq!(fields["patient.first_name"], "Please enter a name.");
        assert_eq!(fields["notes"], "Keep this under 1000 characters.");
        // A number that cannot exist, from the server's own check, in the request's language.
        request.patient.first_name = "Ana".into();
        request.notes = None;
        request.patient.phone = "(015) 555-0147".into();
        request.lang = Some("es".into());
        let err = app.client.book("demo", "lang-es-2", &request).await.expect_err("no such number");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields["patient.phone"].starts_with("Revise el número: debería verse como (201) 555-0123"), "{fields:?}");
        let spanish = app.client.booking_config_with("demo", "lang=es").await.expect("config");
        assert_eq!(spanish.texts["check.name.empty"], "Escriba un nombre.", "the widget checks in the same words");
    }
}

db_test! {
    async fn the_lookup_answers_in_the_language_of_the_request(app) {
        use slotwise_shared::patients::{LookupRequest, VerifyRequest};
        let sent = app
            .client
            .lookup_patient("demo", &LookupRequest { contact: "+1 415 510 9999".into(), lang: Some("es".into()) })
            .await
            .expect("lookup");
        assert!(sent.message.starts_with("Si tenemos estos datos registrados"), "{}", sent.message);
        let err = app
            .client
            .verify_patient("demo", &VerifyRequest { contact: "+1 415 510 9999".into(), code: "12".into(), lang: Some("es".into()) })
            .await
            .expect_err("short code");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert_eq!(fields["code"], "Escriba el código de 6 dígitos que le enviamos.");
        let err = app
            .client
            .lookup_patient("demo", &LookupRequest { contact: "ana".into(), lang: None })
            .await
            .expect_err("bad contact");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert_eq!(fields["contact"], "Enter the mobile number or email address we have on file.");
    }
}
