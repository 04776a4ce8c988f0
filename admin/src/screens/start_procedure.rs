//! Starting a procedure for a patient from one of their appointments: the procedure's first
//! visit is that appointment when it is for the same reason; the later visits are to book.

use crate::ctx::Ctx;
use crate::loading::{resource, Loaded};
use crate::ui::Select;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::AppointmentItem;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::{PatientId, ProcedureTemplateId};
use slotwise_shared::procedures::ProcedureStart;

/// The panel under the filters while staff start a procedure for `item`'s patient.
#[component]
pub fn StartProcedure(
    item: AppointmentItem,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let templates = resource(ctx, |api| async move {
        Ok(api.procedure_templates().await?.templates)
    });
    let chosen = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let busy = RwSignal::new(false);
    let item = StoredValue::new(item);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(template) = chosen.get_untracked().parse::<i64>() else {
            errors.set(FieldErrors::from([(
                "template".to_string(),
                "Choose a procedure.".to_string(),
            )]));
            return;
        };
        let (patient, appointment, reason) = item.with_value(|i| (i.patient_id, i.id, i.reason_id));
        let Some(patient) = patient else {
            return;
        };
        let first_reason = templates.with_untracked(|t| {
            t.as_ref()
                .and_then(|t| t.as_ref().ok())
                .and_then(|list| list.iter().find(|t| t.id.0 == template).cloned())
                .and_then(|t| t.input.steps.first().map(|s| s.reason.0))
        });
        let start = ProcedureStart {
            patient: PatientId(patient),
            template: ProcedureTemplateId(template),
            first_appointment: (first_reason == Some(reason)).then_some(appointment),
        };
        busy.set(true);
        spawn_local(async move {
            match ctx.api().start_procedure(&start).await {
                Ok(p) => {
                    ctx.ok(format!(
                        "{} started for {}; follow it under Procedures.",
                        p.name, p.patient_name
                    ));
                    on_done();
                }
                Err(e) => {
                    busy.try_set(false);
                    ctx.fail(&e);
                }
            }
        });
    };
    let who = item.with_value(|i| i.patient_name.clone());
    view! {
        <section class="card editor" aria-labelledby="start-procedure" data-testid="start-procedure">
            <div class="card-head">
                <h2 id="start-procedure">{format!("Start a procedure for {who}")}</h2>
                <button class="secondary" on:click=move |_| on_done()>"Close"</button>
            </div>
            <Loaded resource=templates let:list>{
                let mut options = vec![(String::new(), "Choose a procedure".to_string())];
                options.extend(list.iter().filter(|t| t.input.active).map(|t| (t.id.to_string(), t.input.name.clone())));
                view! {
                    <form on:submit=start class="grid compact">
                        <Select label="Procedure" name="template" id="start-procedure-template" value=chosen options errors=errors />
                        <p class="hint">"When this appointment is the procedure's first visit, it counts as done or booked; the other visits are to book."</p>
                        <div class="actions">
                            <button type="submit" data-testid="start-procedure-save" disabled=move || busy.get()>"Start procedure"</button>
                        </div>
                    </form>
                }
            }</Loaded>
        </section>
    }
}
