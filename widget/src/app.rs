//! Mounting: the exported `mount` the loader calls, loading the practice's booking settings and
//! showing the step the patient is on. The same code builds both modules (see `resume`): the
//! first-steps module shows [`HandOff`] where the full module has a later step.

use crate::ctx::{Ctx, DetailsForm};
use crate::current_step::CurrentStep;
use crate::host;
use crate::language_switch::LanguageSwitch;
use crate::options::WidgetOptions;
#[cfg(not(feature = "later-steps"))]
use crate::resume::HandOff;
use crate::resume::Resume;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::BookingConfig;
use slotwise_shared::booking_flow::Flow;
use slotwise_shared::client::ApiClient;
use slotwise_shared::error::FieldErrors;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// A mounted widget; the loader unmounts the first-steps module when it hands over.
#[wasm_bindgen]
pub struct Mounted {
    view: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl Mounted {
    /// Removes the widget from the page and stops its work.
    pub fn unmount(&mut self) {
        self.view = None;
    }
}

/// Renders a widget into `container` (inside `host`'s shadow root) with the loader's options.
/// `settings` is the loader's early `booking-config` fetch (a promise of its JSON text, or of
/// null when it failed); without it the widget fetches the settings itself. `resume` is the
/// first-steps module's hand-over (full module); `hand_off` is the loader's function that takes
/// it (first-steps module).
#[wasm_bindgen]
pub fn mount(
    host: Element,
    container: HtmlElement,
    options: String,
    settings: JsValue,
    resume: Option<String>,
    hand_off: Option<js_sys::Function>,
) -> Mounted {
    let options: WidgetOptions = match serde_json::from_str(&options) {
        Ok(o) => o,
        Err(e) => {
            web_sys::console::error_1(&format!("slotwise: bad options: {e}").into());
            return Mounted { view: None };
        }
    };
    let resume = Resume::parse(resume);
    // The loader's placeholder keeps the space until the first real content replaces it.
    let placeholder_height = container.offset_height();
    container.set_inner_html("");
    // The loader's placeholder was a status message; the widget has its own live regions.
    let _ = container.remove_attribute("role");
    container.set_class_name("");
    let handle = leptos::mount::mount_to(container, move || {
        view! { <Root host options placeholder_height settings resume hand_off /> }
    });
    Mounted {
        view: Some(Box::new(handle)),
    }
}

#[derive(Clone)]
enum Loading {
    Pending,
    Ready(Box<BookingConfig>),
    Failed(String),
}

/// The loader's prefetched settings, if they arrived and parse.
async fn prefetched(settings: JsValue) -> Option<BookingConfig> {
    let promise = settings.dyn_into::<js_sys::Promise>().ok()?;
    let text = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_string()?;
    serde_json::from_str(&text).ok()
}

#[component]
fn Root(
    host: Element,
    options: WidgetOptions,
    placeholder_height: i32,
    settings: JsValue,
    resume: Option<Resume>,
    hand_off: Option<js_sys::Function>,
) -> impl IntoView {
    let resumed = resume.is_some();
    let resume = StoredValue::new(resume);
    let hand_off = StoredValue::new_local(hand_off);
    let client = ApiClient::new(options.api.clone());
    let state = RwSignal::new(Loading::Pending);
    let slug = options.practice.clone();
    let query = options.language_query();
    let options = StoredValue::new(options);
    let words = options;
    let load_client = client.clone();
    spawn_local(async move {
        let config = match prefetched(settings).await {
            Some(config) => Ok(config),
            None => load_client.booking_config_with(&slug, &query).await,
        };
        match config {
            Ok(config) => state.set(Loading::Ready(Box::new(config))),
            Err(e) => state.set(Loading::Failed(words.with_value(|o| {
                match e.status() {
                    Some(404) => o.word("link_invalid", "This booking link is not valid."),
                    _ => o.word("unavailable", "Online booking is not available right now."),
                }
                .to_string()
            }))),
        }
    });
    let host = StoredValue::new_local(host);
    let client = StoredValue::new(client);
    let page = options.with_value(|o| o.is_page());
    let loading_words = options.with_value(|o| o.word("loading_times", "…").to_string());
    let min_height = format!("min-height:{}px", placeholder_height.max(0));
    view! {
        <div class="sw" class:sw-page=page style=min_height>
            {move || match state.get() {
                // A hand-over shows its step within a moment: no loading message in between.
                Loading::Pending if resumed => ().into_any(),
                Loading::Pending => view! {
                    <div class="sw-loading" role="status"><span class="sw-spinner"></span>{loading_words.clone()}</div>
                }.into_any(),
                Loading::Failed(message) => view! {
                    <div class="sw-error" role="alert">{message}</div>
                }.into_any(),
                Loading::Ready(config) => view! {
                    <Widget config=*config host client options resume=resume.get_value() hand_off />
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Widget(
    config: BookingConfig,
    host: StoredValue<Element, LocalStorage>,
    client: StoredValue<ApiClient>,
    options: StoredValue<WidgetOptions>,
    resume: Option<Resume>,
    hand_off: StoredValue<Option<js_sys::Function>, LocalStorage>,
) -> impl IntoView {
    let resumed = resume.is_some();
    let started = resumed || options.with_value(|o| o.started);
    let (flow, held, procedure, chain) = match resume {
        Some(r) => (r.flow, r.held, r.procedure, r.chain),
        None => (
            options.with_value(|o| Flow::start(&config, &o.prefill())),
            None,
            None,
            None,
        ),
    };
    // The server's words (times, errors, the confirmation) in the widget's language.
    client.update_value(|c| c.set_language(&config.lang));
    let language = RwSignal::new(config.lang.clone());
    let accent = format!("--sw-accent:{}", safe_colour(&config.practice.accent_color));
    let ctx = Ctx {
        client,
        config: StoredValue::new(config),
        options,
        host,
        flow: RwSignal::new(flow),
        held: RwSignal::new(held),
        details: RwSignal::new(DetailsForm::default()),
        field_errors: RwSignal::new(FieldErrors::new()),
        alternatives: RwSignal::new(None),
        booking: RwSignal::new(None),
        procedure: RwSignal::new(procedure),
        chain: RwSignal::new(chain),
        procedure_booked: RwSignal::new(None),
        verified: RwSignal::new(None),
        link: RwSignal::new(None),
        procedure_link: RwSignal::new(None),
        queued: RwSignal::new(None),
        now_ms: RwSignal::new(host::now_ms()),
        language,
        patient_started: RwSignal::new(started),
        hand_off,
    };
    provide_context(ctx);
    if let Ok(ticker) = set_interval_with_handle(
        move || ctx.now_ms.set(host::now_ms()),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || ticker.clear());
    }
    if !resumed {
        let practice = ctx.with_config(|c| c.practice.slug.clone());
        host.with_value(|h| host::emit(h, "ready", "practice", &practice));
        if started {
            // The loader's first question was answered: the step it led to is the patient's
            // next step.
            ctx.emit_step(ctx.flow.with_untracked(|f| f.step));
        }
    }
    let (manage_token, link_token) = options.with_value(|o| (o.manage.clone(), o.personal_link()));
    // Screen readers read the widget in its own language, whatever the host page's is.
    let lang = move || Some(language.get()).filter(|l| !l.is_empty());
    view! {
        <div class="sw-shell" style=accent lang=lang>
            <Header />
            // Drawn again in the language the patient switches to.
            {move || {
                language.track();
                match (manage_token.clone(), link_token.clone()) {
                    (None, None) => view! { <CurrentStep /> }.into_any(),
                    (manage, link) => token_page(manage, link).into_any(),
                }
            }}
        </div>
    }
}

/// A booking to manage, or a personal link to open.
#[cfg(feature = "later-steps")]
fn token_page(manage: Option<String>, link: Option<String>) -> impl IntoView {
    match (manage, link) {
        (Some(token), _) => view! { <crate::manage::ManageBooking token /> }.into_any(),
        (None, Some(token)) => view! { <crate::personal_link::PersonalLink token /> }.into_any(),
        (None, None) => view! { <CurrentStep /> }.into_any(),
    }
}

/// Managing a booking and personal links are in the full module (the loader starts with it for
/// them).
#[cfg(not(feature = "later-steps"))]
fn token_page(_manage: Option<String>, _link: Option<String>) -> impl IntoView {
    view! { <HandOff /> }
}

/// Only a `#RRGGBB` colour reaches the stylesheet.
fn safe_colour(colour: &str) -> &str {
    let ok = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        colour
    } else {
        "#0f766e"
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (name, logo) = ctx.with_config(|c| (c.practice.name.clone(), c.practice.logo_url.clone()));
    view! {
        <header class="sw-header">
            {logo.map(|src| view! { <img class="sw-logo" src=src alt="" /> })}
            <p class="sw-practice">{name}</p>
            <LanguageSwitch />
        </header>
    }
}
