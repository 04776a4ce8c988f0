//! The waitlist for staff: entries by status, adding a patient, taking one off.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::store::staff;
use crate::store::waitlist as store;
use crate::store::write_batch::WriteOutcome;
use crate::waitlist::entries::{add, view};
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use slotwise_shared::error::ErrorBody;
use slotwise_shared::waitlist::{WaitlistAdd, WaitlistEntryView, WaitlistList};

const STATUSES: [&str; 4] = ["waiting", "booked", "expired", "removed"];

/// Query of `GET waitlist`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `waiting` (default), `booked`, `expired` or `removed`.
    #[param(schema_with = status_schema)]
    status: Option<String>,
}

/// The statuses `ListQuery::status` takes.
fn status_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some("Which entries (default `waiting`)."))
        .enum_values(Some(STATUSES))
        .default(Some("waiting".into()))
        .build()
}

/// `GET /api/v1/admin/waitlist?status=waiting`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/waitlist",
    operation_id = "list_waitlist",
    tag = "admin",
    summary = "Waitlist entries by status (waiting ones in the order they are offered times)",
    security(("bearerAuth" = ["front_desk"])),
    params(ListQuery),
    responses(
        (status = 200, description = "The entries (at most 500): waiting ones ASAP first, then earliest joined", body = WaitlistList),
        (status = 400, description = "`status` is not one of waiting, booked, expired, removed", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<WaitlistList>> {
    let status = query.status.as_deref().unwrap_or("waiting");
    if !STATUSES.contains(&status) {
        return Err(ApiError::bad_request(
            "status must be one of waiting, booked, expired, removed.",
        ));
    }
    let rows = store::list(&state.db, auth.practice_id, status).await?;
    Ok(Json(WaitlistList {
        entries: rows.into_iter().map(view).collect(),
    }))
}

/// `POST /api/v1/admin/waitlist`: staff add a patient.
#[utoipa::path(
    post,
    path = "/api/v1/admin/waitlist",
    operation_id = "add_to_waitlist",
    tag = "admin",
    summary = "Add a patient to the waitlist",
    security(("bearerAuth" = ["front_desk"])),
    request_body = WaitlistAdd,
    responses(
        (status = 201, description = "The entry (a patient's waiting entry for the same visit is updated instead)", body = WaitlistEntryView),
        (status = 404, description = "No such patient in the practice", body = ErrorBody),
        (status = 422, description = "An unknown visit or provider, days in the past, backwards or longer than 120 days, unknown weekdays or times of day, or a name and contact that do not pass", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(req): ApiJson<WaitlistAdd>,
) -> ApiResult<(StatusCode, Json<WaitlistEntryView>)> {
    let catalog = state.catalog(&auth.slug).await?;
    let row = add(&state.db, &catalog, &req).await?;
    let (practice_id, actor, now, id) =
        (auth.practice_id, auth.actor.clone(), now_seconds(), row.id);
    state
        .db
        .write(write_unit!(|conn| {
            staff::audit(
                conn,
                practice_id,
                &actor,
                "waitlist.add",
                &format!("waitlist {id}"),
                now,
            )
            .await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    Ok((StatusCode::CREATED, Json(view(row))))
}

/// `POST /api/v1/admin/waitlist/{id}/remove`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/waitlist/{id}/remove",
    operation_id = "remove_from_waitlist",
    tag = "admin",
    summary = "Take an entry off the waitlist",
    security(("bearerAuth" = ["front_desk"])),
    params(("id" = i64, Path, description = "The entry's id")),
    responses(
        (status = 200, description = "The entry, now removed", body = WaitlistEntryView),
        (status = 404, description = "No such entry in the practice", body = ErrorBody),
        (status = 409, description = "Only waiting entries can be taken off", body = ErrorBody),
    ),
)]
pub async fn remove(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<WaitlistEntryView>> {
    let (practice_id, actor, now) = (auth.practice_id, auth.actor.clone(), now_seconds());
    let row = state
        .db
        .write(write_unit!(|conn| {
            if store::find(conn, practice_id, id).await?.is_none() {
                return Ok(WriteOutcome::Rollback(Err(ApiError::not_found(
                    "waitlist entry",
                ))));
            }
            if !store::remove(conn, id, now).await? {
                return Ok(WriteOutcome::Rollback(Err(ApiError::conflict(
                    "Only waiting entries can be taken off.",
                ))));
            }
            staff::audit(
                conn,
                practice_id,
                &actor,
                "waitlist.remove",
                &format!("waitlist {id}"),
                now,
            )
            .await?;
            let done = store::find(conn, practice_id, id).await?;
            Ok(WriteOutcome::Commit(
                done.ok_or_else(|| ApiError::not_found("waitlist entry")),
            ))
        }))
        .await??;
    Ok(Json(view(row)))
}
