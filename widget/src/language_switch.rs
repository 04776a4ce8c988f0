//! The language switch in the widget's header: the languages there are, each in its own name.
//! Choosing one loads the practice's settings in it and re-renders the step the patient is on;
//! their choices, a held time and what they typed stay.

use crate::ctx::Ctx;
use leptos::html::Select;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The switch; nothing when there is one language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let languages = ctx.with_config(|c| c.languages.clone());
    if languages.len() < 2 {
        return ().into_any();
    }
    let select = NodeRef::<Select>::new();
    let busy = RwSignal::new(false);
    let change = move |_| {
        let Some(element) = select.get_untracked() else {
            return;
        };
        let code = element.value();
        if code == ctx.language.get_untracked() {
            return;
        }
        busy.set(true);
        let client = ctx.client.get_value();
        let slug = ctx.with_config(|c| c.practice.slug.clone());
        spawn_local(async move {
            let query = format!("lang={}", js_sys::encode_uri_component(&code));
            match client.booking_config_with(&slug, &query).await {
                Ok(config) => ctx.switch_language(config),
                // Still the language it was: the switch says so again.
                Err(_) => element.set_value(&ctx.language.get_untracked()),
            }
            busy.set(false);
        });
    };
    let label = move || {
        ctx.language.track();
        ctx.t("widget.language")
    };
    view! {
        <select class="sw-lang" node_ref=select aria-label=label aria-busy=move || busy.get().to_string()
            on:change=change>
            {languages
                .into_iter()
                .map(|l| {
                    let code = l.code.clone();
                    let chosen = move || ctx.language.get() == code;
                    view! { <option value=l.code.clone() lang=l.code selected=chosen>{l.name}</option> }
                })
                .collect_view()}
        </select>
    }
    .into_any()
}
