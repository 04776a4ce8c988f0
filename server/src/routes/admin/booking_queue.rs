//! The booking queue for staff: entries by status; completing one confirms the patient by
//! message, cancelling closes it.

use super::local_time::{date_of, local_instant, minutes_of};
use super::PracticeAuth;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::notify::context::MessageContext;
use crate::notify::enqueue::{enqueue, Queue, Recipient};
use crate::state::AppState;
use crate::store::booking_queue::{self, QueueRow};
use crate::store::patients::{self, NewHousehold, NewMember};
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::extract::{Query, State};
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use slotwise_shared::admin::{QueueCompletion, QueueEntryView, QueueList};
use slotwise_shared::labels;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::AnyConnection;

/// Query of `GET booking-queue`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
}

const STATUSES: [&str; 4] = ["pending", "completed", "cancelled", "expired"];

fn ts(at: i64) -> Timestamp {
    Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn view(row: QueueRow, catalog: &Catalog) -> QueueEntryView {
    let retrying = row.retry != 0 && row.status == "pending";
    QueueEntryView {
        id: row.id,
        kind: row.kind,
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
    }
}

/// `GET /api/v1/admin/booking-queue?status=pending` (the default).
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<QueueList>> {
    let status = query.status.as_deref().unwrap_or("pending");
    if !STATUSES.contains(&status) {
        return Err(ApiError::bad_request(
            "status must be one of pending, completed, cancelled, expired.",
        ));
    }
    let catalog = state.catalog(&auth.slug).await?;
    let rows = booking_queue::list(&state.db, auth.practice_id, status).await?;
    Ok(Json(QueueList {
        entries: rows.into_iter().map(|r| view(r, &catalog)).collect(),
    }))
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

fn completion_context(
    catalog: &Catalog,
    entry: &QueueRow,
    at: i64,
    public_url: &str,
) -> MessageContext {
    let tz = &catalog.practice.tz;
    let start = ts(at);
    MessageContext {
        patient_first_name: entry.first_name.clone(),
        date: start
            .to_zoned(tz.clone())
            .strftime("%A, %B %-d, %Y")
            .to_string(),
        time: format!(
            "{} {}",
            labels::time_label(start, tz),
            start.to_zoned(tz.clone()).strftime("%Z")
        ),
        provider: entry
            .provider_name
            .clone()
            .unwrap_or_else(|| "our team".into()),
        service: entry
            .reason_name
            .clone()
            .unwrap_or_else(|| "Your visit".into()),
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        booking_link: format!(
            "{public_url}/book/{}",
            urlencoding::encode(&catalog.practice.slug)
        ),
        ..MessageContext::default()
    }
}

/// The entry's patient, created from the entry's details when it has none.
async fn patient_of(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    entry: &QueueRow,
    now: i64,
) -> Result<PatientId, sqlx::Error> {
    if let Some(id) = entry.patient_id {
        return Ok(id);
    }
    // In a household, so the patient can look themselves up next time.
    let household = match entry.household_id {
        Some(id) => id,
        None => {
            let contact = NewHousehold {
                first_name: entry.first_name.clone(),
                last_name: entry.last_name.clone(),
                phone: entry.phone.clone(),
                email: entry.email.to_lowercase(),
            };
            patients::insert_household(conn, practice_id, &contact, now).await?
        }
    };
    let member = NewMember {
        first_name: entry
            .pet_name
            .clone()
            .unwrap_or_else(|| entry.first_name.clone()),
        last_name: entry.last_name.clone(),
        date_of_birth: entry.date_of_birth.clone(),
        phone: entry.phone.clone(),
        email: entry.email.to_lowercase(),
        species: entry.species.clone(),
    };
    let id = patients::insert_member(conn, practice_id, household, &member, now).await?;
    booking_queue::set_patient(conn, entry.id, id).await?;
    Ok(id)
}

/// `POST /api/v1/admin/booking-queue/{id}/complete`: staff booked it; the patient is told.
pub async fn complete(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(completion): ApiJson<QueueCompletion>,
) -> ApiResult<Json<QueueEntryView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let (practice_id, actor, now) = (auth.practice_id, auth.actor.clone(), now_seconds());
    let (catalog_copy, url) = (catalog.clone(), state.public_url());
    let row = state
        .db
        .write(write_unit!(|conn| {
            let Some(entry) = booking_queue::find(conn, practice_id, id).await? else {
                return Ok(WriteOutcome::Rollback(Err(ApiError::not_found(
                    "queue entry",
                ))));
            };
            if entry.status != "pending" {
                return Ok(WriteOutcome::Rollback(Err(ApiError::conflict(format!(
                    "This entry is already {}.",
                    entry.status
                )))));
            }
            let at = match booked_at(&catalog_copy, &entry, &completion) {
                Ok(at) => at,
                Err(e) => return Ok(WriteOutcome::Rollback(Err(e))),
            };
            booking_queue::resolve(conn, id, "completed", &actor, now).await?;
            let patient_id = patient_of(conn, practice_id, &entry, now).await?;
            let recipient = Recipient {
                patient_id: Some(patient_id),
                phone: entry.phone.clone(),
                email: entry.email.clone(),
            };
            let context = completion_context(&catalog_copy, &entry, at, &url);
            let queue = Queue {
                practice_id,
                appointment_id: None,
                recipient: &recipient,
                event: MessageEvent::QueueCompleted,
                context: &context,
                send_after: now,
                dedupe_key: Some(format!("queue_completed:{id}")),
            };
            enqueue(conn, &queue, now).await?;
            staff::audit(
                conn,
                practice_id,
                &actor,
                "queue.complete",
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
    state.outbox.wake();
    Ok(Json(view(row, &catalog)))
}

/// `POST /api/v1/admin/booking-queue/{id}/cancel`: closes a pending entry without a message.
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
    Ok(Json(view(row, &catalog)))
}
