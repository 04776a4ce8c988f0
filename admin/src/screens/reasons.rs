//! Reasons for visit: timing, who may book, linked providers, and each one's direct link.

use crate::ctx::{copy, Ctx};
use crate::loading::Loaded;
use crate::setup::setup_read;
use crate::ui::{number, Check, Empty, Field, TextArea};
use leptos::prelude::*;
use slotwise_shared::admin::{ReasonInput, ReasonView};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::Eligibility;

/// The reasons screen.
#[component]
pub fn Reasons() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // `Some(None)`: a new reason; `Some(Some(id))`: editing one.
    let editing = RwSignal::new(None::<Option<i64>>);
    view! {
        <h1>"Reasons for visit"</h1>
        <p class="lead">"What patients can book, how long it takes, and with whom."</p>
        <div class="actions"><button on:click=move |_| editing.set(Some(None))>"Add a reason"</button></div>
        <Loaded resource=setup_read() let:_read>{move || match ctx.setup.get() {
            None => ().into_any(),
            Some(s) if s.reasons.is_empty() => view! {
                <Empty title="No reasons yet" next="Add a reason for visit and link the providers who do it; it then appears in the widget." />
            }.into_any(),
            Some(s) => view! {
                <table class="list">
                    <thead><tr><th>"Reason"</th><th>"Length"</th><th>"Who"</th><th>"Direct link"</th><th></th></tr></thead>
                    <tbody>{s.reasons.into_iter().map(|r| {
                        let id = r.id;
                        let link = r.direct_link.clone();
                        view! {
                            <tr class=if r.input.active { "" } else { "inactive" }>
                                <td>{r.input.name.clone()}{(!r.input.active).then_some(" (hidden)")}</td>
                                <td>{format!("{} min", r.input.duration_min)}</td>
                                <td>{match r.input.eligibility { Eligibility::New => "New patients", Eligibility::Returning => "Returning patients", Eligibility::Both => "Everyone" }}</td>
                                <td class="link-cell"><code>{r.direct_link.clone()}</code>
                                    <button class="link" on:click=move |_| { copy(&link); ctx.ok("Direct booking link copied."); }
                                        aria-label=format!("Copy the direct link of {}", r.input.name)>"Copy"</button></td>
                                <td><button class="secondary" on:click=move |_| editing.set(Some(Some(id)))
                                    aria-label=format!("Edit {}", r.input.name)>"Edit"</button></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}</Loaded>
        {move || editing.get().map(|which| {
            let existing = which.and_then(|id| ctx.setup.with_untracked(|s| s.as_ref().and_then(|s| s.reasons.iter().find(|r| r.id == id).cloned())));
            view! { <ReasonEditor existing on_close=move || editing.set(None) /> }
        })}
    }
}

fn blank() -> ReasonInput {
    ReasonInput {
        name: String::new(),
        description: String::new(),
        duration_min: 30,
        buffer_before_min: 0,
        buffer_after_min: 0,
        interval_min: 15,
        min_notice_min: 120,
        horizon_days: 60,
        eligibility: Eligibility::Both,
        operatory_kind: None,
        active: true,
        provider_ids: Vec::new(),
        aftercare: String::new(),
        late_cancel_hours: 0,
        grace_minutes: 0,
    }
}

#[component]
fn ReasonEditor(
    existing: Option<ReasonView>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = existing.as_ref().map(|r| r.id);
    let r = existing.map(|r| r.input).unwrap_or_else(blank);
    let errors = RwSignal::new(FieldErrors::new());
    let text = |v: u32| RwSignal::new(v.to_string());
    let name = RwSignal::new(r.name.clone());
    let description = RwSignal::new(r.description.clone());
    let (duration, before, after, interval, notice, horizon) = (
        text(r.duration_min),
        text(r.buffer_before_min),
        text(r.buffer_after_min),
        text(r.interval_min),
        text(r.min_notice_min),
        text(r.horizon_days),
    );
    let eligibility = RwSignal::new(r.eligibility.as_str().to_string());
    let kind = RwSignal::new(r.operatory_kind.clone().unwrap_or_default());
    let active = RwSignal::new(r.active);
    let providers = RwSignal::new(r.provider_ids.clone());
    let aftercare = RwSignal::new(r.aftercare.clone());
    let (late_hours, grace) = (text(r.late_cancel_hours), text(r.grace_minutes));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ReasonInput {
            name: name.get_untracked(),
            description: description.get_untracked(),
            duration_min: number(&duration.get_untracked()),
            buffer_before_min: number(&before.get_untracked()),
            buffer_after_min: number(&after.get_untracked()),
            interval_min: number(&interval.get_untracked()),
            min_notice_min: number(&notice.get_untracked()),
            horizon_days: number(&horizon.get_untracked()),
            eligibility: match eligibility.get_untracked().as_str() {
                "new" => Eligibility::New,
                "returning" => Eligibility::Returning,
                _ => Eligibility::Both,
            },
            operatory_kind: Some(kind.get_untracked()).filter(|k| !k.trim().is_empty()),
            active: active.get_untracked(),
            provider_ids: providers.get_untracked(),
            aftercare: aftercare.get_untracked(),
            late_cancel_hours: number(&late_hours.get_untracked()),
            grace_minutes: number(&grace.get_untracked()),
        };
        let api = ctx.api();
        ctx.change_setup_and(
            errors,
            "Reason saved; the widget offers it now.",
            async move {
                match id {
                    Some(id) => api.update_reason(id, &input).await,
                    None => api.add_reason(&input).await,
                }
            },
            on_close,
        );
    };
    let all_providers = ctx
        .setup
        .with_untracked(|s| s.as_ref().map(|s| s.providers.clone()).unwrap_or_default());
    view! {
        <section class="card editor" aria-labelledby="edit-reason">
            <div class="card-head">
                <h2 id="edit-reason">{if id.is_some() { "Edit reason" } else { "New reason for visit" }}</h2>
                <button class="secondary" on:click=move |_| on_close()>"Close"</button>
            </div>
            <form on:submit=save class="grid">
                <Field label="Name" name="name" value=name errors=errors />
                <TextArea label="Description (shown to patients)" name="description" value=description errors=errors />
                <Field label="Duration (minutes)" name="duration_min" value=duration errors=errors kind="number" />
                <Field label="Buffer before (minutes)" name="buffer_before_min" value=before errors=errors kind="number" />
                <Field label="Buffer after (minutes)" name="buffer_after_min" value=after errors=errors kind="number" />
                <Field label="Start times every (minutes)" name="interval_min" value=interval errors=errors kind="number" />
                <Field label="Minimum notice (minutes)" name="min_notice_min" value=notice errors=errors kind="number" />
                <Field label="Bookable up to (days ahead)" name="horizon_days" value=horizon errors=errors kind="number" />
                <Field label="Late-cancellation window (hours before)" name="late_cancel_hours" value=late_hours errors=errors kind="number"
                    hint="Inside it patients call to cancel or move; you still can here. 0: none." />
                <Field label="Free changes after booking (minutes)" name="grace_minutes" value=grace errors=errors kind="number"
                    hint="A grace period: right after booking, patients may change it even inside the window. 0: none." />
                <div class="field">
                    <label for="reason-eligibility">"Who can book it"</label>
                    <select id="reason-eligibility" on:change=move |ev| eligibility.set(event_target_value(&ev))>
                        {[("both", "Everyone"), ("new", "New patients only"), ("returning", "Returning patients only")].into_iter().map(|(v, l)| view! {
                            <option value=v selected=eligibility.get_untracked() == v>{l}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label="Room kind needed (optional)" name="operatory_kind" value=kind errors=errors hint="e.g. hygiene" />
                <fieldset class="field">
                    <legend>"Providers who do it"</legend>
                    {all_providers.into_iter().map(|p| {
                        let pid = p.id;
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=move || providers.with(|v| v.contains(&pid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        providers.update(|v| { v.retain(|x| *x != pid); if on { v.push(pid); } });
                                    } />
                                {p.name}
                            </label>
                        }
                    }).collect_view()}
                    <span class="field-error" role="alert">{move || errors.with(|e| e.get("provider_ids").cloned())}</span>
                </fieldset>
                <TextArea label="Aftercare message" name="aftercare" id="reason-aftercare" value=aftercare errors=errors rows=4
                    hint="Sent to the patient when an appointment for this reason is marked completed, e.g. what to do after a filling. \
                        Leave empty to send none." />
                <Check label="Offered online" name="active" value=active />
                <div class="actions"><button type="submit">"Save reason"</button></div>
            </form>
        </section>
    }
}
