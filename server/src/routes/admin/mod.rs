//! The practice API under `/api/v1/admin`: the practice always comes from the caller's
//! credentials, never from the URL or the body.

mod auth;
mod messages;
mod messaging;
mod templates;

pub use auth::PracticeAuth;

use crate::startup::AppState;
use axum::routing::{get, post, put};
use axum::Router;
use slotwise_shared::paths::API;

/// Routes of the practice API.
pub fn router() -> Router<AppState> {
    let admin = format!("{API}/admin");
    Router::new()
        .route(&format!("{admin}/templates"), get(templates::list))
        .route(
            &format!("{admin}/templates/{{event}}/{{channel}}"),
            put(templates::save).delete(templates::reset),
        )
        .route(&format!("{admin}/messages"), get(messages::list))
        .route(
            &format!("{admin}/messages/{{id}}/resend"),
            post(messages::resend),
        )
        .route(
            &format!("{admin}/patients/{{id}}/contact"),
            put(messages::update_contact),
        )
        .route(&format!("{admin}/messaging"), get(messaging::show))
        .route(
            &format!("{admin}/messaging/channels/{{channel}}"),
            put(messaging::save_channel),
        )
        .route(
            &format!("{admin}/messaging/reminders"),
            put(messaging::save_reminders),
        )
}
