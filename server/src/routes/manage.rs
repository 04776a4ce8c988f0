//! Booking management by manage token: view, cancel, reschedule, calendar file.

use crate::booking::{manage, outside_changes};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, PageLanguage};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use slotwise_shared::api::{BookingView, RescheduleRequest};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::lang::Language;

pub type SlugAndToken = ApiPath<(String, String)>;

/// The practice, and the language the patient asked for (`?lang=`, then `Accept-Language`,
/// then the practice's default); a practice that is not there is answered in the language
/// asked for.
pub(super) async fn practice_and_language(
    state: &AppState,
    slug: &str,
    asked: &PageLanguage,
) -> ApiResult<(std::sync::Arc<crate::catalog::Catalog>, &'static Language)> {
    match state.catalog(slug).await {
        Ok(catalog) => {
            let language = asked.choose(&catalog.practice.default_lang);
            Ok((catalog, language))
        }
        Err(e) => Err(e.in_language(asked.choose(""))),
    }
}

/// `GET bookings/{token}`.
#[utoipa::path(
    get,
    path = "/api/v1/practices/{slug}/bookings/{token}",
    operation_id = "get_booking",
    tag = "manage",
    summary = "A booking, by its manage token",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token"),
        ("lang" = Option<String>, Query, description = "The patient's language (`es`): the \
            time's label, the calendar entry and error messages; else `Accept-Language`, else \
            the practice's default"),
    ),
    responses(
        (status = 200, description = "The booking", body = BookingView),
        (status = 404, description = "Unknown practice or booking", body = ErrorBody),
    ),
)]
pub async fn get_booking(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    asked: PageLanguage,
) -> ApiResult<Json<BookingView>> {
    let (catalog, language) = practice_and_language(&state, &slug, &asked).await?;
    let view = manage::get_booking(&state.db, &catalog, &state.public_url(), &token, language)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
    Ok(Json(view))
}

/// `POST bookings/{token}/cancel`.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/bookings/{token}/cancel",
    operation_id = "cancel_booking",
    tag = "manage",
    summary = "Cancel a booking (cancelling again answers the cancelled booking)",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token"),
        ("lang" = Option<String>, Query, description = "The patient's language (`es`): the \
            time's label, the calendar entry and error messages; else `Accept-Language`, else \
            the practice's default"),
    ),
    responses(
        (status = 200, description = "The cancelled booking", body = BookingView),
        (status = 404, description = "Unknown practice or booking", body = ErrorBody),
        (status = 409, description = "The appointment has started, can no longer be cancelled \
            online, or changed meanwhile (`conflict`)", body = ErrorBody),
    ),
)]
pub async fn cancel_booking(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    asked: PageLanguage,
) -> ApiResult<Json<BookingView>> {
    let (catalog, language) = practice_and_language(&state, &slug, &asked).await?;
    let view = manage::cancel_booking(&state.db, &catalog, &state.public_url(), &token, language)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
    outside_changes::wake(&state.db, &state.pms, catalog.practice.id);
    state.slots_cache.changed(catalog.practice.id);
    state.outbox.wake();
    Ok(Json(view))
}

/// `POST bookings/{token}/reschedule`.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/bookings/{token}/reschedule",
    operation_id = "reschedule_booking",
    tag = "manage",
    summary = "Move a booking into a newly held time",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token"),
        ("lang" = Option<String>, Query, description = "The patient's language (`es`): the \
            time's label, the calendar entry and error messages; else `Accept-Language`, else \
            the practice's default"),
    ),
    request_body = RescheduleRequest,
    responses(
        (status = 200, description = "The booking at the held time", body = BookingView),
        (status = 404, description = "Unknown practice, booking or hold", body = ErrorBody),
        (status = 409, description = "The appointment can no longer be changed online or changed \
            meanwhile, or the hold was already used (`conflict`); the time was taken \
            (`slot_unavailable`, no `alternatives`)", body = ErrorBody),
        (status = 410, description = "The hold ran out (`hold_expired`, with `alternatives`)", body = ErrorBody),
        (status = 422, description = "The hold is for another reason for visit (`validation_failed`, \
            `fields.hold_token`), or a body of the wrong shape (`invalid_body`)", body = ErrorBody),
    ),
)]
pub async fn reschedule_booking(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    asked: PageLanguage,
    ApiJson(req): ApiJson<RescheduleRequest>,
) -> ApiResult<Json<BookingView>> {
    let (catalog, language) = practice_and_language(&state, &slug, &asked).await?;
    let view = manage::reschedule_booking(
        &state.db,
        &catalog,
        &state.public_url(),
        &token,
        language,
        &req,
    )
    .await
    .map_err(|e| ApiError::from(e).in_language(language))?;
    outside_changes::wake(&state.db, &state.pms, catalog.practice.id);
    state.slots_cache.changed(catalog.practice.id);
    state.outbox.wake();
    Ok(Json(view))
}

/// `GET bookings/{token}/calendar.ics`.
#[utoipa::path(
    get,
    path = "/api/v1/practices/{slug}/bookings/{token}/calendar.ics",
    operation_id = "get_booking_calendar",
    tag = "manage",
    summary = "The booking as a calendar file",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token"),
        ("lang" = Option<String>, Query, description = "The patient's language (`es`): the \
            time's label, the calendar entry and error messages; else `Accept-Language`, else \
            the practice's default"),
    ),
    responses(
        (status = 200, description = "An iCalendar file (`appointment.ics`, as an attachment)",
            content_type = "text/calendar; charset=utf-8", body = String),
        (status = 404, description = "Unknown practice or booking", body = ErrorBody),
    ),
)]
pub async fn calendar_ics(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    asked: PageLanguage,
) -> ApiResult<impl IntoResponse> {
    let (catalog, language) = practice_and_language(&state, &slug, &asked).await?;
    let body = manage::booking_calendar(&state.db, &catalog, &state.public_url(), &token, language)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
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
