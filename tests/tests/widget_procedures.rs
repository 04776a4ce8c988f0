//! A patient books a procedure of three visits from the widget in real headless Chromium: the
//! procedure offered with its visits explained, the first visit picked with the later ones
//! proposed, one of them changed within its window, every visit held and booked as one, and all
//! of them on the confirmation (every step checked with axe-core).

use crate::common;

use common::browser::{click, find, text_of, wait_for_title, Browser};
use common::staff::signed_in;
use common::widget_site::{fill_details, Site, ONE_AT_A_TIME};
use slotwise_shared::admin::StaffRole;
use slotwise_shared::procedures::{
    ProcedureFilter, ProcedureStepInput, ProcedureTemplateInput, StepState,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_patient_books_a_three_visit_procedure_in_one_go() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let app = &site.app;
    let owner = signed_in(app, "demo", StaffRole::Owner).await;
    let step = |name: &str, gap: (u16, u16), same: Option<u8>| ProcedureStepInput {
        reason: app.reason(name),
        gap_min_days: gap.0,
        gap_max_days: gap.1,
        same_provider_as: same,
    };
    let template = owner
        .add_procedure_template(&ProcedureTemplateInput {
            name: "Whitening course".into(),
            description: "Three visits over a few weeks.".into(),
            steps: vec![
                step("Checkup", (0, 0), None),
                step("Checkup", (7, 21), Some(1)),
                step("Whitening consultation", (1, 10), None),
            ],
            bookable_online: true,
            active: true,
        })
        .await
        .expect("template")
        .id;

    let b = Browser::launch(390).await;
    b.client
        .goto(&site.host.url())
        .await
        .expect("open host page");
    let w = b.widget("#book").await;
    wait_for_title(&w, "Have you visited us before?").await;
    click(&w, "[data-choice=new]").await;
    wait_for_title(&w, "What is the visit for?").await;
    let choice = format!("[data-choice=procedure-{template}]");
    let explained = text_of(&w, &choice).await;
    assert!(
        explained.contains("3 visits")
            && explained.contains("Checkup 7–21 days later")
            && explained.contains("Whitening consultation 1–10 days later"),
        "the procedure's visits are explained: {explained}"
    );
    click(&w, &choice).await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;

    wait_for_title(&w, "Choose your first visit").await;
    click(&w, "[data-testid=chain-first-times] .sw-time").await;
    find(&w, "[data-testid=chain-visit-3]").await;
    b.screenshot("procedure-proposal").await;
    let before = text_of(&w, "[data-testid=chain-visit-2]").await;
    click(&w, "[data-action=change-visit-2]").await;
    click(&w, "[data-testid=chain-other-times] .sw-time").await;
    let deadline = std::time::Instant::now() + common::browser::PATIENCE;
    let after = loop {
        let shown = text_of(&w, "[data-testid=chain-visit-2]").await;
        if shown != before {
            break shown;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "visit 2 never changed: {shown}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(after.starts_with("Visit 2: Checkup"), "{after}");
    click(&w, "[data-action=hold-chain]").await;

    wait_for_title(&w, "Your details").await;
    fill_details(&w).await;
    wait_for_title(&w, "Review and book").await;
    let summary = text_of(&w, ".sw-summary").await;
    assert!(
        summary.contains("Whitening course")
            && summary.contains("Visit 1: Checkup")
            && summary.contains("Visit 3: Whitening consultation"),
        "{summary}"
    );
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "Your visits are booked").await;
    let confirmation = text_of(&w, "[data-testid=procedure-confirmation]").await;
    for visit in [
        "Visit 1: Checkup",
        "Visit 2: Checkup",
        "Visit 3: Whitening consultation",
    ] {
        assert!(confirmation.contains(visit), "{visit} in {confirmation}");
    }
    b.screenshot("procedure-booked").await;

    // Staff see the patient's procedure with every visit booked.
    let list = owner
        .procedures(&ProcedureFilter::default())
        .await
        .expect("procedures")
        .procedures;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].patient_name, "Ana Lima");
    assert!(list[0].steps.iter().all(|s| s.state == StepState::Booked));
    b.close().await;
}

/// A patient whose later visits were cancelled opens the personal link staff sent: known, at
/// the chains of the rest of their procedure, numbered on from the visit before; booking it
/// completes the same procedure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_procedure_link_opens_at_the_rest_of_the_patients_procedure() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let app = &site.app;
    let (_, _, booked) = common::procedures::booked_chain(app).await;
    for step in &booked.steps[1..] {
        app.client
            .cancel("demo", &step.manage_token)
            .await
            .expect("cancel");
    }
    let staff = signed_in(app, "demo", StaffRole::FrontDesk).await;
    staff
        .send_procedure_link(booked.procedure)
        .await
        .expect("sent");
    let sent = common::automations::outbox_of(app, "procedure_step_due").await;
    let link = sent[0].3["booking_link"]
        .as_str()
        .expect("link")
        .to_string();

    let b = Browser::launch(390).await;
    b.client.goto(&link).await.expect("open the link");
    let w = b.widget("[data-slotwise]").await;
    wait_for_title(&w, "Choose your next visit").await;
    let greeting = text_of(&w, "[data-testid=link-greeting]").await;
    assert!(
        greeting.contains("Welcome back") && greeting.contains("the rest of your Whitening course"),
        "{greeting}"
    );
    click(&w, "[data-testid=chain-first-times] .sw-time").await;
    let proposal = text_of(&w, "[data-testid=chain-visit-2]").await;
    assert!(
        proposal.starts_with("Visit 3: Whitening consultation"),
        "numbered on from visit 1: {proposal}"
    );
    b.screenshot("procedure-link-proposal").await;
    click(&w, "[data-action=hold-chain]").await;
    // The patient is known: no details form.
    wait_for_title(&w, "Review and book").await;
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "Your visits are booked").await;
    let confirmation = text_of(&w, "[data-testid=procedure-confirmation]").await;
    assert!(
        confirmation.contains("Visit 2: Checkup")
            && confirmation.contains("Visit 3: Whitening consultation"),
        "{confirmation}"
    );
    let list = staff
        .procedures(&ProcedureFilter::default())
        .await
        .expect("procedures")
        .procedures;
    assert_eq!(list.len(), 1);
    assert!(list[0].steps.iter().all(|s| s.state == StepState::Booked));
    b.close().await;
    site.finish().await;
}
