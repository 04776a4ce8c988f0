//! Broadcasts for staff: preview exactly who a message would reach, send it, and look back at
//! who was sent what.

use super::local_time::{date_of, local_instant};
use super::PracticeAuth;
use crate::automations::broadcasts::{preview, recipients, send};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{idempotency_key, ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::broadcasts::{self as store, BroadcastRow, NewBroadcast, Selection};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::hex;
use crate::write_unit;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use slotwise_shared::automations::{
    BroadcastDetail, BroadcastFilter, BroadcastList, BroadcastPreview, BroadcastRecipient,
    BroadcastRequest, BroadcastTemplate, BroadcastView,
};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::error::{ErrorBody, ErrorCode};
use slotwise_shared::labels;
use slotwise_shared::messages::Channel;

const STATUSES: [&str; 5] = ["booked", "confirmed", "completed", "cancelled", "no_show"];
const UPCOMING: [&str; 2] = ["booked", "confirmed"];
/// Longest period one broadcast covers.
const MAX_DAYS: i64 = 92;

/// The filter's appointments as a selection (dates are the practice's, both included).
fn selection(catalog: &Catalog, f: &BroadcastFilter) -> ApiResult<Selection<'static>> {
    let mut fields = FieldErrors::new();
    let from = date_of(&f.from);
    let to = date_of(&f.to);
    if from.is_none() {
        fields.insert("filter.from".into(), "Use a date like 2026-12-01.".into());
    }
    if to.is_none() {
        fields.insert("filter.to".into(), "Use a date like 2026-12-01.".into());
    }
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            fields.insert("filter.to".into(), "End on or after the start date.".into());
        } else if (to - from).get_days() as i64 >= MAX_DAYS {
            fields.insert(
                "filter.to".into(),
                format!("A broadcast covers at most {MAX_DAYS} days."),
            );
        }
    }
    let statuses: &'static [&'static str] = match f.status.as_str() {
        "" => &UPCOMING,
        s => match STATUSES.iter().position(|&known| known == s) {
            Some(i) => &STATUSES[i..=i],
            None => {
                fields.insert(
                    "filter.status".into(),
                    "Choose one of the listed statuses.".into(),
                );
                &UPCOMING
            }
        },
    };
    if f.provider_id
        .is_some_and(|id| catalog.provider(id).is_none())
    {
        fields.insert(
            "filter.provider_id".into(),
            "Choose one of the practice's providers.".into(),
        );
    }
    if f.reason_id.is_some_and(|id| catalog.reason(id).is_none()) {
        fields.insert(
            "filter.reason_id".into(),
            "Choose one of the practice's reasons for visit.".into(),
        );
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::validation(fields));
    };
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    let tz = &catalog.practice.tz;
    let out_of_range = || ApiError::field("filter.to", "That date is out of range.");
    Ok(Selection {
        practice_id: catalog.practice.id,
        from: local_instant(from, 0, tz).ok_or_else(out_of_range)?,
        until: local_instant(to.tomorrow().map_err(|_| out_of_range())?, 0, tz)
            .ok_or_else(out_of_range)?,
        statuses,
        provider_id: f.provider_id,
        reason_id: f.reason_id,
    })
}

fn check_note(note: &str) -> ApiResult<()> {
    if note.chars().count() > 500 {
        return Err(ApiError::field(
            "note",
            "Keep the note under 500 characters.",
        ));
    }
    Ok(())
}

/// `POST /api/v1/admin/broadcasts/preview`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/broadcasts/preview",
    operation_id = "preview_broadcast",
    tag = "admin",
    summary = "Who a broadcast would reach (exact count) and sample messages",
    request_body = BroadcastRequest,
    responses(
        (status = 200, description = "The recipients the broadcast would reach now, and sample messages", body = BroadcastPreview),
        (status = 422, description = "The filter (dates, a period over 92 days, status, provider or reason) or a note over 500 characters does not pass (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn preview_broadcast(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(req): ApiJson<BroadcastRequest>,
) -> ApiResult<Json<BroadcastPreview>> {
    let catalog = state.catalog(&auth.slug).await?;
    let sel = selection(&catalog, &req.filter)?;
    check_note(&req.note)?;
    let mut conn = state.db.read.acquire().await?;
    let chosen = recipients(&mut conn, &catalog, &sel, req.filter.part_of_day).await?;
    let event = req.template.event();
    Ok(Json(
        preview(
            &mut conn,
            &catalog,
            &chosen,
            event,
            &req.note,
            &state.public_url(),
        )
        .await?,
    ))
}

/// Idempotency scope of sent broadcasts.
const SCOPE: &str = "broadcast";

/// The first answer to a key, or 422 when the key came with another broadcast.
fn replay(
    stored: StoredResponse,
    request_hash: &str,
) -> ApiResult<(StatusCode, Json<BroadcastView>)> {
    if stored.request_hash != request_hash {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was already used for a different broadcast.",
        ));
    }
    let view = serde_json::from_str(&stored.body).map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// How a send ended inside its transaction.
enum Sent {
    New(Box<BroadcastView>),
    /// The key was used before: its first answer.
    Replay(StoredResponse),
}

/// `POST /api/v1/admin/broadcasts` (optionally with `Idempotency-Key`): selects the
/// recipients again (as the preview did) and queues one message per appointment and channel,
/// with the record, in one transaction. The same key again answers the first broadcast.
#[utoipa::path(
    post,
    path = "/api/v1/admin/broadcasts",
    operation_id = "send_broadcast",
    tag = "admin",
    summary = "Send a broadcast through the outbox",
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 128, pattern = "^[!-~]+$",
            description = "Optional: 1 to 128 visible ASCII characters; the same key again answers the first broadcast instead of sending another"),
    ),
    request_body = BroadcastRequest,
    responses(
        (status = 201, description = "The broadcast, its messages queued (or the first answer to this Idempotency-Key)", body = BroadcastView),
        (status = 400, description = "The Idempotency-Key is not 1 to 128 visible ASCII characters (`bad_request`)", body = ErrorBody),
        (status = 409, description = "A broadcast with this Idempotency-Key is being sent in another request", body = ErrorBody),
        (status = 422, description = "The filter (dates, a period over 92 days, status, provider or reason) or a note over 500 characters does not pass (`validation_failed`), or the Idempotency-Key was already used for a different broadcast (`idempotency_key_reused`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn send_broadcast(
    State(state): State<AppState>,
    auth: PracticeAuth,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BroadcastRequest>,
) -> ApiResult<(StatusCode, Json<BroadcastView>)> {
    let key = idempotency_key(&headers)?;
    let request_hash = hex(&Sha256::digest(
        serde_json::to_vec(&req).map_err(ApiError::internal)?,
    ));
    if let Some(key) = &key {
        let mut conn = state.db.read.acquire().await?;
        if let Some(stored) = idempotency::find(&mut conn, auth.practice_id, SCOPE, key).await? {
            return replay(stored, &request_hash);
        }
    }
    let catalog = state.catalog(&auth.slug).await?;
    let sel = selection(&catalog, &req.filter)?;
    check_note(&req.note)?;
    let filter = serde_json::to_string(&req.filter).map_err(ApiError::internal)?;
    let (actor, public_url, now) = (auth.actor.clone(), state.public_url(), now_seconds());
    let catalog_copy = catalog.clone();
    let part = req.filter.part_of_day;
    let event = req.template.event();
    let note = req.note.clone();
    let template = req.template.as_str();
    let hash = request_hash.clone();
    let sent = state
        .db
        .write(write_unit!(|conn| {
            if let Some(key) = &key {
                if let Some(stored) = idempotency::find(conn, sel.practice_id, SCOPE, key).await? {
                    return Ok(WriteOutcome::Rollback(Sent::Replay(stored)));
                }
            }
            let chosen = recipients(conn, &catalog_copy, &sel, part).await?;
            let record = NewBroadcast {
                practice_id: sel.practice_id,
                template,
                filter: &filter,
                note: note.trim(),
                created_by: &actor,
            };
            let (id, recipients, messages) = send(
                conn,
                &catalog_copy,
                &chosen,
                &record,
                event,
                &public_url,
                now,
            )
            .await?;
            crate::store::staff::audit(
                conn,
                sel.practice_id,
                &actor,
                "broadcast.send",
                &format!("broadcast {id}: {recipients} appointments, {messages} messages"),
                now,
            )
            .await?;
            let Some(row) = store::find(conn, sel.practice_id, id).await? else {
                return Err(sqlx::Error::RowNotFound);
            };
            let answer = view(row);
            if let Some(key) = &key {
                let stored = StoredResponse {
                    request_hash: hash,
                    status: StatusCode::CREATED.as_u16(),
                    body: serde_json::to_string(&answer)
                        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?,
                };
                idempotency::save(conn, sel.practice_id, SCOPE, key, &stored, now).await?;
            }
            Ok(WriteOutcome::Commit(Sent::New(Box::new(answer))))
        }))
        .await
        .map_err(|e| {
            if crate::store::db::is_unique_violation(&e) {
                ApiError::conflict("This broadcast is being sent in another request.")
            } else {
                ApiError::from(e)
            }
        })?;
    match sent {
        Sent::New(view) => {
            state.outbox.wake();
            Ok((StatusCode::CREATED, Json(*view)))
        }
        Sent::Replay(stored) => replay(stored, &request_hash),
    }
}

fn view(row: BroadcastRow) -> BroadcastView {
    BroadcastView {
        id: row.id,
        template: BroadcastTemplate::parse(&row.template)
            .unwrap_or(BroadcastTemplate::AppointmentReminder),
        filter: serde_json::from_str(&row.filter).unwrap_or_default(),
        note: row.note,
        recipients: row.recipients,
        messages: row.messages,
        sent: row.sent,
        not_sent: row.not_sent,
        created_by: row.created_by,
        created_at: Timestamp::from_second(row.created_at).unwrap_or(Timestamp::UNIX_EPOCH),
    }
}

/// `GET /api/v1/admin/broadcasts`: the latest 100.
#[utoipa::path(
    get,
    path = "/api/v1/admin/broadcasts",
    operation_id = "list_broadcasts",
    tag = "admin",
    summary = "Sent broadcasts",
    responses(
        (status = 200, description = "The latest 100 broadcasts", body = BroadcastList),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn list_broadcasts(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<BroadcastList>> {
    let mut conn = state.db.read.acquire().await?;
    let rows = store::list(&mut conn, auth.practice_id).await?;
    Ok(Json(BroadcastList {
        broadcasts: rows.into_iter().map(view).collect(),
    }))
}

/// `GET /api/v1/admin/broadcasts/{id}`: the broadcast and each message it queued.
#[utoipa::path(
    get,
    path = "/api/v1/admin/broadcasts/{id}",
    operation_id = "get_broadcast",
    tag = "admin",
    summary = "One broadcast and who was sent what",
    params(("id" = i64, Path, description = "The broadcast's id")),
    responses(
        (status = 200, description = "The broadcast and each message it queued", body = BroadcastDetail),
        (status = 404, description = "No such broadcast in the practice", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn show_broadcast(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<BroadcastDetail>> {
    let catalog = state.catalog(&auth.slug).await?;
    let mut conn = state.db.read.acquire().await?;
    let row = store::find(&mut conn, auth.practice_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("broadcast"))?;
    let recipients = store::messages(&mut conn, id)
        .await?
        .into_iter()
        .map(
            |(appointment_id, first, last, starts_at, channel, recipient, status)| {
                BroadcastRecipient {
                    appointment_id,
                    patient_name: format!("{first} {last}"),
                    when: Timestamp::from_second(starts_at)
                        .map(|t| labels::full_label(t, &catalog.practice.tz))
                        .unwrap_or_default(),
                    channel: Channel::parse(&channel).unwrap_or(Channel::Sms),
                    recipient,
                    status,
                }
            },
        )
        .collect();
    Ok(Json(BroadcastDetail {
        broadcast: view(row),
        recipients,
    }))
}
