//! The booking queue: bookings the practice system could not take and requests, by status.
//! Marking one complete books the visit at the time staff give (or the one asked for) and
//! tells the patient; a request also says who and what it is with.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{Empty, Field, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{QueueCompletion, QueueEntryView};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::{ProviderId, ReasonId};

/// What a completion form asks for when the entry does not say.
#[derive(Clone, Copy)]
enum Pick {
    Provider,
    Reason,
}

/// The practice's providers or reasons as select options, "Choose…" first.
fn choices(ctx: Ctx, pick: Pick) -> Vec<(String, String)> {
    let mut list = vec![(String::new(), "Choose…".to_string())];
    ctx.setup.with_untracked(|setup| {
        if let Some(setup) = setup {
            match pick {
                Pick::Provider => list.extend(
                    setup
                        .providers
                        .iter()
                        .map(|p| (p.id.to_string(), p.name.clone())),
                ),
                Pick::Reason => list.extend(
                    setup
                        .reasons
                        .iter()
                        .map(|r| (r.id.to_string(), r.input.name.clone())),
                ),
            }
        }
    });
    list
}

const TABS: [(&str, &str); 4] = [
    ("pending", "Pending"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
];

/// The booking-queue screen.
#[component]
pub fn BookingQueue() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tab = RwSignal::new("pending");
    // Choosing a tab reads its list.
    let entries = resource(ctx, move |api| {
        let status = tab.get();
        async move { Ok(api.booking_queue(status).await?.entries) }
    });
    let reload = move || entries.refetch();
    view! {
        <h1>"Booking queue"</h1>
        <p class="lead">"Bookings to enter by hand and requests to call back. Marking one complete sends the patient their confirmation."</p>
        <div role="tablist" class="tabs" aria-label="Queue status">
            {TABS.into_iter().map(|(key, label)| view! {
                <button role="tab" aria-selected=move || (tab.get() == key).to_string()
                    on:click=move |_| tab.set(key)>{label}</button>
            }).collect_view()}
        </div>
        <div role="tabpanel">
            // Another tab's entries would mislead while the chosen tab's are read.
            <Loaded resource=entries reload_shows_loading=true let:list>{if list.is_empty() {
                view! {
                    <Empty title=format!("Nothing {}", tab.get_untracked()) next="Entries appear here when the practice system is unreachable or a new patient asks for a visit." />
                }.into_any()
            } else {
                view! {
                    <ul class="queue">{list.into_iter().map(|e| view! { <Entry entry=e on_change=reload /> }).collect_view()}</ul>
                }.into_any()
            }}</Loaded>
        </div>
    }
}

#[component]
fn Entry(
    entry: QueueEntryView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = entry.id;
    let errors = RwSignal::new(FieldErrors::new());
    let date = RwSignal::new(String::new());
    let time = RwSignal::new(String::new());
    // A request names no provider (and maybe no reason): staff say who and what they booked.
    let provider = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let (ask_provider, ask_reason) = (entry.provider_name.is_empty(), entry.reason_name.is_empty());
    let pending = entry.status == "pending";
    // A procedure is booked at the patient's times, every visit at once.
    let procedure = entry.kind == "procedure";
    let visits = entry.visits.clone();
    let complete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = QueueCompletion {
            date: date.get_untracked(),
            time: time.get_untracked(),
            provider_id: provider.get_untracked().parse().ok().map(ProviderId),
            reason_id: reason.get_untracked().parse().ok().map(ReasonId),
        };
        spawn_local(async move {
            match ctx.api().complete_queue_entry(id, &c).await {
                Ok(done) => {
                    ctx.ok(format!(
                        "Marked complete; {} gets a confirmation.",
                        done.patient_name
                    ));
                    on_change();
                }
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    let cancel = move |_| {
        if confirm("Cancel this entry? The patient is not messaged.") {
            spawn_local(async move {
                match ctx.api().cancel_queue_entry(id).await {
                    Ok(_) => {
                        ctx.ok("Entry cancelled.");
                        on_change();
                    }
                    Err(e) => ctx.fail(&e),
                }
            });
        }
    };
    let title = format!(
        "{} — {}",
        entry.patient_name,
        match entry.kind.as_str() {
            "request" => "appointment request",
            "procedure" => "procedure to enter",
            _ => "booking to enter",
        }
    );
    view! {
        <li class="card queue-entry">
            <h2>{title}</h2>
            <dl>
                <dt>"Phone"</dt><dd>{entry.phone.clone()}</dd>
                <dt>"Email"</dt><dd>{entry.email.clone()}</dd>
                {(!procedure).then(|| view! {
                    <dt>"Reason"</dt><dd>{entry.reason_name.clone()}</dd>
                    <dt>"Provider"</dt><dd>{entry.provider_name.clone()}</dd>
                    <dt>"Time asked for"</dt><dd>{if entry.when_label.is_empty() { entry.preference.clone() } else { entry.when_label.clone() }}</dd>
                })}
                {procedure.then(|| view! {
                    <dt>"Visits"</dt>
                    <dd><ol data-testid="queued-visits">{visits.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ol></dd>
                })}
                <dt>"Note"</dt><dd>{entry.detail.clone()}</dd>
                {entry.retrying.then(|| view! {
                    <dt>"Practice system"</dt>
                    <dd data-testid="retrying">
                        {format!("Could not take it yet; retried automatically ({} {} so far).",
                            entry.attempts, if entry.attempts == 1 { "try" } else { "tries" })}
                        {entry.last_error.clone().map(|e| format!(" Last error: {e}"))}
                    </dd>
                })}
                {entry.resolved_by.clone().map(|by| view! { <dt>"Closed by"</dt><dd>{by}</dd> })}
            </dl>
            {pending.then(|| view! {
                <form on:submit=complete class="grid compact">
                    {procedure.then(|| view! {
                        <p class="hint">"Enter every visit in your system at these times, then mark complete: all are booked here at once."</p>
                    })}
                    {(!procedure).then(|| view! {
                        <Field label="Booked for (date; empty = the time asked for)" name="date" value=date errors=errors kind="date" />
                        <Field label="Time" name="time" value=time errors=errors kind="time" />
                    })}
                    {ask_provider.then(|| view! {
                        <Select label="With" name="provider_id" value=provider errors=errors options=choices(ctx, Pick::Provider) />
                    })}
                    {ask_reason.then(|| view! {
                        <Select label="For" name="reason_id" value=reason errors=errors options=choices(ctx, Pick::Reason) />
                    })}
                    <div class="actions">
                        <button type="submit">"Mark complete"</button>
                        <button type="button" class="secondary danger" on:click=cancel>"Cancel entry"</button>
                    </div>
                </form>
            })}
        </li>
    }
}
