//! Languages in the staff console, in real headless Chromium: the appointments list shows the
//! language each patient reads and staff change it; the template editor shows and previews
//! each language's version.

use crate::common;

use common::browser::{self, Browser};
use common::console::{choose, click, fill, find, wait_text};
use common::staff::{account, PASSWORD};
use common::widget_site::{Site, ONE_AT_A_TIME};
use slotwise_shared::admin::StaffRole;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_and_change_a_patients_language_and_edit_templates_per_language() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(admin_dir) = browser::admin_dir() else {
        return;
    };
    let Some(site) = Site::start_with(move |c| c.admin_dir = admin_dir).await else {
        return;
    };
    let app = &site.app;
    let (_, hold) = app
        .hold_checkup_after(jiff::SignedDuration::from_hours(26))
        .await;
    let mut req = common::booking_request(&hold.hold_token);
    req.lang = Some("es".into());
    let booked = app
        .client
        .book("demo", "console-language", &req)
        .await
        .expect("booking");
    let reference = booked.booking.reference;

    let email = account(app, "demo", StaffRole::Owner).await;
    let console = format!("{}/admin/", app.server.url());
    let b = Browser::launch(1280).await;
    b.client.goto(&console).await.expect("open the console");
    fill(&b, "#login-email", &email).await;
    fill(&b, "#login-password", PASSWORD).await;
    click(&b, ".login button[type=submit]").await;
    wait_text(&b, "main h1", "Providers").await;

    // The patient booked in Spanish: the list says so, and staff switch them to English.
    click(&b, "nav a[href='#/appointments']").await;
    wait_text(&b, "main h1", "Appointments").await;
    fill(&b, "#q", &reference).await;
    click(&b, ".filters button[type=submit]").await;
    let row = format!("tr[data-reference='{reference}']");
    wait_text(&b, &row, "Ana Lopez").await;
    let select = format!("{row} [data-testid=patient-language]");
    let shown = find(&b, &select)
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(shown, "es");
    choose(&b, &select, "en").await;
    wait_text(&b, ".notice", "now written in English").await;
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT h.lang FROM appointments a JOIN patients p ON p.id = a.patient_id
         JOIN households h ON h.id = p.household_id WHERE a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.db().read)
    .await
    .expect("household language");
    assert_eq!(stored.as_deref(), Some("en"));

    // Templates: the Spanish version of the confirmation, previewed in Spanish.
    click(&b, "nav a[href='#/templates']").await;
    wait_text(&b, "main h1", "Message templates").await;
    choose(&b, "#template-language", "es").await;
    wait_text(&b, ".preview", "Hola, Lucía.").await;
    let body = find(&b, "textarea[name=body]")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(
        body.starts_with("Hola, {{ patient_first_name }}."),
        "{body}"
    );
    wait_text(&b, ".preview", "Responda STOP").await;
    b.screenshot("console-templates-spanish").await;
    b.close().await;
    site.finish().await;
}
