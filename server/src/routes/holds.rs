//! `POST holds`: keep a time for the patient while they finish.

use crate::booking::holds;
use crate::clock::now_seconds;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::rate_limit::ClientAddr;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use axum::Json;
use slotwise_shared::api::{HoldRequest, HoldResponse};

/// Handler: 201 with the hold, 409 with alternatives when taken.
pub async fn create_hold(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    Extension(client): Extension<ClientAddr>,
    ApiJson(req): ApiJson<HoldRequest>,
) -> ApiResult<(StatusCode, Json<HoldResponse>)> {
    let catalog = state.catalog(&slug).await?;
    let now = now_seconds();
    let expires_at = now + i64::from(catalog.practice.hold_minutes) * 60;
    state.limiter.reserve_hold(client, now, expires_at)?;
    let hold = match holds::create_hold(&state.db, &catalog, &req).await {
        Ok(hold) => hold,
        Err(err) => {
            state.limiter.release_hold(client);
            return Err(err.into());
        }
    };
    state.slots_cache.changed(catalog.practice.id);
    Ok((StatusCode::CREATED, Json(hold)))
}

/// Handler: 204 once the hold is given back (the patient picked another time).
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
