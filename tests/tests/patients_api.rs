//! Patients: the returning-patient lookup (enumeration-safe, one-time codes that expire, work
//! once and lock after five wrong tries), booking for a household member, new patients and
//! pets, and the request of practices that book existing patients only. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::patients::{codes_sent_to, nth_code, request_code, verified};
use common::{booking_request, now};
use futures::stream::{self, StreamExt};
use slotwise_shared::api::PatientDetails;
use slotwise_shared::client::BookingOutcome;
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::PatientType;
use slotwise_shared::patients::{
    AppointmentRequest, LookupRequest, PetDetails, VerifiedPatient, VerifyRequest,
};

const ANA: &str = "+14155109999";

fn verify(contact: &str, code: &str) -> VerifyRequest {
    VerifyRequest {
        contact: contact.into(),
        code: code.into(),
        lang: None,
    }
}

/// Ana books once as a patient (her household is created by that booking).
async fn ana_on_file(app: &common::TestApp) {
    let (_, hold) = app.hold_first_checkup().await;
    app.client
        .book("demo", "ana-first", &booking_request(&hold.hold_token))
        .await
        .expect("first booking");
}

db_test! {
    async fn a_verified_returning_patient_books_for_herself_and_a_new_family_member(app) {
        ana_on_file(app).await;
        let household = verified(app, "demo", ANA).await;
        assert_eq!(household.members.len(), 1);
        assert_eq!(household.members[0].first_name, "Ana");
        assert_eq!(household.contact_first_name, "Ana");
        // The code works once.
        let used = codes_sent_to(app, ANA).await.pop().expect("code");
        let err = app.client.verify_patient("demo", &verify(ANA, &used)).await.expect_err("used");
        assert_eq!(err.status(), Some(410));
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::CodeExpired));

        // Ana books again: no details needed, no new patient or household.
        let (patients, households) = (app.count("patients").await, app.count("households").await);
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient = PatientDetails { first_name: String::new(), last_name: String::new(), date_of_birth: String::new(), phone: String::new(), email: String::new(), pet: None };
        req.verified = Some(VerifiedPatient { session: household.patient_session.clone(), member: Some(household.members[0].id) });
        let booked = app.client.book("demo", "ana-again", &req).await.expect("verified booking");
        assert_eq!(app.count("patients").await, patients);
        let patient: i64 = sqlx::query_scalar("SELECT patient_id FROM appointments WHERE reference = $1")
            .bind(&booked.booking.reference).fetch_one(&app.db().read).await.expect("row");
        assert_eq!(patient, household.members[0].id.0);
        assert!(booked.intake_url.is_none());

        // Her son is new: he joins the same household.
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient_type = PatientType::New;
        req.patient.first_name = "Leo".into();
        req.patient.date_of_birth = "2016-03-02".into();
        req.verified = Some(VerifiedPatient { session: household.patient_session.clone(), member: None });
        app.client.book("demo", "leo-first", &req).await.expect("new member");
        assert_eq!(app.count("households").await, households);
        assert_eq!(app.count("patients").await, patients + 1);
        let again = verified(app, "demo", ANA).await;
        let names: Vec<_> = again.members.iter().map(|m| m.first_name.as_str()).collect();
        assert_eq!(names, ["Ana", "Leo"]);

        // A session of another practice, or made up, books nothing.
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.verified = Some(VerifiedPatient { session: "not-a-session".into(), member: Some(household.members[0].id) });
        let err = app.client.book("demo", "fake-session", &req).await.expect_err("fake session");
        assert_eq!(err.status(), Some(410));
        // At a practice that books existing patients only, the verified patient still books.
        sqlx::query("UPDATE practices SET existing_patients_only = 1 WHERE slug = 'demo'")
            .execute(&app.db().write).await.expect("update");
        app.refresh_practice("demo");
        req.verified = Some(VerifiedPatient { session: again.patient_session.clone(), member: Some(again.members[1].id) });
        app.client.book("demo", "leo-existing-only", &req).await.expect("existing-only booking");
    }
}

db_test! {
    async fn lookups_answer_alike_for_known_and_unknown_contacts(app) {
        ana_on_file(app).await;
        // 1,000 lookups: half of Ana's phone, half of numbers nobody has.
        let results: Vec<(bool, u16, String)> = stream::iter(0..1000)
            .map(|i| {
                let base = app.client.base().to_string();
                async move {
                    let known = i % 2 == 0;
                    let contact = if known { ANA.to_string() } else { format!("+1415777{:04}", i) };
                    let res = reqwest::Client::new()
                        .post(format!("{base}{}", slotwise_shared::paths::patient_lookup("demo")))
                        .json(&LookupRequest { contact, lang: None })
                        .send().await.expect("lookup");
                    let status = res.status().as_u16();
                    (known, status, res.text().await.expect("body"))
                }
            })
            .buffer_unordered(16)
            .collect()
            .await;
        let first = &results[0];
        assert!(results.iter().all(|(_, s, b)| *s == 202 && *b == first.2), "every answer is the same");
        assert_eq!(results.iter().filter(|(k, _, _)| *k).count(), 500);
        // Ana got codes (at most five an hour); the unknown numbers got nothing.
        let ana = nth_code(app, ANA, 1).await;
        assert_eq!(ana.len(), 6);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(codes_sent_to(app, ANA).await.len() <= 5);
        let strangers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient LIKE '+1415777%'")
            .fetch_one(&app.db().read).await.expect("count");
        assert_eq!(strangers, 0);
        // A malformed contact is the only other answer, and it is about the input.
        let err = app.client.lookup_patient("demo", &LookupRequest { contact: "ana".into(), lang: None }).await.expect_err("bad contact");
        assert_eq!(err.status(), Some(422));
    }
}

db_test! {
    async fn codes_lock_after_five_wrong_tries_expire_and_behave_alike_for_strangers(app) {
        ana_on_file(app).await;
        let code = request_code(app, "demo", ANA).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for left in (1..=4).rev() {
            let err = app.client.verify_patient("demo", &verify(ANA, wrong)).await.expect_err("wrong");
            assert_eq!(err.status(), Some(422));
            let message = &err.body().and_then(|b| b.fields.clone()).expect("fields")["code"];
            assert!(message.contains(&format!("{left} tr")), "{message}");
        }
        let err = app.client.verify_patient("demo", &verify(ANA, wrong)).await.expect_err("fifth");
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::TooManyAttempts));
        // Locked: even the right code no longer works.
        let err = app.client.verify_patient("demo", &verify(ANA, &code)).await.expect_err("locked");
        assert_eq!(err.status(), Some(429));
        // A stranger's number behaves exactly the same.
        let stranger = "+14157770001";
        app.client.lookup_patient("demo", &LookupRequest { contact: stranger.into(), lang: None }).await.expect("lookup");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        for _ in 1..=4 {
            let err = app.client.verify_patient("demo", &verify(stranger, wrong)).await.expect_err("wrong");
            assert_eq!(err.status(), Some(422));
        }
        let err = app.client.verify_patient("demo", &verify(stranger, wrong)).await.expect_err("fifth");
        assert_eq!(err.status(), Some(429));
        // While locked, a new lookup sends no new code (a new code would not reset the count).
        let sent = codes_sent_to(app, ANA).await.len();
        app.client.lookup_patient("demo", &LookupRequest { contact: ANA.into(), lang: None }).await.expect("lookup");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(codes_sent_to(app, ANA).await.len(), sent);
        let err = app.client.verify_patient("demo", &verify(ANA, &code)).await.expect_err("still locked");
        assert_eq!(err.status(), Some(429));
        // Fifteen minutes later: a new code works; an expired one does not.
        sqlx::query("UPDATE patient_codes SET created_at = created_at - 3600")
            .execute(&app.db().write).await.expect("age the codes");
        let fresh = request_code(app, "demo", ANA).await;
        sqlx::query("UPDATE patient_codes SET expires_at = $1")
            .bind(now() - 1).execute(&app.db().write).await.expect("expire");
        let err = app.client.verify_patient("demo", &verify(ANA, &fresh)).await.expect_err("expired");
        assert_eq!(err.status(), Some(410));
        let newest = request_code(app, "demo", ANA).await;
        app.client.verify_patient("demo", &verify(ANA, &newest)).await.expect("fresh code");
        // Codes are stored hashed.
        let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM patient_codes")
            .fetch_all(&app.db().read).await.expect("codes");
        assert!(stored.iter().all(|h| !h.contains(&newest) && !h.contains(&code)));
    }
}

db_test! {
    async fn at_an_existing_patients_only_practice_new_patients_send_a_request(app) {
        sqlx::query("UPDATE practices SET existing_patients_only = 1 WHERE slug = 'demo'")
            .execute(&app.db().write).await.expect("update");
        app.refresh_practice("demo");
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient_type = PatientType::New;
        let err = app.client.book_or_queue("demo", "new-1", &req).await.expect_err("new patient");
        assert_eq!(err.status(), Some(422));
        let request = AppointmentRequest {
            reason: Some(app.reason("Checkup")),
            preferred_days: vec!["tuesday".into(), "thursday".into()],
            times_of_day: vec!["morning".into()],
            first_name: "Noor".into(),
            last_name: "Haddad".into(),
            phone: "+1 415 510 4444".into(),
            email: "noor@example.com".into(),
            note: Some("First visit".into()),
            lang: None,
        };
        let answer = app.client.request_appointment("demo", "req-1", &request).await.expect("request");
        assert!(answer.queued && answer.message.contains("call you back"), "{}", answer.message);
        // A retried request is queued once.
        assert_eq!(app.client.request_appointment("demo", "req-1", &request).await.expect("replay"), answer);
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT kind, status, phone, preference FROM booking_queue WHERE first_name = 'Noor'")
            .fetch_all(&app.db().read).await.expect("queue");
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].0.as_str(), rows[0].1.as_str(), rows[0].2.as_str()), ("request", "pending", "+14155104444"));
        assert_eq!(rows[0].3, "Days: Tuesday, Thursday. Times: morning.");
        assert_eq!(app.count("appointments WHERE status = 'booked'").await, 0);
        // Bad input is named field by field.
        let bad = AppointmentRequest { phone: "call me".into(), preferred_days: vec!["someday".into()], ..request };
        let err = app.client.request_appointment("demo", "req-2", &bad).await.expect_err("bad");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields.contains_key("phone") && fields.contains_key("preferred_days"), "{fields:?}");
    }
}

db_test! {
    async fn a_veterinary_practice_books_pets_and_new_patients_get_the_intake_link(app) {
        sqlx::query("UPDATE practices SET kind = 'veterinary', intake_url = 'https://forms.example/intake' WHERE slug = 'demo'")
            .execute(&app.db().write).await.expect("update");
        app.refresh_practice("demo");
        let config = app.client.booking_config("demo").await.expect("config");
        assert_eq!(config.settings.practice_kind, slotwise_shared::patients::PracticeKind::Veterinary);
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient_type = PatientType::New;
        let err = app.client.book("demo", "pet-0", &req).await.expect_err("no pet");
        assert!(err.body().and_then(|b| b.fields.clone()).is_some_and(|f| f.contains_key("patient.pet.name")));
        req.patient.pet = Some(PetDetails { name: "Biscuit".into(), species: "Dog".into() });
        req.patient.date_of_birth = String::new();
        let outcome = app.client.book_or_queue("demo", "pet-1", &req).await.expect("pet booking");
        let BookingOutcome::Booked(booked) = outcome else { panic!("booked, not queued") };
        assert_eq!(booked.intake_url.as_deref(), Some("https://forms.example/intake"));
        let pet: (String, Option<String>) = sqlx::query_as("SELECT first_name, species FROM patients ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db().read).await.expect("pet");
        assert_eq!(pet, ("Biscuit".into(), Some("dog".into())));
        // The owner is greeted, not the pet.
        let context: String = sqlx::query_scalar("SELECT context FROM outbox WHERE event = 'confirmation' LIMIT 1")
            .fetch_one(&app.db().read).await.expect("message");
        assert!(context.contains("\"patient_first_name\":\"Ana\""), "{context}");
        // The owner looks up and sees the pet.
        let household = verified(app, "demo", ANA).await;
        assert_eq!(household.members[0].species.as_deref(), Some("dog"));
    }
}
