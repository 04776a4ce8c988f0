//! The waitlist for patients: "Tell me if something opens" from the widget, and "I'd take an
//! earlier time" from the manage page (see `waitlist`).

use super::manage::{practice_and_language, SlugAndToken};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, PageLanguage};
use crate::state::AppState;
use crate::waitlist::entries::{earlier, join};
use crate::waitlist::language_of;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use slotwise_shared::error::ErrorBody;
use slotwise_shared::waitlist::{EarlierTime, WaitlistJoin, WaitlistJoined};

/// Handler: 201, the patient is on the list (joining again for the same visit updates it).
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/waitlist",
    operation_id = "join_waitlist",
    tag = "booking",
    summary = "Join the waitlist for a visit: told when a time opens",
    params(("slug" = String, Path, description = "The practice's booking slug")),
    request_body = WaitlistJoin,
    responses(
        (status = 201, description = "On the list until the last day asked for", body = WaitlistJoined),
        (status = 404, description = "Unknown practice, or a verified member not in the household", body = ErrorBody),
        (status = 410, description = "The returning patient's verified session ended (`code_expired`)", body = ErrorBody),
        (status = 422, description = "An unknown visit or provider, days in the past, backwards or longer than 120 days, unknown weekdays or times of day, or a name and contact that do not pass (`validation_failed`, see `fields`)", body = ErrorBody),
        (status = 429, description = "Too many requests from this client", body = ErrorBody),
    ),
)]
pub async fn join_waitlist(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<WaitlistJoin>,
) -> ApiResult<(StatusCode, Json<WaitlistJoined>)> {
    let catalog = state.catalog(&slug).await?;
    if req.lang.as_deref().is_some_and(|l| l.len() > 35) {
        return Err(ApiError::field("lang", "Use a language code like es."));
    }
    let language = language_of(&catalog, req.lang.as_deref());
    let joined = join(&state.db, &catalog, &req)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
    Ok((StatusCode::CREATED, Json(joined)))
}

/// Handler: 201, the patient is on the list for an earlier time than this booking.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/bookings/{token}/waitlist",
    operation_id = "wait_for_earlier_time",
    tag = "manage",
    summary = "Be told when an earlier time opens for this booking",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token"),
        ("lang" = Option<String>, Query, description = "The patient's language (`es`); else \
            `Accept-Language`, else the practice's default"),
    ),
    request_body = EarlierTime,
    responses(
        (status = 201, description = "On the list for the same visit and provider, from today to the day before the booking", body = WaitlistJoined),
        (status = 404, description = "Unknown practice or booking", body = ErrorBody),
        (status = 409, description = "The booking is not ahead, or is today or tomorrow (no earlier day)", body = ErrorBody),
    ),
)]
pub async fn wait_for_earlier_time(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    asked: PageLanguage,
    ApiJson(req): ApiJson<EarlierTime>,
) -> ApiResult<(StatusCode, Json<WaitlistJoined>)> {
    let (catalog, language) = practice_and_language(&state, &slug, &asked).await?;
    let joined = earlier(&state.db, &catalog, &token, &req, language)
        .await
        .map_err(|e| ApiError::from(e).in_language(language))?;
    Ok((StatusCode::CREATED, Json(joined)))
}
