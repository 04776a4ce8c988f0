//! Review and book: one look at everything, then the booking (idempotent, so a double tap or a
//! retry after a dropped connection books once).

use super::details::booking_request;
use crate::ctx::{Alternatives, Ctx};
use crate::frame::StepFrame;
use crate::hold::{alternatives_of, AlternativesPanel};
use crate::hold_banner::HoldBanner;
use crate::host;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{BookingConfig, InsuranceChoice, LocationInfo, SlotOption};
use slotwise_shared::booking_flow::Step;
use slotwise_shared::client::{BookingOutcome, ProcedureOutcome};
use slotwise_shared::error::ErrorCode;

/// The name of a held time's provider.
fn provider_of(c: &BookingConfig, slot: &SlotOption) -> String {
    c.providers
        .iter()
        .find(|p| p.id == slot.provider)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// The location of a held time.
fn location_of<'c>(c: &'c BookingConfig, slot: &SlotOption) -> Option<&'c LocationInfo> {
    c.locations.iter().find(|l| l.id == slot.location)
}

fn summary_rows(ctx: Ctx) -> Vec<(String, String)> {
    let contact_label = ctx.t("widget.review.contact");
    let insurance_label = ctx.t("widget.review.insurance");
    let on_file_label = ctx.t("widget.review.on_file");
    let patient_label = ctx.t("widget.review.patient");
    let self_pay_label = ctx.t("widget.review.self_pay");
    let visit_label = ctx.t("widget.review.visit");
    let when_label = ctx.t("widget.review.when");
    let where_label = ctx.t("widget.review.where");
    let with_label = ctx.t("widget.review.with");
    // Tracked: after an alternative is held, the summary shows the new time.
    let held = ctx.held.get();
    let flow = ctx.flow.get();
    let form = ctx.details.get();
    let member = ctx.verified.get().and_then(|v| v.member_name());
    let chain = ctx.chain.get();
    let procedure = ctx.procedure.get();
    let visit_words = |k: usize, name: &str| {
        ctx.tf(
            "widget.chain.visit",
            &[("n", &ctx.visit_number(k).to_string()), ("name", name)],
        )
    };
    ctx.with_config(|c| {
        let reason = c
            .reasons
            .iter()
            .find(|r| Some(r.id) == flow.reason)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let (when, provider, location) = held
            .map(|h| {
                let slot = h.hold.slot;
                let location = location_of(c, &slot)
                    .map(|l| format!("{}, {}", l.name, l.address))
                    .unwrap_or_default();
                (slot.full_label.clone(), provider_of(c, &slot), location)
            })
            .unwrap_or_default();
        let insurance = match &flow.insurance {
            Some(InsuranceChoice::Carrier { carrier, .. }) => c
                .carriers
                .iter()
                .find(|k| k.id == *carrier)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            _ => self_pay_label.clone(),
        };
        let chain = chain.filter(|_| flow.procedure.is_some());
        let mut rows = match (&chain, &procedure) {
            // A procedure: its name, then each visit with its time, provider and place.
            (Some(steps), Some(offer)) => {
                let mut rows = vec![(visit_label.clone(), offer.name.clone())];
                for (k, slot) in steps.iter().enumerate() {
                    let name = offer
                        .steps
                        .get(k)
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    let provider = provider_of(c, slot);
                    let location = location_of(c, slot)
                        .map(|l| format!(" · {}", l.name))
                        .unwrap_or_default();
                    rows.push((
                        visit_words(k, &name),
                        format!("{} · {provider}{location}", slot.full_label),
                    ));
                }
                rows
            }
            _ => vec![
                (visit_label.clone(), reason),
                (when_label.clone(), when),
                (with_label.clone(), provider),
                (where_label.clone(), location),
            ],
        };
        rows.extend([
            (insurance_label.clone(), insurance),
            match member {
                Some(name) => (patient_label.clone(), name),
                None if !form.pet_name.trim().is_empty() => (
                    patient_label.clone(),
                    format!("{} ({})", form.pet_name.trim(), form.species.trim()),
                ),
                None => (
                    patient_label.clone(),
                    format!("{} {}", form.first_name.trim(), form.last_name.trim()),
                ),
            },
            (
                contact_label.clone(),
                if ctx
                    .verified
                    .with(|v| v.as_ref().is_some_and(|v| v.member.is_some()))
                {
                    on_file_label.clone()
                } else {
                    format!("{} · {}", form.phone.trim(), form.email.trim())
                },
            ),
        ]);
        rows
    })
}

/// The review step.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    // One key per booking attempt: retries of the same attempt are replays, not new bookings.
    let key = StoredValue::new(host::random_key());
    let rows = move || {
        summary_rows(ctx)
            .into_iter()
            .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
            .collect_view()
    };
    let book = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(request) = booking_request(ctx) else {
            return;
        };
        busy.set(true);
        problem.set(None);
        let slug = ctx.with_config(|c| c.practice.slug.clone());
        let client = ctx.client.get_value();
        let idempotency_key = key.get_value();
        if ctx.flow.with_untracked(|f| f.procedure.is_some())
            && ctx.chain.with_untracked(Option::is_some)
        {
            book_procedure(ctx, slug, idempotency_key, request, busy, problem, key);
            return;
        }
        spawn_local(async move {
            match client
                .book_or_queue(&slug, &idempotency_key, &request)
                .await
            {
                Ok(BookingOutcome::Queued(queued)) => {
                    ctx.queued.set(Some(queued));
                    ctx.held.set(None);
                    ctx.update_flow(|f, _| f.booked());
                }
                Ok(BookingOutcome::Booked(created)) => {
                    let created = *created;
                    let reference = created.booking.reference.clone();
                    ctx.booking.set(Some(created));
                    ctx.held.set(None);
                    ctx.update_flow(|f, _| f.booked());
                    ctx.host
                        .with_value(|h| host::emit(h, "booked", "reference", &reference));
                }
                Err(error) => {
                    // After a definite refusal the next try is a new attempt with a new key; after
                    // a lost connection or a server error it may be the same booking, so it keeps
                    // its key (a replay answers with the booking if it was made).
                    if matches!(error.status(), Some(400..=499)) {
                        key.set_value(host::random_key());
                    }
                    if let Some(options) = alternatives_of(&error) {
                        let expired = error.body().map(|b| b.code) == Some(ErrorCode::HoldExpired);
                        let message = if expired {
                            ctx.t("widget.review.expired")
                        } else {
                            ctx.t("widget.hold.taken")
                        };
                        ctx.alternatives
                            .set(Some(Alternatives { message, options }));
                    } else if let Some(fields) = error.body().and_then(|b| b.fields.clone()) {
                        ctx.field_errors.set(fields);
                        ctx.update_flow(|f, _| f.step = Step::Details);
                    } else {
                        problem.set(Some(ctx.error_text(&error)));
                    }
                }
            }
            busy.set(false);
        });
    };
    view! {
        <StepFrame title=ctx.t("widget.review.title")>
            <HoldBanner />
            <AlternativesPanel />
            <dl class="sw-summary">{rows}</dl>
            {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
            <button type="button" class="sw-primary sw-wide" data-action="book"
                disabled=move || busy.get() aria-busy=move || busy.get().to_string() on:click=book>
                {move || if busy.get() { ctx.t("widget.review.booking") } else { ctx.t("widget.review.book") }}
            </button>
        </StepFrame>
    }
}

/// Books every visit of the held chain as one. A chain taken or run out meanwhile sends the
/// patient back to the times, with the reason.
fn book_procedure(
    ctx: Ctx,
    slug: String,
    idempotency_key: String,
    request: slotwise_shared::api::BookingRequest,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    key: StoredValue<String>,
) {
    let client = ctx.client.get_value();
    spawn_local(async move {
        match client
            .book_procedure(&slug, &idempotency_key, &request)
            .await
        {
            Ok(ProcedureOutcome::Queued(queued)) => {
                ctx.queued.set(Some(queued));
                ctx.held.set(None);
                ctx.chain.set(None);
                ctx.update_flow(|f, _| f.booked());
            }
            Ok(ProcedureOutcome::Booked(booked)) => {
                let booked = *booked;
                let reference = booked
                    .steps
                    .first()
                    .map(|s| s.booking.reference.clone())
                    .unwrap_or_default();
                ctx.procedure_booked.set(Some(booked));
                ctx.held.set(None);
                ctx.chain.set(None);
                ctx.update_flow(|f, _| f.booked());
                ctx.host
                    .with_value(|h| host::emit(h, "booked", "reference", &reference));
            }
            Err(error) => {
                if matches!(error.status(), Some(400..=499)) {
                    key.set_value(host::random_key());
                }
                let code = error.body().map(|b| b.code);
                if matches!(
                    code,
                    Some(ErrorCode::SlotUnavailable | ErrorCode::HoldExpired)
                ) {
                    ctx.held.set(None);
                    ctx.chain.set(None);
                    ctx.update_flow(|f, _| f.step = Step::Time);
                    // Said on the times step, which the patient picks again from.
                    let message = if code == Some(ErrorCode::HoldExpired) {
                        ctx.t("widget.review.expired")
                    } else {
                        ctx.t("widget.chain.taken")
                    };
                    ctx.alternatives.set(Some(Alternatives {
                        message,
                        options: Vec::new(),
                    }));
                } else if let Some(fields) = error.body().and_then(|b| b.fields.clone()) {
                    ctx.field_errors.set(fields);
                    ctx.update_flow(|f, _| f.step = Step::Details);
                } else {
                    problem.set(Some(ctx.error_text(&error)));
                }
            }
        }
        busy.set(false);
    });
}
