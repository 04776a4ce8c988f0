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
/// The key of its words, or `None` while there is more time.
fn hold_announcement(remaining_ms: f64) -> Option<&'static str> {
    match remaining_ms {
        ms if ms <= 60_000.0 => Some("widget.hold.ends_1"),
        ms if ms <= 120_000.0 => Some("widget.hold.ends_2"),
        ms if ms <= 300_000.0 => Some("widget.hold.ends_5"),
        _ => None,
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
                    {ctx.t("widget.hold.holding")} <strong>{label}</strong> {ctx.t("widget.hold.for_you")}
                    <span class="sw-countdown" data-testid="countdown">{move || minutes_seconds(remaining())}</span>
                    {ctx.t("widget.hold.left_after")}
                </p>
                <p class="sw-visually-hidden" aria-live="polite" data-testid="hold-announcement">
                    {move || announcement.get().map(|key| ctx.t(key)).unwrap_or_default()}
                </p>
            }
            .into_any()
        } else {
            let slot = held.hold.slot.clone();
            view! {
                <div class="sw-callout" role="alert" data-testid="hold-expired">
                    <p>{ctx.t("widget.hold.ran_out_before")} <strong>{label}</strong> {ctx.t("widget.hold.ran_out_after")}</p>
                    <div class="sw-row">
                        <button type="button" class="sw-primary" disabled=move || busy.get()
                            on:click=move |_| {
                                if ctx.chain.with_untracked(Option::is_some) {
                                    // A procedure's visits are held again together, from the picker.
                                    ctx.held.set(None);
                                    ctx.chain.set(None);
                                    ctx.update_flow(|f, _| f.step = Step::Time);
                                } else {
                                    hold_slot(ctx, slot.clone(), busy, problem);
                                }
                            }>
                            {ctx.t("widget.hold.again")}
                        </button>
                        <button type="button" class="sw-secondary"
                            on:click=move |_| ctx.update_flow(|f, _| f.step = Step::Time)>
                            {ctx.t("widget.hold.another")}
                        </button>
                    </div>
                    {move || problem.get().map(|p| view! { <p class="sw-error">{p}</p> })}
                </div>
            }
            .into_any()
        })
    }
}
