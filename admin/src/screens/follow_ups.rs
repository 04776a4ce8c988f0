//! Follow-ups the practice sends by itself: messages after a no-show, the feedback request
//! after a visit, and the pace of broadcasts. Admins and owners change them; the front desk
//! sees them.

use crate::ctx::{fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{number, Check, Field};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::automations::AutomationSettings;
use slotwise_shared::error::FieldErrors;

/// The follow-ups screen.
#[component]
pub fn FollowUps() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let settings = resource(ctx, |api| async move { api.automation_settings().await });
    view! {
        <h1>"Follow-ups"</h1>
        <p class="lead">"Messages the practice sends by itself after a visit. Patients who opted out, or whose \
            automated messages are paused on the Appointments screen, never get them."</p>
        <Loaded resource=settings let:s>
            <SettingsForm settings=s />
        </Loaded>
        <p class="hint">"Aftercare instructions are set per reason for visit on the Reasons for visit screen: \
            they are sent when an appointment for that reason is marked completed."</p>
    }
}

#[component]
fn SettingsForm(settings: AutomationSettings) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let admin = ctx.is_admin();
    let errors = RwSignal::new(FieldErrors::new());
    let saving = RwSignal::new(false);
    let no_show = RwSignal::new(settings.no_show_enabled);
    let defaults = AutomationSettings::default().no_show_delays_hours;
    let delay = |i: usize| {
        let hours = settings
            .no_show_delays_hours
            .get(i)
            .or(defaults.get(i))
            .copied()
            .unwrap_or(24);
        RwSignal::new(hours.to_string())
    };
    let delays = [delay(0), delay(1), delay(2)];
    let feedback = RwSignal::new(settings.feedback_enabled);
    let per_minute = RwSignal::new(settings.broadcast_per_minute.to_string());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = AutomationSettings {
            no_show_enabled: no_show.get_untracked(),
            no_show_delays_hours: delays.iter().map(|d| number(&d.get_untracked())).collect(),
            feedback_enabled: feedback.get_untracked(),
            broadcast_per_minute: number(&per_minute.get_untracked()),
        };
        saving.set(true);
        spawn_local(async move {
            match ctx.api().save_automation_settings(&s).await {
                Ok(_) => {
                    errors.try_set(FieldErrors::new());
                    ctx.ok("Follow-ups saved.");
                }
                Err(e) => {
                    errors.try_set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
            saving.try_set(false);
        });
    };
    // A problem with the list as a whole, or with one of its entries.
    let delays_error = move || {
        errors.with(|e| {
            e.iter()
                .find(|(k, _)| k.starts_with("no_show_delays_hours"))
                .map(|(_, m)| m.clone())
        })
    };
    let ordinal = ["1st", "2nd", "3rd"];
    view! {
        <form on:submit=save>
            // Disabled as a whole for the front desk: they see the settings, admins change them.
            <fieldset class="plain" disabled=!admin>
                <section class="card" aria-labelledby="no-shows">
                    <h2 id="no-shows">"No-show follow-ups"</h2>
                    <Check label="Send follow-ups after an appointment is marked no-show" name="no_show_enabled"
                        id="follow-ups-no-show" value=no_show />
                    <p class="hint" id="delays-hint">"Hours after the appointment is marked no-show. The 2nd and 3rd messages carry \
                        a personal link that books the missed visit again."</p>
                    <div class="grid compact" role="group" aria-describedby="delays-hint">
                        {delays.into_iter().enumerate().map(|(i, value)| view! {
                            <Field label=format!("{} message after (hours)", ordinal[i]) name=format!("no_show_delays_hours[{i}]")
                                id=format!("follow-ups-delay-{}", i + 1) value=value errors=errors kind="number" />
                        }).collect_view()}
                    </div>
                    <span class="field-error" role="alert">{delays_error}</span>
                </section>
                <section class="card" aria-labelledby="feedback">
                    <h2 id="feedback">"Feedback"</h2>
                    <Check label="Ask for a rating one hour after an appointment is completed" name="feedback_enabled"
                        id="follow-ups-feedback" value=feedback />
                    <p class="hint">"Patients rate the visit from 1 to 5 and may leave a comment; the Dashboard shows the results."</p>
                </section>
                <section class="card" aria-labelledby="pace">
                    <h2 id="pace">"Broadcast pace"</h2>
                    <Field label="Broadcast messages per minute" name="broadcast_per_minute" id="follow-ups-per-minute"
                        value=per_minute errors=errors kind="number"
                        hint="Large broadcasts go out at this pace, so message providers' sending limits are kept." />
                </section>
            </fieldset>
            {if admin {
                view! {
                    <div class="actions">
                        <button type="submit" data-testid="follow-ups-save" disabled=move || saving.get()
                            aria-busy=move || saving.get().to_string()>
                            {move || if saving.get() { "Saving…" } else { "Save follow-ups" }}
                        </button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="muted">"Admins and owners change these settings."</p> }.into_any()
            }}
        </form>
    }
}
