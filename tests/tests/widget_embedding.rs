//! How the widget lives on other people's pages, in real headless Chromium: hostile host CSS,
//! several widgets (inline, popup, badge) on one page, an inline widget far down a long page
//! (loaded only as the reader nears it), and the direct booking link.

use crate::common;

use common::browser::{click, find, wait_for_title, Browser};
use common::widget_site::{Site, ONE_AT_A_TIME};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_css_that_resets_everything_does_not_break_the_widget() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(360).await;
    b.client
        .goto(&format!("{}/hostile.html", site.host.url()))
        .await
        .expect("open hostile page");
    let w = b.widget("[data-slotwise]").await;
    wait_for_title(&w, "Have you visited us before?").await;
    let choice = find(&w, "[data-choice=returning]").await;
    let style: Value = b
        .client
        .execute(
            "var s = getComputedStyle(arguments[0]);
             return [s.display, s.fontSize, s.visibility, s.color, arguments[0].getBoundingClientRect().width];",
            vec![serde_json::to_value(&choice).expect("element ref")],
        )
        .await
        .expect("computed style");
    assert_eq!(style[0], "flex");
    assert_eq!(style[1], "16px");
    assert_eq!(style[2], "visible");
    assert_ne!(style[3], "rgb(255, 0, 0)");
    assert!(
        style[4].as_f64().unwrap_or(0.0) > 250.0,
        "full width on a 360 px phone: {style}"
    );
    choice.click().await.expect("click");
    wait_for_title(&w, "What is the visit for?").await;
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn popup_and_badge_widgets_share_the_page_and_open_in_a_dialog() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(1200).await;
    b.client
        .goto(&site.host.url())
        .await
        .expect("open host page");
    let inline = b.widget("#book").await;
    wait_for_title(&inline, "Have you visited us before?").await;
    let popup = b.widget("[data-mode=popup]").await;
    assert!(
        popup.find(Locator::Css(".sw")).await.is_err(),
        "the popup widget is not rendered before it is opened"
    );
    click(&popup, "button.b").await;
    wait_for_title(&popup, "Have you visited us before?").await;
    click(&popup, "[data-choice=returning]").await;
    wait_for_title(&popup, "What is the visit for?").await;
    // The inline widget on the same page is unaffected.
    wait_for_title(&inline, "Have you visited us before?").await;
    let badge = b.widget("[data-mode=badge]").await;
    find(&badge, "button.b.f").await;
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_direct_booking_link_opens_the_widget_full_page_with_the_reason_chosen() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(390).await;
    b.client
        .goto(&format!("{}/book/demo/cleaning", site.app.server.url()))
        .await
        .expect("open booking link");
    let title = b.client.title().await.unwrap_or_default();
    assert!(title.contains("Brightside Dental"), "{title}");
    let w = b.widget("[data-slotwise]").await;
    wait_for_title(&w, "Where would you like to be seen?").await;
    click(&w, ".sw-back").await;
    wait_for_title(&w, "What is the visit for?").await;
    let missing = reqwest::get(format!("{}/book/no-such-practice", site.app.server.url()))
        .await
        .expect("request");
    assert_eq!(missing.status(), 404);
    tokio::time::sleep(Duration::from_millis(10)).await;
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_files_are_precompressed_cached_for_a_year_and_loadable_from_any_origin() {
    let Some(site) = Site::start().await else {
        return;
    };
    let api = site.app.server.url();
    let http = reqwest::Client::new();
    let get = |path: String, encoding: &'static str| {
        http.get(format!("{api}{path}"))
            .header("accept-encoding", encoding)
            .send()
    };
    let loader = get("/embed.js".into(), "identity").await.expect("loader");
    assert_eq!(loader.status(), 200);
    let loader = loader.text().await.expect("loader text");
    let wasm = loader
        .split('"')
        .find(|part| part.ends_with("_bg.wasm"))
        .expect("the loader names the hashed wasm")
        .to_string();
    assert!(
        wasm.starts_with(&format!("/widget/{}/", env!("CARGO_PKG_VERSION"))),
        "{wasm}"
    );
    for encoding in ["br", "gzip"] {
        let answer = get(wasm.clone(), encoding).await.expect("wasm");
        assert_eq!(answer.status(), 200);
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(header("content-encoding"), encoding);
        assert_eq!(
            header("cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header("access-control-allow-origin"), "*");
        assert_eq!(header("vary"), "accept-encoding");
    }
    let missing = get(
        format!(
            "{}/nope.wasm",
            wasm.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
        ),
        "br",
    )
    .await
    .expect("missing file");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "a miss is never cached"
    );
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inline_widget_far_down_the_page_loads_only_as_the_reader_nears_it() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(1000).await;
    b.client
        .goto(&format!("{}/far.html", site.host.url()))
        .await
        .expect("open the long article");
    let w = b.widget("#book").await;
    let widget_requests = || async {
        b.client
            .execute(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })
                   .filter(function (n) { return /_bg\\.wasm|booking-config/.test(n); }).length;",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    };
    // The page has loaded and settled; the widget 4,000 px below has fetched nothing yet, and
    // its place is kept so nothing moves when it arrives.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        widget_requests().await,
        0,
        "no wasm and no settings while the widget is far below"
    );
    let reserved = b
        .client
        .execute(
            "return document.querySelector('#book slotwise-booking').getBoundingClientRect().height;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    assert!(
        reserved >= 400.0,
        "the widget's height is reserved: {reserved}"
    );
    b.client
        .execute("document.querySelector('#book').scrollIntoView();", vec![])
        .await
        .expect("scroll to the widget");
    wait_for_title(&w, "Have you visited us before?").await;
    assert!(
        widget_requests().await >= 2,
        "the wasm and the settings load as the reader arrives"
    );
    b.close().await;
    site.finish().await;
}
