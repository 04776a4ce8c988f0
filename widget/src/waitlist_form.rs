//! "Tell me if something opens": on the time step (above the times), a patient for whom no
//! time suits joins the practice's waitlist for the visit they chose — the days they could
//! come, weekdays and times of day, whether they want the earliest time and can come at short
//! notice, and (someone new) how to reach them. A verified returning patient is known already.

use crate::ctx::Ctx;
use crate::steps::request::{Checks, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::ProviderChoice;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::patients::{VerifiedPatient, TIMES_OF_DAY, WEEKDAYS};
use slotwise_shared::waitlist::WaitlistJoin;
use slotwise_shared::wire_time::parse_date;

/// Days the range covers unless the patient changes it.
const DEFAULT_DAYS: i64 = 30;

/// The waitlist form above the times, and its answer once sent.
#[component]
pub fn WaitlistForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let today = crate::host::today();
    let until = today
        .checked_add(jiff::Span::new().days(DEFAULT_DAYS))
        .unwrap_or(today);
    let from = RwSignal::new(today.to_string());
    let to = RwSignal::new(until.to_string());
    let days = RwSignal::new(Vec::<String>::new());
    let times = RwSignal::new(Vec::<String>::new());
    let asap = RwSignal::new(true);
    let short_notice = RwSignal::new(false);
    let (first, last, phone, email) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(FieldErrors::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let joined = RwSignal::new(None::<String>);
    // A verified returning patient with a member chosen is known: no contact fields.
    let known = ctx.verified.get_untracked().and_then(|v| {
        v.member.map(|member| VerifiedPatient {
            session: v.household.patient_session.clone(),
            member: Some(member),
        })
    });
    let needs_contact = known.is_none();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some((reason, provider)) = ctx.flow.with_untracked(|f| {
            f.reason.map(|r| {
                let provider = match f.provider {
                    Some(ProviderChoice::Id(id)) => Some(id),
                    _ => None,
                };
                (r, provider)
            })
        }) else {
            return;
        };
        let mut refused = FieldErrors::new();
        let from_date = parse_date(from.get_untracked().trim());
        let to_date = parse_date(to.get_untracked().trim());
        if from_date.is_none() {
            refused.insert("from".into(), "api.waitlist.date".into());
        }
        if to_date.is_none() {
            refused.insert("to".into(), "api.waitlist.date".into());
        }
        let (Some(from_date), Some(to_date)) = (from_date, to_date) else {
            errors.set(refused);
            return;
        };
        let req = WaitlistJoin {
            reason,
            provider,
            from: from_date,
            to: to_date,
            preferred_days: days.get_untracked(),
            times_of_day: times.get_untracked(),
            asap: asap.get_untracked(),
            short_notice: short_notice.get_untracked(),
            verified: known.clone(),
            first_name: first.get_untracked().trim().to_string(),
            last_name: last.get_untracked().trim().to_string(),
            phone: phone.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            lang: Some(ctx.lang()),
        };
        errors.set(FieldErrors::new());
        busy.set(true);
        problem.set(None);
        let client = ctx.client.get_value();
        let slug = ctx.with_config(|c| c.practice.slug.clone());
        spawn_local(async move {
            match client.join_waitlist(&slug, &req).await {
                Ok(answer) => {
                    joined.set(Some(answer.message));
                }
                Err(e) => match e.body().and_then(|b| b.fields.clone()) {
                    Some(fields) => errors.set(fields),
                    None => problem.set(Some(ctx.error_text(&e))),
                },
            }
            busy.set(false);
        });
    };
    let close = move |_| ctx.flow.update(|f| f.waitlist = false);
    move || {
        let submit = submit.clone();
        match joined.get() {
        Some(message) => view! {
            <section class="sw-callout" aria-labelledby="sw-waitlist-title">
                <h3 class="sw-subtitle" id="sw-waitlist-title">{ctx.t("widget.waitlist.joined_title")}</h3>
                <p role="status" data-testid="waitlist-joined">{message}</p>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="sw-callout" aria-labelledby="sw-waitlist-title">
                <h3 class="sw-subtitle" id="sw-waitlist-title">{ctx.t("widget.waitlist.title")}</h3>
                <p class="sw-note">{ctx.t("widget.waitlist.lead")}</p>
                <form class="sw-form" novalidate on:submit=submit data-testid="waitlist">
                    <div class="sw-pair">
                        <Input name="from" label=ctx.t("widget.waitlist.from") kind="date" autocomplete="off" value=from errors />
                        <Input name="to" label=ctx.t("widget.waitlist.to") kind="date" autocomplete="off" value=to errors />
                    </div>
                    <Checks legend=ctx.t("widget.request.days") name="preferred_days" words=&WEEKDAYS picked=days />
                    <Checks legend=ctx.t("widget.request.times") name="times_of_day" words=&TIMES_OF_DAY picked=times />
                    <label class="sw-check" for="sw-waitlist-asap">
                        <input type="checkbox" id="sw-waitlist-asap" prop:checked=move || asap.get()
                            on:change=move |ev| asap.set(event_target_checked(&ev)) />
                        {ctx.t("widget.waitlist.asap")}
                    </label>
                    <label class="sw-check" for="sw-waitlist-short">
                        <input type="checkbox" id="sw-waitlist-short" prop:checked=move || short_notice.get()
                            on:change=move |ev| short_notice.set(event_target_checked(&ev)) />
                        {ctx.t("widget.waitlist.short_notice")}
                    </label>
                    {needs_contact.then(|| view! {
                        <div class="sw-pair">
                            <Input name="first_name" label=ctx.t("widget.details.first_name") kind="text" autocomplete="given-name" value=first errors />
                            <Input name="last_name" label=ctx.t("widget.details.last_name") kind="text" autocomplete="family-name" value=last errors />
                        </div>
                        <Input name="phone" label=ctx.t("widget.request.phone") kind="tel" autocomplete="tel" value=phone errors />
                        <Input name="email" label=ctx.t("widget.request.email") kind="email" autocomplete="email" value=email errors />
                    })}
                    {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
                    <div class="sw-row">
                        <button type="submit" class="sw-primary" data-action="send-waitlist"
                            disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                            {move || if busy.get() { ctx.t("widget.lookup.sending") } else { ctx.t("widget.waitlist.send") }}
                        </button>
                        <button type="button" class="sw-link" on:click=close>{ctx.t("widget.waitlist.back")}</button>
                    </div>
                </form>
            </section>
        }
        .into_any(),
        }
    }
}
