//! Patients in real headless Chromium on the cross-origin host page: a returning patient finds
//! their household with a one-time code (read from the outbox, as from their phone) and books
//! for their child; a new patient at an existing-patients-only practice sends a request.

use crate::common;

use common::browser::{click, find, text_of, type_into, wait_for_title, Browser};
use common::patients::nth_code;
use common::widget_site::{open_time_step, Site, ONE_AT_A_TIME};
use slotwise_server::demo::patients::{demo_family, FAMILY_PHONE};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_returning_patient_verifies_with_a_code_and_books_for_a_family_member() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    demo_family(site.app.db(), site.app.demo.practice_id)
        .await
        .expect("family on file");
    let mia: i64 = sqlx::query_scalar("SELECT id FROM patients WHERE first_name = 'Mia'")
        .fetch_one(&site.app.db().read)
        .await
        .expect("Mia");
    let b = Browser::launch(390).await;
    let w = open_time_step(&b, &site, "checkup").await;
    click(&w, ".sw-time").await;
    wait_for_title(&w, "Find your record").await;
    b.screenshot("lookup").await;
    // Nothing about the family is on the page before the code.
    let page = text_of(&w, ".sw").await;
    assert!(!page.contains("Rivera"), "{page}");
    type_into(&w, "#sw-contact", "+1 415 514 2233").await;
    click(&w, "[data-action=send-code]").await;
    find(&w, "#sw-code").await;
    let status = text_of(&w, "[data-testid=code] [role=status]").await;
    assert!(status.contains("If we have these details"), "{status}");
    let help = text_of(&w, "[data-testid=code]").await;
    assert!(
        help.contains("call us on +1 415 510 2030"),
        "a way out when no code comes: {help}"
    );
    let code = nth_code(&site.app, FAMILY_PHONE, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    type_into(&w, "#sw-code", wrong).await;
    click(&w, "[data-action=confirm-code]").await;
    let error = text_of(&w, "#sw-lookup-error").await;
    assert!(error.contains("not right"), "{error}");
    find(&w, "#sw-code")
        .await
        .clear()
        .await
        .expect("clear the code");
    type_into(&w, "#sw-code", &code).await;
    click(&w, "[data-action=confirm-code]").await;
    find(&w, "[data-testid=members]").await;
    let members = text_of(&w, "[data-testid=members]").await;
    assert!(
        members.contains("Jordan Rivera") && members.contains("Mia Rivera"),
        "{members}"
    );
    b.screenshot("members").await;
    click(&w, &format!("#sw-member-{mia}")).await;
    click(&w, "[data-action=choose-member]").await;
    wait_for_title(&w, "Review and book").await;
    let summary = text_of(&w, ".sw-summary").await;
    assert!(summary.contains("Mia Rivera"), "{summary}");
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "You're booked").await;
    let reference = text_of(&w, "[data-testid=reference]").await;
    let patient: i64 =
        sqlx::query_scalar("SELECT patient_id FROM appointments WHERE reference = $1")
            .bind(&reference)
            .fetch_one(&site.app.db().read)
            .await
            .expect("booking");
    assert_eq!(patient, mia, "booked for Mia, no new patient record");
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_patient_at_an_existing_patients_only_practice_sends_a_request() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    sqlx::query("UPDATE practices SET existing_patients_only = 1 WHERE slug = 'demo'")
        .execute(&site.app.db().write)
        .await
        .expect("existing patients only");
    site.app.refresh_practice("demo");
    let b = Browser::launch(390).await;
    b.client.goto(&site.host.url()).await.expect("host page");
    let w = b.widget("#book").await;
    wait_for_title(&w, "Have you visited us before?").await;
    click(&w, "[data-choice=new]").await;
    wait_for_title(&w, "Request an appointment").await;
    click(&w, "#sw-preferred_days-tuesday").await;
    click(&w, "#sw-times_of_day-morning").await;
    type_into(&w, "#sw-request-first_name", "Noor").await;
    type_into(&w, "#sw-request-last_name", "Haddad").await;
    type_into(&w, "#sw-request-phone", "555").await;
    click(&w, "[data-action=send-request]").await;
    let error = text_of(&w, "#sw-request-phone-error").await;
    assert!(error.contains("digits"), "{error}");
    type_into(
        &w,
        "#sw-request-phone",
        "\u{E003}\u{E003}\u{E003}+1 415 510 4444",
    )
    .await;
    b.screenshot("request").await;
    click(&w, "[data-action=send-request]").await;
    wait_for_title(&w, "Request sent").await;
    let message = text_of(&w, "[data-testid=request-sent]").await;
    assert!(message.contains("call you back"), "{message}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let row: (String, String, String, String) = sqlx::query_as(
        "SELECT kind, status, phone, preference FROM booking_queue WHERE first_name = 'Noor'",
    )
    .fetch_one(&site.app.db().read)
    .await
    .expect("queued request");
    assert_eq!(
        row,
        (
            "request".into(),
            "pending".into(),
            "+14155104444".into(),
            "Days: Tuesday. Times: morning.".into()
        )
    );
    b.close().await;
    site.finish().await;
}
