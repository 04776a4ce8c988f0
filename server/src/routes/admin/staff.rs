//! Staff accounts of the practice (owners add people; owners and admins disable and enable
//! accounts up to their own role) and the audit log.

use super::change::{apply, done, refuse};
use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::staff::accounts::{create_staff, NewStaffError};
use crate::staff::team::{set_disabled, Caller, TeamRefusal};
use crate::state::AppState;
use crate::store::db::Backend;
use crate::store::{staff, team};
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::admin::{AuditEntry, AuditList, NewStaff, StaffRole, StaffView};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::PracticeId;

async fn all(state: &AppState, practice_id: PracticeId) -> ApiResult<Json<Vec<StaffView>>> {
    let rows = team::list_staff(&state.db, practice_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| StaffView {
                id: r.id,
                email: r.email,
                name: r.name,
                role: StaffRole::parse(&r.role).unwrap_or(StaffRole::FrontDesk),
                disabled: r.disabled_at.is_some(),
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

fn refused(why: TeamRefusal) -> ApiError {
    match why {
        TeamRefusal::NotFound => ApiError::not_found("staff account"),
        TeamRefusal::AboveYou => ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Only an owner can disable or enable an owner's account.",
        ),
        TeamRefusal::Yourself => ApiError::conflict("You cannot disable your own account."),
        TeamRefusal::LastOwner => ApiError::conflict(
            "This is the practice's last owner who can sign in. Make someone else an owner first.",
        ),
    }
}

/// Disables or enables account `id` and answers the accounts.
async fn switch(
    state: &AppState,
    auth: &PracticeAuth,
    id: i64,
    disable: bool,
) -> ApiResult<Json<Vec<StaffView>>> {
    auth.require(StaffRole::Admin)?;
    let practice_id = auth.practice_id;
    let caller = Caller {
        role: auth.role,
        staff_id: auth.session.as_ref().map(|s| s.staff_id),
    };
    let postgres = state.db.backend == Backend::Postgres;
    let now = now_seconds();
    let action = if disable {
        "staff.disable"
    } else {
        "staff.enable"
    };
    apply(
        state,
        auth,
        action,
        write_unit!(|conn| {
            match set_disabled(conn, postgres, practice_id, id, disable, caller, now).await? {
                Ok(()) => done((), format!("staff {id}")),
                Err(why) => refuse(refused(why)),
            }
        }),
    )
    .await?;
    all(state, practice_id).await
}

/// `POST /api/v1/admin/staff/{id}/disable`: the account cannot sign in, and its sessions end
/// at once (admins and owners; not your own account, not the last owner).
pub async fn disable(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<StaffView>>> {
    switch(&state, &auth, id, true).await
}

/// `POST /api/v1/admin/staff/{id}/enable`: the account may sign in again.
pub async fn enable(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<StaffView>>> {
    switch(&state, &auth, id, false).await
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
