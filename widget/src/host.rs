//! The host page's side: `slotwise:*` events (never personal data), the browser clock and ids.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, Element};

/// Dispatches `slotwise:{name}` with `detail = { key: value }` on the widget's host element; it
/// bubbles to the host page. Only ids and step names go here, never personal data.
pub fn emit(host: &Element, name: &str, key: &str, value: &str) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &JsValue::from_str(key), &JsValue::from_str(value));
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("slotwise:{name}"), &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The patient's local calendar date (for date-of-birth checks).
pub fn today() -> jiff::civil::Date {
    let now = js_sys::Date::new_0();
    jiff::civil::Date::new(
        now.get_full_year() as i16,
        (now.get_month() + 1) as i8,
        now.get_date() as i8,
    )
    .unwrap_or(jiff::civil::Date::constant(2000, 1, 1))
}

/// The IANA time zone the patient's device is set to ("" when the browser does not say).
pub fn device_time_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
        .unwrap_or_default()
}

/// A fresh random key for `Idempotency-Key`.
pub fn random_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{:x}-{:x}",
                now_ms() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}

/// Marks a moment on the page's performance timeline (read by the benchmarks).
pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}
