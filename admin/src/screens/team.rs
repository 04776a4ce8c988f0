//! The practice's staff accounts (owners add people) and the audit log of every change.

use crate::ctx::{fields_of, Ctx};
use crate::ui::{Empty, Field};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{AuditEntry, NewStaff, StaffRole, StaffView};
use slotwise_shared::error::FieldErrors;

/// The team screen.
#[component]
pub fn Team() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let staff = RwSignal::new(None::<Vec<StaffView>>);
    let audit = RwSignal::new(None::<Vec<AuditEntry>>);
    let load = move || {
        spawn_local(async move {
            let api = ctx.api();
            match api.staff().await {
                Ok(list) => staff.try_set(Some(list)),
                Err(e) => {
                    ctx.fail(&e);
                    None
                }
            };
            match api.audit().await {
                Ok(list) => audit.try_set(Some(list.entries)),
                Err(e) => {
                    ctx.fail(&e);
                    None
                }
            };
        });
    };
    load();
    let is_owner = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.staff.role == StaffRole::Owner))
        .unwrap_or(false);
    view! {
        <h1>"Team & audit log"</h1>
        <p class="lead">"Who can sign in, and every change made in the console."</p>
        <table class="list">
            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th></tr></thead>
            <tbody>
                {move || staff.get().unwrap_or_default().into_iter().map(|s| view! {
                    <tr><td>{s.name}</td><td>{s.email}</td><td>{s.role.label()}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        {is_owner.then(|| view! { <AddStaff on_added=load /> })}
        <h2>"Audit log"</h2>
        {move || match audit.get() {
            None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
            Some(list) if list.is_empty() => view! {
                <Empty title="No changes yet" next="Changes made in the console are listed here." />
            }.into_any(),
            Some(list) => view! {
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
            }.into_any(),
        }}
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
