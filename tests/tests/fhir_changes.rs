//! Cancellations and moves made in Slotwise at a practice whose schedule of record is a FHIR
//! server (the loopback double) are written to its Appointments: by the patient's manage link
//! and by staff in the console; while the server is down the change waits (counted in the
//! connection's view, the old time still busy here) and is written once it is back.
//! SQLite and PostgreSQL.

use crate::common;
use crate::db_test;
use crate::practice_system::{book, checkup_slots, connect, wait_until};

use common::fhir_double::{FhirDouble, Mode};
use common::TestApp;
use serde_json::Value;
use slotwise_shared::admin::AppointmentAction;
use slotwise_shared::api::{HoldRequest, RescheduleRequest, SlotOption};
use slotwise_shared::client::BookingOutcome;
use slotwise_shared::model::AppointmentStatus;
use std::time::Duration;

/// The double's Appointment of a booking (found by the id Slotwise keeps for it).
async fn outside(app: &TestApp, fhir: &FhirDouble, reference: &str) -> Value {
    let id: Option<String> =
        sqlx::query_scalar("SELECT external_id FROM appointments WHERE reference = $1")
            .bind(reference)
            .fetch_one(&app.db().read)
            .await
            .expect("booking");
    let id = id.expect("written to the practice system");
    fhir.appointments()
        .into_iter()
        .find(|a| a["id"] == id.as_str())
        .expect("the double's Appointment")
}

async fn appointment_id(app: &TestApp, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM appointments WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.db().read)
        .await
        .expect("booking")
}

async fn hold(app: &TestApp, slot: &SlotOption) -> String {
    app.client
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
        .expect("hold")
        .hold_token
}

async fn booked(
    app: &TestApp,
    slot: &SlotOption,
    key: &str,
) -> Box<slotwise_shared::api::BookingCreated> {
    match book(app, slot, key).await {
        BookingOutcome::Booked(b) => b,
        BookingOutcome::Queued(q) => panic!("queued: {}", q.message),
    }
}

async fn offered(app: &TestApp, slot: &SlotOption) -> bool {
    checkup_slots(app)
        .await
        .iter()
        .any(|s| s.start == slot.start)
}

db_test! {
    async fn fhir_double_sees_the_cancel_and_the_move(app) {
        let fhir = FhirDouble::start().await;
        let staff = connect(app, &fhir).await;
        let free = checkup_slots(app).await;
        let first = booked(app, &free[0], "change-1").await;
        let second = booked(app, &free[3], "change-2").await;
        assert_eq!(outside(app, &fhir, &first.booking.reference).await["status"], "booked");

        // The patient cancels by the manage link: the Appointment there is cancelled.
        let view = app.client.cancel("demo", &first.manage_token).await.expect("cancel");
        assert_eq!(view.status, AppointmentStatus::Cancelled);
        wait_until("the practice system has the cancel", || async {
            outside(app, &fhir, &first.booking.reference).await["status"] == "cancelled"
        }).await;

        // The patient moves the other one: the Appointment there has the new time.
        let to = free[6].clone();
        let token = hold(app, &to).await;
        app.client
            .reschedule("demo", &second.manage_token, &RescheduleRequest { hold_token: token })
            .await
            .expect("move");
        wait_until("the practice system has the move", || async {
            outside(app, &fhir, &second.booking.reference).await["start"] == to.start.to_string()
        }).await;
        let moved = outside(app, &fhir, &second.booking.reference).await;
        assert_eq!(moved["end"], to.end.to_string());
        assert_eq!(moved["status"], "booked");
        assert_eq!(moved["minutesDuration"], (to.end.as_second() - to.start.as_second()) / 60);
        assert!(moved["participant"][0]["actor"]["reference"].as_str().is_some_and(|r| r.starts_with("Practitioner/")));
        assert_eq!(fhir.appointments().len(), 2, "changed in place, nothing created");

        // The practice system has both changes before they are marked written here.
        wait_until("both changes are marked written", || async {
            let health = staff.pms().await.expect("pms");
            (health.changes_waiting, health.changes_failed) == (0, 0)
        }).await;
        // Taken there, the old times are free again (and the new one is not).
        wait_until("the old times are offered again", || async {
            offered(app, &free[0]).await && offered(app, &free[3]).await
        }).await;
        assert!(!offered(app, &to).await);
    }
}

db_test! {
    async fn a_cancel_waits_while_fhir_is_down_and_is_written_when_it_is_back(app) {
        let fhir = FhirDouble::start().await;
        let staff = connect(app, &fhir).await;
        let free = checkup_slots(app).await;
        let first = booked(app, &free[0], "down-change-1").await;
        fhir.set_mode(Mode::Down);

        // Accepted here at once; the change waits for the practice system.
        let view = app.client.cancel("demo", &first.manage_token).await.expect("cancel");
        assert_eq!(view.status, AppointmentStatus::Cancelled);
        assert_eq!(staff.pms().await.expect("pms").changes_waiting, 1);
        // Sync rounds and the first attempt pass; still there, so the old time stays busy here.
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        assert_eq!(staff.pms().await.expect("pms").changes_waiting, 1);
        assert_eq!(outside(app, &fhir, &first.booking.reference).await["status"], "booked");
        assert!(!offered(app, &free[0]).await, "the practice system still has it booked");

        // Back: the retry writes it, and the time is offered again.
        fhir.set_mode(Mode::Up);
        wait_until("the waiting cancel is written", || async {
            outside(app, &fhir, &first.booking.reference).await["status"] == "cancelled"
        }).await;
        wait_until("nothing waits any more", || async {
            staff.pms().await.expect("pms").changes_waiting == 0
        }).await;
        wait_until("the old time is offered again", || async { offered(app, &free[0]).await }).await;
    }
}

db_test! {
    async fn staff_cancels_and_moves_from_the_console_reach_fhir(app) {
        let fhir = FhirDouble::start().await;
        let staff = connect(app, &fhir).await;
        let free = checkup_slots(app).await;
        let first = booked(app, &free[0], "staff-change-1").await;
        let second = booked(app, &free[3], "staff-change-2").await;

        // Cancelled by staff while the practice system is down: it waits, then is written.
        fhir.set_mode(Mode::Down);
        let id = appointment_id(app, &first.booking.reference).await;
        staff.appointment_action(id, AppointmentAction::Cancel).await.expect("staff cancel");
        assert_eq!(staff.pms().await.expect("pms").changes_waiting, 1);
        fhir.set_mode(Mode::Up);
        wait_until("the staff cancel is written", || async {
            outside(app, &fhir, &first.booking.reference).await["status"] == "cancelled"
        }).await;

        // Moved by staff: the new time is written.
        let to = free[6].clone();
        let token = hold(app, &to).await;
        let id = appointment_id(app, &second.booking.reference).await;
        staff.reschedule(id, &token).await.expect("staff move");
        wait_until("the staff move is written", || async {
            outside(app, &fhir, &second.booking.reference).await["start"] == to.start.to_string()
        }).await;
        wait_until("nothing waits any more", || async {
            staff.pms().await.expect("pms").changes_waiting == 0
        }).await;
    }
}

db_test! {
    async fn a_visit_cancelled_in_the_practice_system_frees_its_time_for_the_waitlist(app) {
        let fhir = FhirDouble::start().await;
        let _staff = connect(app, &fhir).await;
        let free = checkup_slots(app).await;
        let slot = free[3].clone();
        let patel = app.provider("Dr. Maya Patel").0.to_string();
        fhir.add_front_desk_appointment(&patel, slot.start.as_second(), slot.end.as_second());
        wait_until("the front-desk visit is busy here", || async { !offered(app, &slot).await }).await;
        assert_eq!(app.count("freed_times").await, 0);
        // Cancelled at the front desk there: the next sync frees the time here, once.
        fhir.cancel_appointments_at(slot.start.as_second());
        wait_until("the time is offered again", || async { offered(app, &slot).await }).await;
        wait_until("the freed time is noted", || async {
            app.count(&format!(
                "freed_times WHERE starts_at = {} AND ends_at = {}",
                slot.start.as_second(),
                slot.end.as_second()
            )).await == 1
        }).await;
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        assert_eq!(app.count("freed_times").await, 1, "noted once");
    }
}
