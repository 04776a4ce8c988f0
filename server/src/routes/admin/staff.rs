//! Staff accounts of the practice (owners add people) and the audit log.

use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::staff::accounts::{create_staff, NewStaffError};
use crate::state::AppState;
use crate::store::staff;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::admin::{AuditEntry, AuditList, NewStaff, StaffRole, StaffView};
use slotwise_shared::model::PracticeId;

async fn all(state: &AppState, practice_id: PracticeId) -> ApiResult<Json<Vec<StaffView>>> {
    let rows = staff::list_staff(&state.db, practice_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| StaffView {
                id: r.id,
                email: r.email,
                name: r.name,
                role: StaffRole::parse(&r.role).unwrap_or(StaffRole::FrontDesk),
            })
            .collect(),
    ))
}

/// `GET /api/v1/admin/staff`.
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<Vec<StaffView>>> {
    auth.require(StaffRole::Admin)?;
    all(&state, auth.practice_id).await
}

/// `POST /api/v1/admin/staff` (owners only).
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(new): ApiJson<NewStaff>,
) -> ApiResult<Json<Vec<StaffView>>> {
    auth.require(StaffRole::Owner)?;
    let id = create_staff(
        &state.db,
        auth.practice_id,
        &new.email,
        &new.name,
        new.role,
        &new.password,
    )
    .await
    .map_err(|e| match e {
        NewStaffError::Invalid { field, message } => ApiError::field(field, &message),
        NewStaffError::Taken => ApiError::field("email", "An account with this email exists."),
        NewStaffError::Other(e) => ApiError::from(e),
    })?;
    super::change::record(&state, &auth, "staff.create", format!("staff {id}")).await?;
    all(&state, auth.practice_id).await
}

/// `GET /api/v1/admin/audit`: the newest 500 lines.
pub async fn audit(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<AuditList>> {
    auth.require(StaffRole::Admin)?;
    let rows = staff::audit_entries(&state.db, auth.practice_id, 500).await?;
    Ok(Json(AuditList {
        entries: rows
            .into_iter()
            .map(|(at, actor, action, target)| AuditEntry {
                at: Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH),
                actor,
                action,
                target,
            })
            .collect(),
    }))
}
