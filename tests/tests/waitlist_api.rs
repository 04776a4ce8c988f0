//! The waitlist through the API: someone new joins from the widget (and joining again updates
//! the entry), refusals by field, a patient asks for an earlier time from the manage page,
//! staff add and take off entries, booking the visit ends the entry, and entries expire after
//! their last day. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::staff::signed_in;
use common::{booking_request, unique_key, TestApp};
use jiff::civil::Date;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::waitlist::{EarlierTime, WaitlistAdd, WaitlistJoin};

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone"))
        .date()
}

fn days(n: i64) -> Date {
    today().checked_add(jiff::Span::new().days(n)).expect("day")
}

fn wish(app: &TestApp) -> WaitlistJoin {
    WaitlistJoin {
        reason: app.reason("Checkup"),
        provider: None,
        from: today(),
        to: days(14),
        preferred_days: vec!["monday".into(), "tuesday".into()],
        times_of_day: vec!["morning".into()],
        asap: true,
        short_notice: false,
        verified: None,
        first_name: "Ana".into(),
        last_name: "Lopez".into(),
        phone: "+1 415 510 9999".into(),
        email: "ana@example.com".into(),
        lang: None,
    }
}

db_test! {
    async fn patients_join_the_waitlist_and_leave_it_by_booking(app) {
        let joined = app.client.join_waitlist("demo", &wish(app)).await.expect("joined");
        assert!(joined.waiting && joined.message.contains("Checkup"), "{}", joined.message);
        assert_eq!(joined.until, days(14));
        // Joining again for the same visit updates the entry.
        let again = WaitlistJoin { to: days(20), ..wish(app) };
        app.client.join_waitlist("demo", &again).await.expect("again");
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let waiting = desk.waitlist("waiting").await.expect("list").entries;
        assert_eq!(waiting.len(), 1);
        let entry = &waiting[0];
        assert_eq!(entry.patient_name, "Ana Lopez");
        assert_eq!(entry.phone, "+14155109999");
        assert_eq!(entry.to, days(20));
        assert_eq!(entry.preferred_days, vec!["monday".to_string(), "tuesday".to_string()]);
        assert_eq!(entry.times_of_day, vec!["morning".to_string()]);
        assert!(entry.asap && entry.provider.is_none() && entry.source == "widget");

        // Refusals name their field.
        let refused = |req: WaitlistJoin, field: &'static str| async move {
            let err = app.client.join_waitlist("demo", &req).await.expect_err(field);
            assert_eq!(err.status(), Some(422), "{field}");
            let fields = err.body().and_then(|b| b.fields.clone()).unwrap_or_default();
            assert!(fields.contains_key(field), "{field}: {fields:?}");
        };
        refused(WaitlistJoin { from: days(-1), ..wish(app) }, "from").await;
        refused(WaitlistJoin { from: days(5), to: days(2), ..wish(app) }, "to").await;
        refused(WaitlistJoin { to: days(121), ..wish(app) }, "to").await;
        refused(WaitlistJoin { from: days(400), to: days(401), ..wish(app) }, "from").await;
        refused(WaitlistJoin { preferred_days: vec!["funday".into()], ..wish(app) }, "preferred_days").await;
        refused(WaitlistJoin { phone: String::new(), email: String::new(), ..wish(app) }, "phone").await;
        refused(WaitlistJoin { provider: Some(app.provider("Dr. Maya Patel")), reason: app.reason("Whitening consultation"), ..wish(app) }, "provider").await;

        // Booking the visit answers the entry.
        let (_, hold) = app.hold_checkup_after(jiff::SignedDuration::from_hours(26)).await;
        app.client.book("demo", &format!("wl-{}", unique_key()), &booking_request(&hold.hold_token)).await.expect("booked");
        assert!(desk.waitlist("waiting").await.expect("list").entries.is_empty());
        let booked = desk.waitlist("booked").await.expect("list").entries;
        assert_eq!(booked.len(), 1);
        assert!(booked[0].patient.is_some(), "the entry now names the patient");
    }
}

db_test! {
    async fn an_earlier_time_from_the_manage_page_and_staff_entries(app) {
        let (_, hold) = app.hold_checkup_after(jiff::SignedDuration::from_hours(74)).await;
        let mut req = booking_request(&hold.hold_token);
        req.patient.phone = "+1 415 510 3131".into();
        let booked = app.client.book("demo", &format!("wl-{}", unique_key()), &req).await.expect("booked");
        let joined = app.client.earlier_time("demo", &booked.manage_token, &EarlierTime { short_notice: true }).await.expect("joined");
        let visit_day = booked.booking.start.to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone")).date();
        assert_eq!(joined.until, visit_day.yesterday().expect("day"));
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let entries = desk.waitlist("waiting").await.expect("list").entries;
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry.source, "manage");
        assert_eq!(entry.provider, Some(booked.booking.provider.id));
        assert!(entry.short_notice && entry.asap && entry.patient.is_some());
        // Unknown booking.
        assert_eq!(app.client.earlier_time("demo", "nope", &EarlierTime::default()).await.expect_err("unknown").status(), Some(404));

        // Staff add someone by name and phone, and take them off again.
        let added = desk.add_to_waitlist(&WaitlistAdd {
            patient: None,
            first_name: "Tom".into(),
            last_name: "Becker".into(),
            phone: "+1 415 510 6611".into(),
            email: String::new(),
            reason: app.reason("Cleaning"),
            provider: None,
            from: today(),
            to: days(30),
            preferred_days: Vec::new(),
            times_of_day: vec!["evening".into()],
            asap: false,
            short_notice: true,
        }).await.expect("added");
        assert_eq!((added.source.as_str(), added.status.as_str()), ("staff", "waiting"));
        let removed = desk.remove_from_waitlist(added.id).await.expect("removed");
        assert_eq!(removed.status, "removed");
        assert_eq!(desk.remove_from_waitlist(added.id).await.expect_err("again").status(), Some(409));
        assert_eq!(desk.waitlist("removed").await.expect("list").entries.len(), 1);
        assert_eq!(desk.waitlist("nonsense").await.expect_err("status").status(), Some(400));

        // After its last day an entry expires.
        sqlx::query("UPDATE waitlist_entries SET expires_at = 0 WHERE status = 'waiting'")
            .execute(&app.db().write).await.expect("past");
        let expired = slotwise_server::store::waitlist::expire_due(app.db(), common::now()).await.expect("expire");
        assert_eq!(expired, 1);
        assert_eq!(desk.waitlist("expired").await.expect("list").entries.len(), 1);
    }
}
