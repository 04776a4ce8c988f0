//! The waitlist in the console, in real headless Chromium: the front desk sees a patient who
//! joined from the widget, adds one by name and phone, and takes an entry off.

use crate::common;

use common::browser::{self, Browser};
use common::console::{choose, click, click_and_accept, fill, set_value, wait_text};
use common::staff::{account, signed_in, PASSWORD};
use common::widget_site::{Site, ONE_AT_A_TIME};
use slotwise_shared::admin::StaffRole;
use slotwise_shared::waitlist::WaitlistJoin;

fn day(n: i64) -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("zone"))
        .date()
        .checked_add(jiff::Span::new().days(n))
        .expect("day")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_desk_keeps_the_waitlist() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(admin_dir) = browser::admin_dir() else {
        return;
    };
    let Some(site) = Site::start_with(move |c| c.admin_dir = admin_dir).await else {
        return;
    };
    let app = &site.app;
    app.client
        .join_waitlist(
            "demo",
            &WaitlistJoin {
                reason: app.reason("Checkup"),
                provider: None,
                from: day(0),
                to: day(14),
                preferred_days: vec!["friday".into()],
                times_of_day: Vec::new(),
                asap: true,
                short_notice: false,
                verified: None,
                first_name: "Ana".into(),
                last_name: "Lopez".into(),
                phone: "+1 415 510 9999".into(),
                email: String::new(),
                lang: None,
            },
        )
        .await
        .expect("joined");

    let email = account(app, "demo", StaffRole::FrontDesk).await;
    let b = Browser::launch(1280).await;
    b.client
        .goto(&format!("{}/admin/", app.server.url()))
        .await
        .expect("open the console");
    fill(&b, "#login-email", &email).await;
    fill(&b, "#login-password", PASSWORD).await;
    click(&b, ".login button[type=submit]").await;
    click(&b, "nav a[href='#/waitlist']").await;
    wait_text(&b, "main h1", "Waitlist").await;
    let row = wait_text(&b, "[data-testid=waitlist]", "Ana Lopez").await;
    assert!(
        row.contains("friday") && row.contains("as soon as possible"),
        "{row}"
    );

    click(&b, "[data-action=add-waitlist]").await;
    fill(
        &b,
        "[data-testid=waitlist-add] input[name=first_name]",
        "Tom",
    )
    .await;
    fill(
        &b,
        "[data-testid=waitlist-add] input[name=last_name]",
        "Becker",
    )
    .await;
    fill(
        &b,
        "[data-testid=waitlist-add] input[name=phone]",
        "+1 415 510 6611",
    )
    .await;
    let cleaning = app.reason("Cleaning").0.to_string();
    choose(
        &b,
        "[data-testid=waitlist-add] select[name=reason]",
        &cleaning,
    )
    .await;
    set_value(
        &b,
        "[data-testid=waitlist-add] input[name=from]",
        &day(1).to_string(),
    )
    .await;
    set_value(
        &b,
        "[data-testid=waitlist-add] input[name=to]",
        &day(20).to_string(),
    )
    .await;
    click(&b, "[data-testid=waitlist-add] button[type=submit]").await;
    wait_text(&b, "[data-testid=waitlist]", "Tom Becker").await;
    b.screenshot("console-waitlist").await;

    let desk = signed_in(app, "demo", StaffRole::Admin).await;
    let tom = desk
        .waitlist("waiting")
        .await
        .expect("list")
        .entries
        .into_iter()
        .find(|e| e.patient_name == "Tom Becker")
        .expect("Tom is waiting");
    assert_eq!(tom.source, "staff");
    let question = click_and_accept(&b, &format!("[data-testid=waitlist-{}] button", tom.id)).await;
    assert!(question.contains("waitlist"), "{question}");
    let deadline = std::time::Instant::now() + common::browser::PATIENCE;
    while desk
        .waitlist("removed")
        .await
        .expect("list")
        .entries
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "Tom was never taken off"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.close().await;
    site.finish().await;
}
