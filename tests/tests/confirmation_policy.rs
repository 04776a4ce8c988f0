//! The confirmation policy from history: a returning patient with a no-show must confirm a new
//! booking by the practice's deadline (a `confirm_request` with a link to the confirm page);
//! the page's GET changes nothing and its POST confirms; at the deadline an unconfirmed booking
//! is released (cancelled, the patient told, the time offered to the waitlist) when the
//! practice chose so, or only flagged for the team; a confirmed one is kept. SQLite and
//! PostgreSQL.

use crate::common;
use crate::db_test;

use common::patients::verified;
use common::staff::signed_in;
use common::{booking_request, unique_key, TestApp};
use slotwise_server::jobs::scheduler::run_recall;
use slotwise_shared::admin::{AppointmentAction, AppointmentFilter, AppointmentItem, StaffRole};
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::api::{BookingCreated, HoldRequest, ProviderChoice, SlotOption};
use slotwise_shared::patients::VerifiedPatient;
use slotwise_shared::waitlist::WaitlistJoin;

const PHONE: &str = "+14155108181";

async fn book(
    app: &TestApp,
    slot: &SlotOption,
    verified_as: Option<VerifiedPatient>,
) -> BookingCreated {
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
    req.patient.phone = PHONE.into();
    req.verified = verified_as;
    app.client
        .book("demo", &format!("cp-{}", unique_key()), &req)
        .await
        .expect("booked")
}

async fn item(desk: &AdminClient, reference: &str) -> AppointmentItem {
    let filter = AppointmentFilter {
        q: reference.into(),
        ..AppointmentFilter::default()
    };
    desk.appointments(&filter)
        .await
        .expect("list")
        .appointments
        .into_iter()
        .find(|a| a.reference == reference)
        .expect("listed")
}

async fn confirm_by(app: &TestApp, reference: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT confirm_by FROM appointments WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.db().read)
        .await
        .expect("deadline")
}

async fn outbox_events(app: &TestApp, recipient: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT event FROM outbox WHERE recipient = $1 AND channel = 'sms' ORDER BY id",
    )
    .bind(recipient)
    .fetch_all(&app.db().read)
    .await
    .expect("outbox")
}

db_test! {
    async fn unconfirmed_risky_bookings_are_released_at_the_deadline_and_confirmed_ones_kept(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let mut settings = owner.practice().await.expect("practice").settings;
        assert_eq!((settings.confirm_no_shows, settings.confirm_months, settings.confirm_hours, settings.confirm_release), (0, 12, 24, false), "off by default");
        settings.confirm_hours = 0;
        assert_eq!(owner.save_practice(&settings).await.expect_err("0 hours").status(), Some(422));
        settings.confirm_no_shows = 1;
        settings.confirm_hours = 24;
        settings.confirm_release = true;
        owner.save_practice(&settings).await.expect("policy on");

        let patel = app.provider("Dr. Maya Patel");
        let free: Vec<SlotOption> = app.free_slots(app.reason("Checkup"), ProviderChoice::Id(patel)).await.into_iter()
            .filter(|s| s.start > jiff::Timestamp::now() + jiff::SignedDuration::from_hours(30)).collect();
        // Her first visit, as someone new: no history, nothing to confirm. Then a no-show.
        let first = book(app, &free[0], None).await;
        assert_eq!(confirm_by(app, &first.booking.reference).await, None);
        let first_item = item(&desk, &first.booking.reference).await;
        assert_eq!(first_item.confirmation, "");
        desk.appointment_action(first_item.id, AppointmentAction::NoShow).await.expect("no-show");

        // Back as a verified returning patient: each new booking must be confirmed.
        let household = verified(app, "demo", PHONE).await;
        let member = VerifiedPatient { session: household.patient_session.clone(), member: Some(household.members[0].id) };
        let released = book(app, &free[3], Some(member.clone())).await;
        let kept = book(app, &free[6], Some(member.clone())).await;
        let deadline = confirm_by(app, &released.booking.reference).await.expect("a deadline");
        assert_eq!(deadline, released.booking.start.as_second() - 24 * 3600);
        assert_eq!(item(&desk, &released.booking.reference).await.confirmation, "asked");
        assert!(outbox_events(app, PHONE).await.iter().filter(|e| *e == "confirm_request").count() >= 2);
        let context: String = sqlx::query_scalar(
            "SELECT context FROM outbox WHERE event = 'confirm_request' AND channel = 'sms' ORDER BY id LIMIT 1")
            .fetch_one(&app.db().read).await.expect("request");
        let context: serde_json::Value = serde_json::from_str(&context).expect("json");
        let link = context["booking_link"].as_str().expect("link").to_string();
        assert!(link.contains("/confirm/demo/"), "{link}");
        assert!(!context["message"].as_str().unwrap_or_default().is_empty(), "the deadline is named");

        // The kept one is confirmed on its page: the GET changes nothing, the POST confirms.
        let page = format!("{}/confirm/demo/{}", app.server.url(), kept.manage_token);
        let http = reqwest::Client::new();
        let shown = http.get(&page).send().await.expect("page");
        assert_eq!(shown.status(), 200);
        assert!(shown.text().await.expect("html").contains("<form method=\"post\">"));
        assert_eq!(item(&desk, &kept.booking.reference).await.status, "booked", "a GET confirms nothing");
        let done = http.post(&page).send().await.expect("confirm");
        assert_eq!(done.status(), 200);
        assert!(done.text().await.expect("html").contains("confirmed"));
        assert_eq!(item(&desk, &kept.booking.reference).await.status, "confirmed");
        let stranger = http.get(format!("{}/confirm/demo/{}", app.server.url(), "x".repeat(43))).send().await.expect("page");
        assert_eq!(stranger.status(), 404);

        // Someone waits for a time that day, even at short notice.
        let day = released.booking.start.to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone")).date();
        let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone")).date();
        app.client.join_waitlist("demo", &WaitlistJoin {
            reason: app.reason("Checkup"), provider: None, from: today, to: day,
            preferred_days: Vec::new(), times_of_day: Vec::new(), asap: true, short_notice: true,
            verified: None, first_name: "Wen".into(), last_name: "Wait".into(),
            phone: "+1 415 510 8282".into(), email: String::new(), lang: None,
        }).await.expect("waiting");

        // Before the deadline nothing happens; at it the unconfirmed one is released.
        run_recall(&app.server.state, deadline - 60).await.expect("run");
        assert_eq!(item(&desk, &released.booking.reference).await.status, "booked");
        run_recall(&app.server.state, deadline + 1).await.expect("run");
        let gone = item(&desk, &released.booking.reference).await;
        assert_eq!((gone.status.as_str(), gone.confirmation.as_str()), ("cancelled", "missed"));
        assert_eq!(item(&desk, &kept.booking.reference).await.status, "confirmed", "a confirmed one is kept");
        assert!(outbox_events(app, PHONE).await.contains(&"cancelled".to_string()), "the patient is told");
        assert_eq!(outbox_events(app, "+14155108282").await, vec!["waitlist_offer".to_string()], "the time is offered");
        let audit = owner.audit().await.expect("audit");
        assert!(format!("{audit:?}").contains("appointment.release_unconfirmed"));

        // With release off, a missed deadline only flags the booking for the team.
        settings.confirm_release = false;
        owner.save_practice(&settings).await.expect("flag only");
        let flagged = book(app, &free[9], Some(member)).await;
        let first_deadline = confirm_by(app, &flagged.booking.reference).await.expect("a deadline");
        // Moved by staff: the deadline moves with the visit.
        let to = &free[12];
        let hold = app.client
            .hold("demo", &HoldRequest { reason: app.reason("Checkup"), provider: to.provider, start: to.start, lang: None })
            .await.expect("hold");
        let id = item(&desk, &flagged.booking.reference).await.id;
        desk.reschedule(id, &hold.hold_token).await.expect("moved");
        let later = confirm_by(app, &flagged.booking.reference).await.expect("a deadline");
        assert_eq!(later - first_deadline, to.start.as_second() - free[9].start.as_second());
        run_recall(&app.server.state, later + 1).await.expect("run");
        let shown = item(&desk, &flagged.booking.reference).await;
        assert_eq!((shown.status.as_str(), shown.confirmation.as_str()), ("booked", "missed"));
    }
}
