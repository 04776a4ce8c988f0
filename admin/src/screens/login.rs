//! Signing in.

use crate::ctx::{describe, Ctx};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sign-in form.
#[component]
pub fn Login() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match ctx.api().login(&e, &p).await {
                Ok(session) => ctx.session.set(Some(session)),
                Err(err) => {
                    error.set(Some(describe(&err)));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <main class="login">
            <form on:submit=submit aria-labelledby="login-title">
                <h1 id="login-title">"Sign in to Slotwise"</h1>
                <div class="field">
                    <label for="login-email">"Email"</label>
                    <input id="login-email" type="email" autocomplete="username" required
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="login-password">"Password"</label>
                    <input id="login-password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
