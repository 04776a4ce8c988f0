//! Small building blocks every screen uses: labelled fields with their error next to them,
//! selects, checkboxes, empty states, dates in the browser's time.

use leptos::prelude::*;
use slotwise_shared::error::FieldErrors;

/// A page-unique id for a field (several forms on one screen may share field names).
fn field_id(name: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("f-{}-{n}", name.replace(['.', '[', ']'], "-"))
}

/// A labelled input bound to a signal; `errors[name]` shows under it.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(optional, into)] kind: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    /// A fixed element id (for a screen's stable hooks); otherwise a page-unique one.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let error_id = format!("{id}-error");
    let key = name.clone();
    let error = move || errors.with(|e| e.get(&key).cloned());
    let invalid = {
        let error = error.clone();
        move || error().is_some().to_string()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
            <input id=id name=name type=kind.unwrap_or_else(|| "text".into())
                aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <span class="field-error" id=error_id role="alert">{error}</span>
        </div>
    }
}

/// A labelled multi-line input bound to a signal.
#[component]
pub fn TextArea(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional, into)] hint: Option<String>,
    /// A fixed element id (for a screen's stable hooks); otherwise a page-unique one.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let key = name.clone();
    let error = move || errors.with(|e| e.get(&key).cloned());
    let invalid = {
        let error = error.clone();
        move || error().is_some().to_string()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <span class="hint" id=hint_id>{h}</span> })}
            <textarea id=id name=name rows=rows.unwrap_or(3) aria-invalid=invalid aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <span class="field-error" id=error_id role="alert">{error}</span>
        </div>
    }
}

/// A labelled checkbox bound to a signal.
#[component]
pub fn Check(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: RwSignal<bool>,
    /// A fixed element id (for a screen's stable hooks).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" id=id name=name prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev)) />
            {label}
        </label>
    }
}

/// A labelled select bound to a signal (options are `(value, label)`); `errors[name]` shows
/// under it.
#[component]
pub fn Select(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    errors: RwSignal<FieldErrors>,
    /// A fixed element id (for a screen's stable hooks); otherwise a page-unique one.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let error_id = format!("{id}-error");
    let key = name.clone();
    let error = move || errors.with(|e| e.get(&key).cloned());
    let invalid = {
        let error = error.clone();
        move || error().is_some().to_string()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=invalid aria-describedby=error_id.clone()
                on:change=move |ev| value.set(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| {
                    let mine = v.clone();
                    view! { <option value=v prop:selected=move || value.with(|x| *x == mine)>{l}</option> }
                }).collect_view()}
            </select>
            <span class="field-error" id=error_id role="alert">{error}</span>
        </div>
    }
}

/// Fixed `(value, label)` options for [`Select`].
pub fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// What an empty list says, and what to do next.
#[component]
pub fn Empty(#[prop(into)] title: String, #[prop(into)] next: String) -> impl IntoView {
    view! {
        <div class="empty">
            <p class="empty-title">{title}</p>
            <p>{next}</p>
        </div>
    }
}

/// Number typed into a text field, or 0.
pub fn number(s: &str) -> u32 {
    s.trim().parse().unwrap_or(0)
}

/// The browser's local date `days` from today, as `YYYY-MM-DD`.
pub fn local_date(days: u32) -> String {
    let d = js_sys::Date::new_0();
    // JavaScript rolls day 35 over into the next month.
    d.set_date(d.get_date() + days);
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// The date `days` from today in the practice's timezone `tz` (IANA), as `YYYY-MM-DD`; the
/// browser's own date when the timezone is not known.
pub fn practice_date(tz: Option<&str>, days: u32) -> String {
    let Some(tz) = tz.filter(|t| !t.is_empty()) else {
        return local_date(days);
    };
    let at = js_sys::Date::now() + f64::from(days) * 86_400_000.0;
    let options = js_sys::Object::new();
    if js_sys::Reflect::set(&options, &"timeZone".into(), &tz.into()).is_err() {
        return local_date(days);
    }
    // Canadian English writes dates as YYYY-MM-DD.
    let text: String = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at))
        .to_locale_date_string("en-CA", &options)
        .into();
    let valid = text.len() == 10 && text.as_bytes().get(4) == Some(&b'-');
    if valid {
        text
    } else {
        local_date(days)
    }
}

/// An instant in the browser's local time, e.g. `2026-03-02 14:05`.
pub fn local_time(at: jiff::Timestamp) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.as_millisecond() as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// "1 patient", "3 patients".
pub fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Moves keyboard focus to a panel's heading once it is drawn (a panel opened from a click far
/// down the page is where the next Tab goes).
pub fn focus_when_drawn(heading: NodeRef<leptos::html::H2>) {
    Effect::new(move |_| {
        if let Some(el) = heading.get() {
            let _ = el.focus();
        }
    });
}
