//! The waitlist in real headless Chromium: on the time step a new patient for whom no time
//! suits opens "Tell me if something opens" (the first-steps module hands over to the full
//! one), fills in the days and how to reach them, and is on the list (the form checked with
//! axe-core); the practice sees the entry.

use crate::common;

use common::axe::assert_accessible;
use common::browser::{click, find, text_of, type_into, wait_for_title, Browser};
use common::staff::signed_in;
use common::widget_site::{Site, ONE_AT_A_TIME};
use slotwise_shared::admin::StaffRole;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_patient_joins_the_waitlist_from_the_time_step() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let app = &site.app;
    let b = Browser::launch(390).await;
    b.client
        .goto(&site.host.url())
        .await
        .expect("open host page");
    let w = b.widget("#book").await;
    wait_for_title(&w, "Have you visited us before?").await;
    click(&w, "[data-choice=new]").await;
    wait_for_title(&w, "What is the visit for?").await;
    let exam = app.reason("New patient exam & cleaning");
    click(&w, &format!("[data-choice=reason-{exam}]")).await;
    wait_for_title(&w, "Where would you like to be seen?").await;
    click(&w, "[data-choice=location-any]").await;
    wait_for_title(&w, "Who would you like to see?").await;
    click(&w, "[data-choice=provider-any]").await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Pick a time").await;

    click(&w, "[data-action=open-waitlist]").await;
    // The form is in the full module, which takes over at the same step.
    let w = b.widget("#book").await;
    find(&w, "[data-testid=waitlist]").await;
    assert_accessible(&b.client, "waitlist form").await;
    type_into(&w, "#sw-request-first_name", "Lena").await;
    type_into(&w, "#sw-request-last_name", "Park").await;
    type_into(&w, "#sw-request-phone", "+1 415 510 8181").await;
    click(&w, "#sw-times_of_day-morning").await;
    click(&w, "[data-action=send-waitlist]").await;
    let joined = text_of(&w, "[data-testid=waitlist-joined]").await;
    assert!(
        joined.contains("You're on the list for New patient exam & cleaning"),
        "{joined}"
    );
    b.screenshot("waitlist-joined").await;

    let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
    let entries = desk.waitlist("waiting").await.expect("list").entries;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].patient_name, "Lena Park");
    assert_eq!(entries[0].times_of_day, vec!["morning".to_string()]);
    assert!(entries[0].asap, "the earliest time is asked for by default");
    b.close().await;
    site.finish().await;
}
