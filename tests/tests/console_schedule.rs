//! The day view in the console, in real headless Chromium at tablet width: the front desk opens
//! the demo's filled day, moves a visit by its Reschedule action, books a walk-in patient into
//! free time, and the screen passes axe-core.

use crate::common;

use common::axe::assert_accessible;
use common::browser::{self, Browser};
use common::console::{choose, click, fill, find, set_value, wait_text};
use common::staff::{account, signed_in, PASSWORD};
use common::widget_site::{Site, ONE_AT_A_TIME};
use fantoccini::Locator;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::day_view::DayViewQuery;
use std::time::{Duration, Instant};

/// The next day (from tomorrow) Dr. Patel works at Downtown: Monday to Thursday.
fn patels_next_day() -> jiff::civil::Date {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone"))
        .date();
    (1..=6)
        .filter_map(|n| today.checked_add(jiff::Span::new().days(n)).ok())
        .find(|d| d.weekday().to_monday_one_offset() <= 4)
        .expect("a weekday")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_desk_runs_the_day_from_the_schedule() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(admin_dir) = browser::admin_dir() else {
        return;
    };
    let Some(site) = Site::start_with(move |c| c.admin_dir = admin_dir).await else {
        return;
    };
    let app = &site.app;
    slotwise_server::demo::day::demo_week(app.db(), &app.demo)
        .await
        .expect("the demo's week");
    let day = patels_next_day();
    let patel = app.provider("Dr. Maya Patel");
    let desk = signed_in(app, "demo", StaffRole::Admin).await;
    let q = DayViewQuery {
        date: day.to_string(),
        days: Some(1),
        location_id: None,
        provider_id: Some(patel.0),
    };
    let before = desk.day_view(&q).await.expect("day");
    let first = before.columns[0]
        .appointments
        .first()
        .expect("the demo fills her day")
        .appointment
        .clone();

    let email = account(app, "demo", StaffRole::FrontDesk).await;
    let b = Browser::launch(820).await;
    b.client
        .goto(&format!("{}/admin/", app.server.url()))
        .await
        .expect("open the console");
    fill(&b, "#login-email", &email).await;
    fill(&b, "#login-password", PASSWORD).await;
    click(&b, ".login button[type=submit]").await;
    click(&b, "nav a[href='#/schedule']").await;
    wait_text(&b, "main h1", "Schedule").await;
    set_value(&b, "#schedule-date", &day.to_string()).await;
    let column = format!(
        "section.day-column[data-provider='{}'][data-date='{day}']",
        patel.0
    );
    wait_text(&b, &column, &first.patient_name).await;
    assert_accessible(&b.client, "schedule day view").await;
    b.screenshot("console-schedule").await;

    // Move her first visit by its action: the panel, Reschedule, the first free time.
    click(
        &b,
        &format!("{column} button.appt[data-reference='{}']", first.reference),
    )
    .await;
    wait_text(&b, "[data-testid=appointment-panel]", &first.patient_name).await;
    let focused = b
        .client
        .execute(
            "return document.activeElement && document.activeElement.id",
            vec![],
        )
        .await
        .expect("focus");
    assert_eq!(
        focused, "picked-appointment",
        "the panel takes the keyboard's focus"
    );
    click(
        &b,
        "[data-testid=appointment-panel] [data-action=reschedule]",
    )
    .await;
    click(&b, ".editor ul.slots li:first-child button").await;
    wait_text(&b, ".notice.ok", "Moved to").await;
    let deadline = Instant::now() + common::browser::PATIENCE;
    loop {
        let list = desk
            .appointments(&Default::default())
            .await
            .expect("list")
            .appointments;
        let moved = list.iter().find(|a| a.id == first.id).expect("still there");
        if moved.starts_at != first.starts_at {
            break;
        }
        assert!(Instant::now() < deadline, "the visit never moved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Book a walk-in into her free time: the visit, its first time, the patient's details.
    click(&b, &format!("{column} button.free")).await;
    find(&b, "[data-testid=free-time-panel]").await;
    choose(
        &b,
        "[data-testid=staff-book] select[name=reason]",
        &app.reason("Checkup").0.to_string(),
    )
    .await;
    click(
        &b,
        "[data-testid=staff-book] ul.slots li:first-child button",
    )
    .await;
    fill(
        &b,
        "[data-testid=staff-book] input[name=first_name]",
        "Walter",
    )
    .await;
    fill(
        &b,
        "[data-testid=staff-book] input[name=last_name]",
        "Walkin",
    )
    .await;
    set_value(
        &b,
        "[data-testid=staff-book] input[name=date_of_birth]",
        "1970-01-02",
    )
    .await;
    fill(
        &b,
        "[data-testid=staff-book] input[name=phone]",
        "+1 415 510 7301",
    )
    .await;
    fill(
        &b,
        "[data-testid=staff-book] input[name=email]",
        "walter@example.com",
    )
    .await;
    click(&b, "[data-testid=staff-book] button[type=submit]").await;
    wait_text(&b, ".notice.ok", "Booked Walter Walkin").await;
    wait_text(&b, "[data-testid=day-grid]", "Walter Walkin").await;
    let after = desk.day_view(&q).await.expect("day");
    let walk_in = after.columns[0]
        .appointments
        .iter()
        .find(|a| a.appointment.patient_name == "Walter Walkin")
        .expect("booked in her column");
    assert_eq!(walk_in.appointment.source, "staff");
    assert!(
        b.client
            .find(Locator::Css("[data-testid=free-time-panel]"))
            .await
            .is_err(),
        "the panel closes once booked"
    );
    b.close().await;
    site.finish().await;
}
