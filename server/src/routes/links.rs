//! Personal booking links: `POST links/{token}/open` (the widget, when a patient opens their
//! recall or rebooking link) answers who the patient is, with a booking session.

use super::manage::SlugAndToken;
use crate::error::ApiResult;
use crate::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use slotwise_shared::automations::OpenedLink;

/// `POST /api/v1/practices/{slug}/links/{token}/open`.
pub async fn open_link(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
) -> ApiResult<Json<OpenedLink>> {
    let catalog = state.catalog(&slug).await?;
    Ok(Json(
        crate::automations::links::open(&state.db, &catalog, &token).await?,
    ))
}
