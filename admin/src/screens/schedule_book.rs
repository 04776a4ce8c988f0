//! Free time picked on the day view: book a patient there (choose the visit, one of its free
//! times inside the free time, the patient's details; held and booked like every booking, so a
//! time taken meanwhile is refused), or offer the free time to the waitlist now.

use crate::ctx::{fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{Field, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{HoldRequest, PatientDetails, ProviderChoice, SlotOption, SlotsParams};
use slotwise_shared::day_view::{DayColumn, FreeTime, FreeTimeOffer, StaffBooking};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::ReasonId;

/// The panel of one free time.
#[component]
pub fn FreeTimePanel(
    column: DayColumn,
    free: FreeTime,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    on_booked: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let slug = ctx.session.with_untracked(|s| {
        s.as_ref()
            .map(|s| s.practice_slug.clone())
            .unwrap_or_default()
    });
    let slug = StoredValue::new(slug);
    let provider = column.provider_id;
    let reasons: Vec<(String, String)> = std::iter::once((String::new(), "Choose…".to_string()))
        .chain(ctx.setup.with_untracked(|s| {
            s.iter()
                .flat_map(|s| s.reasons.iter())
                .filter(|r| r.input.active && r.input.provider_ids.contains(&provider.0))
                .map(|r| (r.id.to_string(), r.input.name.clone()))
                .collect::<Vec<_>>()
        }))
        .collect();
    let errors = RwSignal::new(FieldErrors::new());
    let text = || RwSignal::new(String::new());
    let (reason, first, last, born, phone, email) =
        (text(), text(), text(), text(), text(), text());
    let chosen = RwSignal::new(None::<SlotOption>);
    let busy = RwSignal::new(false);
    let (date, span) = (column.date, (free.starts_at, free.ends_at));
    let times = resource(ctx, move |api| {
        let reason = reason.get().parse().ok().map(ReasonId);
        let slug = slug.get_value();
        async move {
            let Some(reason) = reason else {
                return Ok(Vec::new());
            };
            let params = SlotsParams {
                reason,
                provider: ProviderChoice::Id(provider),
                patient: None,
                location: None,
                from: Some(date),
                days: Some(1),
                lang: None,
            };
            let found = api.api().slots(&slug, &params).await?;
            Ok(found
                .days
                .into_iter()
                .flat_map(|d| d.slots)
                .filter(|s| s.provider == provider && span.0 <= s.start && s.start < span.1)
                .collect::<Vec<_>>())
        }
    });
    let book = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(slot), Some(reason)) = (
            chosen.get_untracked(),
            reason.get_untracked().parse().ok().map(ReasonId),
        ) else {
            let mut refused = FieldErrors::new();
            refused.insert(
                "time".into(),
                "Choose the visit and one of its times.".into(),
            );
            errors.set(refused);
            return;
        };
        let patient = PatientDetails {
            first_name: first.get_untracked(),
            last_name: last.get_untracked(),
            date_of_birth: born.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            pet: None,
        };
        errors.set(FieldErrors::new());
        busy.set(true);
        spawn_local(async move {
            let api = ctx.api();
            let hold = HoldRequest {
                reason,
                provider: slot.provider,
                start: slot.start,
                lang: None,
            };
            let booked = match api.api().hold(&slug.get_value(), &hold).await {
                Ok(h) => {
                    let booking = StaffBooking {
                        hold_token: h.hold_token,
                        patient,
                        notes: None,
                    };
                    api.staff_book(&booking).await
                }
                Err(e) => Err(e),
            };
            busy.set(false);
            match booked {
                Ok(answer) => {
                    ctx.ok(answer.message);
                    on_booked();
                }
                Err(e) => {
                    // Field errors come back as `patient.first_name`; the form's names are short.
                    let mut fields = FieldErrors::new();
                    for (k, v) in fields_of(&e) {
                        fields.insert(k.trim_start_matches("patient.").to_string(), v);
                    }
                    errors.set(fields);
                    ctx.fail(&e);
                    if e.status() == Some(409) || e.status() == Some(410) {
                        chosen.set(None);
                        times.refetch();
                    }
                }
            }
        });
    };
    let offer = move |_| {
        let offer = FreeTimeOffer {
            provider_id: provider,
            starts_at: span.0,
            ends_at: span.1,
        };
        spawn_local(async move {
            match ctx.api().offer_free_time(&offer).await {
                Ok(sent) if sent.offers == 0 => {
                    ctx.ok("Nobody on the waitlist wants a time in it now.")
                }
                Ok(sent) => ctx.ok(format!(
                    "Offered to {}; the first to book it gets it.",
                    crate::ui::plural(
                        i64::from(sent.offers),
                        "waiting patient",
                        "waiting patients"
                    )
                )),
                Err(e) => ctx.fail(&e),
            }
        });
    };
    let time_error = move || errors.with(|e| e.get("time").cloned());
    let heading = NodeRef::<leptos::html::H2>::new();
    crate::ui::focus_when_drawn(heading);
    view! {
        <section class="card side-panel" role="dialog" aria-labelledby="picked-free" data-testid="free-time-panel">
            <div class="card-head">
                <h2 id="picked-free" tabindex="-1" node_ref=heading>{format!("Free {} with {}", free.label, column.provider_name)}</h2>
                <button class="secondary" on:click=move |_| on_close()>"Close"</button>
            </div>
            <p class="hint">{column.day_label.clone()}</p>
            <button class="secondary" data-action="offer-waitlist" on:click=offer>"Offer to the waitlist"</button>
            <form class="grid compact" on:submit=book data-testid="staff-book">
                <h3>"Book a patient here"</h3>
                <Select label="Visit" name="reason" value=reason errors=errors options=reasons />
                <fieldset class="field">
                    <legend>"Time"</legend>
                    <Loaded resource=times loading="Finding times…" let:list>{
                        if reason.get_untracked().is_empty() {
                            view! { <p class="hint">"Choose the visit first."</p> }.into_any()
                        } else if list.is_empty() {
                            view! { <p class="hint">"This visit does not fit here."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="slots">{list.into_iter().map(|s| {
                                    let (label, pick) = (s.label.clone(), s.clone());
                                    let start = s.start;
                                    view! { <li><button type="button" class="secondary"
                                        aria-pressed=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.start == start)).to_string()
                                        on:click=move |_| chosen.set(Some(pick.clone()))>{label}</button></li> }
                                }).collect_view()}</ul>
                            }.into_any()
                        }
                    }</Loaded>
                    <span class="field-error" role="alert">{time_error}</span>
                </fieldset>
                <Field label="First name" name="first_name" value=first errors=errors />
                <Field label="Last name" name="last_name" value=last errors=errors />
                <Field label="Date of birth" name="date_of_birth" value=born errors=errors kind="date" />
                <Field label="Phone" name="phone" value=phone errors=errors kind="tel" />
                <Field label="Email" name="email" value=email errors=errors kind="email" />
                <div class="actions">
                    <button type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Booking…" } else { "Book" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
