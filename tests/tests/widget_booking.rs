//! The patient books in real headless Chromium, on the demo host page (another port, so another
//! origin than the API), against a real server and database: every step, racing for a time, and
//! a hold that ran out.

use crate::common;

use common::browser::{self, attr_of, click, find, text_of, type_into, wait_for_title, Browser};
use common::widget_site::{
    active_element_class, fill_details, open_time_step, record_host_events, skip_lookup, Site,
    ONE_AT_A_TIME,
};
use fantoccini::Locator;
use serde_json::{json, Value};
use slotwise_shared::api::HoldRequest;
use slotwise_shared::model::ProviderId;
use sqlx::Row;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_patient_books_through_every_step_on_the_cross_origin_host_page() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(390).await;
    b.client
        .goto(&site.host.url())
        .await
        .expect("open host page");
    record_host_events(&b).await;
    let w = b.widget("#book").await;

    wait_for_title(&w, "Have you visited us before?").await;
    assert_eq!(
        attr_of(&w, ".sw-shell", "lang").await,
        "en",
        "the widget says which language it is in, whatever the host page's"
    );
    click(&w, "[data-choice=new]").await;
    wait_for_title(&w, "What is the visit for?").await;
    assert_eq!(
        active_element_class(&b, "#book").await,
        "sw-title",
        "focus moves to the new step's heading"
    );
    let new_exam = site.app.reason("New patient exam & cleaning");
    let cleaning = site.app.reason("Cleaning");
    assert!(
        w.find(Locator::Css(&format!("[data-choice=reason-{cleaning}]")))
            .await
            .is_err(),
        "a returning-patients-only reason is hidden from a new patient"
    );
    click(&w, &format!("[data-choice=reason-{new_exam}]")).await;

    wait_for_title(&w, "Where would you like to be seen?").await;
    click(&w, "[data-choice=location-any]").await;

    wait_for_title(&w, "Who would you like to see?").await;
    click(&w, "[data-choice=provider-any]").await;

    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=out-of-network]").await;
    let message = text_of(&w, ".sw-callout p").await;
    assert!(
        !message.is_empty(),
        "the practice's out-of-network message is shown"
    );
    click(&w, "[data-action=continue-self-pay]").await;

    wait_for_title(&w, "Pick a time").await;
    b.screenshot("time").await;
    // The zone as patients name it, and a word for a patient whose device is elsewhere (the
    // test browser runs in Berlin; the practice is in New York).
    let lead = text_of(&w, ".sw-lead").await;
    assert!(
        lead.contains("(Eastern Time)") && !lead.contains("America/"),
        "{lead}"
    );
    let elsewhere = text_of(&w, "[data-testid=other-zone]").await;
    assert!(
        elsewhere.contains("another time zone") && elsewhere.contains("Eastern Time"),
        "{elsewhere}"
    );
    let label = attr_of(&w, ".sw-time", "aria-label").await;
    assert!(
        label.contains(" at ") && label.contains(", 20"),
        "slot buttons carry the full date and time for screen readers: {label}"
    );
    let first = HoldRequest {
        reason: new_exam,
        provider: ProviderId(
            attr_of(&w, ".sw-time", "data-provider")
                .await
                .parse()
                .expect("provider id"),
        ),
        start: attr_of(&w, ".sw-time", "data-start")
            .await
            .parse()
            .expect("start"),
        lang: None,
    };
    click(&w, ".sw-time").await;
    wait_for_title(&w, "Your details").await;

    // Back to the times and a different one: the first time is given back at once.
    click(&w, ".sw-back").await;
    wait_for_title(&w, "Pick a time").await;
    let second = ".sw-times .sw-time:nth-child(2)";
    let label = attr_of(&w, second, "aria-label").await;
    click(&w, second).await;
    wait_for_title(&w, "Your details").await;
    let deadline = std::time::Instant::now() + browser::PATIENCE;
    let probe = loop {
        match site.app.client.hold("demo", &first).await {
            Ok(probe) => break probe,
            Err(e) => assert!(
                std::time::Instant::now() < deadline,
                "the first time was not released: {e}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    site.app
        .client
        .release_hold("demo", &probe.hold_token)
        .await
        .expect("release the probe");
    b.screenshot("details").await;
    let countdown = text_of(&w, "[data-testid=countdown]").await;
    assert!(countdown.contains(':'), "a visible countdown: {countdown}");
    let spoken = find(&w, "[data-testid=hold-announcement]")
        .await
        .prop("textContent")
        .await;
    assert_eq!(
        spoken.ok().flatten().unwrap_or_default().trim(),
        "",
        "with ten minutes left, nothing is read out"
    );
    // The same rules as the server, checked in the browser first.
    type_into(&w, "#sw-patient-phone", "555").await;
    click(&w, ".sw-form button[type=submit]").await;
    let phone_error = text_of(&w, "#sw-patient-phone-error").await;
    assert!(phone_error.contains("digits"), "{phone_error}");
    // Three backspaces, as a person would fix it (WebDriver's Backspace key is U+E003).
    type_into(&w, "#sw-patient-phone", "\u{E003}\u{E003}\u{E003}").await;
    type_into(&w, "#sw-patient-first_name", "Zoë").await;
    type_into(&w, "#sw-patient-last_name", "O'Brien").await;
    type_into(&w, "#sw-patient-date_of_birth", "03141990").await;
    // As a US patient writes it: the practice is in the US, so the country code is not needed.
    type_into(&w, "#sw-patient-phone", "(415) 555-0142").await;
    type_into(&w, "#sw-patient-email", "zoe@example.com").await;
    click(&w, ".sw-form button[type=submit]").await;

    wait_for_title(&w, "Review and book").await;
    b.screenshot("review").await;
    let summary = text_of(&w, ".sw-summary").await;
    assert!(
        summary.contains("New patient exam & cleaning") && summary.contains("Zoë O'Brien"),
        "{summary}"
    );
    click(&w, "[data-action=book]").await;

    wait_for_title(&w, "You're booked").await;
    b.screenshot("booked").await;
    let reference = text_of(&w, "[data-testid=reference]").await;
    assert!(!reference.is_empty());
    let manage = attr_of(&w, "[data-testid=manage-link]", "href").await;
    let ics = attr_of(&w, "a[download]", "href").await;
    assert!(ics.ends_with("/calendar.ics"), "{ics}");

    // Read the booking back through the API, with the token from the patient's manage link.
    let token = manage.rsplit('/').next().expect("token");
    let booking = site
        .app
        .client
        .booking("demo", token)
        .await
        .expect("booking by manage token");
    assert_eq!(booking.reference, reference);
    assert_eq!(booking.reason.name, "New patient exam & cleaning");
    assert_eq!(
        label, booking.when_label,
        "the booked time is the one picked"
    );
    let row = sqlx::query(
        "SELECT p.first_name, p.last_name, p.date_of_birth, p.phone, a.self_pay, a.referrer \
         FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&site.app.db().read)
    .await
    .expect("the appointment row");
    assert_eq!(row.get::<String, _>("first_name"), "Zoë");
    assert_eq!(row.get::<String, _>("last_name"), "O'Brien");
    assert_eq!(row.get::<String, _>("date_of_birth"), "1990-03-14");
    assert_eq!(row.get::<String, _>("phone"), "+14155550142");
    assert_eq!(row.get::<i64, _>("self_pay"), 1);

    // Host events: ready, steps, booked, and nothing personal in any of them.
    let events: Value = b
        .client
        .execute("return window.__events;", vec![])
        .await
        .expect("events");
    let events = events.as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = events.iter().filter_map(|e| e["name"].as_str()).collect();
    assert!(
        names.contains(&"step") && names.last() == Some(&"booked"),
        "{names:?}"
    );
    let booked = events.last().expect("booked event");
    assert_eq!(booked["detail"], json!({ "reference": reference }));
    let all = serde_json::to_string(&events).unwrap_or_default();
    for personal in ["Zoë", "O'Brien", "zoe@example.com", "555", "exam"] {
        assert!(
            !all.contains(personal),
            "host events leak {personal}: {all}"
        );
    }

    // The manage link opens the patient's page for this booking: move it, then cancel it.
    b.client.goto(&manage).await.expect("open manage link");
    let page = b.widget("[data-slotwise]").await;
    wait_for_title(&page, "Your appointment").await;
    assert!(text_of(&page, "[data-testid=managed-booking]")
        .await
        .contains(&reference));
    click(&page, "[data-action=reschedule]").await;
    find(&page, ".sw-time").await;
    let times = page
        .find_all(Locator::Css(".sw-time"))
        .await
        .expect("free times to move to");
    assert!(!times.is_empty(), "no free times offered for the move");
    let new_label = attr_of(&page, ".sw-time:last-child", "aria-label").await;
    click(&page, &format!(".sw-time[aria-label=\"{new_label}\"]")).await;
    let moved_text = text_of(&page, ".sw-hold[role=status]").await;
    assert!(moved_text.contains("moved"), "{moved_text}");
    let moved = site
        .app
        .client
        .booking("demo", token)
        .await
        .expect("booking");
    assert_eq!(
        moved.when_label, new_label,
        "the booking is at the new time"
    );
    assert_eq!(moved.reference, reference);
    click(&page, "[data-action=cancel]").await;
    click(&page, "[data-action=confirm-cancel]").await;
    wait_for_title(&page, "Appointment cancelled").await;
    let cancelled = site
        .app
        .client
        .booking("demo", token)
        .await
        .expect("booking");
    assert_eq!(
        cancelled.status,
        slotwise_shared::model::AppointmentStatus::Cancelled
    );
    b.close().await;
    site.finish().await;
}

/// Opens the widget at the time step through URL prefill (returning patient, a reason and a
/// provider), choosing self-pay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_browser_racing_for_the_same_time_is_offered_alternatives() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let first = Browser::launch(1000).await;
    let second = Browser::launch(1000).await;
    let w1 = open_time_step(&first, &site, "checkup").await;
    let w2 = open_time_step(&second, &site, "checkup").await;
    // Both see the same first free time; the first patient takes it.
    let start1 = attr_of(&w1, ".sw-time", "data-start").await;
    let start2 = attr_of(&w2, ".sw-time", "data-start").await;
    assert!(!start1.is_empty());
    assert_eq!(start1, start2);
    click(&w1, ".sw-time").await;
    wait_for_title(&w1, "Find your record").await;

    click(&w2, ".sw-time").await;
    let panel = text_of(&w2, "[data-testid=alternatives]").await;
    assert!(panel.contains("just taken"), "{panel}");
    let alternative_label = attr_of(&w2, ".sw-alt", "aria-label").await;
    click(&w2, ".sw-alt").await;
    wait_for_title(&w2, "Find your record").await;
    let banner = text_of(&w2, ".sw-hold").await;
    assert!(
        banner.contains(&alternative_label),
        "{banner} / {alternative_label}"
    );
    first.close().await;
    second.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_that_ran_out_before_booking_offers_alternatives_and_keeps_the_details() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(1000).await;
    let w = open_time_step(&b, &site, "checkup").await;
    click(&w, ".sw-time").await;
    skip_lookup(&w).await;
    fill_details(&w).await;
    wait_for_title(&w, "Review and book").await;
    // The hold runs out while the patient reads the summary.
    let past = jiff::Timestamp::now().as_second() - 60;
    sqlx::query("UPDATE appointments SET hold_expires_at = $1 WHERE status = 'held'")
        .bind(past)
        .execute(&site.app.db().read)
        .await
        .expect("age the hold");
    click(&w, "[data-action=book]").await;
    let panel = text_of(&w, "[data-testid=alternatives]").await;
    assert!(panel.contains("ran out"), "{panel}");
    let alternative = attr_of(&w, ".sw-alt", "aria-label").await;
    click(&w, ".sw-alt").await;
    // The new time is held and the details typed before are still there.
    wait_for_title(&w, "Review and book").await;
    let deadline = std::time::Instant::now() + browser::PATIENCE;
    while w
        .find(Locator::Css("[data-testid=alternatives]"))
        .await
        .is_ok()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "alternatives stayed after holding one"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let summary = text_of(&w, ".sw-summary").await;
    assert!(summary.contains("Ana Lima"), "{summary}");
    assert!(
        summary.contains(&alternative),
        "the summary shows the newly held time: {summary} / {alternative}"
    );
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "You're booked").await;
    // The host page's utm parameters travel with the booking.
    let reference = text_of(&w, "[data-testid=reference]").await;
    let row = sqlx::query("SELECT utm_source, utm_campaign FROM appointments WHERE reference = $1")
        .bind(&reference)
        .fetch_one(&site.app.db().read)
        .await
        .expect("the appointment row");
    assert_eq!(
        row.get::<Option<String>, _>("utm_source").as_deref(),
        Some("recall-sms")
    );
    assert_eq!(
        row.get::<Option<String>, _>("utm_campaign").as_deref(),
        Some("autumn")
    );
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_time_step_shows_later_days_on_request() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(1000).await;
    let w = open_time_step(&b, &site, "checkup").await;
    find(&w, ".sw-day").await;
    let first_week = w.find_all(Locator::Css(".sw-day")).await.expect("days");
    assert_eq!(first_week.len(), 7);
    let last_date = attr_of(&w, ".sw-day:last-child", "data-date").await;
    click(&w, "[data-action=more-days]").await;
    let deadline = std::time::Instant::now() + browser::PATIENCE;
    loop {
        let days = w.find_all(Locator::Css(".sw-day")).await.expect("days");
        if days.len() == 14 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {} days shown",
            days.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let new_last = attr_of(&w, ".sw-day:last-child", "data-date").await;
    assert!(new_last > last_date, "{new_last} follows {last_date}");
    b.close().await;
    site.finish().await;
}
