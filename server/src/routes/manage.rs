//! Booking management by manage token: view, cancel, reschedule, calendar file.

use crate::booking::{manage, outside_changes};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use slotwise_shared::api::{BookingView, RescheduleRequest};

pub type SlugAndToken = ApiPath<(String, String)>;

/// `GET bookings/{token}`.
pub async fn get_booking(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
) -> ApiResult<Json<BookingView>> {
    let catalog = state.catalog(&slug).await?;
    Ok(Json(
        manage::get_booking(&state.db, &catalog, &state.public_url(), &token).await?,
    ))
}

/// `POST bookings/{token}/cancel`.
pub async fn cancel_booking(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
) -> ApiResult<Json<BookingView>> {
    let catalog = state.catalog(&slug).await?;
    let view = manage::cancel_booking(&state.db, &catalog, &state.public_url(), &token).await?;
    outside_changes::wake(&state.db, &state.pms, catalog.practice.id);
    state.slots_cache.changed(catalog.practice.id);
    state.outbox.wake();
    Ok(Json(view))
}

/// `POST bookings/{token}/reschedule`.
pub async fn reschedule_booking(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    ApiJson(req): ApiJson<RescheduleRequest>,
) -> ApiResult<Json<BookingView>> {
    let catalog = state.catalog(&slug).await?;
    let view =
        manage::reschedule_booking(&state.db, &catalog, &state.public_url(), &token, &req).await?;
    outside_changes::wake(&state.db, &state.pms, catalog.practice.id);
    state.slots_cache.changed(catalog.practice.id);
    state.outbox.wake();
    Ok(Json(view))
}

/// `GET bookings/{token}/calendar.ics`.
pub async fn calendar_ics(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
) -> ApiResult<impl IntoResponse> {
    let catalog = state.catalog(&slug).await?;
    let body = manage::booking_calendar(&state.db, &catalog, &state.public_url(), &token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"appointment.ics\"",
            ),
        ],
        body,
    ))
}
