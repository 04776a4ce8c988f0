//! The time step: the practice's free times for the chosen reason and provider; picking one
//! holds it. The practice's timezone is always shown.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use crate::hold::{hold_slot, AlternativesPanel};
use crate::time_picker::{TimePicker, TimeQuery};
use leptos::callback::Callback;
use leptos::prelude::*;
use slotwise_shared::api::ProviderChoice;

/// The time step.
#[component]
pub fn TimeStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let timezone = ctx.with_config(|c| c.practice.timezone.clone());
    let query = ctx.flow.with_untracked(|f| {
        f.reason.map(|reason| TimeQuery {
            reason,
            provider: f.provider.unwrap_or(ProviderChoice::Any),
            patient: f.patient_type,
        })
    });
    let on_pick = Callback::new(move |slot| hold_slot(ctx, slot, busy, problem));
    view! {
        <StepFrame title="Pick a time" lead=format!("Times are shown in the practice's time zone ({timezone}).")>
            <AlternativesPanel />
            {query.map(|query| view! { <TimePicker query busy on_pick /> })}
            {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
        </StepFrame>
    }
}
