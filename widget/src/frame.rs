//! The frame every step shares: Back button, a heading that takes focus when the step opens
//! (after the patient has started), and an optional lead line.

use crate::ctx::Ctx;
use leptos::html::H2;
use leptos::prelude::*;

/// One step's frame.
#[component]
pub fn StepFrame(
    #[prop(into)] title: String,
    #[prop(optional, into)] lead: Option<String>,
    children: Children,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let heading = NodeRef::<H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            if ctx.patient_started.get_untracked() {
                let _ = h.focus();
            }
        }
    });
    let can_go_back = move || ctx.flow.with(|f| f.can_go_back());
    view! {
        <section class="sw-step">
            <div class="sw-step-head">
                <Show when=can_go_back>
                    <button type="button" class="sw-back" on:click=move |_| ctx.go_back()>
                        <span aria-hidden="true">"‹ "</span>{ctx.t("widget.back")}
                    </button>
                </Show>
                <h2 class="sw-title" tabindex="-1" node_ref=heading>{title}</h2>
                {lead.map(|l| view! { <p class="sw-lead">{l}</p> })}
            </div>
            {children()}
        </section>
    }
}
