//! The patient's own booking, opened from the manage link: see it, add it to a calendar, or
//! cancel it (rescheduling is booking a new time and cancelling this one, or a call).

use crate::ctx::Ctx;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::BookingView;
use slotwise_shared::model::AppointmentStatus;

#[derive(Clone)]
enum State {
    Loading,
    Ready(Box<BookingView>),
    Failed(String),
}

/// The manage view for one token.
#[component]
pub fn ManageBooking(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = RwSignal::new(State::Loading);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let slug = ctx.with_config(|c| c.practice.slug.clone());
    let token = StoredValue::new(token);
    let slug = StoredValue::new(slug);
    let client = ctx.client.get_value();
    spawn_local(async move {
        let result = client.booking(&slug.get_value(), &token.get_value()).await;
        state.set(match result {
            Ok(view) => State::Ready(Box::new(view)),
            Err(e) if e.status() == Some(404) => State::Failed(
                "We could not find this appointment. The link may be incomplete.".to_string(),
            ),
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
            confirming.set(false);
            busy.set(false);
        });
    };
    move || {
        match state.get() {
        State::Loading => view! {
            <div class="sw-loading" role="status"><span class="sw-spinner"></span>"Loading your appointment…"</div>
        }
        .into_any(),
        State::Failed(message) => view! { <p class="sw-error" role="alert">{message}</p> }.into_any(),
        State::Ready(boxed) => {
            let b = *boxed;
            let cancelled = b.status == AppointmentStatus::Cancelled;
            let can_change = b.can_change;
            view! {
                <section class="sw-step">
                    <h2 class="sw-title">{if cancelled { "Appointment cancelled" } else { "Your appointment" }}</h2>
                    <div class="sw-confirmed" class:sw-cancelled=cancelled data-testid="managed-booking">
                        <p class="sw-when">{b.when_label.clone()}</p>
                        <p>{b.reason.name.clone()} " with " {b.provider.name.clone()}</p>
                        <p>{b.location.name.clone()} ", " {b.location.address.clone()}</p>
                        <p class="sw-reference">"Reference " <strong>{b.reference.clone()}</strong></p>
                    </div>
                    <Show when=move || !cancelled>
                        <div class="sw-row">
                            <a class="sw-secondary" href=b.calendar.ics_url.clone() download="appointment.ics">"Add to calendar (.ics)"</a>
                            <a class="sw-secondary" href=b.calendar.google_url.clone() target="_blank" rel="noopener">"Add to Google Calendar"</a>
                        </div>
                    </Show>
                    <Show when=move || can_change && !cancelled>
                        <Show when=move || confirming.get() fallback=move || view! {
                            <button type="button" class="sw-secondary" data-action="cancel" on:click=move |_| confirming.set(true)>"Cancel appointment"</button>
                        }>
                            <div class="sw-callout" role="alert">
                                <p>"Cancel this appointment? The time will be offered to other patients."</p>
                                <div class="sw-row">
                                    <button type="button" class="sw-danger" data-action="confirm-cancel" disabled=move || busy.get() on:click=cancel>"Yes, cancel it"</button>
                                    <button type="button" class="sw-secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                                </div>
                            </div>
                        </Show>
                    </Show>
                    {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
                    <p class="sw-note">"To move it to another time, call " {b.practice_phone.clone()} "."</p>
                </section>
            }
            .into_any()
        }
    }
    }
}
