//! Insurance: accepted carriers, whether a member id is asked for, the out-of-network message.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::setup::setup_read;
use crate::ui::{Check, Empty, Field, TextArea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::CarrierInput;
use slotwise_shared::error::FieldErrors;

/// The insurance screen.
#[component]
pub fn Insurance() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let name = RwSignal::new(String::new());
    let member_id = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = CarrierInput {
            name: name.get_untracked(),
            member_id_required: member_id.get_untracked(),
        };
        let api = ctx.api();
        ctx.change_setup_and(
            errors,
            "Carrier added.",
            async move { api.add_carrier(&input).await },
            move || name.set(String::new()),
        );
    };
    view! {
        <h1>"Insurance"</h1>
        <p class="lead">"The carriers you accept. Patients with another plan see your out-of-network message."</p>
        <Loaded resource=setup_read() let:_read>{move || match ctx.setup.get() {
            None => ().into_any(),
            Some(s) if s.carriers.is_empty() => view! {
                <Empty title="No carriers yet" next="Add the insurance plans you accept; patients can always choose self-pay." />
            }.into_any(),
            Some(s) => view! {
                <table class="list">
                    <thead><tr><th>"Carrier"</th><th>"Member id"</th><th></th></tr></thead>
                    <tbody>{s.carriers.into_iter().map(|c| {
                        let (id, cname, required) = (c.id, c.name.clone(), c.member_id_required);
                        let toggle = move |_| {
                            let input = CarrierInput { name: cname.clone(), member_id_required: !required };
                            let api = ctx.api();
                            ctx.change_setup(errors, "Carrier saved.", async move { api.update_carrier(id, &input).await });
                        };
                        let remove = move |_| {
                            if confirm("Remove this carrier? Patients will no longer see it.") {
                                let api = ctx.api();
                                ctx.change_setup(errors, "Carrier removed.", async move { api.delete_carrier(id).await });
                            }
                        };
                        view! {
                            <tr>
                                <td>{c.name.clone()}</td>
                                <td>{if required { "Asked for" } else { "Not asked" }}
                                    <button class="link" on:click=toggle>{if required { "Stop asking" } else { "Ask for it" }}</button></td>
                                <td><button class="link danger" on:click=remove aria-label=format!("Remove {}", c.name)>"Remove"</button></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}</Loaded>
        <section class="card" aria-labelledby="add-carrier">
            <h2 id="add-carrier">"Add a carrier"</h2>
            <form on:submit=add class="grid compact">
                <Field label="Carrier name" name="name" value=name errors=errors />
                <Check label="Ask for the member id" name="member_id_required" value=member_id />
                <div class="actions"><button type="submit">"Add carrier"</button></div>
            </form>
        </section>
        <OutOfNetwork />
    }
}

/// The message's section: the form once the practice's current text is read.
#[component]
fn OutOfNetwork() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let practice = resource(ctx, |api| async move { api.practice().await });
    view! {
        <section class="card" aria-labelledby="oon">
            <h2 id="oon">"Out-of-network message"</h2>
            <Loaded resource=practice let:p>
                <OutOfNetworkForm text=p.settings.out_of_network_text />
            </Loaded>
        </section>
    }
}

#[component]
fn OutOfNetworkForm(text: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let text = RwSignal::new(text);
    // The other settings are read again just before saving, so changes made meanwhile on the
    // Widget screen are kept.
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = text.get_untracked();
        spawn_local(async move {
            let api = ctx.api();
            let result = match api.practice().await {
                Ok(p) => {
                    let mut settings = p.settings;
                    settings.out_of_network_text = wanted;
                    api.save_practice(&settings).await
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(_) => ctx.ok("Out-of-network message saved."),
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    view! {
        <form on:submit=save>
            <TextArea label="Shown when a patient's plan is not on your list" name="out_of_network_text" value=text errors=errors />
            <div class="actions"><button type="submit">"Save message"</button></div>
        </form>
    }
}
