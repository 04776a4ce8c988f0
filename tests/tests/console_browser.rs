//! The staff console in real headless Chromium: sign in, set up a provider with hours and a
//! reason, see it in the patient widget and book it there, find the booking in Appointments and
//! mark it no-show; then complete a booking-queue entry and see the patient's confirmation.

use crate::common;

use common::browser::{self, wait_for_title, Browser};
use common::console::{click, click_button, fill, find, wait_text};
use common::fhir_double::{FhirDouble, Mode};
use common::staff::{account, PASSWORD};
use common::widget_site::{fill_details, Site, ONE_AT_A_TIME};
use slotwise_shared::admin::StaffRole;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practice_is_set_up_and_run_from_the_console() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(admin_dir) = browser::admin_dir() else {
        return;
    };
    let Some(site) = Site::start_with(move |c| c.admin_dir = admin_dir).await else {
        return;
    };
    let email = account(&site.app, "demo", StaffRole::Owner).await;
    let console = format!("{}/admin/", site.app.server.url());
    // Tablet width: the navigation folds above the content.
    let b = Browser::launch(820).await;

    // Sign in.
    b.client.goto(&console).await.expect("open the console");
    fill(&b, "#login-email", &email).await;
    fill(&b, "#login-password", "not the password").await;
    click(&b, ".login button[type=submit]").await;
    wait_text(&b, ".login [role=alert]", "do not match").await;
    fill(&b, "#login-password", PASSWORD).await;
    click(&b, ".login button[type=submit]").await;
    wait_text(&b, "main h1", "Providers").await;
    // The practice has not set up SMS or email yet: every screen says messages go nowhere.
    wait_text(
        &b,
        "[data-testid=delivery-warning]",
        "not reaching patients",
    )
    .await;
    b.screenshot("console-providers").await;

    // A provider with hours every day.
    let add = "section[aria-labelledby=add-provider]";
    fill(&b, &format!("{add} input[name=name]"), "Dr. Console Test").await;
    fill(&b, &format!("{add} input[name=role]"), "Dentist").await;
    click(&b, &format!("{add} button[type=submit]")).await;
    wait_text(&b, ".notice", "Provider added").await;
    click(&b, "button[aria-label='Edit Dr. Console Test']").await;
    for day in 1..=7 {
        click_button(
            &b,
            "section[aria-labelledby=edit-provider]",
            "Add working hours",
        )
        .await;
        let row = format!(".hours .hours-row:nth-child({day})");
        find(&b, &row).await;
        let select = find(&b, &format!("{row} select[aria-label=Day]")).await;
        select
            .select_by_value(&day.to_string())
            .await
            .expect("choose the day");
    }
    click_button(
        &b,
        "section[aria-labelledby=edit-provider]",
        "Save weekly hours",
    )
    .await;
    wait_text(&b, ".notice", "Weekly hours saved").await;
    b.screenshot("console-hours").await;

    // A reason for visit linked to the provider.
    click(&b, "nav a[href='#/reasons']").await;
    wait_text(&b, "main h1", "Reasons for visit").await;
    click_button(&b, "main", "Add a reason").await;
    let form = "section[aria-labelledby=edit-reason]";
    fill(&b, &format!("{form} input[name=name]"), "Console consult").await;
    fill(&b, &format!("{form} input[name=min_notice_min]"), "0").await;
    fill(&b, &format!("{form} input[name=interval_min]"), "30").await;
    let provider_box = "//section[@aria-labelledby='edit-reason']//label[normalize-space()='Dr. Console Test']/input";
    b.client
        .find(fantoccini::Locator::XPath(provider_box))
        .await
        .expect("provider checkbox")
        .click()
        .await
        .expect("link the provider");
    click(&b, &format!("{form} button[type=submit]")).await;
    wait_text(&b, ".notice", "Reason saved").await;
    let row = wait_text(&b, "table.list", "Console consult").await;
    assert!(
        row.contains("/book/demo/"),
        "the direct link is listed: {row}"
    );
    b.screenshot("console-reasons").await;

    // The patient sees and books it in the widget on the practice's website.
    let reason_id: i64 =
        sqlx::query_scalar("SELECT id FROM reasons WHERE name = 'Console consult'")
            .fetch_one(&site.app.db().read)
            .await
            .expect("reason id");
    b.client.goto(&site.host.url()).await.expect("host page");
    let w = b.widget("#book").await;
    wait_for_title(&w, "Have you visited us before?").await;
    browser::click(&w, "[data-choice=new]").await;
    wait_for_title(&w, "What is the visit for?").await;
    browser::click(&w, &format!("[data-choice=reason-{reason_id}]")).await;
    let provider_id: i64 =
        sqlx::query_scalar("SELECT id FROM providers WHERE name = 'Dr. Console Test'")
            .fetch_one(&site.app.db().read)
            .await
            .expect("provider id");
    wait_for_title(&w, "Who would you like to see?").await;
    browser::click(&w, &format!("[data-choice=provider-{provider_id}]")).await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    browser::click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Pick a time").await;
    browser::click(&w, ".sw-time").await;
    wait_for_title(&w, "Your details").await;
    fill_details(&w).await;
    wait_for_title(&w, "Review and book").await;
    browser::click(&w, "[data-action=book]").await;
    wait_for_title(&w, "You're booked").await;
    let reference = browser::text_of(&w, "[data-testid=reference]").await;

    // Front desk: find it and mark it no-show.
    b.client
        .goto(&format!("{console}#/appointments"))
        .await
        .expect("console");
    wait_text(&b, "main h1", "Appointments").await;
    fill(&b, "#q", &reference).await;
    click(&b, ".filters button[type=submit]").await;
    let row = format!("tr[data-reference='{reference}']");
    wait_text(&b, &row, "Console consult").await;
    click_button(&b, &row, "No-show").await;
    wait_text(&b, &format!("{row} .badge"), "No-show").await;
    b.screenshot("console-appointments").await;
    let status: String = sqlx::query_scalar("SELECT status FROM appointments WHERE reference = $1")
        .bind(&reference)
        .fetch_one(&site.app.db().read)
        .await
        .expect("status");
    assert_eq!(status, "no_show");

    // The booking queue: mark an entry complete; the patient's confirmation is recorded.
    let entry = common::staff::queue_entry(&site.app, site.app.demo.practice_id).await;
    click(&b, "nav a[href='#/queue']").await;
    wait_text(&b, "main h1", "Booking queue").await;
    wait_text(&b, ".queue", "Queue Patient").await;
    click_button(&b, ".queue-entry", "Mark complete").await;
    wait_text(&b, ".notice", "Marked complete").await;
    b.screenshot("console-queue").await;
    let deadline = std::time::Instant::now() + browser::PATIENCE;
    loop {
        let sent: Vec<(String, String)> = sqlx::query_as(
            "SELECT channel, status FROM outbox WHERE event = 'queue_completed' AND body LIKE '%has booked you in%'",
        )
        .fetch_all(&site.app.db().read)
        .await
        .expect("outbox");
        if sent.iter().any(|(c, s)| c == "sms" && s == "sent") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no queue confirmation sent: {sent:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let resolved: String = sqlx::query_scalar("SELECT status FROM booking_queue WHERE id = $1")
        .bind(entry)
        .fetch_one(&site.app.db().read)
        .await
        .expect("entry");
    assert_eq!(resolved, "completed");

    // Every screen renders (the dashboard draws its charts).
    for (hash, title) in [
        ("insurance", "Insurance"),
        ("templates", "Message templates"),
        ("widget", "Widget & embed code"),
        ("team", "Team & audit log"),
        ("messages", "Failed messages"),
        ("dashboard", "Dashboard"),
    ] {
        click(&b, &format!("nav a[href='#/{hash}']")).await;
        wait_text(&b, "main h1", title).await;
        b.screenshot(&format!("console-{hash}")).await;
    }
    find(&b, ".chart svg").await;
    // Practice system: connect a FHIR server and watch its health.
    let fhir = FhirDouble::start().await;
    click(&b, "nav a[href='#/practice-system']").await;
    wait_text(&b, "main h1", "Practice system").await;
    wait_text(
        &b,
        "[data-testid=pms-status]",
        "Slotwise is your schedule of record",
    )
    .await;
    click(&b, "input[name=pms_kind][value=fhir]").await;
    fill(&b, "input[name=base_url]", &fhir.base_url).await;
    click(
        &b,
        "section[aria-labelledby=connection] button[type=submit]",
    )
    .await;
    wait_text(&b, ".notice", "Practice system saved").await;
    wait_text(&b, "[data-testid=pms-status]", "Connected").await;
    b.screenshot("console-practice-system").await;
    fhir.set_mode(Mode::Down);
    let deadline = std::time::Instant::now() + browser::PATIENCE;
    loop {
        click_button(&b, "main", "Refresh").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let status = find(&b, "[data-testid=pms-status]")
            .await
            .text()
            .await
            .unwrap_or_default();
        if status.contains("Not answering") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the console never showed the outage: {status}"
        );
    }
    wait_text(&b, "[data-testid=pms-last-error]", "503").await;
    // Widget settings: a new name reaches the header (and patients) at once.
    click(&b, "nav a[href='#/widget']").await;
    let settings = "section[aria-labelledby=branding]";
    fill(
        &b,
        &format!("{settings} input[name=name]"),
        "Brightside Family Dental",
    )
    .await;
    click(&b, &format!("{settings} button[type=submit]")).await;
    wait_text(&b, ".notice", "Widget settings saved").await;
    wait_text(&b, ".top .practice", "Brightside Family Dental").await;
    wait_text(&b, "main h1", "Widget & embed code").await;
    let code = find(&b, "#embed-code")
        .await
        .prop("value")
        .await
        .expect("code");
    assert!(
        code.is_some_and(|c| c.contains("data-practice=\"demo\"") && c.contains("/embed.js")),
        "the embed code names the practice"
    );
    click(&b, "nav a[href='#/team']").await;
    wait_text(&b, "main table.audit", "provider.hours").await;
    b.close().await;
    site.finish().await;
}
