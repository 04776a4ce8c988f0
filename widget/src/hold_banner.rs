//! The hold banner above the steps after the time: the countdown, what a screen reader hears
//! about it, and what to do when the hold ran out.

use crate::ctx::Ctx;
use crate::hold::hold_slot;
use leptos::prelude::*;
use slotwise_shared::booking_flow::Step;

fn minutes_seconds(ms: f64) -> String {
    let total = (ms / 1000.0).ceil().max(0.0) as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

/// What a screen reader hears about the hold: nothing while there is time, then once each at
/// five, two and one minute left (the visible countdown ticks every second and is not read).
fn hold_announcement(remaining_ms: f64) -> &'static str {
    match remaining_ms {
        ms if ms <= 60_000.0 => "Your hold ends in about a minute.",
        ms if ms <= 120_000.0 => "Your hold ends in about 2 minutes.",
        ms if ms <= 300_000.0 => "Your hold ends in about 5 minutes.",
        _ => "",
    }
}

/// "We're holding … for you · 9:41 left", or what to do when the hold ran out. Only the
/// countdown text changes every second; the rest is rebuilt when the hold or its expiry changes,
/// so focus and screen readers are not disturbed. The banner sits in the flow above the step
/// (never fixed or sticky), so it cannot cover the focused field (WCAG 2.4.11).
#[component]
pub fn HoldBanner() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let remaining = move || {
        ctx.held
            .with(|h| h.as_ref().map(|h| h.deadline_ms - ctx.now_ms.get()))
            .unwrap_or(0.0)
    };
    let expired = Memo::new(move |_| remaining() <= 0.0);
    let announcement = Memo::new(move |_| hold_announcement(remaining()));
    move || {
        let held = ctx.held.get()?;
        let label = held.hold.slot.full_label.clone();
        Some(if !expired.get() {
            view! {
                <p class="sw-hold" role="timer" aria-live="off">
                    "We're holding " <strong>{label}</strong> " for you · "
                    <span class="sw-countdown" data-testid="countdown">{move || minutes_seconds(remaining())}</span>
                    " left"
                </p>
                <p class="sw-visually-hidden" aria-live="polite" data-testid="hold-announcement">
                    {move || announcement.get()}
                </p>
            }
            .into_any()
        } else {
            let slot = held.hold.slot.clone();
            view! {
                <div class="sw-callout" role="alert" data-testid="hold-expired">
                    <p>"Your hold on " <strong>{label}</strong> " ran out."</p>
                    <div class="sw-row">
                        <button type="button" class="sw-primary" disabled=move || busy.get()
                            on:click=move |_| hold_slot(ctx, slot.clone(), busy, problem)>
                            "Hold it again"
                        </button>
                        <button type="button" class="sw-secondary"
                            on:click=move |_| ctx.update_flow(|f, _| f.step = Step::Time)>
                            "Pick another time"
                        </button>
                    </div>
                    {move || problem.get().map(|p| view! { <p class="sw-error">{p}</p> })}
                </div>
            }
            .into_any()
        })
    }
}
