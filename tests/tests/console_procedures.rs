//! Procedures in the console, in real headless Chromium: an admin defines a three-visit
//! procedure on the Procedure templates screen, a patient books the whole chain, and the
//! front desk follows it on the Procedures page with its progress and next visit.

use crate::common;

use common::browser::{self, Browser};
use common::console::{choose, click, fill, wait_text};
use common::staff::{account, signed_in, PASSWORD};
use common::widget_site::{Site, ONE_AT_A_TIME};
use common::{booking_request, unique_key};
use slotwise_shared::admin::{AppointmentAction, StaffRole};
use slotwise_shared::procedures::{ChainHoldRequest, ChainStepChoice};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_define_a_procedure_and_follow_a_patient_through_it() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(admin_dir) = browser::admin_dir() else {
        return;
    };
    let Some(site) = Site::start_with(move |c| c.admin_dir = admin_dir).await else {
        return;
    };
    let app = &site.app;
    let checkup = app.reason("Checkup").0.to_string();
    let whitening = app.reason("Whitening consultation").0.to_string();

    let email = account(app, "demo", StaffRole::Admin).await;
    let console = format!("{}/admin/", app.server.url());
    let b = Browser::launch(1280).await;
    b.client.goto(&console).await.expect("open the console");
    fill(&b, "#login-email", &email).await;
    fill(&b, "#login-password", PASSWORD).await;
    click(&b, ".login button[type=submit]").await;
    wait_text(&b, "main", "Dr. Maya Patel").await;

    // The template: checkup, a second checkup 7–21 days later with the same dentist, and a
    // whitening consultation 1–10 days after that.
    click(&b, "nav a[href='#/procedure-templates']").await;
    wait_text(&b, "main h1", "Procedure templates").await;
    wait_text(&b, "main", "No procedures yet").await;
    click(&b, "[data-testid=procedure-template-add]").await;
    fill(&b, "#procedure-name", "Whitening course").await;
    choose(
        &b,
        "[data-testid=procedure-step-1] select[name='steps[0].reason']",
        &checkup,
    )
    .await;
    choose(
        &b,
        "[data-testid=procedure-step-2] select[name='steps[1].reason']",
        &checkup,
    )
    .await;
    fill(
        &b,
        "[data-testid=procedure-step-2] input[name='steps[1].gap_min_days']",
        "7",
    )
    .await;
    fill(
        &b,
        "[data-testid=procedure-step-2] input[name='steps[1].gap_max_days']",
        "21",
    )
    .await;
    choose(
        &b,
        "[data-testid=procedure-step-2] select[name='steps[1].same_provider_as']",
        "1",
    )
    .await;
    click(&b, "[data-testid=procedure-step-add]").await;
    choose(
        &b,
        "[data-testid=procedure-step-3] select[name='steps[2].reason']",
        &whitening,
    )
    .await;
    fill(
        &b,
        "[data-testid=procedure-step-3] input[name='steps[2].gap_min_days']",
        "30",
    )
    .await;
    fill(
        &b,
        "[data-testid=procedure-step-3] input[name='steps[2].gap_max_days']",
        "10",
    )
    .await;
    click(&b, "[data-testid=procedure-template-save]").await;
    // A window backwards is refused next to its field; fixed, the procedure is saved.
    wait_text(
        &b,
        "[data-testid=procedure-step-3]",
        "earliest to the latest day",
    )
    .await;
    fill(
        &b,
        "[data-testid=procedure-step-3] input[name='steps[2].gap_min_days']",
        "1",
    )
    .await;
    click(&b, "[data-testid=procedure-template-save]").await;
    wait_text(&b, ".notice", "Procedure saved").await;
    wait_text(
        &b,
        "[data-testid=procedure-templates]",
        "Checkup → Checkup (7–21 days later, same provider as step 1) → Whitening consultation (1–10 days later)",
    )
    .await;

    // A patient books the whole chain.
    let admin = signed_in(app, "demo", StaffRole::Owner).await;
    let template = admin
        .procedure_templates()
        .await
        .expect("templates")
        .templates
        .remove(0);
    let chain = app
        .client
        .procedure_chains("demo", template.id, None, 7, None, None)
        .await
        .expect("chains")
        .chains
        .remove(0);
    let steps = chain
        .steps
        .iter()
        .map(|s| ChainStepChoice {
            provider: s.provider,
            start: s.start,
        })
        .collect();
    let held = app
        .client
        .hold_procedure(
            "demo",
            &ChainHoldRequest {
                procedure: template.id,
                steps,
                lang: None,
                link: None,
            },
        )
        .await
        .expect("held");
    let booked = app
        .client
        .book_procedure(
            "demo",
            &format!("console-{}", unique_key()),
            &booking_request(&held.hold_token),
        )
        .await
        .expect("booked")
        .booked()
        .expect("booked here");

    // The front desk follows it; once the first visit is done the progress moves.
    click(&b, "nav a[href='#/procedures']").await;
    wait_text(&b, "main h1", "Procedures").await;
    let row = format!("[data-testid=procedure-{}]", booked.procedure.0);
    wait_text(&b, &row, "Ana Lopez").await;
    wait_text(&b, &format!("{row} [data-testid=progress]"), "0 of 3 done").await;
    wait_text(&b, &row, "Step 1: Checkup — Booked").await;
    let first = admin
        .procedures(&Default::default())
        .await
        .expect("list")
        .procedures[0]
        .steps[0]
        .appointment
        .expect("appointment");
    admin
        .appointment_action(first, AppointmentAction::Complete)
        .await
        .expect("done");
    click(&b, "nav a[href='#/appointments']").await;
    wait_text(&b, "main h1", "Appointments").await;
    click(&b, "nav a[href='#/procedures']").await;
    wait_text(&b, &format!("{row} [data-testid=progress]"), "1 of 3 done").await;
    wait_text(&b, &row, "Step 2: Checkup — Booked").await;
    b.screenshot("console-procedures").await;

    // From the day's list: a patient's checkup starts a procedure (the checkup is its first
    // visit), and the Procedures page shows it.
    let checkup =
        common::messaging::book_checkup(app, "+1 415 510 7300", "start@example.com").await;
    let reference = checkup.booking.reference;
    click(&b, "nav a[href='#/appointments']").await;
    wait_text(&b, "main h1", "Appointments").await;
    let row = format!("tr[data-reference='{reference}']");
    click(&b, &format!("{row} [data-testid=start-procedure-open]")).await;
    choose(&b, "#start-procedure-template", &template.id.to_string()).await;
    click(&b, "[data-testid=start-procedure-save]").await;
    wait_text(&b, ".notice", "Whitening course started for").await;
    let started = admin
        .procedures(&Default::default())
        .await
        .expect("list")
        .procedures
        .into_iter()
        .find(|p| p.id != booked.procedure)
        .expect("the new procedure");
    assert_eq!(
        started.steps[0].state,
        slotwise_shared::procedures::StepState::Booked
    );
    click(&b, "nav a[href='#/procedures']").await;
    wait_text(
        &b,
        &format!("[data-testid=procedure-{}]", started.id.0),
        "Step 1: Checkup — Booked",
    )
    .await;
    b.close().await;
}
