//! `POST holds`: keep a time for the patient while they finish.

use crate::booking::holds;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::DomainResult;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::rate_limit::ClientAddr;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use axum::Json;
use slotwise_shared::api::{HoldRequest, HoldResponse};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::lang::{self, Language};
use std::future::Future;

/// Handler: 201 with the hold, 409 with alternatives when taken.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/holds",
    operation_id = "create_hold",
    tag = "booking",
    summary = "Hold a free time while the patient finishes booking",
    params(("slug" = String, Path, description = "The practice's booking slug")),
    request_body = HoldRequest,
    responses(
        (status = 201, description = "The time is held until `expires_at`", body = HoldResponse),
        (status = 404, description = "Unknown practice, reason or provider", body = ErrorBody),
        (status = 409, description = "The time is taken; `alternatives` lists other free times", body = ErrorBody),
    ),
)]
pub async fn create_hold(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(client): Extension<ClientAddr>,
    ApiJson(req): ApiJson<HoldRequest>,
) -> ApiResult<(StatusCode, Json<HoldResponse>)> {
    let catalog = state.catalog(&slug).await?;
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let hold = with_hold_place(
        &state,
        client,
        &catalog,
        language,
        holds::create_hold(&state.db, &catalog, &req),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(hold)))
}

/// Runs `hold` with one of the client's live-hold places taken for the practice's hold length
/// (a single time and a procedure's chain count as one each); the place is given back when no
/// hold came of it. A new hold changes the practice's free times.
pub async fn with_hold_place<T>(
    state: &AppState,
    client: ClientAddr,
    catalog: &Catalog,
    language: &'static Language,
    hold: impl Future<Output = DomainResult<T>>,
) -> ApiResult<T> {
    let now = now_seconds();
    let expires_at = now + i64::from(catalog.practice.hold_minutes) * 60;
    state
        .limiter
        .reserve_hold(client, now, expires_at)
        .map_err(|e| e.in_language(language))?;
    match hold.await {
        Ok(held) => {
            state.slots_cache.changed(catalog.practice.id);
            Ok(held)
        }
        Err(err) => {
            state.limiter.release_hold(client);
            Err(ApiError::from(err).in_language(language))
        }
    }
}

/// Handler: 204 once the hold is given back (the patient picked another time).
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/holds/{token}/release",
    operation_id = "release_hold",
    tag = "booking",
    summary = "Give a held time back",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The hold's token"),
    ),
    responses(
        (status = 204, description = "The hold is released"),
        (status = 404, description = "Unknown practice or hold", body = ErrorBody),
    ),
)]
pub async fn release_hold(
    State(state): State<AppState>,
    ApiPath((slug, token)): ApiPath<(String, String)>,
    Extension(client): Extension<ClientAddr>,
) -> ApiResult<StatusCode> {
    let catalog = state.catalog(&slug).await?;
    holds::release_hold(&state.db, &catalog, &token).await?;
    state.limiter.release_hold(client);
    state.slots_cache.changed(catalog.practice.id);
    Ok(StatusCode::NO_CONTENT)
}
