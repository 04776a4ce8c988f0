//! Refilling a cancelled time from the waitlist: the cancellation notes the freed time; the job
//! offers it to matching entries in waves (ASAP first, then earliest joined; the practice's wave
//! size, the next wave its minutes later), never to a patient whose automated messages are
//! paused or whose days do not fit; three patients claiming the offered time at once make
//! exactly one booking, which ends its patient's entry. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::staff::signed_in;
use common::{booking_request, unique_key, TestApp};
use jiff::civil::Date;
use slotwise_server::jobs::scheduler::run_recall;
use slotwise_shared::admin::{AppointmentFilter, StaffRole};
use slotwise_shared::api::HoldRequest;
use slotwise_shared::model::PatientId;
use slotwise_shared::waitlist::{WaitlistAdd, WaitlistJoin};

const NEW_YORK: &str = "America/New_York";

fn local_day(at: jiff::Timestamp) -> Date {
    at.to_zoned(jiff::tz::TimeZone::get(NEW_YORK).expect("zone"))
        .date()
}

fn join(app: &TestApp, name: &str, phone: &str, day: Date, asap: bool) -> WaitlistJoin {
    WaitlistJoin {
        reason: app.reason("Checkup"),
        provider: None,
        from: local_day(jiff::Timestamp::now()),
        to: day.checked_add(jiff::Span::new().days(3)).expect("day"),
        preferred_days: Vec::new(),
        times_of_day: Vec::new(),
        asap,
        short_notice: false,
        verified: None,
        first_name: name.into(),
        last_name: "Wait".into(),
        phone: phone.into(),
        email: String::new(),
        lang: None,
    }
}

/// Offer messages (SMS) so far, by recipient phone.
async fn offered_to(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT recipient FROM outbox WHERE event = 'waitlist_offer' AND channel = 'sms' ORDER BY id",
    )
    .fetch_all(&app.db().read)
    .await
    .expect("outbox")
}

db_test! {
    async fn a_cancelled_time_is_offered_in_waves_and_booked_once(app) {
        // Waves of two, ten minutes apart (the practice's settings; out of range is refused).
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let mut settings = owner.practice().await.expect("practice").settings;
        assert_eq!((settings.waitlist_wave_size, settings.waitlist_wave_minutes), (3, 10), "the defaults");
        settings.waitlist_wave_size = 21;
        assert_eq!(owner.save_practice(&settings).await.expect_err("too many").status(), Some(422));
        settings.waitlist_wave_size = 2;
        owner.save_practice(&settings).await.expect("waves of two");
        // Someone's checkup, more than a day ahead.
        let (_, hold) = app.hold_checkup_after(jiff::SignedDuration::from_hours(30)).await;
        let mut req = booking_request(&hold.hold_token);
        req.patient.phone = "+1 415 510 4040".into();
        let booked = app.client.book("demo", &format!("r-{}", unique_key()), &req).await.expect("booked");
        let day = local_day(booked.booking.start);
        let desk = signed_in(app, "demo", StaffRole::Admin).await;
        let owner_of_slot = desk.appointments(&AppointmentFilter::default()).await.expect("list").appointments
            .into_iter().find(|a| a.reference == booked.booking.reference).and_then(|a| a.patient_id).expect("patient");

        // The waitlist: B and C joined first, A asked for ASAP; D's days never fit; the patient
        // whose visit it was waits too but paused automated messages.
        app.client.join_waitlist("demo", &join(app, "Bea", "+1 415 510 4101", day, false)).await.expect("B");
        app.client.join_waitlist("demo", &join(app, "Cal", "+1 415 510 4102", day, false)).await.expect("C");
        app.client.join_waitlist("demo", &join(app, "Ada", "+1 415 510 4100", day, true)).await.expect("A");
        let other_day = if day.weekday() == jiff::civil::Weekday::Monday { "tuesday" } else { "monday" };
        let mut d = join(app, "Dov", "+1 415 510 4103", day, true);
        d.preferred_days = vec![other_day.into()];
        app.client.join_waitlist("demo", &d).await.expect("D");
        desk.add_to_waitlist(&WaitlistAdd {
            patient: Some(PatientId(owner_of_slot)),
            first_name: String::new(), last_name: String::new(), phone: String::new(), email: String::new(),
            reason: app.reason("Checkup"), provider: None,
            from: local_day(jiff::Timestamp::now()), to: day,
            preferred_days: Vec::new(), times_of_day: Vec::new(), asap: true, short_notice: true,
        }).await.expect("the slot's patient waits too");
        desk.pause_automations(owner_of_slot, true).await.expect("paused");

        // The patient cancels: the time is freed and offered.
        app.client.cancel("demo", &booked.manage_token).await.expect("cancelled");
        let now = common::now();
        run_recall(&app.server.state, now).await.expect("run");
        assert_eq!(offered_to(app).await, vec!["+14155104100".to_string(), "+14155104101".to_string()], "wave 1: ASAP first, then the earliest joined");
        let context: String = sqlx::query_scalar("SELECT context FROM outbox WHERE event = 'waitlist_offer' LIMIT 1")
            .fetch_one(&app.db().read).await.expect("context");
        let context: serde_json::Value = serde_json::from_str(&context).expect("json");
        assert!(context["booking_link"].as_str().unwrap_or_default().contains(&format!("/book/demo/{}", app.reason("Checkup"))), "{context}");
        // Not again before the practice's minutes have passed.
        run_recall(&app.server.state, now + 60).await.expect("run");
        assert_eq!(offered_to(app).await.len(), 2);
        // Wave 2: C; never D (days) nor the paused patient.
        run_recall(&app.server.state, now + 11 * 60).await.expect("run");
        assert_eq!(offered_to(app).await.len(), 3);
        assert_eq!(offered_to(app).await[2], "+14155104102");
        run_recall(&app.server.state, now + 22 * 60).await.expect("run");
        assert_eq!(offered_to(app).await.len(), 3, "nobody else fits");
        assert_eq!(app.count("freed_times WHERE done_at IS NOT NULL").await, 1);

        // A, B and C claim the time at once: exactly one booking.
        let claim = |phone: &'static str| {
            let client = app.client.clone();
            let reason = app.reason("Checkup");
            let (provider, start) = (booked.booking.provider.id, booked.booking.start);
            async move {
                let hold = client.hold("demo", &HoldRequest { reason, provider, start, lang: None }).await.ok()?;
                let mut req = booking_request(&hold.hold_token);
                req.patient.phone = phone.into();
                client.book("demo", &format!("claim-{}", unique_key()), &req).await.ok()
            }
        };
        let (a, b, c) = tokio::join!(claim("+1 415 510 4100"), claim("+1 415 510 4101"), claim("+1 415 510 4102"));
        let winners = [a.is_some(), b.is_some(), c.is_some()].iter().filter(|w| **w).count();
        assert_eq!(winners, 1, "one claim books the time");
        assert_eq!(app.count("appointments WHERE status = 'booked'").await, 1);
        // The winner's entry is answered; the others stay on the list.
        assert_eq!(app.count("waitlist_entries WHERE status = 'booked'").await, 1);
        assert_eq!(app.count("waitlist_entries WHERE status = 'waiting'").await, 4);

        // The dashboard counts it: one time freed, refilled after three offers.
        let today = local_day(jiff::Timestamp::now()).to_string();
        let numbers = desk.dashboard(&today, &today).await.expect("dashboard").waitlist;
        assert_eq!((numbers.freed, numbers.refilled), (1, 1), "{numbers:?}");
        assert_eq!(numbers.offers_per_refill, Some(3.0));
        assert!(numbers.hours_to_refill.is_some_and(|h| (0.0..1.0).contains(&h)), "{numbers:?}");
    }
}

db_test! {
    async fn time_off_taken_back_is_offered_to_the_waitlist(app) {
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        let patel = app.provider("Dr. Maya Patel").0;
        // Dr. Patel is off for a whole day three days from now; a patient waits for a checkup.
        let off_day = local_day(jiff::Timestamp::now()).checked_add(jiff::Span::new().days(3)).expect("day");
        let input = slotwise_shared::admin::TimeOffInput {
            start_date: off_day.to_string(),
            start_time: String::new(),
            end_date: off_day.to_string(),
            end_time: String::new(),
            note: "Conference".into(),
        };
        let setup = admin.add_time_off(patel, &input).await.expect("time off");
        let off = setup.providers.iter().find(|p| p.id == patel).expect("Dr. Patel").time_off
            .iter().find(|t| t.note == "Conference").expect("the conference").id;
        let mut wish = join(app, "Eve", "+1 415 510 4200", off_day, false);
        wish.provider = Some(app.provider("Dr. Maya Patel"));
        app.client.join_waitlist("demo", &wish).await.expect("waiting");
        run_recall(&app.server.state, common::now()).await.expect("run");
        assert!(offered_to(app).await.is_empty(), "nothing freed yet");

        // The conference is cancelled: the day is free again and offered.
        admin.delete_time_off(off).await.expect("time off removed");
        run_recall(&app.server.state, common::now()).await.expect("run");
        assert_eq!(offered_to(app).await, vec!["+14155104200".to_string()]);
        let offered_at: i64 = sqlx::query_scalar("SELECT starts_at FROM waitlist_offers")
            .fetch_one(&app.db().read).await.expect("offer");
        assert_eq!(local_day(jiff::Timestamp::from_second(offered_at).expect("at")), off_day);
    }
}
