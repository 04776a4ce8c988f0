//! The booking queue for staff: entries by status; completing one books the visit (see
//! `booking::queue_completion`) and tells the patient, cancelling closes it.

use super::local_time::{date_of, local_instant, minutes_of};
use super::PracticeAuth;
use crate::booking::queue_completion::{self, Completion};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::store::booking_queue::{self, QueueRow};
use crate::store::procedure_chains::chain_rows;
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use slotwise_shared::admin::{QueueCompletion, QueueEntryView, QueueList};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::labels;
use slotwise_shared::model::ProcedureId;

/// Query of `GET booking-queue`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Which entries (default `pending`).
    #[param(schema_with = status_schema)]
    status: Option<String>,
}

const STATUSES: [&str; 4] = ["pending", "completed", "cancelled", "expired"];

/// The statuses `ListQuery::status` takes.
fn status_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some("Which entries (default `pending`)."))
        .enum_values(Some(STATUSES))
        .default(Some("pending".into()))
        .build()
}

fn ts(at: i64) -> Timestamp {
    Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A procedure entry's visits, each as "what · when · with whom".
async fn visits_of(state: &AppState, catalog: &Catalog, row: &QueueRow) -> ApiResult<Vec<String>> {
    let Some(procedure) = row.procedure_id else {
        return Ok(Vec::new());
    };
    let mut read = state.db.read.acquire().await?;
    let rows = chain_rows(&mut read, ProcedureId(procedure)).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let reason = catalog.reason(r.reason_id).map_or("", |r| r.name.as_str());
            let provider = catalog
                .provider(r.provider_id)
                .map_or("", |p| p.name.as_str());
            let when = labels::full_label(ts(r.starts_at), &catalog.practice.tz);
            format!("{reason} · {when} · {provider}")
        })
        .collect())
}

/// The entry as staff see it, with a procedure's visits.
async fn full_view(
    state: &AppState,
    catalog: &Catalog,
    row: QueueRow,
) -> ApiResult<QueueEntryView> {
    let visits = visits_of(state, catalog, &row).await?;
    Ok(QueueEntryView {
        visits,
        ..view(row, catalog)
    })
}

fn view(row: QueueRow, catalog: &Catalog) -> QueueEntryView {
    let retrying = row.retry != 0 && row.status == "pending";
    QueueEntryView {
        id: row.id,
        kind: if row.procedure_id.is_some() {
            "procedure".into()
        } else {
            row.kind
        },
        status: row.status,
        patient_name: format!("{} {}", row.first_name, row.last_name)
            .trim()
            .to_string(),
        phone: row.phone,
        email: row.email,
        reason_name: row.reason_name.unwrap_or_default(),
        provider_name: row.provider_name.unwrap_or_default(),
        when_label: row
            .starts_at
            .map(|at| labels::full_label(ts(at), &catalog.practice.tz))
            .unwrap_or_default(),
        preference: row.preference,
        detail: row.detail,
        created_at: ts(row.created_at),
        expires_at: ts(row.expires_at),
        resolved_at: row.resolved_at.map(ts),
        resolved_by: row.resolved_by,
        retrying,
        attempts: row.attempts,
        last_error: row.last_error,
        visits: Vec::new(),
    }
}

/// `GET /api/v1/admin/booking-queue?status=pending` (the default).
#[utoipa::path(
    get,
    path = "/api/v1/admin/booking-queue",
    operation_id = "list_booking_queue",
    tag = "admin",
    summary = "Booking queue by status",
    security(("bearerAuth" = ["front_desk"])),
    params(ListQuery),
    responses(
        (status = 200, description = "The entries with this status", body = QueueList),
        (status = 400, description = "`status` is not one of pending, completed, cancelled, expired", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<QueueList>> {
    let status = query.status.as_deref().unwrap_or("pending");
    if !STATUSES.contains(&status) {
        return Err(ApiError::bad_request(
            "status must be one of pending, completed, cancelled, expired.",
        ));
    }
    let catalog = state.catalog(&auth.slug).await?;
    let rows = booking_queue::list(&state.db, auth.practice_id, status).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.push(full_view(&state, &catalog, row).await?);
    }
    Ok(Json(QueueList { entries }))
}

/// The instant the visit was booked for: the staff's date and time, or the asked-for time.
fn booked_at(catalog: &Catalog, entry: &QueueRow, c: &QueueCompletion) -> ApiResult<i64> {
    if c.date.trim().is_empty() && c.time.trim().is_empty() {
        return entry.starts_at.ok_or_else(|| {
            ApiError::field("date", "Enter the date and time you booked the visit for.")
        });
    }
    let date =
        date_of(&c.date).ok_or_else(|| ApiError::field("date", "Use a date like 2026-12-01."))?;
    let minutes = minutes_of(&c.time)
        .filter(|m| *m < 1440)
        .ok_or_else(|| ApiError::field("time", "Use a time like 09:30."))?;
    local_instant(date, minutes, &catalog.practice.tz)
        .ok_or_else(|| ApiError::field("date", "That date is out of range."))
}

/// `POST /api/v1/admin/booking-queue/{id}/complete`: staff booked it; it becomes an
/// appointment under the database rule (409 with the nearest free times when the time is
/// taken) and the patient is told.
#[utoipa::path(
    post,
    path = "/api/v1/admin/booking-queue/{id}/complete",
    operation_id = "complete_queue_entry",
    tag = "admin",
    summary = "Mark booked; confirms the patient",
    security(("bearerAuth" = ["front_desk"])),
    params(("id" = i64, Path, description = "The queue entry's id")),
    request_body = QueueCompletion,
    responses(
        (status = 200, description = "The entry, now completed; the visit is booked and the patient told", body = QueueEntryView),
        (status = 404, description = "No such queue entry in the caller's practice, or an unknown reason or provider", body = ErrorBody),
        (status = 409, description = "The entry is no longer pending or an automatic retry holds it, or the time is taken (`slot_unavailable`, with the nearest free times in `alternatives`), or a procedure entry's visit is no longer free (nothing is booked)", body = ErrorBody),
        (status = 422, description = "A date not like 2026-12-01 or out of range, a time not like 09:30, no reason or provider given where the entry names none, or a date or time given for a procedure entry (booked at the patient's times)", body = ErrorBody),
    ),
)]
pub async fn complete(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(completion): ApiJson<QueueCompletion>,
) -> ApiResult<Json<QueueEntryView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let entry = {
        let mut read = state.db.read.acquire().await?;
        booking_queue::find(&mut read, auth.practice_id, id).await?
    }
    .ok_or_else(|| ApiError::not_found("queue entry"))?;
    let given = !completion.date.trim().is_empty() || !completion.time.trim().is_empty();
    if entry.procedure_id.is_some() && given {
        return Err(ApiError::field(
            "date",
            "A procedure's visits are booked at the times the patient chose; leave the date and time empty.",
        ));
    }
    let start = booked_at(&catalog, &entry, &completion)?;
    let asked = Completion {
        start,
        provider: completion.provider_id,
        reason: completion.reason_id,
    };
    let public_url = state.public_url();
    queue_completion::complete(&state.db, &catalog, &public_url, id, asked, &auth.actor).await?;
    state.slots_cache.changed(auth.practice_id);
    state.outbox.wake();
    let row = {
        let mut read = state.db.read.acquire().await?;
        booking_queue::find(&mut read, auth.practice_id, id).await?
    }
    .ok_or_else(|| ApiError::not_found("queue entry"))?;
    Ok(Json(full_view(&state, &catalog, row).await?))
}

/// `POST /api/v1/admin/booking-queue/{id}/cancel`: closes a pending entry without a message.
#[utoipa::path(
    post,
    path = "/api/v1/admin/booking-queue/{id}/cancel",
    operation_id = "cancel_queue_entry",
    tag = "admin",
    summary = "Close a pending entry",
    security(("bearerAuth" = ["front_desk"])),
    params(("id" = i64, Path, description = "The queue entry's id")),
    responses(
        (status = 200, description = "The entry, now cancelled (the patient gets no message)", body = QueueEntryView),
        (status = 404, description = "No such queue entry in the caller's practice", body = ErrorBody),
        (status = 409, description = "Only pending entries can be cancelled", body = ErrorBody),
    ),
)]
pub async fn cancel(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<QueueEntryView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let (practice_id, actor, now) = (auth.practice_id, auth.actor.clone(), now_seconds());
    let row = state
        .db
        .write(write_unit!(|conn| {
            if booking_queue::find(conn, practice_id, id).await?.is_none() {
                return Ok(WriteOutcome::Rollback(Err(ApiError::not_found(
                    "queue entry",
                ))));
            }
            if !booking_queue::resolve(conn, id, "cancelled", &actor, now).await? {
                return Ok(WriteOutcome::Rollback(Err(ApiError::conflict(
                    "Only pending entries can be cancelled.",
                ))));
            }
            staff::audit(
                conn,
                practice_id,
                &actor,
                "queue.cancel",
                &format!("queue {id}"),
                now,
            )
            .await?;
            let done = booking_queue::find(conn, practice_id, id).await?;
            Ok(WriteOutcome::Commit(
                done.ok_or_else(|| ApiError::not_found("queue entry")),
            ))
        }))
        .await??;
    Ok(Json(full_view(&state, &catalog, row).await?))
}
