//! Personal booking links in real headless Chromium: a recall link opens the widget at the
//! time step for the known patient and the visit the rule books, and the booking counts for
//! the rule; a used link shows a friendly page that still lets the patient book.

use crate::common;

use common::automations::{hygiene_rule, outbox_of, owner, patients_with_visit, token_of};
use common::browser::{click, find, text_of, wait_for_title, Browser};
use common::widget_site::{Site, ONE_AT_A_TIME};
use slotwise_server::jobs::scheduler::{run_leased, RECALL_JOB};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_link_opens_at_the_time_step_and_books_for_the_rule() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let app = &site.app;
    let patient = patients_with_visit(app, "Cleaning", 200, 0, 1).await[0];
    let owner = owner(app).await;
    owner
        .add_recall_rule(&hygiene_rule(app))
        .await
        .expect("rule");
    run_leased(&app.server.state, RECALL_JOB)
        .await
        .expect("recall run");
    let recall = outbox_of(app, "recall").await;
    let link = recall[0].3["booking_link"]
        .as_str()
        .expect("link")
        .to_string();
    let token = token_of(&link);

    let b = Browser::launch(390).await;
    b.client
        .goto(&format!("{}/book/demo/link/{token}", app.server.url()))
        .await
        .expect("open the link");
    let w = b.widget("[data-slotwise]").await;
    // Straight to the times: no patient type, reason, provider or insurance questions.
    wait_for_title(&w, "Pick a time").await;
    let greeting = text_of(&w, "[data-testid=link-greeting]").await;
    assert!(
        greeting.contains("Welcome back, Pat0") && greeting.contains("Cleaning"),
        "{greeting}"
    );
    b.screenshot("recall-time").await;
    click(&w, ".sw-time").await;
    // The patient is known: no lookup and no details form.
    wait_for_title(&w, "Review and book").await;
    let summary = text_of(&w, ".sw-summary").await;
    assert!(summary.contains("Pat0 Recall"), "{summary}");
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "You're booked").await;
    let reference = text_of(&w, "[data-testid=reference]").await;
    let (booked_for, source, reason): (i64, String, i64) = sqlx::query_as(
        "SELECT patient_id, source, reason_id FROM appointments WHERE reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.db().read)
    .await
    .expect("booking");
    assert_eq!(booked_for, patient, "the known patient, no new record");
    assert_eq!(source, "recall");
    assert_eq!(reason, app.reason("Cleaning").0);
    let stats = owner.recall_rules().await.expect("rules").rules[0]
        .stats
        .clone();
    assert_eq!((stats.sent, stats.opened, stats.booked), (1, 1, 1));

    // Opened again: used. A friendly page that still books.
    b.client
        .goto(&format!("{}/book/demo/link/{token}", app.server.url()))
        .await
        .expect("open the link again");
    let w = b.widget("[data-slotwise]").await;
    find(&w, "[data-testid=link-expired]").await;
    let page = text_of(&w, "[data-testid=link-expired]").await;
    assert!(page.contains("already"), "{page}");
    b.screenshot("recall-used").await;
    click(&w, "[data-action=book-without-link]").await;
    wait_for_title(&w, "Have you visited us before?").await;
    b.close().await;
    site.finish().await;
}
