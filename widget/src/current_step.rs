//! The step of the booking flow the patient is on; in the first-steps module, the hand-over
//! where the full module has a later step.

use crate::ctx::Ctx;
#[cfg(not(feature = "later-steps"))]
use crate::resume::HandOff;
#[cfg(feature = "later-steps")]
use crate::steps::{DetailsStep, DoneStep, ReviewStep};
use crate::steps::{
    InsuranceStep, LocationStep, PatientTypeStep, ProviderStep, ReasonStep, TimeStep,
};
use leptos::prelude::*;
use slotwise_shared::booking_flow::Step;

/// The step of the booking flow the patient is on.
#[component]
pub fn CurrentStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let step = Memo::new(move |_| ctx.flow.with(|f| f.step));
    move || match step.get() {
        Step::PatientType => view! { <PatientTypeStep /> }.into_any(),
        Step::Reason => view! { <ReasonStep /> }.into_any(),
        Step::Location => view! { <LocationStep /> }.into_any(),
        Step::Provider => view! { <ProviderStep /> }.into_any(),
        Step::Insurance => view! { <InsuranceStep /> }.into_any(),
        Step::Time => view! { <TimeStep /> }.into_any(),
        later => later_step(later).into_any(),
    }
}

/// The steps after the time.
#[cfg(feature = "later-steps")]
fn later_step(step: Step) -> impl IntoView {
    match step {
        Step::Details => view! { <DetailsStep /> }.into_any(),
        Step::Review => view! { <ReviewStep /> }.into_any(),
        _ => view! { <DoneStep /> }.into_any(),
    }
}

/// The steps after the time are in the full module.
#[cfg(not(feature = "later-steps"))]
fn later_step(_step: Step) -> impl IntoView {
    view! { <HandOff /> }
}
