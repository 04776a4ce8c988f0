//! Booking policies per reason: inside the late-cancellation window a patient's own cancel or
//! move is refused (409, with the practice's phone) and the manage view says to call, while
//! staff still cancel; inside the grace period after booking the patient may change it anyway.
//! SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::staff::signed_in;
use common::{booking_request, unique_key, TestApp};
use slotwise_shared::admin::{AppointmentAction, AppointmentFilter, StaffRole};
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::api::{BookingCreated, RescheduleRequest};

/// Sets the Checkup reason's late-cancellation window and grace period.
async fn checkup_policy(admin: &AdminClient, app: &TestApp, late_hours: u32, grace: u32) {
    let setup = admin.setup().await.expect("setup");
    let reason = setup
        .reasons
        .iter()
        .find(|r| r.id == app.reason("Checkup").0)
        .expect("Checkup")
        .clone();
    let mut input = reason.input;
    input.late_cancel_hours = late_hours;
    input.grace_minutes = grace;
    let saved = admin.update_reason(reason.id, &input).await.expect("saved");
    let read = saved
        .reasons
        .iter()
        .find(|r| r.id == reason.id)
        .expect("read back");
    assert_eq!(
        (read.input.late_cancel_hours, read.input.grace_minutes),
        (late_hours, grace)
    );
}

async fn book(app: &TestApp, phone: &str) -> BookingCreated {
    let (_, hold) = app
        .hold_checkup_after(jiff::SignedDuration::from_hours(26))
        .await;
    let mut req = booking_request(&hold.hold_token);
    req.patient.phone = phone.into();
    app.client
        .book("demo", &format!("policy-{}", unique_key()), &req)
        .await
        .expect("booked")
}

db_test! {
    async fn inside_the_late_window_patients_call_and_staff_still_cancel(app) {
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        // Out of range: refused at its field.
        let setup = admin.setup().await.expect("setup");
        let checkup = setup.reasons.iter().find(|r| r.id == app.reason("Checkup").0).expect("Checkup").clone();
        let mut wrong = checkup.input.clone();
        wrong.late_cancel_hours = 721;
        let err = admin.update_reason(checkup.id, &wrong).await.expect_err("too long");
        assert_eq!(err.status(), Some(422));
        assert!(err.body().and_then(|b| b.fields.clone()).is_some_and(|f| f.contains_key("late_cancel_hours")));

        // A 30-day window: every booking in the next month is late for the patient.
        checkup_policy(&admin, app, 720, 0).await;
        let booked = book(app, "+1 415 510 2323").await;
        assert!(booked.booking.late_change && !booked.booking.can_change, "{:?}", booked.booking);
        let view = app.client.booking("demo", &booked.manage_token).await.expect("view");
        assert!(view.late_change && !view.can_change);
        let err = app.client.cancel("demo", &booked.manage_token).await.expect_err("late");
        assert_eq!(err.status(), Some(409));
        let message = err.body().map(|b| b.message.clone()).unwrap_or_default();
        assert!(message.contains("call") && message.contains(&view.practice_phone), "{message}");
        let (_, other) = app.hold_checkup_after(jiff::SignedDuration::from_hours(50)).await;
        let err = app.client.reschedule("demo", &booked.manage_token, &RescheduleRequest { hold_token: other.hold_token.clone() })
            .await.expect_err("late move");
        assert_eq!(err.status(), Some(409));
        assert_eq!(app.count("appointments WHERE status = 'cancelled'").await, 0);

        // Staff are not bound by it.
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let id = desk.appointments(&AppointmentFilter::default()).await.expect("list").appointments
            .iter().find(|a| a.reference == booked.booking.reference).expect("listed").id;
        desk.appointment_action(id, AppointmentAction::Cancel).await.expect("staff cancel");
        assert_eq!(app.count("appointments WHERE status = 'cancelled'").await, 1);

        // A grace period: right after booking the patient may still cancel.
        checkup_policy(&admin, app, 720, 30).await;
        let fresh = book(app, "+1 415 510 2424").await;
        assert!(fresh.booking.can_change && !fresh.booking.late_change);
        app.client.cancel("demo", &fresh.manage_token).await.expect("cancelled in the grace period");
        // Without a window, nothing changes for anyone.
        checkup_policy(&admin, app, 0, 0).await;
        let free = book(app, "+1 415 510 2525").await;
        assert!(free.booking.can_change);
        app.client.cancel("demo", &free.manage_token).await.expect("cancelled");
    }
}
