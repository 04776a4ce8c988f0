//! `POST bookings` (Idempotency-Key required): turn a hold into a booking.

use crate::booking::booking_ctx::BookingCtx;
use crate::booking::bookings::{self, BookingAnswer};
use crate::error::{ApiError, ApiResult};
use crate::extract::{booking_key, ApiJson, ApiPath};
use crate::rate_limit::ClientAddr;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use slotwise_shared::api::{BookingCreated, BookingRequest};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::lang;
use slotwise_shared::patients::Queued;

/// Handler: 201 with the booking, 202 when it waits in the booking queue; a replay answers
/// the first response.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/bookings",
    operation_id = "create_booking",
    tag = "booking",
    summary = "Turn a hold into a booking",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("Idempotency-Key" = String, Header, min_length = 1, max_length = 128, pattern = "^[!-~]+$",
            description = "1 to 128 visible ASCII characters, unique per booking: a retry with the \
            same key and body answers the first response (required; missing or malformed is 400)"),
    ),
    request_body = BookingRequest,
    responses(
        (status = 201, description = "Booked: the booking and its manage token (`intake_url` for \
            new patients when the practice has an intake form)", body = BookingCreated),
        (status = 202, description = "The practice's own scheduling system is down or refused: the \
            booking waits in the booking queue and the team confirms it", body = Queued),
        (status = 404, description = "Unknown practice, hold, reason or household member", body = ErrorBody),
        (status = 409, description = "The time is taken in the practice's system (`slot_unavailable`, \
            with `alternatives`), or the hold was already booked or is being booked in another \
            request (`conflict`)", body = ErrorBody),
        (status = 410, description = "The hold ran out (`hold_expired`, with `alternatives`), or the \
            returning patient's verified session ended (`code_expired`)", body = ErrorBody),
        (status = 422, description = "Details that do not pass (`validation_failed`, see `fields`), \
            this Idempotency-Key was already used with another body (`idempotency_key_reused`), or a \
            body of the wrong shape (`invalid_body`)", body = ErrorBody),
    ),
)]
pub async fn create_booking(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(client): Extension<ClientAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BookingRequest>,
) -> ApiResult<Response> {
    let catalog = state.catalog(&slug).await?;
    let key = booking_key(&headers)?;
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
        by_staff: false,
    };
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let outcome = bookings::book(&ctx, &key, &req, source)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
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
