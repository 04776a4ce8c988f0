//! A booking made with the keyboard alone — Tab, Shift+Tab, Enter and Space, never the pointer —
//! from the first question to "You're booked", in real headless Chromium on the demo host page.
//! Every step is also checked by axe-core as it appears (see `wait_for_title`).

use crate::common;

use common::browser::{find, text_of, wait_for_title, Browser};
use common::widget_site::{Site, ONE_AT_A_TIME};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::json;

/// Presses and releases `keys` in order on whatever has the focus (modifiers first, released
/// last), as a person's keyboard does.
async fn press(b: &Browser, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".into());
    for &value in keys {
        actions = actions.then(KeyAction::Down { value });
    }
    for &value in keys.iter().rev() {
        actions = actions.then(KeyAction::Up { value });
    }
    b.client
        .perform_actions(actions)
        .await
        .expect("keyboard input");
}

async fn type_text(b: &Browser, text: &str) {
    for c in text.chars() {
        press(b, &[c]).await;
    }
}

/// Whether the element focused inside the widget matches `css`.
async fn focused(b: &Browser, css: &str) -> bool {
    b.client
        .execute(
            "var h = document.querySelector('#book slotwise-booking');
             var a = h && h.shadowRoot.activeElement;
             return !!a && a.matches(arguments[0]);",
            vec![json!(css)],
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Tabs forward until the focus is on `css` (at most 80 presses).
async fn tab_to(b: &Browser, css: &str) {
    for _ in 0..80 {
        if focused(b, css).await {
            return;
        }
        press(b, &[Key::Tab.into()]).await;
    }
    panic!("Tab never reached {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_books_with_the_keyboard_alone() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    // A one-minute hold, so the hold's spoken reminder is due while the patient types.
    sqlx::query("UPDATE practices SET hold_minutes = 1 WHERE slug = 'demo'")
        .execute(&site.app.db().read)
        .await
        .expect("short holds");
    let b = Browser::launch(390).await;
    b.client
        .goto(&site.host.url())
        .await
        .expect("open host page");
    let w = b.widget("#book").await;
    let enter: char = Key::Enter.into();

    wait_for_title(&w, "Have you visited us before?").await;
    tab_to(&b, "[data-choice=new]").await;
    press(&b, &[enter]).await;

    wait_for_title(&w, "What is the visit for?").await;
    let exam = site.app.reason("New patient exam & cleaning");
    tab_to(&b, &format!("[data-choice=reason-{exam}]")).await;
    press(&b, &[' ']).await;

    wait_for_title(&w, "Where would you like to be seen?").await;
    tab_to(&b, "[data-choice=location-any]").await;
    press(&b, &[enter]).await;

    wait_for_title(&w, "Who would you like to see?").await;
    tab_to(&b, "[data-choice=provider-any]").await;
    press(&b, &[enter]).await;

    wait_for_title(&w, "How will you pay for the visit?").await;
    tab_to(&b, "[data-choice=self-pay]").await;
    press(&b, &[' ']).await;

    wait_for_title(&w, "Pick a time").await;
    tab_to(&b, ".sw-time").await;
    press(&b, &[enter]).await;

    wait_for_title(&w, "Your details").await;
    let spoken = find(&w, "[data-testid=hold-announcement]")
        .await
        .prop("textContent")
        .await;
    let spoken = spoken.ok().flatten().unwrap_or_default();
    assert!(
        spoken.contains("about a minute"),
        "the hold's reminder: {spoken:?}"
    );
    for (field, text) in [
        ("#sw-patient-first_name", "Kim"),
        ("#sw-patient-last_name", "Novak"),
        ("#sw-patient-date_of_birth", "07041985"),
        ("#sw-patient-phone", "(415) 555-0163"),
        ("#sw-patient-email", "kim@example.com"),
    ] {
        tab_to(&b, field).await;
        type_text(&b, text).await;
    }
    // Shift+Tab goes back a field.
    press(&b, &[Key::Shift.into(), Key::Tab.into()]).await;
    assert!(
        focused(&b, "#sw-patient-phone").await,
        "Shift+Tab from the email goes back to the phone"
    );
    tab_to(&b, ".sw-form button[type=submit]").await;
    press(&b, &[enter]).await;

    wait_for_title(&w, "Review and book").await;
    tab_to(&b, "[data-action=book]").await;
    press(&b, &[enter]).await;

    wait_for_title(&w, "You're booked").await;
    let reference = text_of(&w, "[data-testid=reference]").await;
    let booked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments a JOIN patients p ON p.id = a.patient_id
         WHERE a.reference = $1 AND p.phone = '+14155550163' AND p.first_name = 'Kim'",
    )
    .bind(reference.trim())
    .fetch_one(&site.app.db().read)
    .await
    .expect("the appointment");
    assert_eq!(booked, 1, "booked for Kim, reference {reference}");
    b.close().await;
    site.finish().await;
}
