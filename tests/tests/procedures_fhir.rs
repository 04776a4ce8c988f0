//! Procedures at a practice whose schedule of record is a FHIR R4 server (the loopback
//! double): every visit of a booked chain is written there as an Appointment; a visit taken
//! there undoes the visits already written and answers 409 with other chains; a system that is
//! down queues the whole chain as one entry, which staff complete into every visit at once
//! (refused whole while a visit's time is taken). SQLite and PostgreSQL.

use crate::common;
use crate::db_test;
use crate::practice_system::connect;

use common::fhir_double::{FhirDouble, Mode};
use common::procedures::{choices, first_chains, template};
use common::{booking_request, unique_key, TestApp};
use slotwise_shared::admin::QueueCompletion;
use slotwise_shared::api::HoldRequest;
use slotwise_shared::client::{BookingOutcome, ProcedureOutcome};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::procedures::{
    ChainHoldRequest, ChainHoldResponse, ChainOption, ProcedureFilter,
};

/// Holds the first chain of a fresh three-visit template.
async fn held_chain(app: &TestApp) -> (ChainOption, ChainHoldResponse) {
    let id = template(app).await;
    let chain = first_chains(app, id).await.remove(0);
    let held = app
        .client
        .hold_procedure(
            "demo",
            &ChainHoldRequest {
                procedure: id,
                steps: choices(&chain),
                lang: None,
                link: None,
            },
        )
        .await
        .expect("held");
    (chain, held)
}

/// Appointments Slotwise wrote to the double (not the front desk's), with their status.
fn ours(fhir: &FhirDouble) -> Vec<serde_json::Value> {
    fhir.appointments()
        .into_iter()
        .filter(|a| a["description"] != "Booked at the front desk")
        .collect()
}

db_test! {
    async fn every_visit_of_a_booked_procedure_is_written_to_fhir(app) {
        let fhir = FhirDouble::start().await;
        let _staff = connect(app, &fhir).await;
        let (chain, held) = held_chain(app).await;
        let key = format!("fhir-procedure-{}", unique_key());
        let booked = app.client.book_procedure("demo", &key, &booking_request(&held.hold_token))
            .await.expect("answer").booked().expect("booked");
        assert_eq!(booked.steps.len(), 3);
        let written = ours(&fhir);
        assert_eq!(written.len(), 3, "{written:?}");
        for (step, resource) in chain.steps.iter().zip(&written) {
            assert_eq!(resource["start"], step.start.to_string());
            assert_eq!(resource["status"], "booked");
        }
        assert_eq!(written[2]["description"], "[Online booking - Returning patient] Whitening consultation");
        // Each visit here knows its Appointment there.
        let linked = app.count("appointments WHERE status = 'booked' AND external_id IS NOT NULL AND external_key LIKE 'appointment-%'").await;
        assert_eq!(linked, 3);
    }
}

db_test! {
    async fn a_visit_taken_in_fhir_undoes_the_visits_written_and_offers_other_chains(app) {
        let fhir = FhirDouble::start().await;
        let _staff = connect(app, &fhir).await;
        let (chain, held) = held_chain(app).await;
        // The front desk gives the third visit's time away in the practice system.
        let third = &chain.steps[2];
        fhir.add_front_desk_appointment(&third.provider.0.to_string(), third.start.as_second(), third.end.as_second());
        let err = app.client.book_procedure("demo", "fhir-taken", &booking_request(&held.hold_token))
            .await.expect_err("taken there");
        assert_eq!(err.status(), Some(409));
        let body = err.body().expect("body");
        assert_eq!(body.code, ErrorCode::SlotUnavailable);
        let others = body.chains.clone().unwrap_or_default();
        assert!(!others.is_empty(), "other chains are offered");
        assert!(others.iter().all(|c| c.steps[2].start != third.start || c.steps[2].provider != third.provider));
        // The two visits written before it are cancelled there; nothing is booked here.
        let written = ours(&fhir);
        assert_eq!(written.len(), 2, "{written:?}");
        assert!(written.iter().all(|a| a["status"] == "cancelled"), "{written:?}");
        assert_eq!(app.count("appointments WHERE status IN ('booked', 'held')").await, 0);
        assert_eq!(app.count("procedures WHERE status = 'active'").await, 0);
    }
}

db_test! {
    async fn a_procedure_waits_as_one_queue_entry_while_fhir_is_down_and_staff_book_it_whole(app) {
        let fhir = FhirDouble::start().await;
        let staff = connect(app, &fhir).await;
        let (chain, held) = held_chain(app).await;
        fhir.set_mode(Mode::Down);
        let key = format!("fhir-down-{}", unique_key());
        let request = booking_request(&held.hold_token);
        let ProcedureOutcome::Queued(answer) = app.client.book_procedure("demo", &key, &request).await.expect("answer") else {
            panic!("queued")
        };
        assert!(answer.queued);
        // A retry of the same request gets the same answer, and queues nothing more.
        let again = app.client.book_procedure("demo", &key, &request).await.expect("replay");
        assert!(matches!(again, ProcedureOutcome::Queued(_)));
        let queue = staff.booking_queue("pending").await.expect("queue");
        assert_eq!(queue.entries.len(), 1);
        let entry = queue.entries[0].clone();
        assert_eq!(entry.kind, "procedure");
        assert!(!entry.retrying, "staff book a procedure; it is not retried visit by visit");
        assert_eq!(entry.visits.len(), 3);
        assert!(entry.visits[2].starts_with("Whitening consultation"), "{:?}", entry.visits);
        // Nothing is held or booked meanwhile: every time is free again.
        assert_eq!(app.count("appointments WHERE status IN ('booked', 'held')").await, 0);

        // Someone takes the second visit's time before staff get to it: completing is refused
        // whole, nothing is booked for the procedure.
        fhir.set_mode(Mode::Up);
        let second = &chain.steps[1];
        let other = app.client.hold("demo", &HoldRequest { reason: app.reason("Checkup"), provider: second.provider, start: second.start, lang: None }).await.expect("hold");
        let mut other_request = booking_request(&other.hold_token);
        other_request.patient.phone = "+14155107777".into();
        let BookingOutcome::Booked(other) = app.client.book_or_queue("demo", "other-patient", &other_request).await.expect("other") else {
            panic!("booked")
        };
        let dated = QueueCompletion { date: "2030-01-01".into(), time: "09:00".into(), ..QueueCompletion::default() };
        assert_eq!(staff.complete_queue_entry(entry.id, &dated).await.expect_err("dated").status(), Some(422));
        let err = staff.complete_queue_entry(entry.id, &QueueCompletion::default()).await.expect_err("taken");
        assert_eq!(err.status(), Some(409));
        assert!(err.to_string().contains("Visit 2"), "{err}");
        assert_eq!(app.count("appointments WHERE status = 'booked'").await, 1);
        assert_eq!(staff.booking_queue("pending").await.expect("queue").entries.len(), 1);

        // The other patient cancels; staff complete it: every visit is booked and confirmed.
        app.client.cancel("demo", &other.manage_token).await.expect("cancel");
        let done = staff.complete_queue_entry(entry.id, &QueueCompletion::default()).await.expect("complete");
        assert_eq!(done.status, "completed");
        let starts: Vec<i64> = sqlx::query_scalar("SELECT starts_at FROM appointments WHERE status = 'booked' ORDER BY starts_at")
            .fetch_all(&app.db().read).await.expect("visits");
        assert_eq!(starts, chain.steps.iter().map(|s| s.start.as_second()).collect::<Vec<_>>());
        let list = staff.procedures(&ProcedureFilter::default()).await.expect("procedures");
        assert_eq!(list.procedures.len(), 1);
        assert_eq!(list.procedures[0].steps.iter().filter(|s| s.start.is_some()).count(), 3);
        assert_eq!(app.count("outbox WHERE event = 'procedure_booked' AND channel = 'sms'").await, 1);
    }
}
