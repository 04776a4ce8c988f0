//! HTTP routes, one module per area; `router` puts them together with the cross-cutting
//! layers (body limit, compression, CORS, rate limits, request tracing without personal data).

pub mod admin;
pub mod booking_config;
pub mod booking_page;
pub mod bookings;
pub mod cors;
pub mod feedback;
pub mod holds;
pub mod links;
pub mod manage;
pub mod patients;
pub mod slots;
pub mod twilio_inbound;
pub mod unsubscribe;

use crate::error::ApiError;
use crate::extract::MAX_BODY_BYTES;
use crate::rate_limit::free_times::limit_slot_queries;
use crate::rate_limit::limit_creates;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::{Json, Router};
use slotwise_shared::paths::{API, HEALTHZ};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// The whole HTTP API.
pub fn router(state: AppState) -> Router {
    let practice = format!("{API}/practices/{{slug}}");
    let creates = Router::new()
        .route(&format!("{practice}/holds"), post(holds::create_hold))
        .route(
            &format!("{practice}/holds/{{token}}/release"),
            post(holds::release_hold),
        )
        .route(
            &format!("{practice}/bookings"),
            post(bookings::create_booking),
        )
        .route(
            &format!("{practice}/patients/lookup"),
            post(patients::lookup),
        )
        .route(
            &format!("{practice}/patients/verify"),
            post(patients::verify),
        )
        .route(
            &format!("{practice}/appointment-requests"),
            post(patients::request_appointment),
        )
        .route(
            &format!("{practice}/links/{{token}}/open"),
            post(links::open_link),
        )
        .layer(from_fn_with_state(state.limiter.clone(), limit_creates));
    Router::new()
        .route(HEALTHZ, get(healthz))
        .route(
            &format!("{practice}/booking-config"),
            get(booking_config::booking_config),
        )
        .route(
            &format!("{practice}/slots"),
            get(slots::slots).layer(from_fn_with_state(
                state.slots_limiter.clone(),
                limit_slot_queries,
            )),
        )
        .route(
            &format!("{practice}/bookings/{{token}}"),
            get(manage::get_booking),
        )
        .route(
            &format!("{practice}/bookings/{{token}}/cancel"),
            post(manage::cancel_booking),
        )
        .route(
            &format!("{practice}/bookings/{{token}}/reschedule"),
            post(manage::reschedule_booking),
        )
        .route(
            &format!("{practice}/bookings/{{token}}/calendar.ics"),
            get(manage::calendar_ics),
        )
        .merge(creates)
        .merge(admin::router(&state))
        .route(
            &format!("{API}/webhooks/twilio/{{slug}}/sms"),
            post(twilio_inbound::inbound_sms),
        )
        .route(
            "/unsubscribe/{token}",
            get(unsubscribe::confirm_page).post(unsubscribe::unsubscribe),
        )
        .route("/book/{slug}", get(booking_page::booking_page))
        .route(
            "/book/{slug}/{reason}",
            get(booking_page::booking_page_for_reason),
        )
        .route(
            "/book/{slug}/manage/{token}",
            get(booking_page::manage_page),
        )
        .route(
            "/book/{slug}/link/{token}",
            get(booking_page::personal_link_page),
        )
        .route(
            "/feedback/{token}",
            get(feedback::feedback_page).post(feedback::submit_feedback),
        )
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
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.db.ping().await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}
