//! The practice's staff accounts (owners add people; owners and admins disable and enable
//! accounts up to their own role), its API keys, and the audit log of every change.

use super::api_keys::ApiKeys;
use crate::ctx::{confirm, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{Empty, Field};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{NewStaff, StaffRole, StaffView};
use slotwise_shared::error::FieldErrors;

/// The team screen.
#[component]
pub fn Team() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let staff = resource(ctx, |api| async move { api.staff().await });
    let audit = resource(ctx, |api| async move { Ok(api.audit().await?.entries) });
    // A new account is a new row, and its creation a new audit entry.
    let reload = move || {
        staff.refetch();
        audit.refetch();
    };
    let (my_id, my_role) = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| (s.staff.id, s.staff.role)))
        .unwrap_or((0, StaffRole::FrontDesk));
    let is_owner = my_role == StaffRole::Owner;
    // Disabling signs the person out at once, so it asks first; enabling does not.
    let switch = move |s: StaffView| {
        let disable = !s.disabled;
        if disable
            && !confirm(&format!(
                "Disable {}\u{2019}s account? They are signed out at once and cannot sign in until it is enabled again.",
                s.name
            ))
        {
            return;
        }
        spawn_local(async move {
            let api = ctx.api();
            let answer = if disable {
                api.disable_staff(s.id).await
            } else {
                api.enable_staff(s.id).await
            };
            match answer {
                Ok(_) if disable => ctx.ok(format!("{} can no longer sign in.", s.name)),
                Ok(_) => ctx.ok(format!("{} can sign in again.", s.name)),
                Err(e) => return ctx.fail(&e),
            }
            reload();
        });
    };
    view! {
        <h1>"Team & audit log"</h1>
        <p class="lead">"Who can sign in, the keys other software uses, and every change made in the console."</p>
        <Loaded resource=staff let:list>
            <table class="list" data-testid="staff">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                    <th scope="col">"Status"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|s| {
                        let id = s.id;
                        // Not your own account, and not one above your role (the server checks too).
                        let may = id != my_id && s.role <= my_role;
                        let (label, class) = if s.disabled { ("Enable", "link") } else { ("Disable", "link danger") };
                        let aria = format!("{label} {}", s.name);
                        let for_switch = s.clone();
                        view! {
                            <tr data-testid=format!("staff-{id}") class=if s.disabled { "inactive" } else { "" }>
                                <th scope="row">{s.name}</th>
                                <td>{s.email}</td>
                                <td>{s.role.label()}</td>
                                <td>{if s.disabled { "Disabled" } else { "Active" }}</td>
                                <td class="row-actions">{may.then(|| view! {
                                    <button class=class data-testid=format!("staff-{}-{id}", label.to_lowercase())
                                        aria-label=aria on:click=move |_| switch(for_switch.clone())>{label}</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Loaded>
        {is_owner.then(|| view! { <AddStaff on_added=reload /> })}
        <ApiKeys on_change=move || audit.refetch() />
        <h2>"Audit log"</h2>
        <Loaded resource=audit let:list>{if list.is_empty() {
            view! {
                <Empty title="No changes yet" next="Changes made in the console are listed here." />
            }.into_any()
        } else {
            view! {
                <table class="list audit">
                    <thead><tr><th>"When (UTC)"</th><th>"Who"</th><th>"What"</th><th>"Target"</th></tr></thead>
                    <tbody>{list.into_iter().map(|e| view! {
                        <tr>
                            <td>{e.at.strftime("%Y-%m-%d %H:%M").to_string()}</td>
                            <td>{e.actor}</td>
                            <td>{e.action}</td>
                            <td>{e.target}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}</Loaded>
    }
}

#[component]
fn AddStaff(on_added: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let (email, name, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new(String::from("front_desk"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewStaff {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: StaffRole::parse(&role.get_untracked()).unwrap_or(StaffRole::FrontDesk),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match ctx.api().add_staff(&new).await {
                Ok(_) => {
                    ctx.ok("Account added. Give them their password in person.");
                    for field in [email, name, password] {
                        field.try_set(String::new());
                    }
                    errors.try_set(FieldErrors::new());
                    on_added();
                }
                Err(e) => {
                    errors.try_set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="add-staff">
            <h2 id="add-staff">"Add a team member"</h2>
            <form on:submit=submit class="grid compact">
                <Field label="Email" name="email" value=email errors=errors kind="email" />
                <Field label="Name" name="name" value=name errors=errors />
                <div class="field">
                    <label for="staff-role">"Role"</label>
                    <select id="staff-role" prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="front_desk">"Front desk (runs the day)"</option>
                        <option value="admin">"Admin (also sets up the practice)"</option>
                        <option value="owner">"Owner (also manages the team)"</option>
                    </select>
                </div>
                <Field label="First password (10+ characters)" name="password" value=password errors=errors kind="password" />
                <div class="actions"><button type="submit">"Add account"</button></div>
            </form>
        </section>
    }
}
