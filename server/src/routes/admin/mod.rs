//! The admin API under `/api/v1/admin`, used by the staff console and by integrations: the
//! practice always comes from the caller's session or API key, never from the URL or body.
//! Every endpoint is listed in [`openapi::ENDPOINTS`].

mod api_keys;
mod appointments;
mod auth;
mod automations;
mod booking_queue;
mod broadcasts;
mod change;
mod dashboard;
mod insurance;
mod local_time;
mod messages;
mod messaging;
mod named;
pub mod openapi;
mod pms;
mod providers;
mod reasons;
mod session;
pub mod session_cookie;
mod setup;
mod staff;
mod templates;
mod views;

pub use auth::PracticeAuth;

use crate::rate_limit::limit_creates;
use crate::state::AppState;
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, post, put};
use axum::Router;
use slotwise_shared::paths::API;

/// Routes of the admin API (and its OpenAPI document).
pub fn router(state: &AppState) -> Router<AppState> {
    let admin = format!("{API}/admin");
    let at = |path: &str| format!("{admin}{path}");
    // Signing in counts against the client's request rate like other unauthenticated POSTs.
    let login = Router::new()
        .route(&at("/session"), post(session::login))
        .layer(from_fn_with_state(state.limiter.clone(), limit_creates));
    Router::new()
        .route(&format!("{API}/openapi.json"), get(openapi::serve))
        .route(
            &at("/session"),
            get(session::current).delete(session::logout),
        )
        .route(
            &at("/practice"),
            get(setup::show_practice).put(setup::save_practice),
        )
        .route(&at("/setup"), get(setup::show))
        .route(&at("/locations"), post(setup::add_location))
        .route(&at("/operatories"), post(setup::add_operatory))
        .route(&at("/providers"), post(providers::create))
        .route(&at("/providers/{id}"), put(providers::update))
        .route(&at("/providers/{id}/hours"), put(providers::set_hours))
        .route(
            &at("/providers/{id}/time-off"),
            post(providers::add_time_off),
        )
        .route(&at("/time-off/{id}"), delete(providers::delete_time_off))
        .route(&at("/reasons"), post(reasons::create))
        .route(&at("/reasons/{id}"), put(reasons::update))
        .route(&at("/insurance"), post(insurance::create))
        .route(
            &at("/insurance/{id}"),
            put(insurance::update).delete(insurance::delete),
        )
        .route(&at("/appointments"), get(appointments::list))
        .route(&at("/appointments.csv"), get(appointments::csv))
        .route(
            &at("/appointments/{id}/reschedule"),
            post(appointments::reschedule),
        )
        .route(&at("/appointments/{id}/{action}"), post(appointments::act))
        .route(&at("/booking-queue"), get(booking_queue::list))
        .route(
            &at("/booking-queue/{id}/complete"),
            post(booking_queue::complete),
        )
        .route(
            &at("/booking-queue/{id}/cancel"),
            post(booking_queue::cancel),
        )
        .route(&at("/dashboard"), get(dashboard::show))
        .route(&at("/pms"), get(pms::show).put(pms::save))
        .route(&at("/templates"), get(templates::list))
        .route(
            &at("/templates/{event}/{channel}"),
            put(templates::save).delete(templates::reset),
        )
        .route(
            &at("/templates/{event}/{channel}/preview"),
            post(templates::preview),
        )
        .route(&at("/messages"), get(messages::list))
        .route(&at("/messages/{id}/resend"), post(messages::resend))
        .route(&at("/patients/{id}/contact"), put(messages::update_contact))
        .route(&at("/messaging"), get(messaging::show))
        .route(
            &at("/messaging/channels/{channel}"),
            put(messaging::save_channel),
        )
        .route(&at("/messaging/reminders"), put(messaging::save_reminders))
        .route(
            &at("/recall-rules"),
            get(automations::list_rules).post(automations::create_rule),
        )
        .route(
            &at("/recall-rules/{id}"),
            put(automations::update_rule).delete(automations::delete_rule),
        )
        .route(
            &at("/automations/settings"),
            get(automations::show_settings).put(automations::save_settings),
        )
        .route(&at("/automations/stats"), get(automations::stats))
        .route(&at("/patients/{id}/automations"), put(automations::pause))
        .route(
            &at("/broadcasts"),
            get(broadcasts::list_broadcasts).post(broadcasts::send_broadcast),
        )
        .route(
            &at("/broadcasts/preview"),
            post(broadcasts::preview_broadcast),
        )
        .route(&at("/broadcasts/{id}"), get(broadcasts::show_broadcast))
        .route(&at("/staff"), get(staff::list).post(staff::create))
        .route(&at("/staff/{id}/disable"), post(staff::disable))
        .route(&at("/staff/{id}/enable"), post(staff::enable))
        .route(&at("/api-keys"), get(api_keys::list).post(api_keys::create))
        .route(&at("/api-keys/{id}"), delete(api_keys::revoke))
        .route(&at("/audit"), get(staff::audit))
        .merge(login)
}
