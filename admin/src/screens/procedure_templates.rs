//! Procedure templates: a treatment of several visits (consultation → surgery → crown →
//! follow-up), each step a reason for visit with its day window after the step before and an
//! optional "same provider as step N", and whether patients book it online.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::setup::setup_read;
use crate::ui::{Check, Empty, Field, Select, TextArea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::ReasonId;
use slotwise_shared::procedures::{
    ProcedureStepInput, ProcedureTemplateInput, ProcedureTemplateView, MAX_STEPS,
};

/// The name of one of the practice's reasons.
pub fn reason_name(ctx: Ctx, id: ReasonId) -> String {
    ctx.setup.with(|s| {
        s.as_ref()
            .and_then(|s| s.reasons.iter().find(|r| r.id == id.0))
            .map(|r| r.input.name.clone())
            .unwrap_or_else(|| format!("Reason {id}"))
    })
}

/// "Checkup → Surgery (7–21 days later, same provider as step 1) → …".
fn describe_steps(ctx: Ctx, steps: &[ProcedureStepInput]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let name = reason_name(ctx, s.reason);
            if k == 0 {
                return name;
            }
            let same = s
                .same_provider_as
                .map(|p| format!(", same provider as step {p}"))
                .unwrap_or_default();
            format!(
                "{name} ({}–{} days later{same})",
                s.gap_min_days, s.gap_max_days
            )
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The procedure templates screen.
#[component]
pub fn ProcedureTemplates() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let templates = resource(ctx, |api| async move {
        Ok(api.procedure_templates().await?.templates)
    });
    let setup = setup_read();
    // `Some(None)`: a new template; `Some(Some(id))`: editing one.
    let editing = RwSignal::new(None::<Option<i64>>);
    let delete = move |t: ProcedureTemplateView| {
        if !confirm(&format!(
            "Delete the procedure \u{201c}{}\u{201d}? Procedures under way go on; no new ones start.",
            t.input.name
        )) {
            return;
        }
        spawn_local(async move {
            match ctx.api().delete_procedure_template(t.id).await {
                Ok(()) => {
                    ctx.ok("Procedure deleted.");
                    editing.try_set(None);
                    templates.refetch();
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    view! {
        <h1>"Procedure templates"</h1>
        <p class="lead">"Treatments that take several visits over time. Patients book every visit of a procedure \
            at once, each within its window after the one before; you follow them on the Procedures page."</p>
        <div class="actions">
            <button data-testid="procedure-template-add" on:click=move |_| editing.set(Some(None))>"Add a procedure"</button>
        </div>
        <Loaded resource=setup loading="Loading the practice's reasons…" let:_read>
            <Loaded resource=templates let:list>{if list.is_empty() {
                view! {
                    <Empty title="No procedures yet"
                        next="Add one, e.g. a dental implant: consultation, surgery 7–21 days later, crown 90–120 days after the surgery." />
                }.into_any()
            } else {
                view! {
                    <table class="list" data-testid="procedure-templates">
                        <caption class="visually-hidden">"Procedure templates"</caption>
                        <thead><tr>
                            <th scope="col">"Procedure"</th>
                            <th scope="col">"Visits"</th>
                            <th scope="col">"Online"</th>
                            <th scope="col">"Actions"</th>
                        </tr></thead>
                        <tbody>{list.into_iter().map(|t| {
                            let id = t.id.0;
                            let name = t.input.name.clone();
                            let for_delete = t.clone();
                            view! {
                                <tr data-testid=format!("procedure-template-{id}") class=if t.input.active { "" } else { "inactive" }>
                                    <th scope="row">{t.input.name.clone()}{(!t.input.active).then_some(" (paused)")}</th>
                                    <td>{describe_steps(ctx, &t.input.steps)}</td>
                                    <td>{if t.input.bookable_online { "Patients book it online" } else { "Staff only" }}</td>
                                    <td class="row-actions">
                                        <button class="link" aria-label=format!("Edit {name}")
                                            on:click=move |_| editing.set(Some(Some(id)))>"Edit"</button>
                                        <button class="link danger" aria-label=format!("Delete {name}")
                                            on:click=move |_| delete(for_delete.clone())>"Delete"</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}</Loaded>
            {move || editing.get().map(|which| {
                let existing = which.and_then(|id| templates.with_untracked(|r| {
                    r.as_ref().and_then(|r| r.as_ref().ok()).and_then(|l| l.iter().find(|x| x.id.0 == id).cloned())
                }));
                let on_saved = move || { editing.set(None); templates.refetch(); };
                view! { <TemplateEditor existing on_close=move || editing.set(None) on_saved /> }
            })}
        </Loaded>
    }
}

/// One step being edited.
#[derive(Clone, Copy)]
struct StepDraft {
    reason: RwSignal<String>,
    gap_min: RwSignal<String>,
    gap_max: RwSignal<String>,
    same: RwSignal<String>,
}

impl StepDraft {
    fn of(step: Option<&ProcedureStepInput>) -> Self {
        StepDraft {
            reason: RwSignal::new(step.map(|s| s.reason.to_string()).unwrap_or_default()),
            gap_min: RwSignal::new(step.map_or("7".into(), |s| s.gap_min_days.to_string())),
            gap_max: RwSignal::new(step.map_or("21".into(), |s| s.gap_max_days.to_string())),
            same: RwSignal::new(
                step.and_then(|s| s.same_provider_as)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    fn input(&self) -> ProcedureStepInput {
        let days = |s: RwSignal<String>| s.get_untracked().trim().parse().unwrap_or(0);
        ProcedureStepInput {
            reason: ReasonId(self.reason.get_untracked().parse().unwrap_or(0)),
            gap_min_days: days(self.gap_min),
            gap_max_days: days(self.gap_max),
            same_provider_as: self.same.get_untracked().parse().ok(),
        }
    }
}

#[component]
fn TemplateEditor(
    existing: Option<ProcedureTemplateView>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = existing.as_ref().map(|t| t.id);
    let t = existing.map(|t| t.input);
    let errors = RwSignal::new(FieldErrors::new());
    let saving = RwSignal::new(false);
    let name = RwSignal::new(t.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let description = RwSignal::new(
        t.as_ref()
            .map(|t| t.description.clone())
            .unwrap_or_default(),
    );
    let online = RwSignal::new(t.as_ref().is_none_or(|t| t.bookable_online));
    let active = RwSignal::new(t.as_ref().is_none_or(|t| t.active));
    let steps = RwSignal::new(match &t {
        Some(t) => t.steps.iter().map(|s| StepDraft::of(Some(s))).collect(),
        None => vec![StepDraft::of(None), StepDraft::of(None)],
    });
    let mut reasons = vec![(String::new(), "Choose a visit".to_string())];
    reasons.extend(ctx.setup.with_untracked(|s| {
        s.as_ref()
            .map(|s| {
                s.reasons
                    .iter()
                    .filter(|r| r.input.active)
                    .map(|r| (r.id.to_string(), r.input.name.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    }));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ProcedureTemplateInput {
            name: name.get_untracked(),
            description: description.get_untracked(),
            steps: steps.get_untracked().iter().map(StepDraft::input).collect(),
            bookable_online: online.get_untracked(),
            active: active.get_untracked(),
        };
        saving.set(true);
        spawn_local(async move {
            let api = ctx.api();
            let answer = match id {
                Some(id) => api.update_procedure_template(id, &input).await,
                None => api.add_procedure_template(&input).await,
            };
            match answer {
                Ok(_) => {
                    ctx.ok("Procedure saved.");
                    on_saved();
                }
                Err(e) => {
                    errors.try_set(fields_of(&e));
                    saving.try_set(false);
                    ctx.fail(&e);
                }
            }
        });
    };
    let step_rows = move || {
        let list = steps.get();
        let count = list.len();
        list.into_iter()
            .enumerate()
            .map(|(k, d)| {
                let position = k + 1;
                let mut same = vec![(String::new(), "Any provider who offers it".to_string())];
                same.extend((1..position).map(|p| (p.to_string(), format!("Same provider as step {p}"))));
                let remove = move |_| steps.update(|v| { v.remove(k); });
                view! {
                    <fieldset class="step" data-testid=format!("procedure-step-{position}")>
                        <legend>{format!("Step {position}")}</legend>
                        <Select label="Visit" name=format!("steps[{k}].reason") value=d.reason options=reasons.clone() errors=errors />
                        {(k > 0).then(|| view! {
                            <Field label=format!("Earliest (days after step {k})") name=format!("steps[{k}].gap_min_days")
                                value=d.gap_min errors=errors kind="number" />
                            <Field label=format!("Latest (days after step {k})") name=format!("steps[{k}].gap_max_days")
                                value=d.gap_max errors=errors kind="number" />
                            <Select label="Provider" name=format!("steps[{k}].same_provider_as") value=d.same options=same errors=errors />
                        })}
                        {(count > 1).then(|| view! {
                            <button type="button" class="link danger" aria-label=format!("Remove step {position}")
                                on:click=remove>"Remove step"</button>
                        })}
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card editor" aria-labelledby="edit-procedure" data-testid="procedure-template-editor">
            <div class="card-head">
                <h2 id="edit-procedure">{if id.is_some() { "Edit procedure" } else { "New procedure" }}</h2>
                <button class="secondary" on:click=move |_| on_close()>"Close"</button>
            </div>
            <form on:submit=save class="grid">
                <Field label="Name" name="name" id="procedure-name" value=name errors=errors hint="e.g. Dental implant" />
                <TextArea label="What patients read about it" name="description" id="procedure-description" value=description errors=errors rows=2 />
                <span class="field-error" role="alert">{move || errors.with(|e| e.get("steps").cloned())}</span>
                {step_rows}
                <div class="actions">
                    <button type="button" class="secondary" data-testid="procedure-step-add"
                        disabled=move || steps.with(|v| v.len() >= MAX_STEPS)
                        on:click=move |_| steps.update(|v| v.push(StepDraft::of(None)))>"Add a step"</button>
                </div>
                <Check label="Patients may book it online" name="bookable_online" id="procedure-online" value=online />
                <Check label="Active (new procedures may start)" name="active" id="procedure-active" value=active />
                <div class="actions">
                    <button type="submit" data-testid="procedure-template-save" disabled=move || saving.get()
                        aria-busy=move || saving.get().to_string()>
                        {move || if saving.get() { "Saving…" } else { "Save procedure" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
