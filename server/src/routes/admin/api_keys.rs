//! The practice's API keys in the admin API: listed without the key (admins and owners), made
//! with a role and shown once (owners), revoked (admins and owners, keys up to their own role);
//! a revoked key answers 401 from its next request on. A key cannot revoke itself, so an
//! integration cannot lock itself out by mistake.

use super::change::{apply, done, refuse};
use super::PracticeAuth;
use crate::api_keys::{new_key, MAX_LABEL_CHARS};
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::api_keys as keys;
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::error::{ErrorBody, ErrorCode};
use slotwise_shared::model::PracticeId;
use slotwise_shared::team::{ApiKeyView, CreatedApiKey, NewApiKey};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

async fn all(state: &AppState, practice_id: PracticeId) -> ApiResult<Vec<ApiKeyView>> {
    let rows = keys::list_keys(&state.db, practice_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiKeyView {
            id: r.id,
            label: r.label,
            role: StaffRole::parse(&r.role).unwrap_or(StaffRole::FrontDesk),
            created_at: at(r.created_at),
            last_used_at: r.last_used_at.map(at),
        })
        .collect())
}

/// `GET /api/v1/admin/api-keys`: the live keys, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/admin/api-keys",
    operation_id = "list_api_keys",
    tag = "admin",
    summary = "The practice's live API keys (never the keys themselves)",
    responses(
        (status = 200, description = "The live keys, newest first", body = Vec<ApiKeyView>),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<Vec<ApiKeyView>>> {
    auth.require(StaffRole::Admin)?;
    Ok(Json(all(&state, auth.practice_id).await?))
}

/// `POST /api/v1/admin/api-keys` (owners): a new key with a label and a role; the answer
/// holds the key, the only time it is shown.
#[utoipa::path(
    post,
    path = "/api/v1/admin/api-keys",
    operation_id = "create_api_key",
    tag = "admin",
    summary = "Make an API key with a role (the key is shown once)",
    request_body = NewApiKey,
    responses(
        (status = 200, description = "The new key (shown this once) and the live keys", body = CreatedApiKey),
        (status = 422, description = "A label that is empty or over 100 characters (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["owner"])),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(new): ApiJson<NewApiKey>,
) -> ApiResult<Json<CreatedApiKey>> {
    auth.require(StaffRole::Owner)?;
    // The length as sent (the document's `maxLength`), then without surrounding space.
    let label = new.label.trim().to_string();
    if label.is_empty() || new.label.chars().count() > MAX_LABEL_CHARS {
        return Err(ApiError::field(
            "label",
            &format!("Say what the key is for, in up to {MAX_LABEL_CHARS} characters."),
        ));
    }
    let (key, hash) = new_key();
    let (practice_id, role, now) = (auth.practice_id, new.role, now_seconds());
    apply(
        &state,
        &auth,
        "api_key.create",
        write_unit!(|conn| {
            let id = keys::insert_key(conn, practice_id, &hash, &label, role.as_str(), now).await?;
            done((), format!("api key {id}"))
        }),
    )
    .await?;
    let keys = all(&state, practice_id).await?;
    Ok(Json(CreatedApiKey { key, keys }))
}

/// `DELETE /api/v1/admin/api-keys/{id}`: revokes a live key (one whose role is at most the
/// caller's); the keys left.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/api-keys/{id}",
    operation_id = "revoke_api_key",
    tag = "admin",
    summary = "Revoke an API key",
    params(("id" = i64, Path, description = "The API key's id")),
    responses(
        (status = 200, description = "The live keys left", body = Vec<ApiKeyView>),
        (status = 403, description = "An admin may not revoke an owner's key (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No such live API key in the practice", body = ErrorBody),
        (status = 409, description = "A key cannot revoke itself (`conflict`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn revoke(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ApiKeyView>>> {
    auth.require(StaffRole::Admin)?;
    if auth.api_key_id == Some(id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            "A key cannot revoke itself: revoke it from the console or with another key.",
        ));
    }
    let (practice_id, caller, now) = (auth.practice_id, auth.role, now_seconds());
    apply(
        &state,
        &auth,
        "api_key.revoke",
        write_unit!(|conn| {
            let Some(role) = keys::live_key_role(conn, practice_id, id).await? else {
                return refuse(ApiError::not_found("API key"));
            };
            if StaffRole::parse(&role).unwrap_or(StaffRole::Owner) > caller {
                return refuse(ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::Forbidden,
                    "Only an owner can revoke an owner's key.",
                ));
            }
            keys::revoke_key(conn, practice_id, id, now).await?;
            done((), format!("api key {id}"))
        }),
    )
    .await?;
    Ok(Json(all(&state, practice_id).await?))
}
