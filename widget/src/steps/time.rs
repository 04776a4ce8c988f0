//! The time step: the practice's free times for the chosen reason, location and provider;
//! picking one holds it. A chosen location is named with its address above the times. The practice's time zone is always named as patients know it ("Eastern Time"),
//! and a patient whose device is set to another zone is told so next to the times.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use crate::hold::{hold_slot, AlternativesPanel};
use crate::time_picker::{TimePicker, TimeQuery};
use leptos::callback::Callback;
use leptos::prelude::*;
use slotwise_shared::api::ProviderChoice;
use slotwise_shared::model::ProviderId;

/// The time step (for a procedure of several visits, the chain picker).
#[component]
pub fn TimeStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let (zone, zone_name) = ctx.with_config(|c| {
        (
            c.practice.timezone.clone(),
            c.practice.timezone_name.clone(),
        )
    });
    let device = crate::host::device_time_zone();
    let elsewhere = (!device.is_empty() && device != zone).then(|| {
        view! {
            <p class="sw-note" data-testid="other-zone">
                {ctx.tf("widget.time.other_zone", &[("zone", &zone_name)])}
            </p>
        }
    });
    let query = ctx.flow.with_untracked(|f| {
        f.reason.map(|reason| TimeQuery {
            reason,
            provider: f.provider.unwrap_or(ProviderChoice::Any),
            patient: f.patient_type,
            location: f.location.and_then(|l| l.id()),
        })
    });
    // The chosen office, read first: its words are looked up outside the settings' borrow.
    let office = ctx.with_config(|c| {
        let id = ctx
            .flow
            .with_untracked(|f| f.location.and_then(|l| l.id()))?;
        let several = c.locations.len() > 1;
        let l = c
            .locations
            .iter()
            .find(|l| l.id == id)
            .filter(|_| several)?;
        Some((l.name.clone(), l.address.clone()))
    });
    let place = office.map(|(name, address)| {
        let words = ctx.tf(
            "widget.time.place",
            &[("location", &name), ("address", &address)],
        );
        view! { <p class="sw-note" data-testid="time-place">{words}</p> }
    });
    let on_pick = Callback::new(move |slot| hold_slot(ctx, slot, busy, problem));
    // A waitlist offer's link: its time, while the patient is still on its visit and provider.
    let offered = ctx.options.with_value(|o| o.offered()).filter(|o| {
        query.is_some_and(|q| {
            q.reason.0 == o.reason && q.provider == ProviderChoice::Id(ProviderId(o.provider))
        })
    });
    let procedure = ctx
        .procedure
        .get_untracked()
        .filter(|p| ctx.flow.with_untracked(|f| f.procedure == Some(p.id)));
    if let Some(offer) = procedure {
        // Through a procedure link the chain is the rest: its first visit is the next one.
        let title = if ctx.visit_number(0) > 1 {
            ctx.t("widget.chain.title_next")
        } else {
            ctx.t("widget.chain.title")
        };
        return view! {
            <StepFrame title=title lead=ctx.tf("widget.time.zone", &[("zone", &zone_name)])>
                {elsewhere}
                {move || ctx.alternatives.get().map(|a| view! { <p class="sw-error" role="alert">{a.message}</p> })}
                {chain_picker(offer)}
            </StepFrame>
        }
        .into_any();
    }
    view! {
        <StepFrame title=ctx.t("widget.time.title") lead=ctx.tf("widget.time.zone", &[("zone", &zone_name)])>
            {place}
            {elsewhere}
            // Above the times, so the times arriving below never move it.
            {move || if ctx.flow.with(|f| f.waitlist) {
                waitlist_form().into_any()
            } else {
                view! {
                    <button type="button" class="sw-link" data-action="open-waitlist"
                        on:click=move |_| ctx.flow.update(|f| f.waitlist = true)>
                        {ctx.t("widget.waitlist.open")}
                    </button>
                }.into_any()
            }}
            <AlternativesPanel />
            {query.map(|query| view! { <TimePicker query busy on_pick offered /> })}
            {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
        </StepFrame>
    }
    .into_any()
}

/// The chain picker of a procedure's visits.
#[cfg(feature = "later-steps")]
fn chain_picker(offer: slotwise_shared::procedures::ProcedureOffer) -> impl IntoView {
    view! { <crate::chain_picker::ChainPicker offer /> }
}

/// The waitlist form, above the times.
#[cfg(feature = "later-steps")]
fn waitlist_form() -> impl IntoView {
    view! { <crate::waitlist_form::WaitlistForm /> }
}

/// The waitlist form is in the full module: the first-steps module hands over to it.
#[cfg(not(feature = "later-steps"))]
fn waitlist_form() -> impl IntoView {
    view! { <crate::resume::HandOff /> }
}

/// The chain picker is in the full module: the first-steps module hands over to it.
#[cfg(not(feature = "later-steps"))]
fn chain_picker(_offer: slotwise_shared::procedures::ProcedureOffer) -> impl IntoView {
    view! { <crate::resume::HandOff /> }
}
