//! HTTP routes, one module per area; `router` puts them together with the cross-cutting
//! layers (body limit, compression, CORS, rate limits, request tracing without personal data).

pub mod admin;
pub mod booking_config;
pub mod booking_page;
pub mod bookings;
pub mod confirm_visit;
pub mod cors;
pub mod feedback;
pub mod holds;
pub mod links;
pub mod manage;
pub mod openapi;
pub mod patients;
pub mod procedures;
pub mod slots;
pub mod twilio_inbound;
pub mod unsubscribe;
pub mod waitlist;

use crate::error::ApiError;
use crate::extract::MAX_BODY_BYTES;
use crate::rate_limit::free_times::limit_slot_queries;
use crate::rate_limit::limit_creates;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::from_fn_with_state;
use axum::{Extension, Json, Router};
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The whole HTTP API, and its OpenAPI document built from the same routes.
pub fn router(state: AppState) -> Router {
    // Unauthenticated creates count against the client's request rate.
    let creates = OpenApiRouter::new()
        .routes(routes!(holds::create_hold))
        .routes(routes!(holds::release_hold))
        .routes(routes!(bookings::create_booking))
        .routes(routes!(procedures::create_procedure_hold))
        .routes(routes!(procedures::release_procedure_hold))
        .routes(routes!(procedures::create_procedure_booking))
        .routes(routes!(patients::lookup))
        .routes(routes!(patients::verify))
        .routes(routes!(patients::request_appointment))
        .routes(routes!(links::open_link))
        .routes(routes!(waitlist::join_waitlist))
        .routes(routes!(waitlist::wait_for_earlier_time))
        .merge(admin::sign_in_router())
        .layer(from_fn_with_state(state.limiter.clone(), limit_creates));
    let free_times = OpenApiRouter::new()
        .routes(routes!(slots::slots))
        .routes(routes!(procedures::chains))
        .routes(routes!(procedures::step_times_of))
        .layer(from_fn_with_state(
            state.slots_limiter.clone(),
            limit_slot_queries,
        ));
    let mut rate_limited = openapi::operations(creates.get_openapi());
    rate_limited.extend(openapi::operations(free_times.get_openapi()));
    let (api, doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(healthz))
        .routes(routes!(openapi::serve))
        .routes(routes!(booking_config::booking_config))
        .routes(routes!(procedures::list_procedures))
        .routes(routes!(manage::get_booking))
        .routes(routes!(manage::cancel_booking))
        .routes(routes!(manage::reschedule_booking))
        .routes(routes!(manage::calendar_ics))
        .merge(creates)
        .merge(free_times)
        .merge(admin::router())
        .routes(routes!(twilio_inbound::inbound_sms))
        .routes(routes!(unsubscribe::confirm_page, unsubscribe::unsubscribe))
        .routes(routes!(confirm_visit::confirm_page, confirm_visit::confirm))
        .routes(routes!(booking_page::booking_page))
        .routes(routes!(booking_page::booking_page_for_reason))
        .routes(routes!(booking_page::manage_page))
        .routes(routes!(booking_page::personal_link_page))
        .routes(routes!(feedback::feedback_page, feedback::submit_feedback))
        .split_for_parts();
    let document = openapi::ApiDocument(Arc::new(openapi::complete(doc, &rate_limited)));
    api.layer(Extension(document))
        .fallback(|| async { ApiError::not_found("page") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                slotwise_shared::error::ErrorCode::BadRequest,
                "This address does not accept that method.",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Level 4: most of the size win of gzip/brotli at a fraction of the CPU of their
        // defaults, which matters for per-request slot lists.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(cors::layer(state.clone()))
        // Static widget files have their own headers (any origin may load them), so they sit
        // outside the API's CORS policy.
        .merge(crate::widget_assets::router(&state.config.widget_dir))
        .merge(crate::admin_assets::router(&state.config.admin_dir))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // The route template, never the concrete path: paths carry manage tokens.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("unmatched", |m| m.as_str());
            tracing::info_span!("request", method = %req.method(), route = %route)
        }))
        .with_state(state)
}

/// `GET /healthz`: the process is up and the database answers.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "get_health",
    tag = "meta",
    summary = "The server is up and its database answers",
    responses((status = 200, description = "`{\"status\": \"ok\"}`", body = Object)),
)]
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.db.ping().await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}
