//! One labelled input of the patient's details, with its hint and error line.

use crate::ctx::{Ctx, DetailsForm};
use leptos::prelude::*;

/// One labelled input with its error line.
#[component]
pub(super) fn Field(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] kind: String,
    #[prop(optional, into)] autocomplete: String,
    #[prop(optional, into)] hint: Option<String>,
    get: fn(&DetailsForm) -> &String,
    set: fn(&mut DetailsForm, String),
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = format!("sw-{}", name.replace('.', "-"));
    let error_id = format!("{id}-error");
    let key = name.clone();
    let error = move || {
        ctx.field_errors
            .with(|e| e.get(&key).cloned())
            .map(|stored| ctx.message(&stored))
    };
    let has_error = {
        let error = error.clone();
        move || error().is_some()
    };
    let hint_id = format!("{id}-hint");
    let describedby = match &hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="sw-field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <span class="sw-hint" id=hint_id>{h}</span> })}
            <input id=id name=name type=kind autocomplete=autocomplete
                aria-invalid=move || has_error().to_string()
                aria-describedby=describedby
                prop:value=move || ctx.details.with(|d| get(d).clone())
                on:input=move |ev| ctx.details.update(|d| set(d, event_target_value(&ev))) />
            <span class="sw-field-error" id=error_id>{error}</span>
        </div>
    }
}
