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
use slotwise_shared::error::{ErrorBody, ErrorCode};
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
#[utoipa::path(
    get,
    path = "/api/v1/admin/staff",
    operation_id = "list_staff",
    tag = "admin",
    summary = "Staff accounts",
    responses(
        (status = 200, description = "The practice's staff accounts", body = Vec<StaffView>),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<Vec<StaffView>>> {
    auth.require(StaffRole::Admin)?;
    all(&state, auth.practice_id).await
}

/// `POST /api/v1/admin/staff` (owners only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/staff",
    operation_id = "create_staff",
    tag = "admin",
    summary = "Add a staff account",
    request_body = NewStaff,
    responses(
        (status = 200, description = "The practice's staff accounts, the new one included", body = Vec<StaffView>),
        (status = 422, description = "An invalid email, a missing or long name, a weak password, or an account with this email exists (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["owner"])),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/admin/staff/{id}/disable",
    operation_id = "disable_staff",
    tag = "admin",
    summary = "Disable an account (it cannot sign in; its sessions end at once)",
    params(("id" = i64, Path, description = "The staff account's id")),
    responses(
        (status = 200, description = "The practice's staff accounts after the change (an account already disabled is left as it is)", body = Vec<StaffView>),
        (status = 403, description = "An admin may not disable an owner's account (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No such staff account in the practice", body = ErrorBody),
        (status = 409, description = "The caller's own account, or the practice's last owner who can sign in", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn disable(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<StaffView>>> {
    switch(&state, &auth, id, true).await
}

/// `POST /api/v1/admin/staff/{id}/enable`: the account may sign in again.
#[utoipa::path(
    post,
    path = "/api/v1/admin/staff/{id}/enable",
    operation_id = "enable_staff",
    tag = "admin",
    summary = "Enable a disabled account",
    params(("id" = i64, Path, description = "The staff account's id")),
    responses(
        (status = 200, description = "The practice's staff accounts after the change (an account already enabled is left as it is)", body = Vec<StaffView>),
        (status = 403, description = "An admin may not enable an owner's account (`forbidden`)", body = ErrorBody),
        (status = 404, description = "No such staff account in the practice", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn enable(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<StaffView>>> {
    switch(&state, &auth, id, false).await
}

/// `GET /api/v1/admin/audit`: the newest 500 lines.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    operation_id = "list_audit_entries",
    tag = "admin",
    summary = "Audit log (newest 500)",
    responses(
        (status = 200, description = "The newest 500 audit log lines", body = AuditList),
    ),
    security(("bearerAuth" = ["admin"])),
)]
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
