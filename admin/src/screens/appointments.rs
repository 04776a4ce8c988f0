//! The appointment list: search, filters, actions, moving a booking, CSV export.

use crate::appointment_actions::{act_on, is_open, status_label, ConfirmationBadge, STATUSES};
use crate::ctx::Ctx;
use crate::loading::{resource, Loaded};
use crate::screens::start_procedure::StartProcedure;
use crate::ui::Empty;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{AppointmentAction, AppointmentFilter, AppointmentItem};
use slotwise_shared::api::{HoldRequest, ProviderChoice, SlotOption, SlotsParams};
use slotwise_shared::lang::LANGUAGES;
use slotwise_shared::messages::PatientLanguage;
use slotwise_shared::model::{ProviderId, ReasonId};

const SOURCES: [(&str, &str); 7] = [
    ("", "Any source"),
    ("widget", "Widget"),
    ("direct_link", "Direct link"),
    ("recall", "Recall"),
    ("rebooking", "Rebooking link"),
    ("staff", "Staff"),
    ("phone", "Phone"),
];

/// The appointments screen.
#[component]
pub fn Appointments() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (q, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (provider, reason, status, source) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let moving = RwSignal::new(None::<AppointmentItem>);
    let starting = RwSignal::new(None::<AppointmentItem>);
    // `try_`: the filter may be asked for after the screen was left (its signals are gone).
    let filter = move || {
        Some(AppointmentFilter {
            q: q.try_get_untracked()?,
            from: from.try_get_untracked()?,
            to: to.try_get_untracked()?,
            provider_id: provider.try_get_untracked()?.parse().ok(),
            reason_id: reason.try_get_untracked()?.parse().ok(),
            status: status.try_get_untracked()?,
            source: source.try_get_untracked()?,
        })
    };
    // The filter is read untracked: typing does not search, submitting the form does.
    let rows = resource(ctx, move |api| {
        let f = filter().unwrap_or_default();
        async move { Ok(api.appointments(&f).await?.appointments) }
    });
    let csv_href = RwSignal::new(String::from("/api/v1/admin/appointments.csv"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = filter() {
            csv_href.set(format!("/api/v1/admin/appointments.csv?{}", f.to_query()));
        }
        rows.refetch();
    };
    let act = move |item: AppointmentItem, action: AppointmentAction| {
        act_on(ctx, item, action, move |updated| {
            // The answer is the row as it is now: no need to search again.
            rows.try_update(|r| {
                for a in r.iter_mut().flatten().flatten() {
                    if a.id == updated.id {
                        *a = updated.clone();
                    }
                }
            });
        });
    };
    // Pausing is per patient: every row of that patient shows it.
    let pause = move |item: AppointmentItem| {
        let Some(patient) = item.patient_id else {
            return;
        };
        let paused = !item.automations_paused;
        spawn_local(async move {
            match ctx.api().pause_automations(patient, paused).await {
                Ok(answer) => {
                    let who = &item.patient_name;
                    ctx.ok(match (paused, answer.paused) {
                        (_, false) => format!("Automated messages to {who} are on again."),
                        (true, true) => format!("Automated messages to {who} are paused (recall, follow-ups, feedback, broadcasts). Confirmations and reminders still go out."),
                        // The patient opted out themselves: only they can undo that.
                        (false, true) => format!("{who} opted out of messages, so automated messages stay paused."),
                    });
                    rows.try_update(|r| {
                        for a in r.iter_mut().flatten().flatten() {
                            if a.patient_id == Some(patient) {
                                a.automations_paused = answer.paused;
                            }
                        }
                    });
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    // The language is the household's: every row of that patient shows the change.
    let set_language = move |item: AppointmentItem, code: String| {
        let Some(patient) = item.patient_id else {
            return;
        };
        let asked = PatientLanguage {
            lang: (!code.is_empty()).then_some(code),
        };
        spawn_local(async move {
            match ctx.api().set_patient_language(patient, &asked).await {
                Ok(saved) => {
                    let name = saved
                        .lang
                        .as_deref()
                        .and_then(slotwise_shared::lang::find)
                        .map_or("the practice's default language", |l| l.name);
                    ctx.ok(format!(
                        "Messages to {} are now written in {name}.",
                        item.patient_name
                    ));
                    rows.try_update(|r| {
                        for a in r.iter_mut().flatten().flatten() {
                            if a.patient_id == Some(patient) {
                                a.patient_lang = saved.lang.clone();
                            }
                        }
                    });
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    let select = |label: &'static str,
                  id: &'static str,
                  value: RwSignal<String>,
                  options: Vec<(String, String)>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let fixed = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect::<Vec<_>>()
    };
    view! {
        <h1>"Appointments"</h1>
        <form class="filters" on:submit=submit role="search">
            <div class="field">
                <label for="q">"Patient name, phone or reference"</label>
                <input id="q" type="search" prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev)) />
            </div>
            <div class="field"><label for="from">"From"</label>
                <input id="from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) /></div>
            <div class="field"><label for="to">"To"</label>
                <input id="to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) /></div>
            {move || {
                let setup = ctx.setup.get();
                let mut providers = vec![(String::new(), "Any provider".to_string())];
                let mut reasons = vec![(String::new(), "Any reason".to_string())];
                if let Some(s) = setup {
                    providers.extend(s.providers.into_iter().map(|p| (p.id.to_string(), p.name)));
                    reasons.extend(s.reasons.into_iter().map(|r| (r.id.to_string(), r.input.name)));
                }
                view! { {select("Provider", "f-provider", provider, providers)} {select("Reason", "f-reason", reason, reasons)} }
            }}
            {select("Status", "f-status", status, fixed(&STATUSES))}
            {select("Source", "f-source", source, fixed(&SOURCES))}
            <div class="actions">
                <button type="submit">"Search"</button>
                <a class="button secondary" href=move || csv_href.get() download="appointments.csv">"Export CSV"</a>
            </div>
        </form>
        {move || moving.get().map(|item| {
            let done = move |updated: Option<AppointmentItem>| {
                moving.set(None);
                if updated.is_some() { rows.refetch(); }
            };
            view! { <Reschedule item on_done=done /> }
        })}
        {move || starting.get().map(|item| view! {
            <StartProcedure item on_done=move || starting.set(None) />
        })}
        <Loaded resource=rows let:list>{if list.is_empty() {
            view! {
                <Empty title="No appointments match" next="Change the filters, or share your booking link so patients can book." />
            }.into_any()
        } else {
            view! {
                <table class="list appointments">
                    <thead><tr><th>"When"</th><th>"Patient"</th><th>"Reason"</th><th>"Provider"</th><th>"Status"</th><th>"Actions"</th></tr></thead>
                    <tbody>{list.into_iter().map(|a| {
                        let open = is_open(&a);
                        let (a1, a2, a3, a4, a5, a6) = (a.clone(), a.clone(), a.clone(), a.clone(), a.clone(), a.clone());
                        let a8 = a.clone();
                        let can_start = a.patient_id.is_some() && matches!(a.status.as_str(), "booked" | "confirmed" | "completed");
                        let paused = a.automations_paused;
                        view! {
                            <tr data-reference=a.reference.clone()>
                                <td>{a.when_label.clone()}</td>
                                <td>{a.patient_name.clone()}
                                    {paused.then(|| view! { " "<span class="badge paused" data-testid="automations-paused"
                                        title="No recall, follow-up, feedback or broadcast messages">"Automations paused"</span> })}
                                    <br /><span class="muted">{a.phone.clone()}" · "{a.reference.clone()}</span>
                                    {a.patient_id.is_some().then(|| {
                                        let chosen = a.patient_lang.clone().unwrap_or_default();
                                        let a7 = a.clone();
                                        let select_id = format!("patient-language-{}", a.id);
                                        view! {
                                        <br /><button class="link small" data-testid="pause-automations"
                                            on:click=move |_| pause(a6.clone())>
                                            {if paused { "Resume automated messages" } else { "Pause automated messages" }}
                                        </button>
                                        <br /><label class="small" for=select_id.clone()>"Messages in "</label>
                                        <select id=select_id class="small" data-testid="patient-language"
                                            on:change=move |ev| set_language(a7.clone(), event_target_value(&ev))>
                                            <option value="" selected=chosen.is_empty()>"Practice default"</option>
                                            {LANGUAGES.iter().map(|l| view! {
                                                <option value=l.code selected=chosen == l.code>{l.name}</option>
                                            }).collect_view()}
                                        </select>
                                    }})}</td>
                                <td>{a.reason_name.clone()}</td>
                                <td>{a.provider_name.clone()}</td>
                                <td><span class=format!("badge {}", a.status)>{status_label(&a.status)}</span>
                                    <ConfirmationBadge confirmation=a.confirmation.clone() /></td>
                                <td class="row-actions">
                                    {(a.status == "booked").then(|| view! { <button class="link" on:click=move |_| act(a1.clone(), AppointmentAction::Confirm)>"Confirm"</button> })}
                                    {open.then(|| view! {
                                        <button class="link" on:click=move |_| act(a2.clone(), AppointmentAction::Complete)>"Completed"</button>
                                        <button class="link" on:click=move |_| act(a3.clone(), AppointmentAction::NoShow)>"No-show"</button>
                                        <button class="link" on:click=move |_| moving.set(Some(a5.clone()))>"Reschedule"</button>
                                        <button class="link danger" on:click=move |_| act(a4.clone(), AppointmentAction::Cancel)>"Cancel"</button>
                                    })}
                                    {can_start.then(|| view! {
                                        <button class="link" data-testid="start-procedure-open"
                                            on:click=move |_| starting.set(Some(a8.clone()))>"Start procedure"</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}</Loaded>
    }
}

/// Moving one appointment: its provider's free times in the next two weeks, one click each.
#[component]
pub fn Reschedule(
    item: AppointmentItem,
    on_done: impl Fn(Option<AppointmentItem>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let slug = ctx.session.with_untracked(|s| {
        s.as_ref()
            .map(|s| s.practice_slug.clone())
            .unwrap_or_default()
    });
    let (reason, provider) = (ReasonId(item.reason_id), ProviderId(item.provider_id));
    let slug = StoredValue::new(slug);
    let slots = resource(ctx, move |api| {
        let slug = slug.get_value();
        let params = SlotsParams {
            reason,
            provider: ProviderChoice::Id(provider),
            patient: None,
            location: None,
            from: None,
            days: Some(14),
            lang: None,
        };
        async move {
            let found = api.api().slots(&slug, &params).await?;
            Ok(found
                .days
                .into_iter()
                .flat_map(|d| d.slots)
                .take(40)
                .collect::<Vec<_>>())
        }
    });
    let pick = move |slot: SlotOption| {
        spawn_local(async move {
            let api = ctx.api();
            let hold = api
                .api()
                .hold(
                    &slug.get_value(),
                    &HoldRequest {
                        reason,
                        provider: slot.provider,
                        start: slot.start,
                        lang: None,
                    },
                )
                .await;
            let moved = match hold {
                Ok(h) => api.reschedule(item.id, &h.hold_token).await,
                Err(e) => Err(e),
            };
            match moved {
                Ok(updated) => {
                    ctx.ok(format!(
                        "Moved to {}. The patient is told.",
                        updated.when_label
                    ));
                    on_done(Some(updated));
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    view! {
        <section class="card editor" aria-labelledby="reschedule">
            <div class="card-head">
                <h2 id="reschedule">{format!("Move {}'s {} ({})", item.patient_name, item.reason_name, item.when_label)}</h2>
                <button class="secondary" on:click=move |_| on_done(None)>"Close"</button>
            </div>
            <Loaded resource=slots loading="Finding free times…" let:list>{if list.is_empty() {
                view! { <p>"No free times with this provider in the next two weeks."</p> }.into_any()
            } else {
                view! {
                    <ul class="slots">{list.into_iter().map(|s| {
                        let label = s.full_label.clone();
                        view! { <li><button class="secondary" on:click=move |_| pick(s.clone())>{label}</button></li> }
                    }).collect_view()}</ul>
                }.into_any()
            }}</Loaded>
        </section>
    }
}
