//! The promises held against hostile input: templates that try to take the server down,
//! outbound integrations pointed inside the network, secrets sent to a new host.

use crate::common::fhir_double::FhirDouble;
use crate::common::messaging::Admin;
use crate::common::staff::signed_in;
use crate::common::twilio_double::TwilioDouble;
use crate::common::{Engine, TestApp};
use crate::db_test;
use serde_json::json;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::messages::TemplateUpdate;
use std::time::{Duration, Instant};

/// A 60⁴ loop over a list literal that writes nothing: 13 million iterations if the engine
/// let it run.
fn nested_loop_template() -> String {
    let list: Vec<String> = (0..60).map(|i| i.to_string()).collect();
    let list = format!("[{}]", list.join(","));
    format!(
        "{{% for a in {list} %}}{{% for b in {list} %}}{{% for c in {list} %}}{{% for d in {list} %}}{{% if d %}}{{% endif %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}"
    )
}

db_test! {
    async fn a_template_that_loops_without_end_is_refused_and_the_server_stays_responsive(app) {
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        let hostile = TemplateUpdate { subject: String::new(), body: nested_loop_template() };
        let http = reqwest::Client::new();
        let health = format!("{}/healthz", app.server.url());
        let (preview, save, healthz) = tokio::join!(
            admin.preview_template(("reminder", "sms", "en"), &hostile),
            admin.save_template(("reminder", "sms", "en"), &hostile),
            async {
                // While the template is being judged, the server still answers at once.
                let started = Instant::now();
                let answer = http.get(&health).send().await.expect("healthz");
                (answer.status().as_u16(), started.elapsed())
            },
        );
        for (what, result) in [("preview", preview.map(drop)), ("save", save.map(drop))] {
            let err = result.expect_err(what);
            assert_eq!(err.status(), Some(422), "{what}: {err}");
            let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
            assert!(fields["body"].contains("too much work"), "{what}: {fields:?}");
        }
        assert_eq!(healthz.0, 200);
        assert!(healthz.1 < Duration::from_secs(5), "healthz took {:?}", healthz.1);

        for (body, why) in [
            ("{{ 'x' * 100000000 }}", "Arithmetic"),
            ("{% set ns = namespace(s='x') %}{{ date }}", "namespace"),
            ("{% macro f() %}{% endmacro %}{{ date }}", "macro"),
        ] {
            let t = TemplateUpdate { subject: String::new(), body: body.into() };
            let err = admin.preview_template(("reminder", "sms", "en"), &t).await.expect_err(body);
            assert_eq!(err.status(), Some(422), "{body}: {err}");
            let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
            assert!(fields["body"].contains(why), "{body}: {fields:?}");
        }
        let huge = TemplateUpdate {
            subject: String::new(),
            body: format!("{{% for a in [{}] %}}{}{{% endfor %}}", vec!["1"; 150].join(","), "y".repeat(200)),
        };
        let err = admin.preview_template(("reminder", "sms", "en"), &huge).await.expect_err("output cap");
        assert_eq!(err.status(), Some(422), "{err}");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields["body"].contains("characters"), "{fields:?}");
    }
}

/// A FHIR server, a Twilio account and an SMTP relay inside the server's own network.
const INSIDE: [&str; 4] = [
    "http://127.0.0.1:5432",
    "http://169.254.169.254/latest/meta-data",
    "http://localhost:8080/fhir",
    "http://[::1]/fhir",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrations_pointed_inside_the_network_are_refused_without_the_operators_flag() {
    let Some(app) = TestApp::spawn_with(Engine::Sqlite, |c| c.allow_private_outbound = false).await
    else {
        return;
    };
    let admin = Admin::for_practice(&app, "demo").await;
    for url in INSIDE {
        let (status, body) = admin
            .put("/pms", json!({"kind": "fhir", "base_url": url}))
            .await;
        assert_eq!(status, 422, "{url}: {body}");
        let why = body["fields"]["base_url"].as_str().unwrap_or_default();
        assert!(why.contains("public internet"), "{url}: {body}");
    }
    let twilio = json!({"transport": "twilio", "account_sid": "AC1", "auth_token": "secret",
        "from": "+14155100000", "base_url": "http://10.0.0.7"});
    let (status, body) = admin
        .put(
            "/messaging/channels/sms",
            json!({"enabled": true, "config": twilio}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["fields"]["config.base_url"].is_string(), "{body}");
    let smtp = json!({"transport": "smtp", "host": "127.0.0.1", "port": 25, "security": "none",
        "from": "Clinic <clinic@example.com>"});
    let (status, body) = admin
        .put(
            "/messaging/channels/email",
            json!({"enabled": true, "config": smtp}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["fields"]["config.host"].is_string(), "{body}");
    // Nothing was saved: the practice still books with Slotwise as its schedule of record.
    let (_, pms) = admin.get("/pms").await;
    assert_eq!(pms["kind"], "builtin", "{pms}");
    app.finish().await;
}

db_test! {
    async fn a_kept_secret_is_not_sent_to_a_new_host(app) {
        let admin = Admin::for_practice(app, "demo").await;
        let twilio = TwilioDouble::start().await;
        let config = |base: &str, token: &str| json!({"enabled": true, "config": {
            "transport": "twilio", "account_sid": "AC1", "auth_token": token,
            "from": "+14155100000", "base_url": base}});
        admin.set_channel("sms", config(&twilio.base_url, "real-token")["config"].clone()).await;
        // The same host keeps the stored token when the form sends the mask back.
        let (status, body) = admin.put("/messaging/channels/sms", config(&twilio.base_url, "********")).await;
        assert_eq!(status, 200, "{body}");
        // Another host with the mask: the token must be typed again.
        let elsewhere = "http://127.0.0.1:9";
        let (status, body) = admin.put("/messaging/channels/sms", config(elsewhere, "********")).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["config.auth_token"].is_string(), "{body}");
        let (status, body) = admin.put("/messaging/channels/sms", config(elsewhere, "typed-again")).await;
        assert_eq!(status, 200, "{body}");

        let fhir = FhirDouble::start().await;
        let (status, body) = admin
            .put("/pms", json!({"kind": "fhir", "base_url": fhir.base_url, "auth_token": "ehr-token"}))
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = admin.put("/pms", json!({"kind": "fhir", "base_url": fhir.base_url})).await;
        assert_eq!(status, 200, "the same server keeps its token: {body}");
        let (status, body) = admin
            .put("/pms", json!({"kind": "fhir", "base_url": "http://127.0.0.1:9/fhir"}))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["auth_token"].is_string(), "{body}");
    }
}

db_test! {
    async fn a_corrected_phone_number_is_where_the_next_code_goes(app) {
        let admin = Admin::for_practice(app, "demo").await;
        crate::common::messaging::book_checkup(app, "+14155104101", "old@example.com").await;
        let (_, listed) = admin.get("/appointments").await;
        let patient = listed["appointments"]
            .as_array()
            .and_then(|all| all.iter().find(|a| a["phone"] == "+14155104101"))
            .and_then(|a| a["patient_id"].as_i64())
            .expect("the patient");
        let (status, body) = admin
            .put(&format!("/patients/{patient}/contact"), json!({ "phone": "+1 415 510 4102" }))
            .await;
        assert_eq!(status, 200, "{body}");
        // The household's contact moved with the patient's: the new number gets the code,
        // the old one nothing more.
        let code = crate::common::patients::request_code(app, "demo", "+14155104102").await;
        assert_eq!(code.len(), 6);
        app.client
            .lookup_patient("demo", &slotwise_shared::patients::LookupRequest { contact: "+14155104101".into(), lang: None })
            .await
            .expect("lookup");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(crate::common::patients::codes_sent_to(app, "+14155104101").await.is_empty());
    }
}

db_test! {
    async fn one_time_codes_are_masked_for_staff_and_forgotten_after_their_life(app) {
        use crate::common::messaging::{book_checkup, of, wait_for_messages};
        use crate::common::patients::{codes_sent_to, request_code};
        use slotwise_server::jobs::forget_codes::{forget_codes, KEEP_SECONDS};
        let admin = Admin::for_practice(app, "demo").await;
        book_checkup(app, "+14155104201", "code@example.com").await;
        let code = request_code(app, "demo", "+14155104201").await;
        let messages = wait_for_messages(&admin, 20, "the code message", |ms| {
            of(ms, "verification_code", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let shown = of(&messages, "verification_code", "sms")[0].clone();
        let text = shown["body"].as_str().expect("text");
        assert!(!text.contains(&code) && text.contains("••••••"), "staff see no code: {text}");
        let (status, body) = admin.post(&format!("/messages/{}/resend", shown["id"])).await;
        assert_eq!(status, 409, "a code is sent once: {body}");
        // Past the code's life, the stored row keeps neither the code nor a text with it.
        let now = crate::common::now();
        assert!(forget_codes(app.db(), now + KEEP_SECONDS + 60).await.expect("forget") >= 1);
        assert!(codes_sent_to(app, "+14155104201").await.iter().all(String::is_empty));
        let stored: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE event = 'verification_code' AND recipient = $1",
        )
        .bind("+14155104201")
        .fetch_all(&app.db().read)
        .await
        .expect("bodies");
        assert!(!stored.is_empty() && stored.iter().all(|b| !b.contains(&code)), "{stored:?}");
    }
}

db_test! {
    async fn links_sent_beside_the_patients_own_end_with_it_and_with_the_visit(app) {
        use crate::common::messaging::book_checkup;
        use slotwise_server::store::appointments::add_manage_token;
        use slotwise_server::store::write_batch::{BoxFuture, WriteOutcome};
        use slotwise_server::tokens::{hash_token, new_token};
        let desk = signed_in(app, "demo", slotwise_shared::admin::StaffRole::FrontDesk).await;
        let extra_link = |appointment: i64| {
            let token = new_token();
            let hash = hash_token(&token);
            let practice = app.demo.practice_id;
            async move {
                app.db()
                    .write(move |conn: &mut sqlx::AnyConnection| -> BoxFuture<'_, _> {
                        Box::pin(async move {
                            add_manage_token(conn, practice, appointment, &hash, 1).await?;
                            Ok(WriteOutcome::Commit(()))
                        })
                    })
                    .await
                    .expect("extra link");
                token
            }
        };
        let desk = &desk;
        let id_of = |reference: String| async move {
            let list = desk.appointments(&Default::default()).await.expect("list");
            list.appointments.iter().find(|a| a.reference == reference).expect("booking").id
        };
        // A broadcast's link stops working when staff cancel (the patient's link changes).
        let first = book_checkup(app, "+14155104301", "one@example.com").await;
        let id = id_of(first.booking.reference.clone()).await;
        let link = extra_link(id).await;
        app.client.booking("demo", &link).await.expect("the broadcast's link works");
        desk.appointment_action(id, slotwise_shared::admin::AppointmentAction::Cancel)
            .await
            .expect("cancel");
        let err = app.client.booking("demo", &link).await.expect_err("revoked");
        assert_eq!(err.status(), Some(404));
        // And it ends once the visit is over.
        let second = book_checkup(app, "+14155104302", "two@example.com").await;
        let id = id_of(second.booking.reference.clone()).await;
        let link = extra_link(id).await;
        let later = crate::common::now() + 400 * 86_400;
        slotwise_server::store::broadcasts::expire_extra_tokens(app.db(), later)
            .await
            .expect("expire");
        let err = app.client.booking("demo", &link).await.expect_err("expired");
        assert_eq!(err.status(), Some(404));
        app.client
            .booking("demo", &second.manage_token)
            .await
            .expect("the patient's own link still shows the booking");
    }
}

db_test! {
    async fn malformed_query_parameters_answer_our_json_error(app) {
        let admin = Admin::for_practice(app, "demo").await;
        for path in [
            "/appointments?provider_id=abc",
            "/appointments.csv?reason_id=1.5",
            "/messages?limit=-x",
        ] {
            let (status, body) = admin.get(path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert_eq!(body["code"], "bad_request", "{path}: a JSON error body, not plain text: {body}");
        }
    }
}

db_test! {
    async fn a_practice_systems_paging_link_to_another_server_is_not_followed(app) {
        use crate::practice_system::{connect, wait_until};
        let fhir = FhirDouble::start().await;
        // Three busy Slots make two pages; the second page's link points at another server,
        // which would get the practice's bearer token if it were followed.
        let practitioner = app.provider("Dr. Maya Patel").0.to_string();
        let day = crate::common::now() + 2 * 86_400;
        for i in 0..3 {
            fhir.add_busy_slot(&practitioner, day + i * 3600, day + i * 3600 + 1800);
        }
        fhir.point_links_to("http://127.0.0.2:9/fhir");
        let staff = connect(app, &fhir).await;
        wait_until("the sync refuses the foreign link", || async {
            let health = staff.pms().await.expect("health");
            health.last_error.as_deref().is_some_and(|e| e.contains("another server"))
        })
        .await;
    }
}
