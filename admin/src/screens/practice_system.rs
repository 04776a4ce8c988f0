//! The practice-management connection: whether Slotwise or a FHIR R4 server is the schedule of
//! record, and the connection's health (last success, last error, bookings and cancellations
//! or moves waiting for it).

use crate::ctx::{fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::Field;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{PmsKind, PmsSettings, PmsView};
use slotwise_shared::error::FieldErrors;

fn when(at: Option<jiff::Timestamp>) -> String {
    at.map(|t| {
        t.to_zoned(jiff::tz::TimeZone::system())
            .strftime("%b %-d, %-I:%M:%S %p")
            .to_string()
    })
    .unwrap_or_else(|| "never".to_string())
}

/// The screen.
#[component]
pub fn PracticeSystem() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pms = resource(ctx, |api| async move { api.pms().await });
    let admin = ctx.is_admin();
    view! {
        <h1>"Practice system"</h1>
        <p class="lead">"Where appointments are kept: in Slotwise, or in your practice-management system over FHIR R4. \
            When that system does not answer, online bookings wait in the booking queue and are retried automatically."</p>
        <Loaded resource=pms let:v>
            <Health view=v.clone() on_refresh=move || pms.refetch() />
            // Saving checks the connection and records its health: read it again to show it.
            {admin.then(|| view! { <ConnectionForm view=v on_saved=move |_| pms.refetch() /> })}
        </Loaded>
    }
}

#[component]
fn Health(view: PmsView, on_refresh: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let healthy = view.kind == PmsKind::Builtin
        || (view.last_success_at.is_some()
            && view
                .last_error_at
                .is_none_or(|e| view.last_success_at.is_some_and(|s| s > e)));
    let status = match view.kind {
        PmsKind::Builtin => "Slotwise is your schedule of record.".to_string(),
        PmsKind::Fhir if healthy => "Connected.".to_string(),
        PmsKind::Fhir => {
            "Not answering: new online bookings wait in the booking queue.".to_string()
        }
    };
    view! {
        <section class="card" aria-labelledby="health">
            <h2 id="health">"Connection health"</h2>
            <p class=if healthy { "health ok" } else { "health error" } data-testid="pms-status">{status}</p>
            {(view.kind == PmsKind::Fhir).then(|| view! {
                <dl class="facts">
                    <dt>"FHIR server"</dt><dd>{view.base_url.clone()}</dd>
                    <dt>"Last success"</dt><dd data-testid="pms-last-success">{when(view.last_success_at)}</dd>
                    <dt>"Last error"</dt>
                    <dd data-testid="pms-last-error">{match &view.last_error {
                        Some(e) => format!("{e} ({})", when(view.last_error_at)),
                        None => "none".to_string(),
                    }}</dd>
                    <dt>"Bookings waiting"</dt><dd data-testid="pms-waiting">{view.waiting}</dd>
                    <dt>"Cancellations and moves waiting"</dt>
                    <dd data-testid="pms-changes-waiting">{view.changes_waiting}</dd>
                    {(view.changes_failed > 0).then(|| view! {
                        <dt>"Refused by the practice system"</dt>
                        <dd data-testid="pms-changes-failed">{view.changes_failed}" (change them there by hand)"</dd>
                    })}
                </dl>
            })}
            <button type="button" class="secondary" on:click=move |_| on_refresh()>"Refresh"</button>
        </section>
    }
}

#[component]
fn ConnectionForm(
    view: PmsView,
    on_saved: impl Fn(PmsView) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let fhir = RwSignal::new(view.kind == PmsKind::Fhir);
    let base_url = RwSignal::new(view.base_url.clone());
    let token = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    let token_hint = if view.has_token {
        "Access token (leave empty to keep the saved one)"
    } else {
        "Access token (optional)"
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = token.get_untracked();
        let settings = PmsSettings {
            kind: if fhir.get_untracked() {
                PmsKind::Fhir
            } else {
                PmsKind::Builtin
            },
            base_url: base_url.get_untracked(),
            auth_token: Some(typed).filter(|t| !t.trim().is_empty()),
        };
        saving.set(true);
        spawn_local(async move {
            match ctx.api().save_pms(&settings).await {
                Ok(v) => {
                    errors.set(FieldErrors::new());
                    token.set(String::new());
                    ctx.ok("Practice system saved.");
                    on_saved(v);
                }
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
            saving.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="connection">
            <h2 id="connection">"Schedule of record"</h2>
            <form on:submit=save class="grid">
                <fieldset class="choice">
                    <legend>"Appointments are kept in"</legend>
                    <label class="check"><input type="radio" name="pms_kind" value="builtin"
                        prop:checked=move || !fhir.get() on:change=move |_| fhir.set(false) />"Slotwise"</label>
                    <label class="check"><input type="radio" name="pms_kind" value="fhir"
                        prop:checked=move || fhir.get() on:change=move |_| fhir.set(true) />"My practice system (FHIR R4)"</label>
                </fieldset>
                <Show when=move || fhir.get()>
                    <Field label="FHIR base address (e.g. https://ehr.example.com/fhir)" name="base_url" value=base_url errors=errors kind="url" />
                    <Field label=token_hint name="auth_token" value=token errors=errors kind="password" />
                </Show>
                <div class="actions">
                    <button type="submit" disabled=move || saving.get() aria-busy=move || saving.get().to_string()>
                        {move || if saving.get() { "Saving and checking…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
