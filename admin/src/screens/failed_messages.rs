//! Messages that could not be delivered: the reason, correcting the patient's phone or email,
//! and sending again.

use crate::ctx::{fields_of, Ctx};
use crate::labels::{channel_label, event_label};
use crate::loading::{resource, Loaded};
use crate::ui::{Empty, Field};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::messages::{Channel, ContactUpdate, MessageView};

/// The failed-messages screen.
#[component]
pub fn FailedMessages() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let list = resource(ctx, |api| async move {
        Ok(api.messages("dead").await?.messages)
    });
    let reload = move || list.refetch();
    view! {
        <h1>"Failed messages"</h1>
        <p class="lead">"Messages that could not be delivered after every retry. Fix the contact details and send them again."</p>
        <Loaded resource=list let:l>{if l.is_empty() {
            view! { <Empty title="No failed messages" next="Every message went out. Nothing to do here." /> }.into_any()
        } else {
            view! { <ul class="queue">{l.into_iter().map(|m| view! { <Failed message=m on_change=reload /> }).collect_view()}</ul> }.into_any()
        }}</Loaded>
    }
}

#[component]
fn Failed(
    message: MessageView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = message.id;
    let errors = RwSignal::new(FieldErrors::new());
    let is_email = message.channel == Channel::Email;
    let contact = RwSignal::new(message.recipient.clone());
    let resend = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = contact.get_untracked();
        let patient = message.patient_id;
        spawn_local(async move {
            let api = ctx.api();
            if let Some(patient) = patient {
                let update = if is_email {
                    ContactUpdate {
                        phone: None,
                        email: Some(value),
                    }
                } else {
                    ContactUpdate {
                        phone: Some(value),
                        email: None,
                    }
                };
                if let Err(e) = api.update_contact(patient, &update).await {
                    errors.set(
                        fields_of(&e)
                            .into_values()
                            .map(|m| ("contact".to_string(), m))
                            .collect(),
                    );
                    ctx.fail(&e);
                    return;
                }
            }
            match api.resend(id).await {
                Ok(_) => {
                    ctx.ok("Sent again.");
                    on_change();
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    view! {
        <li class="card">
            <h2>{format!("{} by {}", event_label(message.event), channel_label(message.channel))}</h2>
            <p><strong>"Why it failed: "</strong>{message.last_error.clone().unwrap_or_else(|| "unknown".into())}</p>
            <p class="muted">{format!("To {} · {} attempts{}", message.recipient, message.attempts,
                message.reference.as_ref().map(|r| format!(" · booking {r}")).unwrap_or_default())}</p>
            <form on:submit=resend class="grid compact">
                <Field label=if is_email { "Email address" } else { "Phone number" } name="contact" value=contact errors=errors
                    kind=if is_email { "email" } else { "tel" } />
                <div class="actions"><button type="submit">"Save and send again"</button></div>
            </form>
        </li>
    }
}
