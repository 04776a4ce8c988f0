//! Staff changes under the database's rules: completing a booking-queue entry books its time
//! (the time stops being offered and cannot be held by a patient; a time taken meanwhile
//! answers 409 with other times; an entry an automatic retry holds cannot be completed by
//! staff too), and a status change applies only to the revision it read. Every test runs on
//! SQLite and PostgreSQL.

use crate::common::staff::{queue_entry, signed_in};
use crate::common::TestApp;
use crate::db_test;
use slotwise_shared::admin::{QueueCompletion, StaffRole};
use slotwise_shared::api::{HoldRequest, ProviderChoice, SlotOption};
use slotwise_shared::model::ProviderId;

/// The practice's date and time of a free time, as staff type them.
fn typed(app: &TestApp, slot: &SlotOption, provider: ProviderId) -> QueueCompletion {
    let tz = jiff::tz::TimeZone::get(slotwise_server::demo::practice::TZ).expect("tz");
    let local = slot.start.to_zoned(tz);
    QueueCompletion {
        date: local.strftime("%Y-%m-%d").to_string(),
        time: local.strftime("%H:%M").to_string(),
        provider_id: Some(provider),
        reason_id: Some(app.reason("Checkup")),
    }
}

db_test! {
    async fn a_completed_entry_holds_its_time_against_patients(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let provider = app.provider("Dr. Maya Patel");
        let reason = app.reason("Checkup");
        let slot = app.free_slots(reason, ProviderChoice::Id(provider)).await.remove(0);
        let entry = queue_entry(app, app.demo.practice_id).await;
        let done = desk
            .complete_queue_entry(entry, &typed(app, &slot, provider))
            .await
            .expect("complete");
        assert_eq!(done.status, "completed");
        // The time is no longer offered, and a patient cannot hold it.
        let offered = app.free_slots(reason, ProviderChoice::Id(provider)).await;
        assert!(!offered.iter().any(|s| s.start == slot.start), "still offered");
        let err = app
            .client
            .hold("demo", &HoldRequest { reason, provider, start: slot.start, lang: None })
            .await
            .expect_err("the time is booked");
        assert_eq!(err.status(), Some(409), "{err}");
        // The console lists it as a staff booking of the queue's patient.
        let listed = desk.appointments(&Default::default()).await.expect("appointments");
        let booked = listed
            .appointments
            .iter()
            .find(|a| a.starts_at == slot.start)
            .expect("the appointment");
        assert_eq!(booked.source, "staff");
        assert_eq!(booked.patient_name, "Queue Patient");
    }
}

db_test! {
    async fn completing_at_a_time_taken_meanwhile_answers_409_with_other_times(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let provider = app.provider("Dr. Maya Patel");
        let reason = app.reason("Checkup");
        let slot = app.free_slots(reason, ProviderChoice::Id(provider)).await.remove(0);
        app.client
            .hold("demo", &HoldRequest { reason, provider, start: slot.start, lang: None })
            .await
            .expect("a patient holds it first");
        let entry = queue_entry(app, app.demo.practice_id).await;
        let err = desk
            .complete_queue_entry(entry, &typed(app, &slot, provider))
            .await
            .expect_err("taken");
        assert_eq!(err.status(), Some(409), "{err}");
        let body = err.body().expect("body");
        assert!(!body.alternatives.as_deref().unwrap_or_default().is_empty(), "{body:?}");
        // Nothing changed: the entry still waits.
        let pending = desk.booking_queue("pending").await.expect("queue");
        assert!(pending.entries.iter().any(|e| e.id == entry));
    }
}

db_test! {
    async fn staff_cannot_complete_an_entry_an_automatic_retry_is_booking(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let provider = app.provider("Dr. Maya Patel");
        let reason = app.reason("Checkup");
        let slot = app.free_slots(reason, ProviderChoice::Id(provider)).await.remove(0);
        let entry = queue_entry(app, app.demo.practice_id).await;
        let now = jiff::Timestamp::now().as_second();
        // An instance's retry claims the entry (as `jobs::queue_retry` does before it writes
        // to the practice system).
        assert!(slotwise_server::store::pms::claim(app.db(), entry, now, now + 120).await.expect("claim"));
        let err = desk
            .complete_queue_entry(entry, &typed(app, &slot, provider))
            .await
            .expect_err("claimed");
        assert_eq!(err.status(), Some(409), "{err}");
        // Nothing was booked, and the time is still offered.
        let offered = app.free_slots(reason, ProviderChoice::Id(provider)).await;
        assert!(offered.iter().any(|s| s.start == slot.start), "the time was kept");
    }
}

db_test! {
    async fn a_status_change_applies_only_to_the_revision_it_read(app) {
        use slotwise_server::store::appointments::set_status;
        use slotwise_server::store::write_batch::{BoxFuture, WriteOutcome};
        let booked = crate::common::messaging::book_checkup(app, "+14155104455", "cas@example.com").await;
        let id = {
            let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
            let list = desk.appointments(&Default::default()).await.expect("list");
            list.appointments
                .iter()
                .find(|a| a.reference == booked.booking.reference)
                .expect("the booking")
                .id
        };
        let read = |app: &TestApp| {
            let db = app.db().clone();
            let practice = app.demo.practice_id;
            async move {
                let mut conn = db.read.acquire().await.expect("conn");
                slotwise_server::store::appointment_search::find(&mut conn, practice, id)
                    .await
                    .expect("find")
                    .expect("row")
            }
        };
        // Two changes read the same row: a patient's cancel and the front desk's confirm.
        let seen = read(app).await;
        let change = |to: &'static str, revision: i64| {
            app.db().write(move |conn: &mut sqlx::AnyConnection| -> BoxFuture<'_, _> {
                Box::pin(async move {
                    let changed = set_status(conn, id, revision, to, 1).await?;
                    Ok(WriteOutcome::Commit(changed))
                })
            })
        };
        assert!(change("cancelled", seen.revision).await.expect("cancel"), "the first change applies");
        assert!(!change("confirmed", seen.revision).await.expect("confirm"), "the second read a stale row");
        let now = read(app).await;
        assert_eq!(now.status, "cancelled");
        assert_eq!(now.revision, seen.revision + 1);
    }
}
