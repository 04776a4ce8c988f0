//! The day view through the admin API: a column per provider and day with the booked visit,
//! time off and the free time around them; staff book a patient into free time under the same
//! database rule as every booking (a taken time is refused); free time offered to the waitlist
//! reaches the waiting patient at once; bad queries are refused by name. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::staff::signed_in;
use common::{booking_request, unique_key};
use slotwise_shared::admin::{StaffRole, TimeOffInput};
use slotwise_shared::api::{HoldRequest, PatientDetails, ProviderChoice};
use slotwise_shared::day_view::{DayViewQuery, FreeTimeOffer, StaffBooking};
use slotwise_shared::waitlist::WaitlistJoin;

fn patient(first: &str, phone: &str) -> PatientDetails {
    PatientDetails {
        first_name: first.into(),
        last_name: "Desk".into(),
        date_of_birth: "1979-02-03".into(),
        phone: phone.into(),
        email: format!("{}@example.com", first.to_lowercase()),
        pet: None,
    }
}

db_test! {
    async fn the_day_shows_visits_time_off_and_free_time_and_staff_book_into_it(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let (reason, patel) = (app.reason("Checkup"), app.provider("Dr. Maya Patel"));
        // A visit a day or more ahead, so its whole day is still ahead.
        let (_, hold) = app.hold_checkup_after(jiff::SignedDuration::from_hours(30)).await;
        let booked = app.client.book("demo", &format!("dv-{}", unique_key()), &booking_request(&hold.hold_token))
            .await.expect("booked");
        let day = booked.booking.start.to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone")).date();
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        admin.add_time_off(patel.0, &TimeOffInput {
            start_date: day.to_string(), start_time: "12:00".into(),
            end_date: day.to_string(), end_time: "13:00".into(), note: "Lunch".into(),
        }).await.expect("time off");

        let q = DayViewQuery { date: day.to_string(), days: Some(1), location_id: None, provider_id: None };
        let view = desk.day_view(&q).await.expect("day view");
        assert_eq!(view.from, day);
        let column = view.columns.iter().find(|c| c.provider_id == patel && c.date == day).expect("Dr. Patel's column");
        let visit = column.appointments.iter().find(|a| a.appointment.reference == booked.booking.reference)
            .expect("the visit is in her column");
        assert_eq!(visit.appointment.patient_name, "Ana Lopez");
        assert!(visit.at.end_min > visit.at.start_min);
        let lunch = column.time_off.iter().find(|t| t.label == "Lunch").expect("the time off is in her column");
        assert_eq!((lunch.at.start_min, lunch.at.end_min), (720, 780));
        assert!(!column.open.is_empty());
        // Free time never covers the visit or the time off, and lies inside open hours.
        for free in &column.free {
            assert!(free.at.end_min <= visit.at.start_min || free.at.start_min >= visit.at.end_min, "{free:?}");
            for off in &column.time_off {
                assert!(free.at.end_min <= off.at.start_min || free.at.start_min >= off.at.end_min, "{free:?} {off:?}");
            }
            assert!(column.open.iter().any(|o| o.start_min <= free.at.start_min && free.at.end_min <= o.end_min));
        }
        assert!(view.rows.start_min <= column.open[0].start_min && view.rows.start_min % 60 == 0);

        // A week: seven days of columns; one provider only: only hers.
        let week = desk.day_view(&DayViewQuery { days: Some(7), provider_id: Some(patel.0), ..q.clone() }).await.expect("week");
        assert_eq!(week.columns.len(), 7);
        assert!(week.columns.iter().all(|c| c.provider_id == patel));

        // Staff book a walk-in into her free time: held and booked like every booking.
        let free = column.free.iter().find(|f| f.ahead).expect("free time ahead");
        let slot = app.free_slots(reason, ProviderChoice::Id(patel)).await.into_iter()
            .find(|s| s.provider == patel && free.starts_at <= s.start && s.start < free.ends_at)
            .expect("a checkup fits the free time");
        let held = app.client.hold("demo", &HoldRequest { reason, provider: patel, start: slot.start, lang: None })
            .await.expect("hold");
        let answer = desk.staff_book(&StaffBooking { hold_token: held.hold_token.clone(), patient: patient("Walk", "+1 415 510 7001"), notes: None })
            .await.expect("staff booked");
        assert!(!answer.queued && !answer.reference.is_empty(), "{answer:?}");
        let again = desk.day_view(&q).await.expect("day view");
        let column = again.columns.iter().find(|c| c.provider_id == patel).expect("column");
        let walk_in = column.appointments.iter().find(|a| a.appointment.reference == answer.reference).expect("booked in her column");
        assert_eq!(walk_in.appointment.source, "staff");
        assert_eq!(walk_in.appointment.patient_name, "Walk Desk");
        // The same hold cannot book twice, and a time taken meanwhile is refused by the rule.
        let twice = desk.staff_book(&StaffBooking { hold_token: held.hold_token, patient: patient("Walk", "+1 415 510 7001"), notes: None })
            .await.expect_err("used hold");
        assert_eq!(twice.status(), Some(409));
        let taken = app.client.hold("demo", &HoldRequest { reason, provider: patel, start: slot.start, lang: None }).await;
        assert_eq!(taken.expect_err("taken").status(), Some(409));
        let bad = desk.staff_book(&StaffBooking { hold_token: "nope".into(), patient: patient("", "12"), notes: None })
            .await.expect_err("bad");
        assert!(matches!(bad.status(), Some(404 | 422)), "{bad:?}");

        // Bad queries are refused by name.
        for (query, field) in [
            (DayViewQuery { date: "soon".into(), ..q.clone() }, "date"),
            (DayViewQuery { days: Some(8), ..q.clone() }, "days"),
            (DayViewQuery { days: Some(0), ..q.clone() }, "days"),
            (DayViewQuery { location_id: Some(999_999), ..q.clone() }, "location_id"),
            (DayViewQuery { provider_id: Some(999_999), ..q.clone() }, "provider_id"),
        ] {
            let e = desk.day_view(&query).await.expect_err(field);
            assert_eq!(e.status(), Some(422), "{field}");
            assert!(format!("{e:?}").contains(field), "{field}: {e:?}");
        }
    }
}

db_test! {
    async fn free_time_offered_from_the_day_view_reaches_the_waitlist_at_once(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let (reason, patel) = (app.reason("Checkup"), app.provider("Dr. Maya Patel"));
        let slot = app.free_slots(reason, ProviderChoice::Id(patel)).await.into_iter()
            .find(|s| s.start > jiff::Timestamp::now() + jiff::SignedDuration::from_hours(30))
            .expect("a free time");
        let tz = jiff::tz::TimeZone::get("America/New_York").expect("zone");
        let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
        let day = slot.start.to_zoned(tz).date();
        app.client.join_waitlist("demo", &WaitlistJoin {
            reason, provider: None, from: today, to: day,
            preferred_days: Vec::new(), times_of_day: Vec::new(), asap: false, short_notice: false,
            verified: None, first_name: "Olu".into(), last_name: "Wait".into(),
            phone: "+1 415 510 7101".into(), email: String::new(), lang: None,
        }).await.expect("joined");

        let offer = FreeTimeOffer { provider_id: patel, starts_at: slot.start, ends_at: slot.end };
        let sent = desk.offer_free_time(&offer).await.expect("offered");
        assert_eq!(sent.offers, 1);
        let to: Vec<String> = sqlx::query_scalar("SELECT recipient FROM outbox WHERE event = 'waitlist_offer' AND channel = 'sms'")
            .fetch_all(&app.db().read).await.expect("outbox");
        assert_eq!(to, vec!["+14155107101".to_string()]);
        // Offered again: she has had this one, so nobody new.
        assert_eq!(desk.offer_free_time(&offer).await.expect("again").offers, 0);

        // Past, backwards, too long, or someone else's provider: refused by name.
        let past = FreeTimeOffer { starts_at: jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2),
            ends_at: jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1), ..offer.clone() };
        let backwards = FreeTimeOffer { starts_at: slot.end, ends_at: slot.start, ..offer.clone() };
        let long = FreeTimeOffer { ends_at: slot.start + jiff::SignedDuration::from_hours(30), ..offer.clone() };
        let stranger = FreeTimeOffer { provider_id: slotwise_shared::model::ProviderId(999_999), ..offer.clone() };
        for (bad, field) in [(past, "starts_at"), (backwards, "ends_at"), (long, "ends_at"), (stranger, "provider_id")] {
            let e = desk.offer_free_time(&bad).await.expect_err(field);
            assert_eq!(e.status(), Some(422), "{field}");
        }
    }
}
