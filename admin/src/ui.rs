//! Small building blocks every screen uses: labelled fields with their error next to them,
//! checkboxes, empty states.

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
) -> impl IntoView {
    let id = field_id(&name);
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
) -> impl IntoView {
    let id = field_id(&name);
    let error_id = format!("{id}-error");
    let key = name.clone();
    let error = move || errors.with(|e| e.get(&key).cloned());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows=rows.unwrap_or(3) aria-describedby=error_id.clone()
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
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name=name prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev)) />
            {label}
        </label>
    }
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
