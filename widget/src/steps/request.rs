//! "Request an appointment": at a practice that books existing patients only, a new patient
//! leaves the reason, the days and times that suit them and how to reach them; the request
//! lands in the practice's booking queue and the team calls back.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use crate::host;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::model::ReasonId;
use slotwise_shared::patients::{AppointmentRequest, TIMES_OF_DAY, WEEKDAYS};
use slotwise_shared::validate::check_request;

/// Checkboxes of a list of words, kept in `picked`.
#[component]
pub(crate) fn Checks(
    #[prop(into)] legend: String,
    #[prop(into)] name: String,
    words: &'static [&'static str],
    picked: RwSignal<Vec<String>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <fieldset class="sw-checks">
            <legend>{legend}</legend>
            {words.iter().map(|w| {
                let word = w.to_string();
                let id = format!("sw-{name}-{w}");
                let toggled = word.clone();
                let for_id = id.clone();
                view! {
                    <label for=for_id>
                        <input type="checkbox" id=id name=name.clone() value=word.clone()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                picked.update(|p| {
                                    p.retain(|x| *x != toggled);
                                    if on { p.push(toggled.clone()); }
                                });
                            } />
                        {ctx.t(&format!("widget.request.word.{w}"))}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// One text input of the request.
#[component]
pub(crate) fn Input(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] kind: String,
    #[prop(into)] autocomplete: String,
    value: RwSignal<String>,
    errors: RwSignal<slotwise_shared::error::FieldErrors>,
) -> impl IntoView {
    let id = format!("sw-request-{name}");
    let error_id = format!("{id}-error");
    let key = name.clone();
    let ctx = expect_context::<Ctx>();
    let error = move || {
        errors
            .with(|e| e.get(&key).cloned())
            .map(|stored| ctx.message(&stored))
    };
    let invalid = {
        let error = error.clone();
        move || error().is_some().to_string()
    };
    view! {
        <div class="sw-field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=kind autocomplete=autocomplete aria-invalid=invalid
                aria-describedby=error_id.clone()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            <span class="sw-field-error" id=error_id>{error}</span>
        </div>
    }
}

/// The request form, and its thank-you once sent.
#[component]
pub fn RequestForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (reasons, name, slug) = ctx.with_config(|c| {
        (
            c.reasons.clone(),
            c.practice.name.clone(),
            c.practice.slug.clone(),
        )
    });
    let reason = RwSignal::new(String::new());
    let days = RwSignal::new(Vec::<String>::new());
    let times = RwSignal::new(Vec::<String>::new());
    let (first, last, phone, email, note) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(slotwise_shared::error::FieldErrors::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<String>);
    let key = StoredValue::new(host::random_key());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let req = AppointmentRequest {
            reason: reason.get_untracked().parse().ok().map(ReasonId),
            preferred_days: days.get_untracked(),
            times_of_day: times.get_untracked(),
            first_name: first.get_untracked().trim().to_string(),
            last_name: last.get_untracked().trim().to_string(),
            phone: phone.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            note: Some(note.get_untracked().trim().to_string()).filter(|n| !n.is_empty()),
            lang: Some(ctx.lang()),
        };
        let country = ctx.with_config(|c| c.settings.phone_country.clone());
        if let Err(found) = check_request(&req, &country) {
            errors.set(found);
            return;
        }
        errors.set(Default::default());
        busy.set(true);
        problem.set(None);
        let (client, slug, k) = (ctx.client.get_value(), slug.clone(), key.get_value());
        spawn_local(async move {
            match client.request_appointment(&slug, &k, &req).await {
                Ok(answer) => sent.set(Some(answer.message)),
                Err(e) => match e.body().and_then(|b| b.fields.clone()) {
                    Some(fields) => errors.set(fields),
                    None => problem.set(Some(ctx.error_text(&e))),
                },
            }
            busy.set(false);
        });
    };
    move || {
        let (submit, reasons, name) = (submit.clone(), reasons.clone(), name.clone());
        match sent.get() {
        Some(message) => view! {
            <StepFrame title=ctx.t("widget.request.sent")>
                <p class="sw-note" role="status" data-testid="request-sent">{message}</p>
            </StepFrame>
        }
        .into_any(),
        None => view! {
            <StepFrame title=ctx.t("widget.request.title")
                lead=ctx.tf("widget.request.lead", &[("practice", &name)])>
                <form class="sw-form" novalidate on:submit=submit data-testid="request">
                    <div class="sw-field">
                        <label for="sw-request-reason">{ctx.t("widget.request.reason")}</label>
                        <select id="sw-request-reason" name="reason"
                            on:change=move |ev| reason.set(event_target_value(&ev))>
                            <option value="">{ctx.t("widget.request.not_sure")}</option>
                            {reasons.iter().map(|r| view! {
                                <option value=r.id.0.to_string()>{r.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Checks legend=ctx.t("widget.request.days") name="preferred_days" words=&WEEKDAYS picked=days />
                    <Checks legend=ctx.t("widget.request.times") name="times_of_day" words=&TIMES_OF_DAY picked=times />
                    <div class="sw-pair">
                        <Input name="first_name" label=ctx.t("widget.details.first_name") kind="text" autocomplete="given-name" value=first errors />
                        <Input name="last_name" label=ctx.t("widget.details.last_name") kind="text" autocomplete="family-name" value=last errors />
                    </div>
                    <Input name="phone" label=ctx.t("widget.request.phone") kind="tel" autocomplete="tel" value=phone errors />
                    <Input name="email" label=ctx.t("widget.request.email") kind="email" autocomplete="email" value=email errors />
                    <Input name="note" label=ctx.t("widget.details.notes") kind="text" autocomplete="off" value=note errors />
                    {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
                    <button type="submit" class="sw-primary sw-wide" data-action="send-request"
                        disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { ctx.t("widget.lookup.sending") } else { ctx.t("widget.request.send") }}
                    </button>
                </form>
            </StepFrame>
        }
        .into_any(),
        }
    }
}
