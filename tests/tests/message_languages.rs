//! Messages in the patient's language: a booking made in Spanish is remembered with the
//! household, so the confirmation, the reminders and WhatsApp's template language follow it;
//! staff can change it; templates are kept and checked per language. Every test runs on SQLite
//! and PostgreSQL.

use crate::common;
use crate::db_test;

use common::messaging::{make_reminders_due, of, wait_for_messages, Admin};
use common::smtp_server::SmtpServer;
use common::whatsapp_double::WhatsAppDouble;
use common::TestApp;
use serde_json::{json, Value};
use slotwise_shared::api::BookingCreated;
use slotwise_shared::patients::{LookupRequest, VerifiedPatient};

/// Books a checkup at least 26 hours ahead (every reminder still due) in `lang`.
async fn book_in(app: &TestApp, lang: Option<&str>, phone: &str) -> BookingCreated {
    let (_, hold) = app
        .hold_checkup_after(jiff::SignedDuration::from_hours(26))
        .await;
    let mut req = common::booking_request(&hold.hold_token);
    req.patient.phone = phone.into();
    req.patient.email = format!("{}@example.com", phone.replace([' ', '+'], ""));
    req.lang = lang.map(str::to_string);
    app.client
        .book("demo", &format!("lang-{}", common::unique_key()), &req)
        .await
        .expect("booking")
}

/// The staff list's row of a booking.
async fn listed(admin: &Admin, reference: &str) -> Value {
    let (status, list) = admin.get("/appointments?limit=500").await;
    assert_eq!(status, 200, "{list}");
    list["appointments"]
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["reference"] == reference)
        .cloned()
        .expect("the booking is listed")
}

fn body_of(messages: &[Value], event: &str, channel: &str) -> String {
    of(messages, event, channel)
        .first()
        .and_then(|m| m["body"].as_str())
        .unwrap_or_default()
        .to_string()
}

db_test! {
    async fn a_patient_who_books_in_spanish_hears_in_spanish_until_staff_change_it(app) {
        let whatsapp = WhatsAppDouble::start().await;
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", json!({ "transport": "local" })).await;
        admin.set_channel("email", json!({ "transport": "local" })).await;
        admin.set_channel("whatsapp", whatsapp.channel_config()).await;
        let booked = book_in(app, Some("es"), "+1 415 510 3101").await;
        let row = listed(&admin, &booked.booking.reference).await;
        assert_eq!(row["patient_lang"], "es", "the household remembers the language: {row}");

        let messages = wait_for_messages(&admin, 20, "the confirmations", |ms| {
            ["sms", "email", "whatsapp"].iter().all(|c| {
                of(ms, "confirmation", c).iter().any(|m| m["status"] == "sent")
            })
        })
        .await;
        let sms = body_of(&messages, "confirmation", "sms");
        assert!(sms.starts_with("Hola, Ana."), "{sms}");
        assert!(sms.contains(" de 2026") || sms.contains(" de 2027"), "the date in Spanish: {sms}");
        assert!(sms.contains("a. m.") || sms.contains("p. m."), "the time in Spanish: {sms}");
        assert!(sms.ends_with("Responda STOP para no recibir más mensajes."), "{sms}");
        assert!(
            sms.contains(&format!("/manage/{}?lang=es ", booked.manage_token)),
            "the manage page opens in Spanish too: {sms}"
        );
        let email = of(&messages, "confirmation", "email")[0];
        assert!(email["subject"].as_str().unwrap_or_default().starts_with("Cita confirmada: "), "{email}");
        let sent = whatsapp.received();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].language, "es_MX", "Meta is told the template's language");

        make_reminders_due(app).await;
        let messages = wait_for_messages(&admin, 20, "the reminders", |ms| {
            let r = of(ms, "reminder", "sms");
            !r.is_empty() && r.iter().all(|m| m["status"] == "sent")
        })
        .await;
        let reminder = body_of(&messages, "reminder", "sms");
        assert!(reminder.contains("Le recordamos su cita"), "the reminder is Spanish: {reminder}");

        // Staff set the patient to English: the next message is English.
        let patient = row["patient_id"].as_i64().expect("patient id");
        let (status, saved) = admin.put(&format!("/patients/{patient}/language"), json!({ "lang": "en" })).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["lang"], "en");
        let (status, refused) = admin.put(&format!("/patients/{patient}/language"), json!({ "lang": "fr" })).await;
        assert_eq!(status, 422, "{refused}");
        assert!(refused["fields"]["lang"].is_string(), "{refused}");
        let (status, _) = admin.put("/patients/999999/language", json!({ "lang": "es" })).await;
        assert_eq!(status, 404);
        app.client.cancel("demo", &booked.manage_token).await.expect("cancel");
        let messages = wait_for_messages(&admin, 20, "the cancellation", |ms| {
            of(ms, "cancelled", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let cancelled = body_of(&messages, "cancelled", "sms");
        assert!(cancelled.starts_with("Hi Ana"), "{cancelled}");
        assert!(cancelled.ends_with("Reply STOP to opt out."), "{cancelled}");
        assert!(!cancelled.contains("lang="), "the practice's own language needs no tag: {cancelled}");
    }
}

db_test! {
    async fn templates_are_kept_and_checked_per_language(app) {
        let admin = Admin::for_practice(app, "demo").await;
        // A Spanish template with an unknown tag is refused, naming it.
        let (status, body) = admin
            .put("/templates/confirmation/sms?lang=es", json!({ "body": "Hola {{ nombre }}, {{ date }}" }))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["body"].as_str().unwrap_or_default().contains("nombre"), "{body}");
        let (status, _) = admin
            .put("/templates/confirmation/sms?lang=fr", json!({ "body": "Bonjour" }))
            .await;
        assert_eq!(status, 404, "no French file");

        // The preview is written in the template's language.
        let (status, preview) = admin
            .call(
                reqwest::Method::POST,
                "/templates/reminder/sms/preview?lang=es",
                Some(json!({ "body": "Nos vemos el {{ date }}, {{ patient_first_name }}." })),
            )
            .await;
        assert_eq!(status, 200, "{preview}");
        let text = preview["body"].as_str().unwrap_or_default();
        assert!(text.starts_with("Nos vemos el martes, 10 de marzo de 2026"), "{text}");
        assert!(text.ends_with("Responda STOP para no recibir más mensajes."), "{text}");

        // The Spanish version is used for Spanish patients, English stays the default's.
        let (status, saved) = admin
            .put(
                "/templates/confirmation/sms?lang=es",
                json!({ "body": "Cita confirmada el {{ date }}, {{ patient_first_name }}. {{ manage_link }}" }),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["lang"], "es");
        let (_, list) = admin.get("/templates").await;
        let customised: Vec<(String, String)> = list["templates"]
            .as_array()
            .expect("list")
            .iter()
            .filter(|t| t["customised"] == true)
            .map(|t| (t["event"].as_str().unwrap_or_default().to_string(), t["lang"].as_str().unwrap_or_default().to_string()))
            .collect();
        assert_eq!(customised, vec![("confirmation".to_string(), "es".to_string())]);

        book_in(app, Some("es"), "+1 415 510 3201").await;
        book_in(app, None, "+1 415 510 3202").await;
        let messages = wait_for_messages(&admin, 20, "both confirmations", |ms| {
            of(ms, "confirmation", "sms").iter().filter(|m| m["status"] == "sent").count() == 2
        })
        .await;
        let bodies: Vec<&str> = of(&messages, "confirmation", "sms")
            .iter()
            .filter_map(|m| m["body"].as_str())
            .collect();
        assert!(bodies.iter().any(|b| b.starts_with("Cita confirmada el ")), "{bodies:?}");
        assert!(bodies.iter().any(|b| b.starts_with("Hi Ana, you're booked")), "{bodies:?}");

        // Back to the default wording, for Spanish only.
        let (status, _) = admin
            .call(reqwest::Method::DELETE, "/templates/confirmation/sms?lang=es", None)
            .await;
        assert_eq!(status, 204);
        let (_, list) = admin.get("/templates").await;
        assert!(list["templates"].as_array().expect("list").iter().all(|t| t["customised"] == false));
    }
}

db_test! {
    async fn codes_follow_the_language_asked_in_and_changes_the_household(app) {
        let admin = Admin::for_practice(app, "demo").await;
        // Booked through the API with no language; staff set the patient to Spanish.
        let booked = book_in(app, None, "+1 415 510 3301").await;
        let row = listed(&admin, &booked.booking.reference).await;
        assert_eq!(row["patient_lang"], Value::Null, "no language chosen: {row}");
        let patient = row["patient_id"].as_i64().expect("patient id");
        let (status, _) = admin.put(&format!("/patients/{patient}/language"), json!({ "lang": "es" })).await;
        assert_eq!(status, 200);
        app.client.cancel("demo", &booked.manage_token).await.expect("cancel");
        let messages = wait_for_messages(&admin, 20, "the cancellation", |ms| {
            of(ms, "cancelled", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let cancelled = body_of(&messages, "cancelled", "sms");
        assert!(cancelled.starts_with("Hola, Ana."), "the household's language: {cancelled}");

        // A returning patient asks for a code in English: the code comes in English.
        app.client
            .lookup_patient(
                "demo",
                &LookupRequest { contact: "+1 415 510 3301".into(), lang: Some("en".into()) },
            )
            .await
            .expect("lookup");
        let messages = wait_for_messages(&admin, 20, "the code", |ms| {
            of(ms, "verification_code", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let code = body_of(&messages, "verification_code", "sms");
        assert!(code.contains("is your Brightside Dental booking code"), "{code}");
        app.client
            .lookup_patient(
                "demo",
                &LookupRequest { contact: "+1 415 510 3301".into(), lang: Some("es".into()) },
            )
            .await
            .expect("lookup");
        let messages = wait_for_messages(&admin, 20, "the second code", |ms| {
            of(ms, "verification_code", "sms").iter().filter(|m| m["status"] == "sent").count() == 2
        })
        .await;
        assert!(
            of(&messages, "verification_code", "sms")
                .iter()
                .any(|m| m["body"].as_str().unwrap_or_default().contains("es su código de verificación")),
            "{messages:?}"
        );
    }
}

db_test! {
    async fn a_spanish_email_unsubscribes_on_a_spanish_page(app) {
        let smtp = SmtpServer::start();
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("email", smtp.channel_config()).await;
        admin.disable_channel("sms").await;
        book_in(app, Some("es"), "+1 415 510 3401").await;
        wait_for_messages(&admin, 20, "the email", |ms| {
            of(ms, "confirmation", "email").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let mails = smtp.mails();
        let unsubscribe = mails[0]
            .data
            .lines()
            .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
            .and_then(|l| l.strip_suffix('>'))
            .expect("List-Unsubscribe header")
            .to_string();
        assert!(unsubscribe.ends_with("?lang=es"), "{unsubscribe}");
        // Whatever the browser says, the page reads like the email.
        let page = reqwest::Client::new()
            .get(&unsubscribe)
            .header("accept-language", "en")
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("¿Dejar de recibir correos de Brightside Dental?"), "{html}");
    }
}

db_test! {
    async fn a_returning_patient_booking_without_a_language_hears_in_the_households(app) {
        let admin = Admin::for_practice(app, "demo").await;
        // First booked in Spanish; then, verified, books through the API naming no language.
        book_in(app, Some("es"), "+1 415 510 3501").await;
        let household = common::patients::verified(app, "demo", "+14155103501").await;
        let (_, hold) = app
            .hold_checkup_after(jiff::SignedDuration::from_hours(24 * 8))
            .await;
        let mut req = common::booking_request(&hold.hold_token);
        req.verified = Some(VerifiedPatient {
            session: household.patient_session.clone(),
            member: Some(household.members[0].id),
        });
        app.client
            .book("demo", &format!("lang-{}", common::unique_key()), &req)
            .await
            .expect("booking");
        let messages = wait_for_messages(&admin, 20, "both confirmations", |ms| {
            of(ms, "confirmation", "sms").iter().filter(|m| m["status"] == "sent").count() == 2
        })
        .await;
        for m in of(&messages, "confirmation", "sms") {
            let body = m["body"].as_str().unwrap_or_default();
            assert!(body.starts_with("Hola, Ana."), "the household's language: {body}");
        }
        // The calendar file the email carries is Spanish too.
        let files: Vec<String> = sqlx::query_scalar(
            "SELECT context FROM outbox WHERE event = 'confirmation' AND channel = 'email' ORDER BY id",
        )
        .fetch_all(&app.db().read)
        .await
        .expect("outbox");
        assert_eq!(files.len(), 2);
        for context in files {
            let v: Value = serde_json::from_str(&context).expect("context");
            let ics = v["ics"].as_str().unwrap_or_default();
            assert!(ics.contains("SUMMARY:Cita en Brightside Dental"), "{ics}");
        }
    }
}
