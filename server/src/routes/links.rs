//! Personal booking links: `POST links/{token}/open` (the widget, when a patient opens their
//! recall, rebooking or procedure link) answers who the patient is, with a booking session.

use super::manage::SlugAndToken;
use crate::booking::procedure_links::open_procedure_link;
use crate::domain_error::DomainError;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, PageLanguage};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use slotwise_shared::automations::OpenedLink;
use slotwise_shared::error::ErrorBody;

/// `POST /api/v1/practices/{slug}/links/{token}/open`.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/links/{token}/open",
    operation_id = "open_personal_link",
    tag = "booking",
    summary = "Open a personal recall, rebooking or procedure link",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The personal link's token"),
        ("Accept-Language" = Option<String>, Header, description = "The patient's language \
            (`es`) for error messages; else the practice's default"),
    ),
    responses(
        (status = 200, description = "The link's kind and reason, the patient as a verified household \
            with a `patient_session`, the insurance of their last visit, and for a procedure link the \
            visits it books with the first one's window", body = OpenedLink),
        (status = 404, description = "Unknown practice or link", body = ErrorBody),
        (status = 410, description = "The link ran out, was already used to book, or its patient is \
            gone (`link_expired`)", body = ErrorBody),
    ),
)]
pub async fn open_link(
    State(state): State<AppState>,
    ApiPath((slug, token)): SlugAndToken,
    asked: PageLanguage,
) -> ApiResult<Json<OpenedLink>> {
    let catalog = state
        .catalog(&slug)
        .await
        .map_err(|e| e.in_language(asked.choose("")))?;
    let language = asked.choose(&catalog.practice.default_lang);
    // A recall or rebooking link, else a procedure link.
    let opened = match crate::automations::links::open(&state.db, &catalog, &token).await {
        Err(DomainError::NotFound(_)) => open_procedure_link(&state.db, &catalog, &token).await,
        other => other,
    }
    .map_err(|e| ApiError::from(e).in_language(language))?;
    Ok(Json(opened))
}
