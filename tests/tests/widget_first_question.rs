//! The first question without the wasm, in real headless Chromium on a slow network: the loader
//! draws "Have you visited us before?" from booking-config while the modules download, an
//! answer given then carries over (the widget opens at the reason, focus on its heading, Back
//! shows the answer), and keyboard focus on a drawn answer stays when the widget takes over.

use crate::common;

use common::browser::{attr_of, click, find, wait_for_title, Browser};
use common::widget_site::{active_element_class, record_host_events, Site, ONE_AT_A_TIME};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::ShadowRoot;
use fantoccini::key::Key;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const QUESTION: &str = "Have you visited us before?";

/// A network where the first-steps module (~165 KB gz) takes seconds and the loader, the
/// stylesheet and booking-config a fraction of one; no cache, so every visit downloads.
async fn slow_network(b: &Browser) {
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": 20,
            "downloadThroughput": 40_000,
            "uploadThroughput": 40_000,
        }),
    )
    .await;
}

/// Widget wasm files the page has finished downloading.
async fn wasm_downloaded(b: &Browser) -> usize {
    b.client
        .execute(
            "return performance.getEntriesByType('resource')
               .filter(function (e) { return e.name.indexOf('_bg.wasm') >= 0; }).length;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or_default() as usize
}

async fn host_events(b: &Browser) -> Vec<Value> {
    b.client
        .execute("return window.__events || [];", vec![])
        .await
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
}

/// Waits for the widget's `slotwise:ready` (the wasm mounted).
async fn wait_for_ready(b: &Browser) {
    let deadline = Instant::now() + common::browser::PATIENCE;
    while !host_events(b).await.iter().any(|e| e["name"] == "ready") {
        assert!(Instant::now() < deadline, "the widget never mounted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `data-choice` of the focused element inside the widget.
async fn focused_choice(b: &Browser) -> String {
    b.client
        .execute(
            "var a = document.querySelector('#book slotwise-booking').shadowRoot.activeElement;
             return a ? (a.getAttribute('data-choice') || '') : '';",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The demo host page on a slow network, its widget events recorded: the browser and the
/// widget's shadow root.
async fn open_slowly(site: &Site) -> (Browser, ShadowRoot) {
    let b = Browser::launch(390).await;
    slow_network(&b).await;
    b.client.goto(&site.host.url()).await.expect("host page");
    record_host_events(&b).await;
    let w = b.widget("#book").await;
    (b, w)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_question_is_drawn_before_the_wasm_and_an_early_answer_carries_over() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let (b, w) = open_slowly(&site).await;

    // Drawn by the loader (axe-checked by wait_for_title), before any wasm arrived.
    wait_for_title(&w, QUESTION).await;
    assert_eq!(wasm_downloaded(&b).await, 0, "no wasm was needed");
    assert!(
        host_events(&b).await.is_empty(),
        "the widget has not mounted"
    );
    assert_eq!(
        attr_of(&w, ".sw-shell", "lang").await,
        "en",
        "the drawn step names its language"
    );

    click(&w, "[data-choice=new]").await;
    assert_eq!(
        attr_of(&w, "[data-choice=new]", "aria-pressed").await,
        "true"
    );
    find(&w, ".sw-loading[role=status]").await;

    // The widget opens where the answer leads, as if it had been asked there.
    wait_for_title(&w, "What is the visit for?").await;
    assert!(wasm_downloaded(&b).await >= 1);
    assert_eq!(active_element_class(&b, "#book").await, "sw-title");
    let events = host_events(&b).await;
    let names: Vec<String> = events
        .iter()
        .map(|e| format!("{}:{}", e["name"], e["detail"]["step"]))
        .collect();
    assert_eq!(
        names.first().map(String::as_str),
        Some("\"ready\":null"),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n == "\"step\":\"reason\""),
        "the host page hears the step: {names:?}"
    );
    click(&w, ".sw-back").await;
    wait_for_title(&w, QUESTION).await;
    assert_eq!(
        attr_of(&w, "[data-choice=new]", "aria-pressed").await,
        "true",
        "Back shows the answer given before the widget loaded"
    );
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_focus_on_a_drawn_answer_stays_when_the_widget_takes_over() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let (b, w) = open_slowly(&site).await;
    wait_for_title(&w, QUESTION).await;
    b.client
        .execute(
            "document.querySelector('#book slotwise-booking').shadowRoot
               .querySelector('[data-choice=returning]').focus();",
            vec![],
        )
        .await
        .expect("focus an answer");
    assert_eq!(focused_choice(&b).await, "returning");

    wait_for_ready(&b).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while focused_choice(&b).await != "returning" {
        assert!(
            Instant::now() < deadline,
            "focus was lost when the widget took over"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The focused answer is the widget's now: Enter answers in the widget.
    let enter: char = Key::Enter.into();
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: enter })
        .then(KeyAction::Up { value: enter });
    b.client.perform_actions(keys).await.expect("press Enter");
    wait_for_title(&w, "What is the visit for?").await;
    b.close().await;
    site.finish().await;
}
