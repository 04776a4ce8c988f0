//! The console's automation screens in real headless Chromium: an owner adds a recall rule and
//! sees who is due, the recall run (as the scheduler runs it) messages them and the numbers
//! move; then a broadcast is previewed, sent after the browser's confirmation, and listed in
//! the history, with exactly the previewed appointments queued.

use crate::common;

use common::automations::patients_with_visit;
use common::browser::{self, Browser};
use common::console::{
    choose, click, click_and_accept, fill, find, set_value, wait_exact, wait_text,
};
use common::messaging::book_checkup;
use common::staff::{account, PASSWORD};
use common::widget_site::{Site, ONE_AT_A_TIME};
use fantoccini::Locator;
use slotwise_server::jobs::scheduler::{run_leased, RECALL_JOB};
use slotwise_shared::admin::StaffRole;

/// Today and `days` ahead in the demo practice's timezone.
fn dates_ahead(days: i64) -> (String, String) {
    let tz = jiff::tz::TimeZone::get("America/New_York").expect("tz");
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let to = today
        .checked_add(jiff::Span::new().days(days))
        .expect("date");
    (today.to_string(), to.to_string())
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db().read)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recall_and_broadcasts_are_run_from_the_console() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(admin_dir) = browser::admin_dir() else {
        return;
    };
    let Some(site) = Site::start_with(move |c| c.admin_dir = admin_dir).await else {
        return;
    };
    let app = &site.app;
    // Three patients whose last cleaning was 200 days ago (due for a 182-day recall), and
    // two upcoming checkups for the broadcast.
    patients_with_visit(app, "Cleaning", 200, 0, 3).await;
    book_checkup(app, "+1 415 510 7100", "closing0@example.com").await;
    book_checkup(app, "+1 415 510 7101", "closing1@example.com").await;
    let cleaning = app.reason("Cleaning").0.to_string();

    let email = account(app, "demo", StaffRole::Owner).await;
    let console = format!("{}/admin/", app.server.url());
    let b = Browser::launch(1280).await;
    b.client.goto(&console).await.expect("open the console");
    fill(&b, "#login-email", &email).await;
    fill(&b, "#login-password", PASSWORD).await;
    click(&b, ".login button[type=submit]").await;
    wait_text(&b, "main h1", "Providers").await;
    // The practice's setup (reasons for the rule's lists) has arrived.
    wait_text(&b, "main", "Dr. Maya Patel").await;

    // Recall: a hygiene rule; the three patients are due.
    click(&b, "nav a[href='#/recall']").await;
    wait_text(&b, "main h1", "Recall").await;
    click(&b, "[data-testid=recall-add]").await;
    fill(&b, "#recall-name", "Hygiene recall").await;
    choose(&b, "#recall-after-reason", &cleaning).await;
    fill(&b, "#recall-interval", "182").await;
    choose(&b, "#recall-book-reason", &cleaning).await;
    fill(
        &b,
        "#recall-message",
        "it's time for your next {{ service }}.",
    )
    .await;
    let active = find(&b, "#recall-active").await;
    assert!(
        active.is_selected().await.expect("checkbox"),
        "a new rule is active"
    );
    b.screenshot("console-recall-editor").await;
    click(&b, "[data-testid=recall-save]").await;
    wait_text(&b, ".notice", "Recall rule saved").await;
    let (rule, after, book, interval, message): (i64, Option<i64>, i64, i64, String) =
        sqlx::query_as(
            "SELECT id, after_reason_id, book_reason_id, interval_days, message
             FROM recall_rules WHERE name = 'Hygiene recall'",
        )
        .fetch_one(&app.db().read)
        .await
        .expect("the saved rule");
    assert_eq!(
        (after, book, interval, message.as_str()),
        (
            Some(app.reason("Cleaning").0),
            app.reason("Cleaning").0,
            182,
            "it's time for your next {{ service }}."
        )
    );
    let row = format!("[data-testid=recall-rule-{rule}]");
    wait_text(&b, &row, "Hygiene recall").await;
    wait_exact(&b, &format!("{row} td[data-stat=due]"), "3").await;
    wait_exact(&b, &format!("{row} td[data-stat=sent]"), "0").await;
    b.screenshot("console-recall-due").await;

    // The recall run, as the scheduler does it: each patient gets an SMS and an email.
    let messaged = run_leased(&app.server.state, RECALL_JOB)
        .await
        .expect("recall run");
    assert_eq!(messaged, Some(3));
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM outbox WHERE event = 'recall'").await,
        6,
        "SMS and email for each of the three patients"
    );
    // Follow-ups renders; back on Recall the numbers are read again.
    click(&b, "nav a[href='#/follow-ups']").await;
    wait_text(&b, "main h1", "Follow-ups").await;
    find(&b, "#follow-ups-per-minute").await;
    b.screenshot("console-follow-ups").await;
    click(&b, "nav a[href='#/recall']").await;
    wait_text(&b, "main h1", "Recall").await;
    wait_exact(&b, &format!("{row} td[data-stat=sent]"), "3").await;
    wait_exact(&b, &format!("{row} td[data-stat=due]"), "0").await;
    wait_exact(&b, &format!("{row} td[data-stat=opened]"), "0").await;
    wait_exact(&b, &format!("{row} td[data-stat=booked]"), "0").await;
    b.screenshot("console-recall-sent").await;

    // Broadcasts: a closing notice to the two upcoming appointments of the next 60 days.
    click(&b, "nav a[href='#/broadcasts']").await;
    wait_text(&b, "main h1", "Broadcasts").await;
    find(&b, "[data-testid=broadcast-history]").await;
    let (from, to) = dates_ahead(60);
    // The form starts at the practice's today (not the browser's, which may differ).
    let shown = find(&b, "#broadcast-from")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(
        shown, from,
        "the default start is today in the practice's timezone"
    );
    choose(&b, "#broadcast-template", "clinic_closing").await;
    set_value(&b, "#broadcast-from", &from).await;
    set_value(&b, "#broadcast-to", &to).await;
    let note = "We are closed on Friday for a burst pipe, sorry!";
    fill(&b, "#broadcast-note", note).await;
    click(&b, "[data-testid=broadcast-preview]").await;
    wait_exact(&b, "[data-testid=broadcast-count]", "2").await;
    wait_exact(&b, "[data-testid=broadcast-excluded]", "0").await;
    wait_text(&b, "[data-testid=broadcast-sample]", note).await;
    wait_text(&b, "[data-testid=broadcast-send]", "Send to 2 patients").await;
    b.screenshot("console-broadcast-preview").await;
    let question = click_and_accept(&b, "[data-testid=broadcast-send]").await;
    assert!(
        question.contains("Clinic closing") && question.contains("2 patients"),
        "the confirmation names the broadcast and the count: {question}"
    );
    wait_text(&b, "[data-testid=broadcast-result]", "to 2 patients queued").await;
    assert_eq!(
        count(
            app,
            "SELECT COUNT(DISTINCT appointment_id) FROM outbox WHERE broadcast_id IS NOT NULL"
        )
        .await,
        2,
        "exactly the previewed appointments"
    );
    let previewed_messages: i64 = find(&b, "[data-testid=broadcast-result]")
        .await
        .text()
        .await
        .expect("result")
        .split_once(": ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the number of messages in the result");
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL"
        )
        .await,
        previewed_messages
    );

    // The history lists it, with the two patients.
    wait_text(&b, "[data-testid=broadcast-history]", "Clinic closing").await;
    let rows = find(&b, "[data-testid=broadcast-history]")
        .await
        .find_all(Locator::Css("tbody tr"))
        .await
        .expect("history rows");
    assert_eq!(rows.len(), 1, "one broadcast in the history");
    let broadcast: i64 = count(app, "SELECT MAX(id) FROM broadcasts").await;
    let history_row = format!("[data-testid=broadcast-{broadcast}]");
    wait_exact(&b, &format!("{history_row} td[data-stat=recipients]"), "2").await;
    wait_text(&b, &history_row, &format!("{from} to {to}")).await;
    click(&b, &format!("[data-testid=broadcast-open-{broadcast}]")).await;
    wait_text(&b, "[data-testid=broadcast-detail]", note).await;
    let recipients = find(&b, "[data-testid=broadcast-recipients]")
        .await
        .find_all(Locator::Css("tbody tr"))
        .await
        .expect("recipient rows");
    assert_eq!(recipients.len() as i64, previewed_messages);
    b.screenshot("console-broadcast-history").await;

    b.close().await;
    site.finish().await;
}
