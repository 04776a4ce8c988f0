//! Holding a time: the call, and the alternatives shown when a time is gone (taken by someone
//! else, or the hold ran out) instead of an error. The countdown is in `hold_banner`.

use crate::ctx::{Alternatives, Ctx, Held};
use crate::host;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{HoldRequest, SlotOption};
use slotwise_shared::booking_flow::Step;
use slotwise_shared::client::ClientError;
use slotwise_shared::error::ErrorCode;

/// The alternatives in an error answer, if it has any.
pub fn alternatives_of(error: &ClientError) -> Option<Vec<SlotOption>> {
    let body = error.body()?;
    match body.code {
        ErrorCode::SlotUnavailable | ErrorCode::HoldExpired => {
            Some(body.alternatives.clone().unwrap_or_default())
        }
        _ => None,
    }
}

/// Holds `slot`; on success the flow moves on (to details, or to the review when the details
/// are already in or the patient is known from their personal link). `busy` is set while the call runs; failures land in `problem`.
pub fn hold_slot(
    ctx: Ctx,
    slot: SlotOption,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    problem.set(None);
    let Some(reason) = ctx.flow.with_untracked(|f| f.reason) else {
        busy.set(false);
        return;
    };
    let request = HoldRequest {
        reason,
        provider: slot.provider,
        start: slot.start,
        lang: Some(ctx.lang()),
    };
    let (slug, hold_minutes) =
        ctx.with_config(|c| (c.practice.slug.clone(), c.settings.hold_minutes));
    let client = ctx.client.get_value();
    spawn_local(async move {
        match client.hold(&slug, &request).await {
            Ok(hold) => {
                let deadline_ms = host::now_ms() + f64::from(hold_minutes) * 60_000.0 - 5_000.0;
                let previous = ctx
                    .held
                    .with_untracked(|h| h.as_ref().map(|h| h.hold.hold_token.clone()));
                let previous_chain = ctx.chain.with_untracked(Option::is_some);
                ctx.held.set(Some(Held { hold, deadline_ms }));
                // A single visit now: no procedure's visits are held any more.
                ctx.chain.set(None);
                // The time held before is given back for other patients (best effort: it
                // runs out by itself otherwise).
                if let Some(previous) = previous {
                    spawn_local(async move {
                        let _ = if previous_chain {
                            client.release_procedure_hold(&slug, &previous).await
                        } else {
                            client.release_hold(&slug, &previous).await
                        };
                    });
                }
                ctx.alternatives.set(None);
                let details_done = ctx.flow.with_untracked(|f| f.step == Step::Review);
                if !details_done {
                    let known = ctx.skips_details();
                    ctx.update_flow(|f, _| {
                        if known {
                            f.details_entered();
                        } else {
                            f.time_held();
                        }
                    });
                }
            }
            Err(error) => match alternatives_of(&error) {
                Some(options) => ctx.alternatives.set(Some(Alternatives {
                    message: ctx.t("widget.hold.taken"),
                    options,
                })),
                None => problem.set(Some(ctx.error_text(&error))),
            },
        }
        busy.set(false);
    });
}

/// Other free times, each one tap to hold.
#[component]
pub fn AlternativesPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    move || {
        ctx.alternatives.get().map(|alt| {
            let empty = alt.options.is_empty();
            view! {
                <div class="sw-callout sw-alternatives" role="alert" data-testid="alternatives">
                    <p>{alt.message}</p>
                    <Show when=move || empty>
                        <p>{ctx.t("widget.hold.no_alternatives")}</p>
                    </Show>
                    <div class="sw-times">
                        {alt.options.into_iter().map(|slot| {
                            let label = slot.full_label.clone();
                            view! {
                                <button type="button" class="sw-time sw-alt" aria-label=label.clone()
                                    disabled=move || busy.get()
                                    on:click=move |_| hold_slot(ctx, slot.clone(), busy, problem)>
                                    {label.clone()}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                    {move || problem.get().map(|p| view! { <p class="sw-error">{p}</p> })}
                </div>
            }
        })
    }
}
