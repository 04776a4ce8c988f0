//! A returning patient finds their record: phone or email → a 6-digit code → who the visit is
//! for (a family member, a pet, or someone new in the household). Nothing about the patient is
//! shown before the code is confirmed.

use crate::ctx::{Ctx, Verified};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::client::ClientError;
use slotwise_shared::patients::{LookupRequest, VerifyRequest};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Contact,
    Code,
    Choose,
}

/// The error line of a call: the field's message, or the API's, or how to reach the practice.
fn problem_of(ctx: Ctx, error: &ClientError, field: &str) -> String {
    error
        .body()
        .and_then(|b| b.fields.as_ref())
        .and_then(|f| f.get(field).cloned())
        .unwrap_or_else(|| ctx.error_text(error))
}

/// The lookup; `show_form` opens the details form (someone new, or no lookup).
#[component]
pub fn ReturningLookup(show_form: RwSignal<bool>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let start = if ctx.verified.with_untracked(Option::is_some) {
        Stage::Choose
    } else {
        Stage::Contact
    };
    let stage = RwSignal::new(start);
    let contact = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let sent = RwSignal::new(String::new());
    let choice = RwSignal::new(None::<String>);
    let existing_only = ctx.with_config(|c| c.settings.existing_patients_only);
    let slug = ctx.with_config(|c| c.practice.slug.clone());
    let phone = ctx.with_config(|c| c.practice.phone.clone());

    let send_code = {
        let slug = slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            problem.set(None);
            let (client, slug) = (ctx.client.get_value(), slug.clone());
            let req = LookupRequest {
                contact: contact.get_untracked().trim().to_string(),
                lang: Some(ctx.lang()),
            };
            spawn_local(async move {
                match client.lookup_patient(&slug, &req).await {
                    Ok(accepted) => {
                        sent.set(accepted.message);
                        code.set(String::new());
                        stage.set(Stage::Code);
                    }
                    Err(e) => problem.set(Some(problem_of(ctx, &e, "contact"))),
                }
                busy.set(false);
            });
        }
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let (client, slug) = (ctx.client.get_value(), slug.clone());
        let req = VerifyRequest {
            contact: contact.get_untracked().trim().to_string(),
            code: code.get_untracked().trim().to_string(),
            lang: Some(ctx.lang()),
        };
        spawn_local(async move {
            match client.verify_patient(&slug, &req).await {
                Ok(household) => {
                    ctx.verified.set(Some(Verified {
                        household,
                        member: None,
                        someone_new: false,
                    }));
                    stage.set(Stage::Choose);
                }
                Err(e) => problem.set(Some(problem_of(ctx, &e, "code"))),
            }
            busy.set(false);
        });
    };
    let choose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(picked) = choice.get_untracked() else {
            problem.set(Some(ctx.t("widget.lookup.choose_member")));
            return;
        };
        problem.set(None);
        if picked == "new" {
            let typed = contact.get_untracked().trim().to_string();
            ctx.details.update(|d| {
                if typed.contains('@') {
                    d.email = typed;
                } else {
                    d.phone = typed;
                }
            });
            ctx.verified.update(|v| {
                if let Some(v) = v {
                    v.member = None;
                    v.someone_new = true;
                }
            });
            show_form.set(true);
        } else {
            let id = picked.parse().ok().map(slotwise_shared::model::PatientId);
            ctx.verified.update(|v| {
                if let Some(v) = v {
                    v.member = id;
                    v.someone_new = false;
                }
            });
            ctx.field_errors.set(Default::default());
            ctx.update_flow(|f, _| f.details_entered());
        }
    };
    let error_line = move || {
        problem
            .get()
            .map(|p| view! { <p class="sw-error" role="alert" id="sw-lookup-error">{p}</p> })
    };
    let members = move || {
        ctx.verified.with(|v| {
            v.as_ref()
                .map(|v| v.household.members.clone())
                .unwrap_or_default()
        })
    };
    view! {
        {move || match stage.get() {
            Stage::Contact => view! {
                <form class="sw-form" novalidate on:submit=send_code.clone() data-testid="lookup">
                    <p class="sw-note">{ctx.t("widget.lookup.explain")}</p>
                    <div class="sw-field">
                        <label for="sw-contact">{ctx.t("widget.lookup.contact")}</label>
                        <input id="sw-contact" name="contact" type="text" autocomplete="tel"
                            aria-describedby="sw-lookup-error"
                            prop:value=move || contact.get()
                            on:input=move |ev| contact.set(event_target_value(&ev)) />
                    </div>
                    {error_line}
                    <button type="submit" class="sw-primary sw-wide" data-action="send-code"
                        disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { ctx.t("widget.lookup.sending") } else { ctx.t("widget.lookup.send") }}
                    </button>
                </form>
            }.into_any(),
            Stage::Code => view! {
                <form class="sw-form" novalidate on:submit=confirm.clone() data-testid="code">
                    <p class="sw-note" role="status">{move || sent.get()}</p>
                    <div class="sw-field">
                        <label for="sw-code">{ctx.t("widget.lookup.code")}</label>
                        <input id="sw-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                            maxlength="6" aria-describedby="sw-lookup-error"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                    </div>
                    {error_line}
                    <button type="submit" class="sw-primary sw-wide" data-action="confirm-code"
                        disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { ctx.t("widget.lookup.checking") } else { ctx.t("widget.lookup.confirm") }}
                    </button>
                    <button type="button" class="sw-link" on:click=move |_| { problem.set(None); stage.set(Stage::Contact) }>
                        {ctx.t("widget.lookup.new_code")}
                    </button>
                    <p class="sw-note">
                        {ctx.t("widget.lookup.no_code")}
                        <a href=format!("tel:{phone}")>{phone.clone()}</a> "."
                    </p>
                </form>
            }.into_any(),
            Stage::Choose => view! {
                <form class="sw-form" novalidate on:submit=choose data-testid="members">
                    <fieldset class="sw-members">
                        <legend>{ctx.t("widget.lookup.who")}</legend>
                        {move || members().into_iter().map(|m| {
                            let value = m.id.0.to_string();
                            let id = format!("sw-member-{value}");
                            let label = match &m.species {
                                Some(s) => format!("{} ({s})", m.first_name),
                                None => format!("{} {}", m.first_name, m.last_name),
                            };
                            let v = value.clone();
                            view! {
                                <div class="sw-radio">
                                    <input type="radio" name="member" id=id.clone() value=value.clone()
                                        on:change=move |_| choice.set(Some(v.clone())) />
                                    <label for=id>{label}</label>
                                </div>
                            }
                        }).collect_view()}
                        <div class="sw-radio">
                            <input type="radio" name="member" id="sw-member-new" value="new"
                                on:change=move |_| choice.set(Some("new".into())) />
                            <label for="sw-member-new">{ctx.t("widget.lookup.someone_else")}</label>
                        </div>
                    </fieldset>
                    {error_line}
                    <button type="submit" class="sw-primary sw-wide" data-action="choose-member">{ctx.t("widget.continue")}</button>
                </form>
            }.into_any(),
        }}
        {(!existing_only).then(|| view! {
            <button type="button" class="sw-link" data-action="skip-lookup" on:click=move |_| {
                ctx.verified.set(None);
                show_form.set(true);
            }>
                {ctx.t("widget.lookup.skip")}
            </button>
        })}
    }
}
