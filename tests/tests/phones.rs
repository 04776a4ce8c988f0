//! Phone numbers as patients type them: at a practice with a country, national numbers book,
//! look up, request and correct; numbers that cannot exist are refused with an example of one
//! that can; E.164 is what is kept — on SQLite and on PostgreSQL.

use crate::common;
use crate::db_test;

use common::booking_request;
use common::messaging::Admin;
use serde_json::json;
use slotwise_shared::patients::{AppointmentRequest, LookupRequest};

async fn phone_of(app: &common::TestApp, reference: &str) -> String {
    sqlx::query_scalar(
        "SELECT p.phone FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.reference = $1",
    )
    .bind(reference)
    .fetch_one(&app.db().read)
    .await
    .expect("the booked patient")
}

db_test! {
    async fn a_national_number_books_at_a_us_practice_and_one_that_cannot_exist_is_refused(app) {
        // The demo practice's own number is American: its country is the US.
        let config = app.client.booking_config("demo").await.expect("config");
        assert_eq!(config.settings.phone_country, "US");
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient.phone = "(415) 555-014".into();
        let err = app.client.book("demo", "phones-short", &req).await.expect_err("a digit short");
        assert_eq!(err.status(), Some(422));
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields["patient.phone"].contains("(201) 555-0123"), "an example in the patient's terms: {fields:?}");
        req.patient.phone = "(015) 555-0147".into();
        let err = app.client.book("demo", "phones-area", &req).await.expect_err("no such area code");
        assert_eq!(err.status(), Some(422));

        req.patient.phone = "(415) 555-0147".into();
        let booked = app.client.book("demo", "phones-national", &req).await.expect("a national number books");
        assert_eq!(phone_of(app, &booked.booking.reference).await, "+14155550147");

        // The same rules for a request, a lookup and a contact correction.
        let request = |phone: &str| AppointmentRequest {
            reason: None,
            preferred_days: Vec::new(),
            times_of_day: Vec::new(),
            first_name: "Noor".into(),
            last_name: "Haddad".into(),
            phone: phone.into(),
            email: String::new(),
            note: None,
            lang: None,
        };
        app.client.request_appointment("demo", "phones-request", &request("415-555-0150")).await.expect("national request");
        let err = app.client.request_appointment("demo", "phones-request-bad", &request("415-555-01")).await.expect_err("short");
        assert_eq!(err.status(), Some(422));
        app.client.lookup_patient("demo", &LookupRequest { contact: "(415) 555-0147".into(), lang: None }).await.expect("national lookup");
        let err = app.client.lookup_patient("demo", &LookupRequest { contact: "(415) 555".into(), lang: None }).await.expect_err("short");
        assert_eq!(err.status(), Some(422));
        let admin = Admin::for_practice(app, "demo").await;
        let patient: i64 = sqlx::query_scalar("SELECT id FROM patients WHERE phone = '+14155550147'")
            .fetch_one(&app.db().read).await.expect("patient");
        let (status, body) = admin.put(&format!("/patients/{patient}/contact"), json!({ "phone": "415 555 0148" })).await;
        assert_eq!((status, body["phone"].as_str()), (200, Some("+14155550148")), "{body}");
        let (status, body) = admin.put(&format!("/patients/{patient}/contact"), json!({ "phone": "415 555 01" })).await;
        assert_eq!(status, 422, "{body}");
    }
}

db_test! {
    async fn a_practice_in_another_country_reads_its_patients_numbers_there(app) {
        let admin = Admin::for_practice(app, "demo").await;
        let (status, view) = admin.get("/practice").await;
        assert_eq!(status, 200, "{view}");
        let mut settings = view["settings"].clone();
        settings["country"] = json!("XX");
        let (status, body) = admin.put("/practice", settings.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["country"].is_string(), "{body}");
        settings["country"] = json!("gb");
        let (status, body) = admin.put("/practice", settings).await;
        assert_eq!((status, body["settings"]["country"].as_str()), (200, Some("GB")), "{body}");
        let config = app.client.booking_config("demo").await.expect("config");
        assert_eq!(config.settings.phone_country, "GB");

        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient.phone = "(415) 555-0147".into();
        let err = app.client.book("demo", "phones-us-in-gb", &req).await.expect_err("not a UK number");
        assert_eq!(err.status(), Some(422));
        req.patient.phone = "07400 123456".into();
        let booked = app.client.book("demo", "phones-gb", &req).await.expect("a UK mobile books");
        assert_eq!(phone_of(app, &booked.booking.reference).await, "+447400123456");
        // A number with its country code books anywhere.
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient.phone = "+1 415 555 0149".into();
        req.patient.email = "other@example.com".into();
        app.client.book("demo", "phones-intl", &req).await.expect("international number books");
    }
}
