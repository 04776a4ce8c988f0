//! The public booking API end to end: config, slots, holds, bookings, management, on SQLite
//! and PostgreSQL.

use crate::common;
use crate::db_test;

use common::{booking_request, now, HOST_ORIGIN};
use jiff::tz::TimeZone;
use slotwise_shared::api::{HoldRequest, ProviderChoice, RescheduleRequest, SlotsParams};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::{AppointmentStatus, Eligibility, PatientType};

db_test! {
    async fn booking_config_lists_what_patients_choose_from(app) {
        let config = app.client.booking_config("demo").await.expect("config");
        assert_eq!(config.practice.name, "Brightside Dental");
        assert_eq!(config.practice.timezone, "America/New_York");
        assert_eq!(config.practice.timezone_name, "Eastern Time");
        assert_eq!(config.reasons.len(), 6);
        assert_eq!(config.providers.len(), 4);
        assert_eq!(config.carriers.len(), 8);
        assert_eq!(config.locations.len(), 2);
        assert!(config.reasons.iter().any(|r| r.eligibility == Eligibility::New));
        assert!(config.reasons.iter().any(|r| r.eligibility == Eligibility::Returning));
        assert!(!config.settings.out_of_network_text.is_empty());
        assert_eq!(config.settings.hold_minutes, 10);
        let cleaning = config.reasons.iter().find(|r| r.name == "Cleaning").expect("cleaning");
        for p in &cleaning.provider_ids {
            let provider = config.providers.iter().find(|x| x.id == *p).expect("linked provider");
            assert!(provider.reason_ids.contains(&cleaning.id));
        }
    }
}

db_test! {
    async fn slots_are_grouped_by_local_day_and_labelled_in_the_practice_zone(app) {
        let params = SlotsParams { reason: app.reason("Checkup"), provider: ProviderChoice::Any, patient: Some(PatientType::New), location: None, from: None, days: Some(14), lang: None };
        let slots = app.client.slots("demo", &params).await.expect("slots");
        assert_eq!(slots.days.len(), 14);
        assert_eq!(slots.timezone, "America/New_York");
        let tz = TimeZone::get("America/New_York").expect("tz");
        let mut total = 0;
        for day in &slots.days {
            for s in &day.slots {
                let local = s.start.to_zoned(tz.clone());
                assert_eq!(local.date(), day.date);
                assert_eq!(s.label, local.strftime("%-I:%M %p").to_string());
                assert!(s.start.as_second() >= now() + 120 * 60, "minimum notice respected");
                total += 1;
            }
            let starts: Vec<_> = day.slots.iter().map(|s| s.start).collect();
            let mut sorted = starts.clone();
            sorted.dedup();
            assert_eq!(starts, sorted, "first available offers each time once");
        }
        assert!(total > 50, "two dentists over two weeks have many free times, got {total}");
    }
}

db_test! {
    async fn reasons_for_one_patient_type_refuse_the_other(app) {
        let params = SlotsParams { reason: app.reason("Cleaning"), provider: ProviderChoice::Any, patient: Some(PatientType::New), location: None, from: None, days: Some(7), lang: None };
        let err = app.client.slots("demo", &params).await.expect_err("returning-only");
        assert_eq!(err.status(), Some(422));
        let (_, hold) = {
            let reason = app.reason("New patient exam & cleaning");
            let slot = app.free_slots(reason, ProviderChoice::Any).await.into_iter().next().expect("free");
            let req = HoldRequest { reason, provider: slot.provider, start: slot.start, lang: None };
            (req.clone(), app.client.hold("demo", &req).await.expect("hold"))
        };
        let mut booking = booking_request(&hold.hold_token);
        booking.patient_type = PatientType::Returning;
        let err = app.client.book("demo", "k-new-only", &booking).await.expect_err("new-only reason");
        assert_eq!(err.status(), Some(422));
        assert!(err.body().and_then(|b| b.fields.as_ref()).is_some_and(|f| f.contains_key("patient_type")));
    }
}

db_test! {
    async fn a_patient_holds_books_and_reads_back_their_booking(app) {
        let (req, hold) = app.hold_first_checkup().await;
        assert!(hold.expires_at.as_second() > now() + 9 * 60);
        assert_eq!(hold.slot.start, req.start);
        let created = app.client.book("demo", "key-1", &booking_request(&hold.hold_token)).await.expect("book");
        let b = &created.booking;
        assert_eq!(b.status, AppointmentStatus::Booked);
        assert_eq!(b.start, req.start);
        assert_eq!(b.provider.name, "Dr. Maya Patel");
        assert_eq!(b.reason.name, "Checkup");
        assert_eq!(b.reference.len(), 10);
        assert!(b.when_label.ends_with("EST") || b.when_label.ends_with("EDT"));
        assert!(b.calendar.google_url.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE"));
        assert!(!b.calendar.google_url.contains("Checkup"), "no health details in calendar titles");
        assert!(b.manage_url.contains(&created.manage_token));

        let read = app.client.booking("demo", &created.manage_token).await.expect("read back");
        assert_eq!(read, created.booking);

        let ics = app.client.calendar_ics("demo", &created.manage_token).await.expect("ics");
        assert!(ics.starts_with("BEGIN:VCALENDAR"));
        assert!(ics.contains("SUMMARY:Appointment at Brightside Dental"));
        assert!(ics.contains(&format!("DTSTART:{}", req.start.strftime("%Y%m%dT%H%M%SZ"))));
        assert!(!ics.contains("Checkup") && !ics.contains("molar"));
        assert!(!ics.contains(&created.manage_token), "a calendar file carries no manage link");

        // The booked time is no longer offered.
        let free = app.free_slots(req.reason, ProviderChoice::Id(req.provider)).await;
        assert!(!free.iter().any(|s| s.start == req.start));
    }
}

db_test! {
    async fn replaying_a_booking_returns_the_first_response_and_a_changed_body_is_refused(app) {
        let (_, hold) = app.hold_first_checkup().await;
        let req = booking_request(&hold.hold_token);
        let first = app.client.book("demo", "same-key", &req).await.expect("book");
        let again = app.client.book("demo", "same-key", &req).await.expect("replay");
        assert_eq!(first, again);
        let mut other = req.clone();
        other.patient.first_name = "Someone".into();
        let err = app.client.book("demo", "same-key", &other).await.expect_err("other body");
        assert_eq!(err.status(), Some(422));
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::IdempotencyKeyReused));
        assert_eq!(app.count("patients").await, 1);
        // The same hold under a new key: already booked, not expired.
        let err = app.client.book("demo", "another-key", &req).await.expect_err("hold used");
        assert_eq!(err.status(), Some(409));
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::Conflict));
        // A replay still answers the first response after the practice changed its rules.
        sqlx::query("UPDATE practices SET existing_patients_only = 1 WHERE slug = 'demo'")
            .execute(&app.db().write).await.expect("update");
        app.refresh_practice("demo");
        assert_eq!(app.client.book("demo", "same-key", &req).await.expect("replay after change"), first);
    }
}

db_test! {
    async fn a_taken_time_answers_409_with_three_alternatives_same_provider_first(app) {
        let (req, _) = app.hold_first_checkup().await;
        let err = app.client.hold("demo", &req).await.expect_err("taken");
        assert_eq!(err.status(), Some(409));
        let body = err.body().expect("body");
        assert_eq!(body.code, ErrorCode::SlotUnavailable);
        let alts = body.alternatives.as_ref().expect("alternatives");
        assert_eq!(alts.len(), 3);
        assert!(alts.iter().all(|a| a.start != req.start));
        assert_eq!(alts[0].provider, req.provider, "same provider first");
        assert!(alts.windows(2).all(|w| w[0].provider != w[1].provider || w[0].start < w[1].start));
    }
}

db_test! {
    async fn an_expired_hold_answers_410_with_alternatives(app) {
        let (_, hold) = app.hold_first_checkup().await;
        sqlx::query("UPDATE appointments SET hold_expires_at = $1 WHERE status = 'held'")
            .bind(now() - 1)
            .execute(&app.db().write)
            .await
            .expect("expire");
        let err = app.client.book("demo", "late", &booking_request(&hold.hold_token)).await.expect_err("expired");
        assert_eq!(err.status(), Some(410));
        let body = err.body().expect("body");
        assert_eq!(body.code, ErrorCode::HoldExpired);
        assert!(!body.alternatives.as_ref().expect("alternatives").is_empty());
        assert_eq!(app.count("patients").await, 0, "nothing written");
    }
}

db_test! {
    async fn a_cancelled_booking_frees_its_time_and_cancelling_again_is_harmless(app) {
        let (req, hold) = app.hold_first_checkup().await;
        let created = app.client.book("demo", "c1", &booking_request(&hold.hold_token)).await.expect("book");
        // Seen as taken (and that answer cached) before the cancellation.
        let free = app.free_slots(req.reason, ProviderChoice::Id(req.provider)).await;
        assert!(!free.iter().any(|s| s.start == req.start));
        let cancelled = app.client.cancel("demo", &created.manage_token).await.expect("cancel");
        assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
        assert!(!cancelled.can_change);
        let again = app.client.cancel("demo", &created.manage_token).await.expect("cancel again");
        assert_eq!(again.status, AppointmentStatus::Cancelled);
        let free = app.free_slots(req.reason, ProviderChoice::Id(req.provider)).await;
        assert!(free.iter().any(|s| s.start == req.start), "the time is offered again");
        app.client.hold("demo", &req).await.expect("and can be held again");
    }
}

db_test! {
    async fn rescheduling_moves_the_booking_into_a_new_hold(app) {
        let (old, hold) = app.hold_first_checkup().await;
        let created = app.client.book("demo", "r1", &booking_request(&hold.hold_token)).await.expect("book");
        let ics_before = app.client.calendar_ics("demo", &created.manage_token).await.expect("ics");
        assert!(ics_before.contains("SEQUENCE:0"), "{ics_before}");
        let later = app.free_slots(old.reason, ProviderChoice::Any).await.into_iter().nth(5).expect("later slot");
        let new_hold = app.client.hold("demo", &HoldRequest { reason: old.reason, provider: later.provider, start: later.start, lang: None }).await.expect("hold");
        let moved = app.client.reschedule("demo", &created.manage_token, &RescheduleRequest { hold_token: new_hold.hold_token.clone() }).await.expect("reschedule");
        assert_eq!(moved.start, later.start);
        assert_eq!(moved.reference, created.booking.reference);
        let read = app.client.booking("demo", &created.manage_token).await.expect("read");
        assert_eq!(read.start, later.start);
        let ics_after = app.client.calendar_ics("demo", &created.manage_token).await.expect("ics");
        assert!(ics_after.contains("SEQUENCE:1"), "calendars see a newer version: {ics_after}");
        assert!(ics_after.contains(&format!("DTSTART:{}", later.start.strftime("%Y%m%dT%H%M%SZ"))));
        let free = app.free_slots(old.reason, ProviderChoice::Id(old.provider)).await;
        assert!(free.iter().any(|s| s.start == old.start), "old time released");
        // The hold was used up.
        let err = app.client.book("demo", "r2", &booking_request(&new_hold.hold_token)).await.expect_err("used hold");
        assert_eq!(err.status(), Some(404));
    }
}

db_test! {
    async fn one_practice_cannot_reach_another_practices_data(app) {
        let (_, hold) = app.hold_first_checkup().await;
        let created = app.client.book("demo", "t1", &booking_request(&hold.hold_token)).await.expect("book");
        let err = app.client.booking("other-clinic", &created.manage_token).await.expect_err("cross-practice");
        assert_eq!(err.status(), Some(404));
        let other_reason = app.other.reasons["Checkup"];
        let params = SlotsParams { reason: other_reason, provider: ProviderChoice::Any, patient: None, location: None, from: None, days: Some(7), lang: None };
        assert_eq!(app.client.slots("demo", &params).await.expect_err("other's reason").status(), Some(404));
        let slot = app.free_slots(app.reason("Checkup"), ProviderChoice::Any).await.remove(0);
        let other_provider = app.other.providers["Dr. Maya Patel"];
        let err = app.client.hold("demo", &HoldRequest { reason: app.reason("Checkup"), provider: other_provider, start: slot.start, lang: None }).await.expect_err("other's provider");
        assert_eq!(err.status(), Some(404));
        let (_, other_hold) = {
            let r = other_reason;
            let params = SlotsParams { reason: r, provider: ProviderChoice::Any, patient: None, location: None, from: None, days: Some(14), lang: None };
            let s = app.client.slots("other-clinic", &params).await.expect("slots").days.into_iter().flat_map(|d| d.slots).next().expect("slot");
            let req = HoldRequest { reason: r, provider: s.provider, start: s.start, lang: None };
            (req.clone(), app.client.hold("other-clinic", &req).await.expect("hold"))
        };
        let err = app.client.book("demo", "t2", &booking_request(&other_hold.hold_token)).await.expect_err("other's hold");
        assert_eq!(err.status(), Some(404));
    }
}

db_test! {
    async fn new_patients_cannot_book_online_at_an_existing_patients_only_practice(app) {
        sqlx::query("UPDATE practices SET existing_patients_only = 1 WHERE slug = 'demo'")
            .execute(&app.db().write).await.expect("update");
        app.refresh_practice("demo");
        let (_, hold) = app.hold_first_checkup().await;
        let mut req = booking_request(&hold.hold_token);
        req.patient_type = PatientType::New;
        let err = app.client.book("demo", "e1", &req).await.expect_err("new patient");
        assert_eq!(err.status(), Some(422));
        let params = SlotsParams { reason: app.reason("Checkup"), provider: ProviderChoice::Any, patient: Some(PatientType::New), location: None, from: None, days: Some(7), lang: None };
        assert_eq!(app.client.slots("demo", &params).await.expect_err("new patients see no times").status(), Some(422));
        // Returning patients prove who they are first (see patients_api.rs).
        req.patient_type = PatientType::Returning;
        let err = app.client.book("demo", "e2", &req).await.expect_err("unverified returning patient");
        assert_eq!(err.status(), Some(422));
        assert!(err.body().and_then(|b| b.fields.as_ref()).is_some_and(|f| f.contains_key("patient_type")));
    }
}

db_test! {
    async fn browsers_may_call_the_api_only_from_allowed_origins(app) {
        let path = slotwise_shared::paths::booking_config("demo");
        let allowed = app.client.raw("GET", &path, &[("Origin", HOST_ORIGIN)], None).await.expect("request");
        assert_eq!(allowed.headers.get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some(HOST_ORIGIN));
        let denied = app.client.raw("GET", &path, &[("Origin", "http://evil.example")], None).await.expect("request");
        assert!(denied.headers.get("access-control-allow-origin").is_none());
        let preflight = app.client.raw("OPTIONS", &slotwise_shared::paths::bookings("demo"), &[
            ("Origin", HOST_ORIGIN),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type,idempotency-key"),
        ], None).await.expect("preflight");
        assert!(preflight.status < 300);
        assert!(preflight.headers.get("access-control-allow-headers").is_some());
        app.client.healthz().await.expect("healthz");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_beyond_the_rate_limit_answer_429() {
    let app =
        common::TestApp::spawn_with(common::Engine::Sqlite, |c| c.booking_rate_per_minute = 3)
            .await
            .expect("app");
    let statuses = app.hold_spaced_checkups(5).await;
    assert_eq!(&statuses[..3], &[201, 201, 201]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    app.finish().await;
}

db_test! {
    async fn free_times_come_gzip_compressed_when_the_browser_accepts_it(app) {
        let path = format!("{}?reason={}&provider=any&days=14", slotwise_shared::paths::slots("demo"), app.reason("Checkup"));
        let gz = app.client.raw("GET", &path, &[("Accept-Encoding", "gzip, br")], None).await.expect("gzip");
        assert_eq!(gz.status, 200);
        assert_eq!(gz.headers.get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
        let plain = app.client.raw("GET", &path, &[], None).await.expect("plain");
        assert!(plain.headers.get("content-encoding").is_none());
        let parsed: slotwise_shared::api::SlotsResponse = serde_json::from_str(&plain.body).expect("json");
        assert_eq!(parsed.days.len(), 14);
        assert!(gz.body.len() < plain.body.len() / 4, "compressed well");
    }
}

db_test! {
    async fn a_reason_that_needs_a_room_is_offered_only_while_a_room_is_free(app) {
        // Tuesdays both hygienists work Downtown, which has one hygiene room.
        let cleaning = app.reason("Cleaning");
        let (fischer, rivera) = (app.provider("Lena Fischer"), app.provider("Sam Rivera"));
        let tz = TimeZone::get("America/New_York").expect("tz");
        let on_tuesday = |s: &slotwise_shared::api::SlotOption| s.start.to_zoned(tz.clone()).weekday() == jiff::civil::Weekday::Tuesday;
        let fischer_slot = app.free_slots(cleaning, ProviderChoice::Id(fischer)).await.into_iter().find(|s| on_tuesday(s)).expect("a Tuesday time");
        let rivera_before = app.free_slots(cleaning, ProviderChoice::Id(rivera)).await;
        assert!(rivera_before.iter().any(|s| s.start == fischer_slot.start), "both could take it while the room is free");
        app.client.hold("demo", &HoldRequest { reason: cleaning, provider: fischer, start: fischer_slot.start, lang: None }).await.expect("hold with the room");
        let rivera_after = app.free_slots(cleaning, ProviderChoice::Id(rivera)).await;
        assert!(!rivera_after.iter().any(|s| s.start == fischer_slot.start), "no room left at that time");
        let err = app.client.hold("demo", &HoldRequest { reason: cleaning, provider: rivera, start: fischer_slot.start, lang: None }).await.expect_err("no room");
        assert_eq!(err.status(), Some(409));
        let alternatives = err.body().and_then(|b| b.alternatives.clone()).expect("alternatives");
        let alt = alternatives.first().expect("an alternative");
        app.client.hold("demo", &HoldRequest { reason: cleaning, provider: alt.provider, start: alt.start, lang: None }).await.expect("the first alternative can really be held");
        assert_eq!(slotwise_server::store::appointments::overlapping_pairs(app.db()).await.expect("query"), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_sit_on_more_than_its_share_of_holds() {
    let app =
        common::TestApp::spawn_with(common::Engine::Sqlite, |c| c.max_live_holds_per_client = 2)
            .await
            .expect("app");
    let statuses = app.hold_spaced_checkups(3).await;
    assert_eq!(statuses, [201, 201, 429]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
    let app = common::TestApp::spawn_with(common::Engine::Sqlite, |c| {
        c.booking_rate_per_minute = 1;
        c.trust_forwarded_for = true;
    })
    .await
    .expect("app");
    let slots = app
        .free_slots(app.reason("Checkup"), ProviderChoice::Any)
        .await;
    let body = |i: usize| {
        let s = &slots[i * 8];
        Some(serde_json::json!({"reason": app.reason("Checkup"), "provider": s.provider, "start": s.start}).to_string())
    };
    let path = slotwise_shared::paths::holds("demo");
    let mut statuses = Vec::new();
    for (i, client) in ["203.0.113.7", "198.51.100.2", "203.0.113.7"]
        .iter()
        .enumerate()
    {
        let forwarded = format!("10.1.1.1, {client}");
        let headers = [
            ("content-type", "application/json"),
            ("x-forwarded-for", forwarded.as_str()),
        ];
        statuses.push(
            app.client
                .raw("POST", &path, &headers, body(i))
                .await
                .expect("request")
                .status,
        );
    }
    assert_eq!(
        statuses,
        [201, 201, 429],
        "the second client is not limited by the first"
    );
    app.finish().await;
}

db_test! {
    async fn a_lapsed_hold_frees_its_time_for_the_next_patient(app) {
        let (req, first) = app.hold_first_checkup().await;
        sqlx::query("UPDATE appointments SET hold_expires_at = $1 WHERE status = 'held'")
            .bind(now() - 1)
            .execute(&app.db().write)
            .await
            .expect("lapse");
        let free = app.free_slots(req.reason, ProviderChoice::Id(req.provider)).await;
        assert!(free.iter().any(|s| s.start == req.start), "a lapsed hold is not busy time");
        let second = app.client.hold("demo", &req).await.expect("the time can be held again");
        let err = app.client.book("demo", "lapsed", &booking_request(&first.hold_token)).await.expect_err("first hold lapsed");
        assert_eq!(err.status(), Some(410));
        app.client.book("demo", "second", &booking_request(&second.hold_token)).await.expect("second patient books");
        let expired: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE status = 'expired'")
            .fetch_one(&app.db().read).await.expect("count");
        assert_eq!(expired, 1, "the lapsed hold was released, not deleted");
        assert_eq!(slotwise_server::store::appointments::overlapping_pairs(app.db()).await.expect("query"), 0);
    }
}

db_test! {
    async fn a_released_hold_frees_its_time_at_once_and_only_a_live_hold_can_be_released(app) {
        let (req, hold) = app.hold_first_checkup().await;
        let taken = app.client.hold("demo", &req).await.expect_err("held by the first patient");
        assert_eq!(taken.status(), Some(409));
        app.client.release_hold("demo", &hold.hold_token).await.expect("release");
        let again = app.client.hold("demo", &req).await.expect("the time is free again");
        let twice = app.client.release_hold("demo", &hold.hold_token).await.expect_err("released already");
        assert_eq!(twice.status(), Some(404));
        // A hold that became a booking cannot be released: the booking stays.
        let booked = app
            .client
            .book("demo", "release-test", &booking_request(&again.hold_token))
            .await
            .expect("book");
        let refused = app.client.release_hold("demo", &again.hold_token).await.expect_err("booked");
        assert_eq!(refused.status(), Some(404));
        let view = app.client.booking("demo", &booked.manage_token).await.expect("booking");
        assert_eq!(view.status, AppointmentStatus::Booked);
        // Another practice's hold, or no token at all, is unknown here.
        let other = app.client.release_hold("other-clinic", &again.hold_token).await.expect_err("tenancy");
        assert_eq!(other.status(), Some(404));
        let garbage = app.client.release_hold("demo", "not-a-token").await.expect_err("shape");
        assert_eq!(garbage.status(), Some(404));
    }
}
