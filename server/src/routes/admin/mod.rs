//! The admin API under `/api/v1/admin`, used by the staff console and by integrations: the
//! practice always comes from the caller's session or API key, never from the URL or body.
//! Each handler carries its `#[utoipa::path]`: the route is taken from it (see
//! [`crate::routes::openapi`]).

mod api_keys;
mod appointments;
mod auth;
mod automations;
mod booking_queue;
mod broadcasts;
mod change;
mod dashboard;
mod day_view;
mod insurance;
mod local_time;
mod messages;
mod messaging;
mod named;
mod patient_language;
mod pms;
mod procedure_links;
mod procedure_templates;
mod procedures;
mod providers;
mod reasons;
mod session;
pub mod session_cookie;
mod setup;
mod staff;
mod templates;
mod views;
mod waitlist;

pub use auth::PracticeAuth;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Signing in (it counts against the client's request rate like other unauthenticated POSTs,
/// so the caller puts it under that layer).
pub fn sign_in_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(session::login))
}

/// Routes of the admin API, each with its description in the OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::current, session::logout))
        .routes(routes!(setup::show_practice, setup::save_practice))
        .routes(routes!(setup::show))
        .routes(routes!(setup::add_location))
        .routes(routes!(setup::add_operatory))
        .routes(routes!(providers::create))
        .routes(routes!(providers::update))
        .routes(routes!(providers::set_hours))
        .routes(routes!(providers::add_time_off))
        .routes(routes!(providers::delete_time_off))
        .routes(routes!(reasons::create))
        .routes(routes!(reasons::update))
        .routes(routes!(insurance::create))
        .routes(routes!(insurance::update, insurance::delete))
        .routes(routes!(appointments::list))
        .routes(routes!(appointments::csv))
        .routes(routes!(appointments::reschedule))
        .routes(routes!(appointments::act))
        .routes(routes!(booking_queue::list))
        .routes(routes!(booking_queue::complete))
        .routes(routes!(booking_queue::cancel))
        .routes(routes!(dashboard::show))
        .routes(routes!(pms::show, pms::save))
        .routes(routes!(templates::list))
        .routes(routes!(templates::save, templates::reset))
        .routes(routes!(templates::preview))
        .routes(routes!(messages::list))
        .routes(routes!(messages::resend))
        .routes(routes!(messages::update_contact))
        .routes(routes!(patient_language::update))
        .routes(routes!(messaging::show))
        .routes(routes!(messaging::save_channel))
        .routes(routes!(messaging::save_reminders))
        .routes(routes!(
            procedure_templates::list,
            procedure_templates::create
        ))
        .routes(routes!(
            procedure_templates::update,
            procedure_templates::delete
        ))
        .routes(routes!(procedures::list, procedures::start))
        .routes(routes!(procedures::cancel))
        .routes(routes!(procedure_links::send_link))
        .routes(routes!(day_view::show))
        .routes(routes!(day_view::offer))
        .routes(routes!(day_view::book_patient))
        .routes(routes!(waitlist::list, waitlist::create))
        .routes(routes!(waitlist::remove))
        .routes(routes!(automations::list_rules, automations::create_rule))
        .routes(routes!(automations::update_rule, automations::delete_rule))
        .routes(routes!(
            automations::show_settings,
            automations::save_settings
        ))
        .routes(routes!(automations::stats))
        .routes(routes!(automations::pause))
        .routes(routes!(
            broadcasts::list_broadcasts,
            broadcasts::send_broadcast
        ))
        .routes(routes!(broadcasts::preview_broadcast))
        .routes(routes!(broadcasts::show_broadcast))
        .routes(routes!(staff::list, staff::create))
        .routes(routes!(staff::disable))
        .routes(routes!(staff::enable))
        .routes(routes!(api_keys::list, api_keys::create))
        .routes(routes!(api_keys::revoke))
        .routes(routes!(staff::audit))
}
