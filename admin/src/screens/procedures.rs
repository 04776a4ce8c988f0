//! The Procedures page: patients' procedures with their progress, the next step, steps whose
//! window is passing with nothing booked, and steps flagged after a change; filters by
//! procedure, provider and state; cancelling a procedure with its steps booked ahead.

use crate::ctx::{confirm, Ctx};
use crate::loading::{resource, Loaded};
use crate::screens::procedure_templates::reason_name;
use crate::setup::setup_read;
use crate::ui::{local_time, Empty, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::{ProcedureTemplateId, ProviderId};
use slotwise_shared::procedures::{
    ProcedureFilter, ProcedureState, ProcedureStepView, ProcedureView, StepState,
};

const STATES: [(&str, &str); 4] = [
    ("", "Every state"),
    ("active", "Under way"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
];

fn state_label(state: ProcedureState) -> &'static str {
    match state {
        ProcedureState::Active => "Under way",
        ProcedureState::Completed => "Completed",
        ProcedureState::Cancelled => "Cancelled",
    }
}

fn step_state_label(state: StepState) -> &'static str {
    match state {
        StepState::ToBook => "To book",
        StepState::Booked => "Booked",
        StepState::Completed => "Done",
        StepState::Cancelled => "Cancelled",
        StepState::NoShow => "No-show",
    }
}

/// One step in words: its visit, its state and when (or the window it may be booked in).
fn describe_step(ctx: Ctx, s: &ProcedureStepView) -> String {
    let name = if s.reason_name.is_empty() {
        reason_name(ctx, s.reason)
    } else {
        s.reason_name.clone()
    };
    let when = match (s.start, s.window_from, s.window_to) {
        (Some(start), _, _) => format!(", {}", local_time(start)),
        (None, Some(from), Some(to)) => format!(", between {from} and {to}"),
        _ => String::new(),
    };
    format!(
        "Step {}: {name} — {}{when}",
        s.position,
        step_state_label(s.state)
    )
}

fn filter_of(template: &str, provider: &str, state: &str) -> ProcedureFilter {
    ProcedureFilter {
        template: template.parse().ok().map(ProcedureTemplateId),
        provider: provider.parse().ok().map(ProviderId),
        state: ProcedureState::parse(state),
        patient: None,
    }
}

/// The Procedures page.
#[component]
pub fn Procedures() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let template = RwSignal::new(String::new());
    let provider = RwSignal::new(String::new());
    let state = RwSignal::new("active".to_string());
    let list = resource(ctx, move |api| {
        let filter = filter_of(&template.get(), &provider.get(), &state.get());
        async move { Ok(api.procedures(&filter).await?.procedures) }
    });
    let templates = resource(ctx, |api| async move {
        Ok(api.procedure_templates().await?.templates)
    });
    let setup = setup_read();
    let errors = RwSignal::new(FieldErrors::new());
    let cancel = move |p: ProcedureView| {
        if !confirm(&format!(
            "Cancel {} for {}? Their visits booked ahead are cancelled and they are told.",
            p.name, p.patient_name
        )) {
            return;
        }
        spawn_local(async move {
            match ctx.api().cancel_procedure(p.id).await {
                Ok(_) => {
                    ctx.ok("Procedure cancelled.");
                    list.refetch();
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    let send_link = move |p: ProcedureView| {
        spawn_local(async move {
            match ctx.api().send_procedure_link(p.id).await {
                Ok(_) => ctx.ok(format!(
                    "{} is sent a link to book the rest of {}.",
                    p.patient_name, p.name
                )),
                Err(e) => ctx.fail(&e),
            }
        });
    };
    view! {
        <h1>"Procedures"</h1>
        <p class="lead">"Treatments of several visits, per patient: what is done, what comes next, and what needs you — \
            a visit whose window is passing with nothing booked, or one flagged because a visit before it moved or was cancelled."</p>
        <Loaded resource=setup loading="Loading the practice's providers…" let:_read>
            <Loaded resource=templates let:known>{
                let mut template_options = vec![(String::new(), "Every procedure".to_string())];
                template_options.extend(known.iter().map(|t| (t.id.to_string(), t.input.name.clone())));
                let mut provider_options = vec![(String::new(), "Every provider".to_string())];
                provider_options.extend(ctx.setup.with_untracked(|s| s.as_ref().map(|s| {
                    s.providers.iter().map(|p| (p.id.to_string(), p.name.clone())).collect::<Vec<_>>()
                }).unwrap_or_default()));
                view! {
                    <form class="filters grid compact" role="search" aria-label="Filter procedures"
                        on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                        <Select label="Procedure" name="template" id="procedures-template" value=template options=template_options errors=errors />
                        <Select label="Provider" name="provider" id="procedures-provider" value=provider options=provider_options errors=errors />
                        <Select label="State" name="state" id="procedures-state" value=state
                            options=STATES.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect() errors=errors />
                    </form>
                }
            }</Loaded>
            <Loaded resource=list let:rows>{if rows.is_empty() {
                view! {
                    <Empty title="No procedures here"
                        next="Patients start one by booking a procedure online; you can start one from a patient's appointment." />
                }.into_any()
            } else {
                view! {
                    <table class="list" data-testid="procedures">
                        <caption class="visually-hidden">"Patients' procedures"</caption>
                        <thead><tr>
                            <th scope="col">"Patient"</th>
                            <th scope="col">"Procedure"</th>
                            <th scope="col">"Progress"</th>
                            <th scope="col">"Next"</th>
                            <th scope="col">"Needs you"</th>
                            <th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(|p| {
                            let id = p.id.0;
                            let for_cancel = p.clone();
                            let for_link = p.clone();
                            // Something left to book: a visit with no date.
                            let to_book = p.steps.iter().any(|s| matches!(s.state, StepState::ToBook | StepState::Cancelled | StepState::NoShow));
                            let next = p.next_step
                                .and_then(|n| p.steps.iter().find(|s| s.position == n))
                                .map(|s| describe_step(ctx, s))
                                .unwrap_or_else(|| state_label(p.state).to_string());
                            let overdue = p.steps.iter().filter(|s| s.overdue).count();
                            let flagged = p.steps.iter().filter(|s| s.flagged).count();
                            let attention = [
                                (overdue > 0).then(|| format!("{overdue} overdue")),
                                (flagged > 0).then(|| format!("{flagged} flagged")),
                            ].into_iter().flatten().collect::<Vec<_>>().join(", ");
                            let steps: Vec<String> = p.steps.iter().map(|s| {
                                let mut line = describe_step(ctx, s);
                                if s.overdue { line.push_str(" (overdue)"); }
                                if s.flagged { line.push_str(" (flagged: check its date)"); }
                                line
                            }).collect();
                            let who = p.patient_name.clone();
                            let attention_class = if attention.is_empty() { "" } else { "attention" };
                            view! {
                                <tr data-testid=format!("procedure-{id}")>
                                    <th scope="row">{p.patient_name.clone()}</th>
                                    <td>
                                        {p.name.clone()}
                                        <details>
                                            <summary>{format!("{} visits", p.steps.len())}</summary>
                                            <ol class="steps">{steps.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
                                        </details>
                                    </td>
                                    <td data-testid="progress">{format!("{} of {} done", p.completed, p.steps.len())}</td>
                                    <td>{next}</td>
                                    <td class=attention_class>{attention}</td>
                                    <td class="row-actions">
                                        {(p.state == ProcedureState::Active && to_book).then(|| {
                                            let who = who.clone();
                                            view! {
                                                <button class="link" aria-label=format!("Send {who} a link to book the rest")
                                                    on:click=move |_| send_link(for_link.clone())>"Send booking link"</button>
                                            }
                                        })}
                                        {(p.state == ProcedureState::Active).then(|| view! {
                                            <button class="link danger" aria-label=format!("Cancel the procedure for {who}")
                                                on:click=move |_| cancel(for_cancel.clone())>"Cancel"</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}</Loaded>
        </Loaded>
    }
}
