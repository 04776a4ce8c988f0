//! The waitlist: patients who would take a time for a visit if one opens, by status (waiting
//! ones in the order they are offered times), with a form to add a patient by name and
//! contact, and taking an entry off.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{Check, Empty, Field, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::{ProviderId, ReasonId};
use slotwise_shared::waitlist::{WaitlistAdd, WaitlistEntryView};

const TABS: [(&str, &str); 4] = [
    ("waiting", "Waiting"),
    ("booked", "Booked"),
    ("expired", "Expired"),
    ("removed", "Taken off"),
];

/// The waitlist screen.
#[component]
pub fn Waitlist() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tab = RwSignal::new("waiting");
    let entries = resource(ctx, move |api| {
        let status = tab.get();
        async move { Ok(api.waitlist(status).await?.entries) }
    });
    let reload = move || entries.refetch();
    view! {
        <h1>"Waitlist"</h1>
        <p class="lead">"Patients who would take a time if one opens: from the widget when no time suited them, from their booking's page for an earlier time, or added here. An entry ends when the patient books the visit, or after its last day."</p>
        <AddEntry on_added=reload />
        <div role="tablist" class="tabs" aria-label="Waitlist status">
            {TABS.into_iter().map(|(key, label)| view! {
                <button role="tab" aria-selected=move || (tab.get() == key).to_string()
                    on:click=move |_| tab.set(key)>{label}</button>
            }).collect_view()}
        </div>
        <div role="tabpanel">
            <Loaded resource=entries reload_shows_loading=true let:list>{if list.is_empty() {
                view! {
                    <Empty title="Nobody here" next="Patients join from the widget's times step, or from their booking's page; you can add one above." />
                }.into_any()
            } else {
                view! {
                    <table class="list" data-testid="waitlist">
                        <caption class="visually-hidden">"Waitlist entries"</caption>
                        <thead><tr>
                            <th scope="col">"Patient"</th>
                            <th scope="col">"Visit"</th>
                            <th scope="col">"Days"</th>
                            <th scope="col">"Wishes"</th>
                            <th scope="col">"From"</th>
                            <th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>{list.into_iter().map(|e| view! { <Row entry=e on_change=reload /> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}</Loaded>
        </div>
    }
}

/// "Monday, Friday · mornings" from an entry's preferences.
fn wishes(e: &WaitlistEntryView) -> String {
    let days = if e.preferred_days.is_empty() {
        "any day".to_string()
    } else {
        e.preferred_days.join(", ")
    };
    let times = if e.times_of_day.is_empty() {
        "any time".to_string()
    } else {
        e.times_of_day.join(", ")
    };
    let mut parts = vec![format!("{days} · {times}")];
    if e.asap {
        parts.push("as soon as possible".into());
    }
    if e.short_notice {
        parts.push("short notice".into());
    }
    parts.join("; ")
}

#[component]
fn Row(
    entry: WaitlistEntryView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = entry.id;
    let name = entry.patient_name.clone();
    let remove = move |_| {
        if !confirm("Take this patient off the waitlist?") {
            return;
        }
        spawn_local(async move {
            match ctx.api().remove_from_waitlist(id).await {
                Ok(_) => {
                    ctx.ok("Taken off the waitlist.");
                    on_change();
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    let contact = [entry.phone.clone(), entry.email.clone()]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let with = if entry.provider_name.is_empty() {
        "anyone free".to_string()
    } else {
        entry.provider_name.clone()
    };
    let source = match entry.source.as_str() {
        "manage" => "their booking's page (an earlier time)",
        "staff" => "the team",
        _ => "the widget",
    };
    view! {
        <tr data-testid=format!("waitlist-{id}")>
            <th scope="row">{entry.patient_name.clone()}<br /><span class="hint">{contact}</span></th>
            <td>{format!("{} with {with}", entry.reason_name)}</td>
            <td>{format!("{} to {}", entry.from, entry.to)}</td>
            <td>{wishes(&entry)}</td>
            <td>{source}</td>
            <td class="row-actions">
                {(entry.status == "waiting").then(|| view! {
                    <button class="link danger" aria-label=format!("Take {name} off the waitlist") on:click=remove>"Take off"</button>
                })}
            </td>
        </tr>
    }
}

/// Staff add a patient by name and contact.
#[component]
fn AddEntry(on_added: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let text = || RwSignal::new(String::new());
    let (first, last, phone, email, reason, provider, from, to) = (
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
    );
    let asap = RwSignal::new(false);
    let short_notice = RwSignal::new(false);
    let open = RwSignal::new(false);
    let options = move |reasons: bool| {
        let mut list = vec![(
            String::new(),
            if reasons { "Choose…" } else { "Anyone free" }.to_string(),
        )];
        ctx.setup.with_untracked(|setup| {
            if let Some(setup) = setup {
                if reasons {
                    list.extend(
                        setup
                            .reasons
                            .iter()
                            .map(|r| (r.id.to_string(), r.input.name.clone())),
                    );
                } else {
                    list.extend(
                        setup
                            .providers
                            .iter()
                            .map(|p| (p.id.to_string(), p.name.clone())),
                    );
                }
            }
        });
        list
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut refused = FieldErrors::new();
        let reason_id = reason.get_untracked().parse().ok().map(ReasonId);
        if reason_id.is_none() {
            refused.insert("reason".into(), "Choose the visit.".into());
        }
        let from_date = from.get_untracked().parse().ok();
        if from_date.is_none() {
            refused.insert("from".into(), "Use a date like 2026-12-01.".into());
        }
        let to_date = to.get_untracked().parse().ok();
        if to_date.is_none() {
            refused.insert("to".into(), "Use a date like 2026-12-31.".into());
        }
        let (Some(reason_id), Some(from_date), Some(to_date)) = (reason_id, from_date, to_date)
        else {
            errors.set(refused);
            return;
        };
        let add = WaitlistAdd {
            patient: None,
            first_name: first.get_untracked(),
            last_name: last.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            reason: reason_id,
            provider: provider.get_untracked().parse().ok().map(ProviderId),
            from: from_date,
            to: to_date,
            preferred_days: Vec::new(),
            times_of_day: Vec::new(),
            asap: asap.get_untracked(),
            short_notice: short_notice.get_untracked(),
        };
        errors.set(FieldErrors::new());
        spawn_local(async move {
            match ctx.api().add_to_waitlist(&add).await {
                Ok(entry) => {
                    ctx.ok(format!("{} is on the waitlist.", entry.patient_name));
                    open.set(false);
                    on_added();
                }
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button class="secondary" data-action="add-waitlist" on:click=move |_| open.set(true)>"Add a patient"</button>
        }>
            <form class="card grid compact" on:submit=save data-testid="waitlist-add">
                <h2>"Add a patient to the waitlist"</h2>
                <Field label="First name" name="first_name" value=first errors=errors />
                <Field label="Last name" name="last_name" value=last errors=errors />
                <Field label="Phone" name="phone" value=phone errors=errors kind="tel" />
                <Field label="Email" name="email" value=email errors=errors kind="email" />
                <Select label="Visit" name="reason" value=reason errors=errors options=options(true) />
                <Select label="With" name="provider" value=provider errors=errors options=options(false) />
                <Field label="From" name="from" value=from errors=errors kind="date" />
                <Field label="Until" name="to" value=to errors=errors kind="date" />
                <Check label="As soon as possible" name="asap" value=asap />
                <Check label="Can come at short notice" name="short_notice" value=short_notice />
                <div class="actions">
                    <button type="submit">"Add to the waitlist"</button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </form>
        </Show>
    }
}
