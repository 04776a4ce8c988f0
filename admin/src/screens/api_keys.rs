//! The practice's API keys on the Team screen: each live key with its label, role, when it
//! was made and last used (never the key), revoking one (asks first), and for owners making a
//! new one, whose key is shown once.

use crate::ctx::{confirm, copy, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{local_time, Empty, Field};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::team::{ApiKeyView, NewApiKey};

/// The API keys section; `on_change` runs after a key is made or revoked (the audit log
/// grew).
#[component]
pub fn ApiKeys(on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let keys = resource(ctx, |api| async move { api.api_keys().await });
    let my_role = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.staff.role))
        .unwrap_or(StaffRole::FrontDesk);
    // The key just made: shown until the screen is left.
    let shown = RwSignal::new(None::<String>);
    let revoke = move |key: ApiKeyView| {
        if !confirm(&format!(
            "Revoke the key \u{201c}{}\u{201d}? Anything using it is refused from its next request on.",
            key.label
        )) {
            return;
        }
        spawn_local(async move {
            match ctx.api().revoke_api_key(key.id).await {
                Ok(_) => {
                    ctx.ok(format!("The key \u{201c}{}\u{201d} is revoked.", key.label));
                    keys.refetch();
                    on_change();
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    let on_made = move |key: String| {
        shown.set(Some(key));
        keys.refetch();
        on_change();
    };
    view! {
        <h2 id="api-keys">"API keys"</h2>
        <p class="hint">"Other software (a practice system, reports) uses the admin API with a key. \
            A key acts with its role and never signs in; revoke it when it is no longer needed."</p>
        <Loaded resource=keys let:list>{if list.is_empty() {
            view! {
                <Empty title="No API keys" next=if my_role == StaffRole::Owner {
                    "Make one below when other software needs the admin API."
                } else {
                    "An owner makes keys when other software needs the admin API."
                } />
            }.into_any()
        } else {
            view! {
                <table class="list" data-testid="api-keys">
                    <thead><tr>
                        <th scope="col">"Label"</th><th scope="col">"Role"</th>
                        <th scope="col">"Made"</th><th scope="col">"Last used"</th>
                        <th scope="col">"Actions"</th>
                    </tr></thead>
                    <tbody>{list.into_iter().map(|k| {
                        let id = k.id;
                        let label = if k.label.is_empty() { "(no label)".to_string() } else { k.label.clone() };
                        let may = k.role <= my_role;
                        let for_revoke = k.clone();
                        view! {
                            <tr data-testid=format!("api-key-{id}")>
                                <th scope="row">{label.clone()}</th>
                                <td>{k.role.label()}</td>
                                <td>{local_time(k.created_at)}</td>
                                <td>{k.last_used_at.map(local_time).unwrap_or_else(|| "Never".into())}</td>
                                <td class="row-actions">{may.then(|| view! {
                                    <button class="link danger" data-testid=format!("api-key-revoke-{id}")
                                        aria-label=format!("Revoke {label}")
                                        on:click=move |_| revoke(for_revoke.clone())>"Revoke"</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        }}</Loaded>
        {move || shown.get().map(|key| {
            let for_copy = key.clone();
            view! {
                <div class="notice ok" role="status" data-testid="api-key-new">
                    <span>"The new key, shown only this once: "<code>{key}</code></span>
                    <button class="link" on:click=move |_| { copy(&for_copy); ctx.ok("Key copied."); }>"Copy"</button>
                </div>
            }
        })}
        {(my_role == StaffRole::Owner).then(|| view! { <NewKey on_made /> })}
    }
}

#[component]
fn NewKey(on_made: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let label = RwSignal::new(String::new());
    let role = RwSignal::new(String::from("front_desk"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewApiKey {
            label: label.get_untracked(),
            role: StaffRole::parse(&role.get_untracked()).unwrap_or(StaffRole::FrontDesk),
        };
        spawn_local(async move {
            match ctx.api().create_api_key(&new).await {
                Ok(made) => {
                    ctx.ok("Key made. Copy it now: it is not shown again.");
                    label.try_set(String::new());
                    errors.try_set(FieldErrors::new());
                    on_made(made.key);
                }
                Err(e) => {
                    errors.try_set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="add-api-key">
            <h3 id="add-api-key">"Make an API key"</h3>
            <form on:submit=submit class="grid compact">
                <Field label="What it is for" name="label" id="api-key-label" value=label errors=errors />
                <div class="field">
                    <label for="api-key-role">"Role"</label>
                    <select id="api-key-role" prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="front_desk">"Front desk (runs the day)"</option>
                        <option value="admin">"Admin (also sets up the practice)"</option>
                        <option value="owner">"Owner (also manages the team)"</option>
                    </select>
                </div>
                <div class="actions"><button type="submit" data-testid="api-key-create">"Make key"</button></div>
            </form>
        </section>
    }
}
