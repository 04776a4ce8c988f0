//! The patient's own booking, opened from the manage link: see it, add it to a calendar, move
//! it to another free time (hold, then reschedule into the hold), cancel it, or ask to be told
//! when an earlier time opens (the waitlist).

use crate::ctx::Ctx;
use crate::time_picker::{TimePicker, TimeQuery};
use leptos::callback::Callback;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{
    BookingView, HoldRequest, ProviderChoice, RescheduleRequest, SlotOption,
};
use slotwise_shared::model::AppointmentStatus;
use slotwise_shared::waitlist::EarlierTime;

#[derive(Clone)]
enum State {
    Loading,
    Ready(Box<BookingView>),
    Failed(String),
}

/// What the patient is doing with the booking.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Viewing,
    Moving,
    ConfirmingCancel,
}

/// The manage view for one token.
#[component]
pub fn ManageBooking(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = RwSignal::new(State::Loading);
    let mode = RwSignal::new(Mode::Viewing);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let moved = RwSignal::new(false);
    let slug = StoredValue::new(ctx.with_config(|c| c.practice.slug.clone()));
    let token = StoredValue::new(token);
    let client = ctx.client.get_value();
    spawn_local(async move {
        let result = client.booking(&slug.get_value(), &token.get_value()).await;
        state.set(match result {
            Ok(view) => State::Ready(Box::new(view)),
            Err(e) if e.status() == Some(404) => State::Failed(ctx.t("widget.manage.not_found")),
            Err(e) => State::Failed(ctx.error_text(&e)),
        });
    });
    let cancel = move |_| {
        busy.set(true);
        problem.set(None);
        let client = ctx.client.get_value();
        spawn_local(async move {
            match client.cancel(&slug.get_value(), &token.get_value()).await {
                Ok(view) => state.set(State::Ready(Box::new(view))),
                Err(e) => problem.set(Some(ctx.error_text(&e))),
            }
            mode.set(Mode::Viewing);
            busy.set(false);
        });
    };
    // "I'd take an earlier time": the waitlist, for this visit with the same provider.
    let waiting = RwSignal::new(None::<String>);
    let ask_earlier = move |_| {
        busy.set(true);
        problem.set(None);
        let client = ctx.client.get_value();
        spawn_local(async move {
            let asked = client
                .earlier_time(
                    &slug.get_value(),
                    &token.get_value(),
                    &EarlierTime::default(),
                )
                .await;
            match asked {
                Ok(joined) => waiting.set(Some(joined.message)),
                Err(e) => problem.set(Some(ctx.error_text(&e))),
            }
            busy.set(false);
        });
    };
    // Hold the new time, then move the booking into it.
    let move_to = move |booking: BookingView, slot: SlotOption| {
        busy.set(true);
        problem.set(None);
        let client = ctx.client.get_value();
        spawn_local(async move {
            let hold = HoldRequest {
                reason: booking.reason.id,
                provider: slot.provider,
                start: slot.start,
                lang: Some(ctx.lang()),
            };
            let slug = slug.get_value();
            let result = match client.hold(&slug, &hold).await {
                Ok(held) => {
                    let request = RescheduleRequest {
                        hold_token: held.hold_token.clone(),
                    };
                    let moved = client.reschedule(&slug, &token.get_value(), &request).await;
                    if moved.is_err() {
                        // Not moved: the new time goes back to other patients.
                        let _ = client.release_hold(&slug, &held.hold_token).await;
                    }
                    moved
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(view) => {
                    state.set(State::Ready(Box::new(view)));
                    mode.set(Mode::Viewing);
                    moved.set(true);
                }
                Err(e) => problem.set(Some(ctx.error_text(&e))),
            }
            busy.set(false);
        });
    };
    move || {
        match state.get() {
        State::Loading => view! {
            <div class="sw-loading" role="status"><span class="sw-spinner"></span>{ctx.t("widget.manage.loading")}</div>
        }
        .into_any(),
        State::Failed(message) => view! { <p class="sw-error" role="alert">{message}</p> }.into_any(),
        State::Ready(boxed) => {
            let b = *boxed;
            let cancelled = b.status == AppointmentStatus::Cancelled;
            let changeable = b.can_change && !cancelled;
            let query = TimeQuery {
                reason: b.reason.id,
                provider: ProviderChoice::Id(b.provider.id),
                patient: None,
                location: Some(b.location.id),
            };
            let booking = b.clone();
            let on_pick = Callback::new(move |slot| move_to(booking.clone(), slot));
            let title = if cancelled { ctx.t("widget.manage.cancelled") } else { ctx.t("widget.manage.title") };
            view! {
                <section class="sw-step">
                    <h2 class="sw-title">{title}</h2>
                    <Show when=move || moved.get()>
                        <p class="sw-hold" role="status">{ctx.t("widget.manage.moved")}</p>
                    </Show>
                    <div class="sw-confirmed" class:sw-cancelled=cancelled data-testid="managed-booking">
                        <p class="sw-when">{b.when_label.clone()}</p>
                        <p>{ctx.tf("widget.done.with", &[("reason", &b.reason.name), ("provider", &b.provider.name)])}</p>
                        <p>{b.location.name.clone()} ", " {b.location.address.clone()}</p>
                        <p class="sw-reference">{ctx.t("widget.done.reference")} " " <strong>{b.reference.clone()}</strong></p>
                    </div>
                    {(!cancelled).then(|| view! {
                        <div class="sw-row">
                            <a class="sw-secondary" href=b.calendar.ics_url.clone() download="appointment.ics">{ctx.t("widget.done.ics")}</a>
                            <a class="sw-secondary" href=b.calendar.google_url.clone() target="_blank" rel="noopener">{ctx.t("widget.done.google")}</a>
                        </div>
                    })}
                    {(b.late_change && !cancelled).then(|| view! {
                        <p class="sw-callout" data-testid="late-change">
                            {ctx.tf("widget.manage.late", &[("phone", &b.practice_phone)])}
                        </p>
                    })}
                    {changeable.then(|| view! {
                        {move || match mode.get() {
                            Mode::Viewing => view! {
                                <div class="sw-row">
                                    <button type="button" class="sw-primary" data-action="reschedule"
                                        on:click=move |_| { moved.set(false); mode.set(Mode::Moving) }>{ctx.t("widget.manage.move")}</button>
                                    <button type="button" class="sw-secondary" data-action="cancel"
                                        on:click=move |_| mode.set(Mode::ConfirmingCancel)>{ctx.t("widget.manage.cancel")}</button>
                                </div>
                            }.into_any(),
                            Mode::Moving => view! {
                                <h3 class="sw-subtitle">{ctx.t("widget.manage.pick")}</h3>
                                <TimePicker query busy on_pick />
                                <button type="button" class="sw-link" on:click=move |_| mode.set(Mode::Viewing)>{ctx.t("widget.manage.keep_time")}</button>
                            }.into_any(),
                            Mode::ConfirmingCancel => view! {
                                <div class="sw-callout" role="alert">
                                    <p>{ctx.t("widget.manage.confirm_cancel")}</p>
                                    <div class="sw-row">
                                        <button type="button" class="sw-danger" data-action="confirm-cancel" disabled=move || busy.get() on:click=cancel>{ctx.t("widget.manage.yes_cancel")}</button>
                                        <button type="button" class="sw-secondary" on:click=move |_| mode.set(Mode::Viewing)>{ctx.t("widget.manage.keep")}</button>
                                    </div>
                                </div>
                            }.into_any(),
                        }}
                    })}
                    {(!cancelled && (b.can_change || b.late_change)).then(|| view! {
                        {move || match waiting.get() {
                            Some(message) => view! { <p class="sw-note" role="status" data-testid="earlier-waiting">{message}</p> }.into_any(),
                            None => view! {
                                <button type="button" class="sw-link" data-action="earlier-time"
                                    disabled=move || busy.get() on:click=ask_earlier>{ctx.t("widget.manage.earlier")}</button>
                            }.into_any(),
                        }}
                    })}
                    {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
                    <p class="sw-note">{ctx.t("widget.done.questions")} " " {b.practice_phone.clone()} "."</p>
                </section>
            }
            .into_any()
        }
    }
    }
}
