//! The console's state shared by every screen through Leptos context.

use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{SessionView, SetupView, StaffRole};
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::client::{ApiClient, ClientError, ClientResult};
use slotwise_shared::error::FieldErrors;
use std::future::Future;

/// A message at the top of the screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// The console's state.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub client: StoredValue<AdminClient>,
    pub session: RwSignal<Option<SessionView>>,
    /// The practice's setup once read (see `setup.rs`); every setup change's answer replaces it.
    pub setup: RwSignal<Option<SetupView>>,
    pub notice: RwSignal<Option<Notice>>,
}

impl Ctx {
    /// A console talking to the server it was loaded from.
    pub fn new() -> Self {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        Ctx {
            client: StoredValue::new(AdminClient::new(ApiClient::new(origin))),
            session: RwSignal::new(None),
            setup: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }

    /// The client (cheap to clone: it shares its session state).
    pub fn api(&self) -> AdminClient {
        self.client.get_value()
    }

    /// Whether the signed-in person may change setup (admins and owners; the front desk
    /// sees the same screens without their edit controls).
    pub fn is_admin(&self) -> bool {
        self.session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.staff.role >= StaffRole::Admin))
    }

    /// Shows a success message.
    pub fn ok(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }

    /// Shows an error's message (and signs out in the browser if the session ended).
    pub fn fail(&self, err: &ClientError) {
        if err.status() == Some(401) {
            self.session.set(None);
            self.setup.set(None);
        }
        self.notice.set(Some(Notice {
            error: true,
            text: describe(err),
        }));
    }

    /// Runs a setup change: on success the lists are replaced and `done` is shown; field
    /// errors land in `errors` next to their fields.
    pub fn change_setup<F>(&self, errors: RwSignal<FieldErrors>, done: &'static str, call: F)
    where
        F: Future<Output = ClientResult<SetupView>> + 'static,
    {
        self.change_setup_and(errors, done, call, || ());
    }

    /// Like [`change_setup`](Self::change_setup); `on_ok` runs after a success (e.g. to clear
    /// a form, which keeps what was typed when the server refuses it).
    pub fn change_setup_and<F>(
        &self,
        errors: RwSignal<FieldErrors>,
        done: &'static str,
        call: F,
        on_ok: impl FnOnce() + 'static,
    ) where
        F: Future<Output = ClientResult<SetupView>> + 'static,
    {
        let ctx = *self;
        spawn_local(async move {
            match call.await {
                Ok(setup) => {
                    errors.set(FieldErrors::new());
                    ctx.setup.set(Some(setup));
                    ctx.ok(done);
                    on_ok();
                }
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    }
}

/// What to tell staff about an error.
pub fn describe(err: &ClientError) -> String {
    match err {
        ClientError::Api { body, .. } => body.message.clone(),
        ClientError::Transport(_) => {
            "The server could not be reached. Check the connection and try again.".into()
        }
        ClientError::Decode { status, .. } => {
            format!("The server answered something unexpected (HTTP {status}).")
        }
    }
}

/// The per-field errors of an answer.
pub fn fields_of(err: &ClientError) -> FieldErrors {
    err.body()
        .and_then(|b| b.fields.clone())
        .unwrap_or_default()
}

/// Asks before something that cannot be undone.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Copies text to the clipboard.
pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}
