//! Mounting: the exported `mount` the loader calls, loading the practice's booking settings and
//! showing the step the patient is on.

use crate::ctx::{Ctx, DetailsForm};
use crate::host;
use crate::manage::ManageBooking;
use crate::options::WidgetOptions;
use crate::personal_link::PersonalLink;
use crate::steps::{
    DetailsStep, DoneStep, InsuranceStep, LocationStep, PatientTypeStep, ProviderStep, ReasonStep,
    ReviewStep, TimeStep,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::BookingConfig;
use slotwise_shared::booking_flow::{Flow, Step};
use slotwise_shared::client::ApiClient;
use slotwise_shared::error::FieldErrors;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// The widget's stylesheet, placed inside its Shadow DOM root.
const STYLE: &str = include_str!("style.css");

/// Renders a widget into `container` (inside `host`'s shadow root) with the loader's options.
/// `settings` is the loader's early `booking-config` fetch (a promise of its JSON text, or of
/// null when it failed); without it the widget fetches the settings itself.
#[wasm_bindgen]
pub fn mount(host: Element, container: HtmlElement, options: String, settings: JsValue) {
    let options: WidgetOptions = match serde_json::from_str(&options) {
        Ok(o) => o,
        Err(e) => {
            web_sys::console::error_1(&format!("slotwise: bad options: {e}").into());
            return;
        }
    };
    // The loader's placeholder keeps the space until the first real content replaces it.
    let placeholder_height = container.offset_height();
    container.set_inner_html("");
    // The loader's placeholder was a status message; the widget has its own live regions.
    let _ = container.remove_attribute("role");
    container.set_class_name("");
    let handle = leptos::mount::mount_to(container, move || {
        view! { <Root host options placeholder_height settings /> }
    });
    // The widget lives as long as the page.
    handle.forget();
}

#[derive(Clone)]
enum Loading {
    Pending,
    Ready(BookingConfig),
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
) -> impl IntoView {
    let client = ApiClient::new(options.api.clone());
    let state = RwSignal::new(Loading::Pending);
    let slug = options.practice.clone();
    let load_client = client.clone();
    spawn_local(async move {
        let config = match prefetched(settings).await {
            Some(config) => Ok(config),
            None => load_client.booking_config(&slug).await,
        };
        match config {
            Ok(config) => state.set(Loading::Ready(config)),
            Err(e) => state.set(Loading::Failed(match e.status() {
                Some(404) => "This booking link is not valid. Please contact the practice.".to_string(),
                _ => "Online booking is not available right now. Please try again shortly or call the practice.".to_string(),
            })),
        }
    });
    let host = StoredValue::new_local(host);
    let client = StoredValue::new(client);
    let options = StoredValue::new(options);
    let page = options.with_value(|o| o.is_page());
    let min_height = format!("min-height:{}px", placeholder_height.max(0));
    view! {
        <div class="sw" class:sw-page=page style=min_height>
            <style>{STYLE}</style>
            {move || match state.get() {
                Loading::Pending => view! {
                    <div class="sw-loading" role="status"><span class="sw-spinner"></span>"Loading available times…"</div>
                }.into_any(),
                Loading::Failed(message) => view! {
                    <div class="sw-error" role="alert">{message}</div>
                }.into_any(),
                Loading::Ready(config) => view! {
                    <Widget config host client options />
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
) -> impl IntoView {
    let flow = options.with_value(|o| Flow::start(&config, &o.prefill()));
    let accent = format!("--sw-accent:{}", safe_colour(&config.practice.accent_color));
    let ctx = Ctx {
        client,
        config: StoredValue::new(config),
        options,
        host,
        flow: RwSignal::new(flow),
        held: RwSignal::new(None),
        details: RwSignal::new(DetailsForm::default()),
        field_errors: RwSignal::new(FieldErrors::new()),
        alternatives: RwSignal::new(None),
        booking: RwSignal::new(None),
        verified: RwSignal::new(None),
        link: RwSignal::new(None),
        queued: RwSignal::new(None),
        now_ms: RwSignal::new(host::now_ms()),
        patient_started: RwSignal::new(false),
    };
    provide_context(ctx);
    if let Ok(ticker) = set_interval_with_handle(
        move || ctx.now_ms.set(host::now_ms()),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || ticker.clear());
    }
    let practice = ctx.with_config(|c| c.practice.slug.clone());
    host.with_value(|h| host::emit(h, "ready", "practice", &practice));
    let (manage_token, link_token) = options.with_value(|o| (o.manage.clone(), o.personal_link()));
    view! {
        <div class="sw-shell" style=accent>
            <Header />
            {match (manage_token, link_token) {
                (Some(token), _) => view! { <ManageBooking token /> }.into_any(),
                (None, Some(token)) => view! { <PersonalLink token /> }.into_any(),
                (None, None) => view! { <CurrentStep /> }.into_any(),
            }}
        </div>
    }
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
        </header>
    }
}

/// The step of the booking flow the patient is on.
#[component]
pub fn CurrentStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let step = Memo::new(move |_| ctx.flow.with(|f| f.step));
    move || match step.get() {
        Step::PatientType => view! { <PatientTypeStep /> }.into_any(),
        Step::Reason => view! { <ReasonStep /> }.into_any(),
        Step::Location => view! { <LocationStep /> }.into_any(),
        Step::Provider => view! { <ProviderStep /> }.into_any(),
        Step::Insurance => view! { <InsuranceStep /> }.into_any(),
        Step::Time => view! { <TimeStep /> }.into_any(),
        Step::Details => view! { <DetailsStep /> }.into_any(),
        Step::Review => view! { <ReviewStep /> }.into_any(),
        Step::Done => view! { <DoneStep /> }.into_any(),
    }
}
