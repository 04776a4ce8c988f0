//! The choice steps: new or returning, reason for visit (or a procedure of several visits),
//! location, provider, insurance.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{InsuranceChoice, ProviderChoice};
use slotwise_shared::booking_flow::{eligible_reasons, procedure_fits, LocationChoice};
use slotwise_shared::model::{CarrierId, PatientType};
use slotwise_shared::procedures::ProcedureOffer;

/// A big tappable choice with a title and an optional line under it.
#[component]
fn Choice(
    #[prop(into)] title: String,
    #[prop(optional, into)] detail: Option<String>,
    #[prop(into)] choice: String,
    #[prop(optional, into)] selected: Signal<bool>,
    on_pick: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="sw-choice" data-choice=choice
            aria-pressed=move || selected.get().to_string() on:click=move |_| on_pick()>
            <span class="sw-choice-title">{title}</span>
            {detail.filter(|d| !d.is_empty()).map(|d| view! { <span class="sw-choice-detail">{d}</span> })}
        </button>
    }
}

/// New or returning patient.
#[component]
pub fn PatientTypeStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pick = move |p: PatientType| ctx.update_flow(move |f, c| f.choose_patient_type(c, p));
    let is =
        move |p: PatientType| Signal::derive(move || ctx.flow.with(|f| f.patient_type == Some(p)));
    view! {
        <StepFrame title=ctx.t("widget.patient_type.title")>
            <div class="sw-choices">
                <Choice title=ctx.t("widget.patient_type.new") detail=ctx.t("widget.patient_type.new_detail") choice="new"
                    selected=is(PatientType::New) on_pick=move || pick(PatientType::New) />
                <Choice title=ctx.t("widget.patient_type.returning") detail=ctx.t("widget.patient_type.returning_detail") choice="returning"
                    selected=is(PatientType::Returning) on_pick=move || pick(PatientType::Returning) />
            </div>
        </StepFrame>
    }
}

/// The reasons this kind of patient may book.
#[component]
pub fn ReasonStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let patient = ctx
        .flow
        .with_untracked(|f| f.patient_type)
        .unwrap_or(PatientType::New);
    let (reasons, phone) = ctx.with_config(|c| {
        let reasons: Vec<_> = eligible_reasons(c, patient).into_iter().cloned().collect();
        (reasons, c.practice.phone.clone())
    });
    let existing_only = ctx.with_config(|c| c.settings.existing_patients_only);
    if patient == PatientType::New && existing_only {
        return new_patient_request().into_any();
    }
    if reasons.is_empty() {
        let why = match patient {
            PatientType::New => ctx.t("widget.reason.none_new"),
            PatientType::Returning => ctx.t("widget.reason.none_returning"),
        };
        return view! {
            <StepFrame title=ctx.t("widget.reason.call_title")>
                <p class="sw-note">
                    {why} " " {ctx.t("widget.reason.call")} " " <a href=format!("tel:{phone}")>{phone.clone()}</a>
                    " " {ctx.t("widget.reason.call_after")}
                </p>
            </StepFrame>
        }
        .into_any();
    }
    let chosen = move |id| Signal::derive(move || ctx.flow.with(|f| f.reason == Some(id)));
    view! {
        <StepFrame title=ctx.t("widget.reason.title")>
            <div class="sw-choices">
                {reasons.into_iter().map(|r| {
                    let id = r.id;
                    let detail = if r.description.is_empty() {
                        format!("{} min", r.duration_min)
                    } else {
                        format!("{} · {} min", r.description, r.duration_min)
                    };
                    view! {
                        <Choice title=r.name detail choice=format!("reason-{id}") selected=chosen(id)
                            on_pick=move || ctx.update_flow(move |f, c| { f.choose_reason(c, id); }) />
                    }
                }).collect_view()}
            </div>
            <Procedures />
        </StepFrame>
    }
    .into_any()
}

/// "Checkup, then Surgery 7–21 days later, then …": a procedure's visits in words.
fn procedure_detail(ctx: Ctx, offer: &ProcedureOffer) -> String {
    let steps = offer
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            if k == 0 {
                s.name.clone()
            } else {
                ctx.tf(
                    "widget.procedure.then",
                    &[
                        ("name", &s.name),
                        ("from", &s.gap_min_days.to_string()),
                        ("to", &s.gap_max_days.to_string()),
                    ],
                )
            }
        })
        .collect::<Vec<_>>()
        .join(" → ");
    let visits = ctx.tf(
        "widget.procedure.visits",
        &[("count", &offer.steps.len().to_string()), ("steps", &steps)],
    );
    if offer.description.is_empty() {
        visits
    } else {
        format!("{} · {visits}", offer.description)
    }
}

/// The procedures of several visits this patient may book, below the single visits (loaded
/// when the step shows; nothing is shown when there are none).
#[component]
fn Procedures() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let offers = RwSignal::new(Vec::<ProcedureOffer>::new());
    let slug = ctx.with_config(|c| c.practice.slug.clone());
    let client = ctx.client.get_value();
    let patient = ctx.flow.with_untracked(|f| f.patient_type);
    spawn_local(async move {
        if let Ok(found) = client.procedures(&slug).await {
            let fitting: Vec<_> = ctx.with_config(|c| {
                found
                    .procedures
                    .into_iter()
                    .filter(|p| procedure_fits(c, patient, p))
                    .collect()
            });
            offers.try_set(fitting);
        }
    });
    let chosen = move |id| Signal::derive(move || ctx.flow.with(|f| f.procedure == Some(id)));
    move || {
        let list = offers.get();
        (!list.is_empty()).then(|| {
            view! {
                <h3 class="sw-group" id="sw-procedures">{ctx.t("widget.procedure.group")}</h3>
                <div class="sw-choices" role="group" aria-labelledby="sw-procedures">
                    {list.into_iter().map(|offer| {
                        let id = offer.id;
                        let detail = procedure_detail(ctx, &offer);
                        let name = offer.name.clone();
                        view! {
                            <Choice title=name detail choice=format!("procedure-{id}") selected=chosen(id)
                                on_pick=move || {
                                    let offer = offer.clone();
                                    ctx.procedure.set(Some(offer.clone()));
                                    ctx.update_flow(move |f, c| { f.choose_procedure(c, &offer); });
                                } />
                        }
                    }).collect_view()}
                </div>
            }
        })
    }
}

/// The locations where the reason is offered, each with its address, and "any location" when
/// the practice allows it.
#[component]
pub fn LocationStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (locations, any_allowed) = ctx.with_config(|c| {
        let here: Vec<_> = ctx
            .flow
            .with_untracked(|f| f.locations(c).into_iter().cloned().collect());
        (here, c.settings.any_location)
    });
    let pick = move |choice: LocationChoice| {
        ctx.update_flow(move |f, c| {
            f.choose_location(c, choice);
        })
    };
    let chosen =
        move |choice| Signal::derive(move || ctx.flow.with(|f| f.location == Some(choice)));
    let any = any_allowed.then(|| {
        view! {
            <Choice title=ctx.t("widget.location.any") detail=ctx.t("widget.location.any_detail") choice="location-any"
                selected=chosen(LocationChoice::Any) on_pick=move || pick(LocationChoice::Any) />
        }
    });
    view! {
        <StepFrame title=ctx.t("widget.location.title")>
            <div class="sw-choices">
                {locations.into_iter().map(|l| {
                    let choice = LocationChoice::Id(l.id);
                    view! {
                        <Choice title=l.name detail=l.address choice=format!("location-{}", l.id)
                            selected=chosen(choice) on_pick=move || pick(choice) />
                    }
                }).collect_view()}
                {any}
            </div>
        </StepFrame>
    }
}

/// Providers who see this reason (at the chosen location), and "first available".
#[component]
pub fn ProviderStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let providers: Vec<_> = ctx.with_config(|c| {
        ctx.flow
            .with_untracked(|f| f.providers(c).into_iter().cloned().collect())
    });
    let pick = move |choice: ProviderChoice| {
        ctx.update_flow(move |f, c| {
            f.choose_provider(c, choice);
        })
    };
    let chosen =
        move |choice| Signal::derive(move || ctx.flow.with(|f| f.provider == Some(choice)));
    let any = (providers.len() > 1).then(|| {
        view! {
            <Choice title=ctx.t("widget.provider.any") detail=ctx.t("widget.provider.any_detail") choice="provider-any"
                selected=chosen(ProviderChoice::Any) on_pick=move || pick(ProviderChoice::Any) />
        }
    });
    view! {
        <StepFrame title=ctx.t("widget.provider.title")>
            <div class="sw-choices">
                {any}
                {providers.into_iter().map(|p| {
                    let choice = ProviderChoice::Id(p.id);
                    view! {
                        <Choice title=p.name detail=p.role choice=format!("provider-{}", p.id)
                            selected=chosen(choice) on_pick=move || pick(choice) />
                    }
                }).collect_view()}
            </div>
        </StepFrame>
    }
}

/// Accepted carriers, self-pay, and the out-of-network path.
#[component]
pub fn InsuranceStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (carriers, out_of_network_text) =
        ctx.with_config(|c| (c.carriers.clone(), c.settings.out_of_network_text.clone()));
    let out_of_network = RwSignal::new(false);
    let pick = move |choice: InsuranceChoice| {
        ctx.update_flow(move |f, c| {
            f.choose_insurance(c, choice);
        })
    };
    let chosen_carrier = move |id: CarrierId| {
        Signal::derive(move || {
            ctx.flow.with(|f| matches!(f.insurance, Some(InsuranceChoice::Carrier { carrier, .. }) if carrier == id))
        })
    };
    view! {
        <StepFrame title=ctx.t("widget.insurance.title") lead=ctx.t("widget.insurance.lead")>
            <div class="sw-choices">
                {carriers.into_iter().map(|carrier| {
                    let id = carrier.id;
                    view! {
                        <Choice title=carrier.name choice=format!("carrier-{id}") selected=chosen_carrier(id)
                            on_pick=move || pick(InsuranceChoice::Carrier { carrier: id, member_id: None }) />
                    }
                }).collect_view()}
                <Choice title=ctx.t("widget.insurance.not_listed") choice="out-of-network"
                    selected=Signal::from(out_of_network) on_pick=move || out_of_network.set(true) />
                <Choice title=ctx.t("widget.insurance.self_pay") detail=ctx.t("widget.insurance.self_pay_detail") choice="self-pay"
                    selected=Signal::derive(move || ctx.flow.with(|f| f.insurance == Some(InsuranceChoice::SelfPay)))
                    on_pick=move || pick(InsuranceChoice::SelfPay) />
            </div>
            <Show when=move || out_of_network.get()>
                <div class="sw-callout" role="status">
                    <p>{out_of_network_text.clone()}</p>
                    <button type="button" class="sw-primary" data-action="continue-self-pay"
                        on:click=move |_| pick(InsuranceChoice::SelfPay)>
                        {ctx.t("widget.insurance.continue_self_pay")}
                    </button>
                </div>
            </Show>
        </StepFrame>
    }
}

/// A new patient at a practice that books existing patients only sends a request.
#[cfg(feature = "later-steps")]
fn new_patient_request() -> impl IntoView {
    view! { <super::request::RequestForm /> }
}

/// A new patient at a practice that books existing patients only sends a request: a form of
/// the full module.
#[cfg(not(feature = "later-steps"))]
fn new_patient_request() -> impl IntoView {
    view! { <crate::resume::HandOff /> }
}
