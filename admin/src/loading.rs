//! Reading from the API for the screens: one resource per read, and the one loading view and
//! one error view every screen shows while a read is on its way or after it failed.

use crate::ctx::{describe, Ctx};
use leptos::prelude::*;
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::client::{ClientError, ClientResult};
use std::future::Future;
use std::sync::Arc;

/// What a read gives: the data, or why it failed. The error is shared because a resource
/// hands a clone of its value to every reader, and [`ClientError`] cannot be cloned.
pub type Fetched<T> = Result<T, Arc<ClientError>>;

/// A resource for an API read. `fetch` runs at once, again whenever a signal it reads (with
/// `get`, not `get_untracked`) changes, and on `refetch()`. An answer of 401 signs the person
/// out, as [`Ctx::fail`] does for every other call.
pub fn resource<T, F, Fut>(ctx: Ctx, fetch: F) -> LocalResource<Fetched<T>>
where
    T: 'static,
    F: Fn(AdminClient) -> Fut + 'static,
    Fut: Future<Output = ClientResult<T>> + 'static,
{
    LocalResource::new(move || {
        let answer = fetch(ctx.api());
        async move {
            answer.await.map_err(|err| {
                if err.status() == Some(401) {
                    ctx.fail(&err);
                }
                Arc::new(err)
            })
        }
    })
}

/// What a screen, or a part of one, shows while its data is on its way.
#[component]
pub fn Loading(
    /// What is being waited for, when "Loading…" says too little.
    #[prop(default = "Loading…")]
    text: &'static str,
) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">{text}</p> }
}

/// What a screen shows when its data could not be read, with a way to read it again.
#[component]
pub fn LoadFailed(
    error: Arc<ClientError>,
    /// Reads again ("Try again").
    retry: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            {format!("Could not load: {}", describe(&error))}
            <button type="button" class="secondary" on:click=move |_| retry()>"Try again"</button>
        </div>
    }
}

/// Shows what `children` makes of a resource's data, [`Loading`] until it is there and
/// [`LoadFailed`] if it could not be read.
///
/// On a reload the data shown stays until the new data is in (a list does not blink after a
/// change), unless `reload_shows_loading` is set: then [`Loading`] shows again, for a reload
/// whose old data would mislead meanwhile (another tab's list).
#[component]
pub fn Loaded<T, F, V>(
    /// The read (see [`resource`]).
    resource: LocalResource<Fetched<T>>,
    /// The view of the data; it runs again on every reload.
    children: F,
    /// The loading view's text.
    #[prop(default = "Loading…")]
    loading: &'static str,
    /// Whether a reload shows the loading view again instead of the old data.
    #[prop(optional)]
    reload_shows_loading: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let show = Arc::new(children);
    let content = move || {
        let show = Arc::clone(&show);
        Suspend::new(async move {
            match resource.await {
                Ok(data) => show(data).into_any(),
                Err(error) => {
                    view! { <LoadFailed error retry=move || resource.refetch() /> }.into_any()
                }
            }
        })
    };
    let fallback = move || view! { <Loading text=loading /> };
    if reload_shows_loading {
        view! { <Suspense fallback>{content}</Suspense> }.into_any()
    } else {
        view! { <Transition fallback>{content}</Transition> }.into_any()
    }
}
