//! A practice whose schedule of record is a FHIR R4 server (a loopback double following the
//! REST API): its busy time is merged into free times, bookings are written there as
//! Appointments, and when it is down, slow or refusing, bookings wait in the booking queue —
//! completed by staff, or retried automatically once it answers. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::fhir_double::{FhirDouble, Mode};
use common::staff::signed_in;
use common::{booking_request, TestApp};
use slotwise_shared::admin::{PmsKind, PmsSettings, ProviderInput, QueueCompletion, StaffRole};
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::api::{HoldRequest, ProviderChoice, SlotOption};
use slotwise_shared::client::BookingOutcome;
use slotwise_shared::model::PatientType;
use std::time::{Duration, Instant};

/// Connects the demo practice to the double; returns the signed-in owner.
pub(crate) async fn connect(app: &TestApp, fhir: &FhirDouble) -> AdminClient {
    let staff = signed_in(app, "demo", StaffRole::Owner).await;
    let view = staff
        .save_pms(&PmsSettings {
            kind: PmsKind::Fhir,
            base_url: fhir.base_url.clone(),
            auth_token: Some("secret-token".into()),
        })
        .await
        .expect("connect");
    assert_eq!(view.kind, PmsKind::Fhir);
    assert!(view.has_token);
    staff
}

pub(crate) async fn checkup_slots(app: &TestApp) -> Vec<SlotOption> {
    app.free_slots(
        app.reason("Checkup"),
        ProviderChoice::Id(app.provider("Dr. Maya Patel")),
    )
    .await
}

/// Holds and books `slot` as a new patient; the outcome.
pub(crate) async fn book(app: &TestApp, slot: &SlotOption, key: &str) -> BookingOutcome {
    let hold = app
        .client
        .hold(
            "demo",
            &HoldRequest {
                reason: app.reason("Checkup"),
                provider: slot.provider,
                start: slot.start,
                lang: None,
            },
        )
        .await
        .expect("hold");
    let mut req = booking_request(&hold.hold_token);
    req.patient_type = PatientType::New;
    app.client
        .book_or_queue("demo", key, &req)
        .await
        .expect("booking answer")
}

pub(crate) async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Text messages of an event so far.
async fn messages_of(app: &TestApp, event: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE event = $1 AND channel = 'sms'")
        .bind(event)
        .fetch_one(&app.db().read)
        .await
        .expect("count")
}

db_test! {
    async fn busy_time_is_read_from_fhir_and_bookings_are_written_there(app) {
        let fhir = FhirDouble::start().await;
        let first = checkup_slots(app).await.remove(0);
        // Dr. Patel is Practitioner/prac-patel in the practice system.
        let patel = "prac-patel";
        fhir.add_busy_slot(patel, first.start.as_second(), first.end.as_second());
        let staff = connect(app, &fhir).await;
        let view = staff.setup().await.expect("setup").providers.into_iter().find(|p| p.name == "Dr. Maya Patel").expect("Dr. Patel");
        let input = ProviderInput { name: view.name, role: view.role, bio: view.bio, photo_url: view.photo_url, bookable: view.bookable, external_id: patel.into() };
        staff.update_provider(view.id, &input).await.expect("practitioner id");
        assert_eq!(staff.setup().await.expect("setup").providers.iter().find(|p| p.id == view.id).map(|p| p.external_id.as_str()), Some(patel));
        let bad = ProviderInput { external_id: "not an id!".into(), ..input };
        assert_eq!(staff.update_provider(view.id, &bad).await.expect_err("bad id").status(), Some(422));
        wait_until("the busy Slot is read", || async {
            checkup_slots(app).await.iter().all(|s| s.start != first.start)
        }).await;
        let health = staff.pms().await.expect("health");
        assert!(health.last_success_at.is_some() && health.last_error.is_none(), "{health:?}");
        // The FHIR Slot's time is no longer offered.
        let free = checkup_slots(app).await;
        assert!(free.iter().all(|s| s.start != first.start));
        // A booking becomes a FHIR Appointment marked as an online booking of a new patient.
        let BookingOutcome::Booked(booked) = book(app, &free[0], "fhir-1").await else { panic!("booked") };
        let written = fhir.appointments();
        assert_eq!(written.len(), 1);
        assert_eq!(written[0]["description"], "[Online booking - New patient] Checkup");
        assert_eq!(written[0]["start"], free[0].start.to_string());
        assert_eq!(written[0]["participant"][0]["actor"]["reference"], format!("Practitioner/{patel}"));
        let external: Option<String> = sqlx::query_scalar("SELECT external_id FROM appointments WHERE reference = $1")
            .bind(&booked.booking.reference).fetch_one(&app.db().read).await.expect("row");
        assert_eq!(external.as_deref(), written[0]["id"].as_str());
        // A front-desk booking there shows up here after the next sync; our own does not count twice.
        let later = free[3].clone();
        fhir.add_front_desk_appointment(patel, later.start.as_second(), later.end.as_second());
        wait_until("the front-desk booking is busy here", || async {
            checkup_slots(app).await.iter().all(|s| s.start != later.start)
        }).await;
        // A time taken there meanwhile answers 409 with other times.
        let taken = free[6].clone();
        let hold = app.client.hold("demo", &HoldRequest { reason: app.reason("Checkup"), provider: taken.provider, start: taken.start, lang: None }).await.expect("hold");
        fhir.add_front_desk_appointment(patel, taken.start.as_second(), taken.end.as_second());
        let err = app.client.book("demo", "fhir-taken", &booking_request(&hold.hold_token)).await.expect_err("taken there");
        assert_eq!(err.status(), Some(409));
        let alternatives = err.body().and_then(|b| b.alternatives.clone()).unwrap_or_default();
        assert!(!alternatives.is_empty() && alternatives.iter().all(|a| a.start != taken.start));
        assert_eq!(fhir.appointments().iter().filter(|a| a["description"] == "Booked at the front desk").count(), 2);
    }
}

db_test! {
    async fn bookings_wait_in_the_queue_while_fhir_is_down_and_are_retried_when_it_is_back(app) {
        let fhir = FhirDouble::start().await;
        let staff = connect(app, &fhir).await;
        let free = checkup_slots(app).await;
        fhir.set_mode(Mode::Down);
        // Down: the patient is told, the booking is queued with what staff need.
        let BookingOutcome::Queued(answer) = book(app, &free[0], "down-1").await else { panic!("queued") };
        assert!(answer.message.contains("We have your details"), "{}", answer.message);
        let queue = staff.booking_queue("pending").await.expect("queue");
        let entry = queue.entries.iter().find(|e| e.retrying).expect("queued booking").clone();
        assert_eq!(entry.provider_name, "Dr. Maya Patel");
        assert_eq!(entry.reason_name, "Checkup");
        assert_eq!(entry.phone, "+14155109999");
        assert!(!entry.when_label.is_empty());
        let health = staff.pms().await.expect("health");
        assert!(health.last_error.as_deref().is_some_and(|e| e.contains("503")), "{health:?}");
        assert_eq!(app.count("appointments WHERE status = 'booked'").await, 0);
        // The held time is free again.
        assert!(checkup_slots(app).await.iter().any(|s| s.start == free[0].start));
        // Staff book it by hand and complete it: the patient is confirmed by message.
        staff.complete_queue_entry(entry.id, &QueueCompletion::default()).await.expect("complete");
        assert_eq!(messages_of(app, "queue_completed").await, 1);

        // Slow, then refusing: queued too.
        fhir.set_mode(Mode::Slow(Duration::from_secs(3)));
        assert!(matches!(book(app, &free[2], "slow-1").await, BookingOutcome::Queued(_)));
        fhir.set_mode(Mode::Reject);
        assert!(matches!(book(app, &free[4], "reject-1").await, BookingOutcome::Queued(_)));
        let confirmations = messages_of(app, "confirmation").await;
        // Back: both are booked there and here, and confirmed, without staff.
        fhir.set_mode(Mode::Up);
        wait_until("the queued bookings are retried", || async {
            app.count("booking_queue WHERE status = 'completed' AND resolved_by = 'automatic retry'").await == 2
        }).await;
        assert_eq!(fhir.appointments().len(), 2);
        assert_eq!(app.count("appointments WHERE status = 'booked' AND source = 'queue'").await, 2);
        assert_eq!(messages_of(app, "confirmation").await, confirmations + 2);
        let health = staff.pms().await.expect("health");
        assert_eq!(health.waiting, 0);
    }
}

db_test! {
    async fn a_queued_time_taken_meanwhile_sends_the_patient_the_nearest_free_times(app) {
        let fhir = FhirDouble::start().await;
        let _staff = connect(app, &fhir).await;
        let free = checkup_slots(app).await;
        fhir.set_mode(Mode::Down);
        assert!(matches!(book(app, &free[1], "taken-1").await, BookingOutcome::Queued(_)));
        // The front desk gives that time to someone else in the practice system.
        let patel = app.provider("Dr. Maya Patel").0.to_string();
        fhir.add_front_desk_appointment(&patel, free[1].start.as_second(), free[1].end.as_second());
        fhir.set_mode(Mode::Up);
        wait_until("the patient is offered other times", || async {
            messages_of(app, "queue_unavailable").await >= 1
        }).await;
        let context: String = sqlx::query_scalar("SELECT context FROM outbox WHERE event = 'queue_unavailable' LIMIT 1")
            .fetch_one(&app.db().read).await.expect("message");
        let context: serde_json::Value = serde_json::from_str(&context).expect("json");
        assert!(!context["alternatives"].as_str().unwrap_or_default().is_empty(), "{context}");
        assert_eq!(app.count("booking_queue WHERE status = 'cancelled'").await, 1);
        assert_eq!(app.count("appointments WHERE status = 'booked'").await, 0);
    }
}

db_test! {
    async fn a_new_family_member_queued_while_fhir_is_down_joins_the_verified_household(app) {
        // Ana is on file (booked before the practice connected its system).
        let (_, hold) = app.hold_first_checkup().await;
        app.client.book("demo", "ana-first", &booking_request(&hold.hold_token)).await.expect("first booking");
        let fhir = FhirDouble::start().await;
        let _staff = connect(app, &fhir).await;
        let household = common::patients::verified(app, "demo", "+14155109999").await;
        let households = app.count("households").await;
        fhir.set_mode(Mode::Down);
        let free = checkup_slots(app).await;
        let hold = app
            .client
            .hold("demo", &HoldRequest { reason: app.reason("Checkup"), provider: free[2].provider, start: free[2].start, lang: None })
            .await
            .expect("hold");
        let mut req = booking_request(&hold.hold_token);
        req.patient_type = PatientType::New;
        req.patient.first_name = "Leo".into();
        req.patient.date_of_birth = "2016-03-02".into();
        req.verified = Some(slotwise_shared::patients::VerifiedPatient { session: household.patient_session.clone(), member: None });
        assert!(matches!(app.client.book_or_queue("demo", "leo-down", &req).await.expect("answer"), BookingOutcome::Queued(_)));
        fhir.set_mode(Mode::Up);
        wait_until("Leo's booking is retried", || async {
            app.count("booking_queue WHERE status = 'completed' AND resolved_by = 'automatic retry'").await == 1
        }).await;
        assert_eq!(app.count("households").await, households, "no new household");
        let (leo, ana): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT household_id FROM patients WHERE first_name = 'Leo'),
                    (SELECT household_id FROM patients WHERE first_name = 'Ana' ORDER BY id LIMIT 1)")
            .fetch_one(&app.db().read).await.expect("households");
        assert!(leo.is_some() && leo == ana, "{leo:?} {ana:?}");
    }
}
