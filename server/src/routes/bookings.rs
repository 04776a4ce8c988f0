//! `POST bookings` (Idempotency-Key required): turn a hold into a booking.

use crate::booking::booking_ctx::BookingCtx;
use crate::booking::bookings::{self, BookingAnswer};
use crate::error::{ApiError, ApiResult};
use crate::extract::{idempotency_key, ApiJson, ApiPath};
use crate::rate_limit::ClientAddr;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use slotwise_shared::api::BookingRequest;

/// Handler: 201 with the booking, 202 when it waits in the booking queue; a replay answers
/// the first response.
pub async fn create_booking(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(client): Extension<ClientAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BookingRequest>,
) -> ApiResult<Response> {
    let catalog = state.catalog(&slug).await?;
    let key = idempotency_key(&headers)?.ok_or_else(|| {
        ApiError::bad_request(
            "Send an Idempotency-Key header so a retried booking is never made twice.",
        )
    })?;
    // The booking page is served by this server: a booking from its own origin came through a
    // direct link; any other origin is a practice's website with the widget embedded.
    let public_url = state.public_url();
    let same_origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| origin == public_url);
    let source = if same_origin { "direct_link" } else { "widget" };
    let ctx = BookingCtx {
        db: &state.db,
        catalog: &catalog,
        public_url: &public_url,
        pms: &state.pms,
        retry: None,
    };
    let outcome = bookings::book(&ctx, &key, &req, source).await?;
    // The hold became a booking in this request: it no longer counts against the client's
    // hold places. A replay gives nothing back (its place was given back the first time), nor
    // does an error (the hold still counts until it is booked, released or runs out).
    if outcome.made_now {
        state.limiter.release_hold(client);
    }
    let (status, body) = match outcome.answer {
        BookingAnswer::Booked(body) => (StatusCode::CREATED, body),
        BookingAnswer::Queued(body) => (StatusCode::ACCEPTED, body),
    };
    state.outbox.wake();
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}
