//! Broadcasts: one message to the patients of a set of appointments (a reminder, a schedule
//! change, a closing, a request to reschedule). A preview shows exactly who gets it; sending
//! is possible only for the form as it was previewed.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::labels::channel_label;
use crate::screens::broadcast_history::{history, History};
use crate::ui::{options, plural, practice_date, Field, Select, TextArea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::automations::{
    BroadcastFilter, BroadcastPreview, BroadcastRequest, BroadcastTemplate, BroadcastView,
    PartOfDay,
};
use slotwise_shared::client::ClientError;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::{ProviderId, ReasonId};

const PARTS: [(&str, &str); 3] = [
    ("any", "Any time of day"),
    ("morning", "Morning (before noon)"),
    ("afternoon", "Afternoon (noon or later)"),
];
const STATUSES: [(&str, &str); 6] = [
    ("", "Upcoming (booked and confirmed)"),
    ("booked", "Booked"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("no_show", "No-show"),
];

fn part_of_day(s: &str) -> PartOfDay {
    match s {
        "morning" => PartOfDay::Morning,
        "afternoon" => PartOfDay::Afternoon,
        _ => PartOfDay::Any,
    }
}

/// Field errors keyed as the form's fields (`filter.from` is the `from` field).
fn form_errors(err: &ClientError) -> FieldErrors {
    fields_of(err)
        .into_iter()
        .map(|(k, m)| (k.trim_start_matches("filter.").to_string(), m))
        .collect()
}

/// The broadcasts screen.
#[component]
pub fn Broadcasts() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let template = RwSignal::new(BroadcastTemplate::ALL[0].as_str().to_string());
    // The practice's today, which is not the browser's everywhere.
    let tz = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.timezone.clone()));
    let (from, to) = (
        RwSignal::new(practice_date(tz.as_deref(), 0)),
        RwSignal::new(practice_date(tz.as_deref(), 7)),
    );
    let part = RwSignal::new("any".to_string());
    let (provider, reason) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let status = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    // The form as a request: a preview counts only while it still matches.
    let request = Memo::new(move |_| BroadcastRequest {
        template: BroadcastTemplate::parse(&template.get())
            .unwrap_or(BroadcastTemplate::AppointmentReminder),
        filter: BroadcastFilter {
            from: from.get(),
            to: to.get(),
            part_of_day: part_of_day(&part.get()),
            provider_id: provider.get().parse().ok().map(ProviderId),
            reason_id: reason.get().parse().ok().map(ReasonId),
            status: status.get(),
        },
        note: note.get(),
    });
    let previewed = RwSignal::new(None::<(BroadcastRequest, BroadcastPreview)>);
    let current = Memo::new(move |_| {
        previewed.with(|p| {
            p.as_ref()
                .filter(|(asked, _)| *asked == request.get())
                .map(|(_, answer)| answer.clone())
        })
    });
    let (previewing, sending) = (RwSignal::new(false), RwSignal::new(false));
    // One key per preview: sending again after a lost answer cannot send a second broadcast.
    let send_key = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<BroadcastView>);
    let sent_list = history(ctx);

    let preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let asked = request.get_untracked();
        previewing.set(true);
        sent.set(None);
        spawn_local(async move {
            match ctx.api().preview_broadcast(&asked).await {
                Ok(answer) => {
                    errors.try_set(FieldErrors::new());
                    previewed.try_set(Some((asked, answer)));
                    send_key.try_set(format!(
                        "broadcast-{}-{}",
                        js_sys::Date::now() as u64,
                        (js_sys::Math::random() * 1e15) as u64
                    ));
                }
                Err(e) => {
                    errors.try_set(form_errors(&e));
                    ctx.fail(&e);
                }
            }
            previewing.try_set(false);
        });
    };
    let send = move |_| {
        let Some(p) = current.get_untracked() else {
            return;
        };
        let asked = request.get_untracked();
        let question = format!(
            "Send \u{201c}{}\u{201d} to {} ({})? This cannot be undone.",
            asked.template.label(),
            plural(p.recipients, "patient", "patients"),
            plural(p.messages, "message", "messages"),
        );
        if !confirm(&question) {
            return;
        }
        sending.set(true);
        let key = send_key.get_untracked();
        spawn_local(async move {
            match ctx.api().send_broadcast(&asked, &key).await {
                Ok(b) => {
                    ctx.ok(format!(
                        "Broadcast on its way: {} to {}.",
                        plural(b.messages, "message", "messages"),
                        plural(b.recipients, "patient", "patients"),
                    ));
                    previewed.try_set(None);
                    sent.try_set(Some(b));
                    sent_list.refetch();
                }
                Err(e) => {
                    errors.try_set(form_errors(&e));
                    ctx.fail(&e);
                }
            }
            sending.try_set(false);
        });
    };
    let send_disabled = move || {
        sending.get()
            || previewing.get()
            || current.with(|p| p.as_ref().is_none_or(|p| p.recipients == 0))
    };
    let send_label = move || {
        if sending.get() {
            "Sending…".to_string()
        } else {
            match current.get() {
                Some(p) => format!("Send to {}", plural(p.recipients, "patient", "patients")),
                None => "Send".to_string(),
            }
        }
    };
    let templates = BroadcastTemplate::ALL
        .into_iter()
        .map(|t| (t.as_str().to_string(), t.label().to_string()))
        .collect::<Vec<_>>();

    view! {
        <h1>"Broadcasts"</h1>
        <p class="lead">"One message to the patients of a set of appointments: a reminder, a change of schedule, a closing, \
            a request to reschedule. Patients who opted out or whose automated messages are paused are left out."</p>
        <form class="card" on:submit=preview aria-labelledby="new-broadcast">
            <h2 id="new-broadcast">"New broadcast"</h2>
            <div class="grid compact">
                <Select label="Message" name="template" id="broadcast-template" value=template options=templates errors=errors />
                <Field label="Appointments from" name="from" id="broadcast-from" value=from errors=errors kind="date" />
                <Field label="To (included)" name="to" id="broadcast-to" value=to errors=errors kind="date" />
                <Select label="Time of day" name="part_of_day" id="broadcast-part" value=part options=options(&PARTS) errors=errors />
                {move || {
                    let mut providers = vec![(String::new(), "Any".to_string())];
                    let mut reasons = vec![(String::new(), "Any".to_string())];
                    if let Some(s) = ctx.setup.get() {
                        providers.extend(s.providers.into_iter().map(|p| (p.id.to_string(), p.name)));
                        reasons.extend(s.reasons.into_iter().map(|r| (r.id.to_string(), r.input.name)));
                    }
                    view! {
                        <Select label="Provider" name="provider_id" id="broadcast-provider" value=provider options=providers errors=errors />
                        <Select label="Reason for visit" name="reason_id" id="broadcast-reason" value=reason options=reasons errors=errors />
                    }
                }}
                <Select label="Status" name="status" id="broadcast-status" value=status options=options(&STATUSES) errors=errors />
                <TextArea label="Your note" name="note" id="broadcast-note" value=note errors=errors rows=3
                    hint="Goes into the message as its {{ message }} (see Message templates), e.g. the new opening hours." />
            </div>
            <div class="actions">
                <button type="submit" class="secondary" data-testid="broadcast-preview" disabled=move || previewing.get()
                    aria-busy=move || previewing.get().to_string()>
                    {move || if previewing.get() { "Counting…" } else { "Preview" }}
                </button>
                <button type="button" data-testid="broadcast-send" disabled=send_disabled
                    aria-busy=move || sending.get().to_string() on:click=send>{send_label}</button>
            </div>
            <div aria-live="polite">
                {move || match (current.get(), previewed.with(Option::is_some)) {
                    (Some(p), _) => view! { <PreviewResult preview=p /> }.into_any(),
                    (None, true) => view! {
                        <p class="hint" data-testid="broadcast-stale">"The form changed since the preview: preview again before sending."</p>
                    }.into_any(),
                    (None, false) => view! {
                        <p class="hint">"Preview first: it shows exactly who gets the message, and sending is possible after that."</p>
                    }.into_any(),
                }}
            </div>
        </form>
        {move || sent.get().map(|b| view! {
            <p class="card" data-testid="broadcast-result">
                {format!("Sent \u{201c}{}\u{201d}: {} to {} queued. Delivery shows in the history below.",
                    b.template.label(), plural(b.messages, "message", "messages"), plural(b.recipients, "patient", "patients"))}
            </p>
        })}
        <History list=sent_list />
    }
}

#[component]
fn PreviewResult(preview: BroadcastPreview) -> impl IntoView {
    let p = preview;
    view! {
        <section class="preview-result" aria-labelledby="preview-title" data-testid="broadcast-preview-result">
            <h3 id="preview-title">"Who gets it"</h3>
            <p class="total">
                <span data-testid="broadcast-count">{p.recipients}</span>
                {if p.recipients == 1 { " patient, " } else { " patients, " }}
                <span data-testid="broadcast-messages">{p.messages}</span>
                {if p.messages == 1 { " message" } else { " messages" }}
                " (one per channel a patient can be reached on)"
            </p>
            <ul class="plain-list">
                <li><span data-testid="broadcast-excluded">{p.excluded_opted_out}</span>
                    " left out: opted out, or automated messages paused"</li>
                <li><span data-testid="broadcast-unreachable">{p.excluded_unreachable}</span>
                    " left out: no phone or email on a channel the practice uses"</li>
            </ul>
            {(!p.sample.is_empty()).then(|| view! {
                <h3>"How it reads"</h3>
                <div class="samples">{p.sample.into_iter().map(|s| view! {
                    <article class="sample" data-testid="broadcast-sample">
                        <p class="muted">{format!("{} · {} · {}", s.patient_name, s.when, channel_label(s.channel))}</p>
                        <pre class="message">{s.body}</pre>
                    </article>
                }).collect_view()}</div>
            })}
        </section>
    }
}
