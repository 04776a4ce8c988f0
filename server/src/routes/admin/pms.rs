//! The practice-management connection: which system is the schedule of record, and its health.

use super::change::{apply, done};
use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::store::pms as store;
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::admin::{PmsKind, PmsSettings, PmsView, StaffRole};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::model::PracticeId;

fn ts(at: i64) -> Option<Timestamp> {
    Timestamp::from_second(at).ok()
}

async fn view(state: &AppState, practice_id: PracticeId) -> ApiResult<PmsView> {
    let row = store::connection(&state.db, practice_id)
        .await?
        .unwrap_or_default();
    let waiting = store::waiting(&state.db, practice_id).await?;
    let (changes_waiting, changes_failed) =
        crate::store::outside_changes::waiting(&state.db, practice_id).await?;
    Ok(PmsView {
        kind: if row.kind == "fhir" {
            PmsKind::Fhir
        } else {
            PmsKind::Builtin
        },
        base_url: row.base_url,
        has_token: !row.auth_token.is_empty(),
        last_success_at: row.last_success_at.and_then(ts),
        last_error: row.last_error,
        last_error_at: row.last_error_at.and_then(ts),
        waiting,
        changes_waiting,
        changes_failed,
    })
}

/// `GET /api/v1/admin/pms`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/pms",
    operation_id = "get_pms",
    tag = "admin",
    summary = "The practice-management connection and its health",
    security(("bearerAuth" = ["front_desk"])),
    responses(
        (status = 200, description = "The schedule of record, its last sync and what waits to be written to it (never the token itself)", body = PmsView),
    ),
)]
pub async fn show(State(state): State<AppState>, auth: PracticeAuth) -> ApiResult<Json<PmsView>> {
    Ok(Json(view(&state, auth.practice_id).await?))
}

/// `PUT /api/v1/admin/pms` (admins and owners): switch the schedule of record.
#[utoipa::path(
    put,
    path = "/api/v1/admin/pms",
    operation_id = "update_pms",
    tag = "admin",
    summary = "Choose the schedule of record: built in, or a FHIR R4 server",
    security(("bearerAuth" = ["admin"])),
    request_body = PmsSettings,
    responses(
        (status = 200, description = "The saved connection (after switching to FHIR its busy times are read right away)", body = PmsView),
        (status = 422, description = "For FHIR, a base address that is not a valid http(s) URL of up to 500 characters or that outbound calls may not reach (`base_url`); a token over 4000 characters, or no token given after the server's origin changed (`auth_token`)", body = ErrorBody),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(settings): ApiJson<PmsSettings>,
) -> ApiResult<Json<PmsView>> {
    auth.require(StaffRole::Admin)?;
    let base_url = settings.base_url.trim().trim_end_matches('/').to_string();
    let kind = match settings.kind {
        PmsKind::Builtin => "builtin",
        PmsKind::Fhir => {
            let ok = (base_url.starts_with("https://") || base_url.starts_with("http://"))
                && base_url.len() <= 500
                && !base_url.contains(char::is_whitespace)
                && reqwest::Url::parse(&base_url).is_ok();
            if !ok {
                return Err(ApiError::field(
                    "base_url",
                    "Enter the FHIR server's base address, like https://ehr.example.com/fhir.",
                ));
            }
            crate::outbound::check_service_url(&base_url, state.config.allow_private_outbound)
                .await
                .map_err(|why| ApiError::field("base_url", why))?;
            "fhir"
        }
    };
    let token = settings.auth_token.map(|t| t.trim().to_string());
    if token.as_ref().is_some_and(|t| t.len() > 4000) {
        return Err(ApiError::field("auth_token", "This token is too long."));
    }
    let practice_id = auth.practice_id;
    let stored = store::connection(&state.db, practice_id).await?;
    let token = match (token, stored) {
        (Some(token), _) => token,
        // The stored token is kept only for the server it was entered for.
        (None, Some(old)) if !old.auth_token.is_empty() => {
            if kind == "fhir" && !crate::outbound::same_origin(&old.base_url, &base_url) {
                return Err(ApiError::field(
                    "auth_token",
                    "The server's address changed: enter its token again to send it there.",
                ));
            }
            old.auth_token
        }
        (None, _) => String::new(),
    };
    let now = now_seconds();
    apply(
        &state,
        &auth,
        "pms.update",
        write_unit!(|conn| {
            store::save(conn, practice_id, kind, &base_url, &token, now).await?;
            done((), format!("pms:{kind}"))
        }),
    )
    .await?;
    state.pms.forget(practice_id);
    // Read the new system's busy time (and retry its queue) now rather than at the next tick.
    if kind != "builtin" {
        if let Some(row) = store::connection(&state.db, practice_id).await? {
            if let Err(err) = crate::jobs::pms_sync::sync_practice(&state, &row).await {
                tracing::warn!(error = %err, "first practice-system sync failed");
            }
        }
    } else {
        store::clear_busy(&state.db, practice_id).await?;
        state.slots_cache.changed(practice_id);
    }
    Ok(Json(view(&state, practice_id).await?))
}
