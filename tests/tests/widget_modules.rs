//! The widget's two modules in real headless Chromium: the first steps run on the first-steps
//! module alone, the full module loads after it while the patient is on them, and holding a
//! time hands over to the full module at the details step with the hold, its countdown and
//! focus intact, the host page told once.

use crate::common;

use common::browser::{text_of, wait_for_title, Browser};
use common::widget_site::{active_element_class, record_host_events, Site, ONE_AT_A_TIME};
use serde_json::Value;

/// How many `slotwise:ready` events the page heard so far.
async fn ready_events(b: &Browser) -> u64 {
    b.client
        .execute(
            "return window.__events.filter(function (e) { return e.name === 'ready'; }).length;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or_default()
}

/// `[name, startTime, responseEnd]` of every widget wasm the page fetched.
async fn wasm_fetches(b: &Browser) -> Vec<(String, f64, f64)> {
    let entries: Value = b
        .client
        .execute(
            "return performance.getEntriesByType('resource')
               .filter(function (e) { return e.name.indexOf('_bg.wasm') >= 0; })
               .map(function (e) { return [e.name, e.startTime, e.responseEnd]; });",
            vec![],
        )
        .await
        .expect("resource timings");
    entries
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap_or_default().to_string(),
                e[1].as_f64().unwrap_or_default(),
                e[2].as_f64().unwrap_or_default(),
            )
        })
        .collect()
}

fn fetched<'a>(all: &'a [(String, f64, f64)], module: &str) -> Option<&'a (String, f64, f64)> {
    all.iter().find(|(name, _, _)| name.contains(module))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_steps_run_on_the_small_module_and_a_held_time_moves_to_the_full_one() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(390).await;
    b.client
        .goto(&format!(
            "{}/?patient=returning&reason=checkup&location=any&provider=any&insurance=self-pay",
            site.host.url()
        ))
        .await
        .expect("open host page");
    record_host_events(&b).await;
    let w = b.widget("#book").await;
    wait_for_title(&w, "Pick a time").await;
    let at_first = wasm_fetches(&b).await;
    let first = fetched(&at_first, "slotwise-first")
        .expect("the first-steps module")
        .clone();

    // Holding a time: the details step of the full module, resumed with the hold. (The first
    // `ready` may come before the test listens; none may come with the hand-over.)
    let ready_before = ready_events(&b).await;
    common::browser::click(&w, ".sw-time").await;
    wait_for_title(&w, "Find your record").await;
    let countdown = text_of(&w, "[data-testid=countdown]").await;
    assert!(
        countdown.contains(':'),
        "the hold carried over: {countdown}"
    );
    assert_eq!(
        active_element_class(&b, "#book").await,
        "sw-title",
        "focus is on the step the patient reached"
    );
    let all = wasm_fetches(&b).await;
    let full = fetched(&all, "slotwise-widget").expect("the full module");
    assert!(
        full.1 >= first.2,
        "the full module loads after the first-steps module, not alongside it: {all:?}"
    );

    // Back goes to the times, now in the full module.
    common::browser::click(&w, ".sw-back").await;
    wait_for_title(&w, "Pick a time").await;

    let events: Value = b
        .client
        .execute("return window.__events;", vec![])
        .await
        .expect("events");
    let events = events.as_array().cloned().unwrap_or_default();
    let count = |name: &str, step: Option<&str>| {
        events
            .iter()
            .filter(|e| e["name"] == name && step.is_none_or(|s| e["detail"]["step"] == s))
            .count()
    };
    assert!(ready_before <= 1);
    assert_eq!(
        ready_events(&b).await,
        ready_before,
        "no second ready: {events:?}"
    );
    assert_eq!(count("step", Some("details")), 1, "{events:?}");
    b.close().await;
    site.finish().await;
}
