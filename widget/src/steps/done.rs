//! The confirmation: what was booked, the practice's words, calendar and manage links, the
//! intake form for new patients — or, when the practice's system could not take the booking
//! yet, word that the team has the details and will confirm.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use leptos::prelude::*;
use slotwise_shared::procedures::ProcedureBooked;

/// The last step.
#[component]
pub fn DoneStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        if let Some(queued) = ctx.queued.get() {
            return view! {
                <StepFrame title=ctx.t("widget.done.queued_title")>
                    <p class="sw-note" role="status" data-testid="queued">{queued.message.clone()}</p>
                    <p class="sw-note">{ctx.t("widget.done.questions")} " " <a href=format!("tel:{}", queued.practice_phone)>{queued.practice_phone.clone()}</a> "."</p>
                </StepFrame>
            }
            .into_any();
        }
        if let Some(booked) = ctx.procedure_booked.get() {
            return procedure_done(ctx, booked).into_any();
        }
        ctx.booking
            .get()
            .map(|created| {
                let intake = created.intake_url.clone();
                let b = created.booking;
                view! {
                    <StepFrame title=ctx.t("widget.done.title")>
                        <div class="sw-confirmed" data-testid="confirmation">
                            <p class="sw-when">{b.when_label.clone()}</p>
                            <p>{ctx.tf("widget.done.with", &[("reason", &b.reason.name), ("provider", &b.provider.name)])}</p>
                            <p>{b.location.name.clone()} ", " {b.location.address.clone()}</p>
                            <p class="sw-reference">{ctx.t("widget.done.reference")} " " <strong data-testid="reference">{b.reference.clone()}</strong></p>
                        </div>
                        {(!b.confirmation_text.is_empty()).then(|| view! { <p class="sw-note">{b.confirmation_text.clone()}</p> })}
                        {intake.map(|url| view! {
                            <p class="sw-note">
                                {ctx.t("widget.done.intake_before")} " "
                                <a href=url target="_blank" rel="noopener" data-testid="intake-link">{ctx.t("widget.done.intake_link")}</a> "."
                            </p>
                        })}
                        <div class="sw-row">
                            <a class="sw-secondary" href=b.calendar.ics_url.clone() download="appointment.ics">{ctx.t("widget.done.ics")}</a>
                            <a class="sw-secondary" href=b.calendar.google_url.clone() target="_blank" rel="noopener">{ctx.t("widget.done.google")}</a>
                        </div>
                        <p class="sw-note">
                            {ctx.t("widget.done.change")} " "
                            <a href=b.manage_url.clone() target="_blank" rel="noopener" data-testid="manage-link">{ctx.t("widget.done.manage")}</a>
                            " " {ctx.t("widget.done.or_call")} " " {b.practice_phone.clone()} "."
                        </p>
                    </StepFrame>
                }
                .into_any()
            })
            .unwrap_or_else(|| ().into_any())
    }
}

/// Every visit of a booked procedure, each with its reference and its own manage link.
fn procedure_done(ctx: Ctx, booked: ProcedureBooked) -> impl IntoView {
    let intake = booked.intake_url.clone();
    let lead = ctx.tf("widget.done.procedure_lead", &[("name", &booked.name)]);
    let words = booked
        .steps
        .first()
        .map(|s| s.booking.confirmation_text.clone())
        .unwrap_or_default();
    let phone = booked
        .steps
        .first()
        .map(|s| s.booking.practice_phone.clone())
        .unwrap_or_default();
    view! {
        <StepFrame title=ctx.t("widget.done.procedure_title") lead=lead>
            <ol class="sw-chain-visits" data-testid="procedure-confirmation">
                {booked.steps.into_iter().enumerate().map(|(k, step)| {
                    let b = step.booking;
                    let visit = ctx.tf("widget.chain.visit", &[("n", &ctx.visit_number(k).to_string()), ("name", &b.reason.name)]);
                    view! {
                        <li data-testid=format!("booked-visit-{}", k + 1)>
                            <span class="sw-chain-visit">{visit.clone()}</span>
                            <span>{b.when_label.clone()} " · " {b.provider.name.clone()} " · " {b.location.name.clone()}</span>
                            <span class="sw-reference">" · " {ctx.t("widget.done.reference")} " " <strong>{b.reference.clone()}</strong></span>
                            <a class="sw-link" href=b.manage_url.clone() target="_blank" rel="noopener"
                                aria-label=format!("{} ({visit})", ctx.t("widget.done.manage"))>{ctx.t("widget.done.manage")}</a>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!words.is_empty()).then(|| view! { <p class="sw-note">{words}</p> })}
            {intake.map(|url| view! {
                <p class="sw-note">
                    {ctx.t("widget.done.intake_before")} " "
                    <a href=url target="_blank" rel="noopener" data-testid="intake-link">{ctx.t("widget.done.intake_link")}</a> "."
                </p>
            })}
            <p class="sw-note">{ctx.t("widget.done.questions")} " " <a href=format!("tel:{phone}")>{phone.clone()}</a> "."</p>
        </StepFrame>
    }
}
