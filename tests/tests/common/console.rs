//! Driving the staff console (a normal page, no Shadow DOM) in the browser tests.

use super::browser::{Browser, PATIENCE};
use fantoccini::elements::Element;
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// Waits for an element of the page.
pub async fn find(b: &Browser, css: &str) -> Element {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(el) = b.client.find(Locator::Css(css)).await {
            return el;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never appeared in the console"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for an element and clicks it.
pub async fn click(b: &Browser, css: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match find(b, css).await.click().await {
            Ok(()) => return,
            Err(e) => assert!(Instant::now() < deadline, "could not click {css}: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clears an input and types into it.
pub async fn fill(b: &Browser, css: &str, text: &str) {
    let el = find(b, css).await;
    el.clear()
        .await
        .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

/// Waits until the element's text contains `part`; returns the text.
pub async fn wait_text(b: &Browser, css: &str, part: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(el) = b.client.find(Locator::Css(css)).await {
            let text = el.text().await.unwrap_or_default();
            if text.contains(part) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} shows {text:?}, never {part:?}"
            );
        } else {
            assert!(
                Instant::now() < deadline,
                "{css} never appeared (waiting for {part:?})"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the button of the page whose text is exactly `text` (inside `scope`).
pub async fn click_button(b: &Browser, scope: &str, text: &str) {
    let xpath = format!("//*[self::button or self::a][normalize-space()='{text}']");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let scope_el = find(b, scope).await;
        if let Ok(el) = scope_el.find(Locator::XPath(&format!(".{xpath}"))).await {
            if el.click().await.is_ok() {
                return;
            }
        }
        assert!(Instant::now() < deadline, "no button \"{text}\" in {scope}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sets an input's value as the page's own code would see a person change it (an `input` and
/// a `change` event): for date inputs, whose typing depends on the browser's locale.
pub async fn set_value(b: &Browser, css: &str, value: &str) {
    let el = find(b, css).await;
    b.client
        .execute(
            "var el = arguments[0];
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![
                serde_json::to_value(&el).expect("element reference"),
                serde_json::json!(value),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("setting {css} to {value:?}: {e}"));
}

/// Waits for a `<select>` and chooses the option with `value`.
pub async fn choose(b: &Browser, css: &str, value: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match find(b, css).await.select_by_value(value).await {
            Ok(_) => return,
            Err(e) => assert!(
                Instant::now() < deadline,
                "could not choose {value:?} in {css}: {e}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the element's (trimmed) text is exactly `expected`.
pub async fn wait_exact(b: &Browser, css: &str, expected: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let shown = match b.client.find(Locator::Css(css)).await {
            Ok(el) => Some(el.text().await.unwrap_or_default()),
            Err(_) => None,
        };
        if shown.as_deref().map(str::trim) == Some(expected) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{css} shows {shown:?}, never {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks an element that asks `confirm()`, accepts the question and returns its text.
pub async fn click_and_accept(b: &Browser, css: &str) -> String {
    // The click returns once the dialog is up (an error here is the open dialog itself).
    let _ = find(b, css).await.click().await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(question) = b.client.get_alert_text().await {
            b.client
                .accept_alert()
                .await
                .unwrap_or_else(|e| panic!("accepting the question of {css}: {e}"));
            return question;
        }
        assert!(Instant::now() < deadline, "{css} asked nothing");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
