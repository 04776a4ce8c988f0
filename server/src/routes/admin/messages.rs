//! Outbox messages for staff: the list (failed ones with their reason), correcting a patient's
//! contact details, and sending a message again.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::store::messaging;
use crate::store::outbox::{self, MessageRow};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::lang;
use slotwise_shared::messages::{
    Channel, ContactUpdate, MessageEvent, MessageList, MessageStatus, MessageView,
};
use slotwise_shared::model::PatientId;
use slotwise_shared::validate::normalize_email;

/// Query of `GET messages`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only messages of this status (`dead` for failed messages).
    #[param(pattern = "^(queued|sending|sent|failed|dead|cancelled|suppressed)?$")]
    status: Option<String>,
    /// How many messages (default 100; below 1 counts as 1, above 500 as 500).
    limit: Option<i64>,
}

/// A code message's text as staff see it: the code masked (it belongs to the patient alone).
fn shown_text(event: &str, text: Option<String>) -> Option<String> {
    if event != MessageEvent::VerificationCode.as_str() {
        return text;
    }
    text.map(|t| mask_digit_runs(&t))
}

/// Replaces every run of six or more digits (a one-time code) with a mask.
fn mask_digit_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() >= 6 {
            out.push_str(crate::jobs::forget_codes::MASK);
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

fn view(row: MessageRow) -> MessageView {
    MessageView {
        id: row.id,
        event: MessageEvent::parse(&row.event).unwrap_or(MessageEvent::Confirmation),
        channel: Channel::parse(&row.channel).unwrap_or(Channel::Sms),
        recipient: row.recipient,
        status: MessageStatus::parse(&row.status),
        attempts: row.attempts,
        last_error: row.last_error,
        provider_message_id: row.provider_message_id,
        possible_duplicate: row.possible_duplicate != 0,
        patient_id: row.patient_id.map(i64::from),
        reference: row.reference,
        send_after: Timestamp::from_second(row.send_after).unwrap_or(Timestamp::UNIX_EPOCH),
        created_at: Timestamp::from_second(row.created_at).unwrap_or(Timestamp::UNIX_EPOCH),
        subject: shown_text(&row.event, row.subject),
        body: shown_text(&row.event, row.body),
    }
}

/// `GET /api/v1/admin/messages?status=dead&limit=100`, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/admin/messages",
    operation_id = "list_messages",
    tag = "admin",
    summary = "Messages (status=dead: failed)",
    params(ListQuery),
    responses(
        (status = 200, description = "The practice's messages, newest first (one-time codes masked)", body = MessageList),
        (status = 400, description = "`status` is not one of queued, sending, sent, failed, dead, cancelled, suppressed (`bad_request`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<MessageList>> {
    let status =
        match query.status.as_deref() {
            None | Some("") => None,
            Some(s) if MessageStatus::parse(s) != MessageStatus::Unknown => Some(s),
            Some(_) => return Err(ApiError::bad_request(
                "status must be one of queued, sending, sent, failed, dead, cancelled, suppressed.",
            )),
        };
    let limit = query.limit.unwrap_or(100).clamp(1, 500);
    let rows = outbox::list(&state.db, auth.practice_id, status, limit).await?;
    Ok(Json(MessageList {
        messages: rows.into_iter().map(view).collect(),
    }))
}

/// `POST /api/v1/admin/messages/{id}/resend`: queues a dead, suppressed or sent message again,
/// to the patient's current phone or email.
#[utoipa::path(
    post,
    path = "/api/v1/admin/messages/{id}/resend",
    operation_id = "resend_message",
    tag = "admin",
    summary = "Send a message again",
    params(("id" = i64, Path, description = "The message's id")),
    responses(
        (status = 200, description = "The message, queued again to the patient's current phone or email", body = MessageView),
        (status = 404, description = "No such message in the practice", body = ErrorBody),
        (status = 409, description = "A one-time code (never sent again), or a message that is not dead, suppressed or sent", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn resend(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MessageView>> {
    let (practice_id, now) = (auth.practice_id, now_seconds());
    let outcome = state
        .db
        .write(write_unit!(|conn| {
            let Some(row) = outbox::find(conn, practice_id, id).await? else {
                return Ok(WriteOutcome::Rollback(Err(ApiError::not_found("message"))));
            };
            if row.event == MessageEvent::VerificationCode.as_str() {
                return Ok(WriteOutcome::Rollback(Err(ApiError::conflict(
                    "A one-time code is sent once: the patient asks for a new one.",
                ))));
            }
            let mut recipient = row.recipient.clone();
            if let Some(patient_id) = row.patient_id {
                if let Some((_, phone, email)) =
                    messaging::patient_contact(conn, practice_id, patient_id).await?
                {
                    recipient = match Channel::parse(&row.channel) {
                        Some(Channel::Email) => email,
                        _ => phone,
                    };
                }
            }
            if !outbox::requeue(conn, practice_id, id, &recipient, now).await? {
                return Ok(WriteOutcome::Rollback(Err(ApiError::conflict(
                    "Only dead, suppressed or sent messages can be sent again.",
                ))));
            }
            let again = outbox::find(conn, practice_id, id).await?;
            Ok(WriteOutcome::Commit(
                again.ok_or_else(|| ApiError::not_found("message")),
            ))
        }))
        .await??;
    state.outbox.wake();
    super::change::record(&state, &auth, "message.resend", format!("message {id}")).await?;
    Ok(Json(view(outcome)))
}

/// `PUT /api/v1/admin/patients/{id}/contact`: corrects a phone number or email address.
#[utoipa::path(
    put,
    path = "/api/v1/admin/patients/{id}/contact",
    operation_id = "update_patient_contact",
    tag = "admin",
    summary = "Correct a patient's phone or email",
    params(("id" = PatientId, Path, description = "The patient's id")),
    request_body = ContactUpdate,
    responses(
        (status = 200, description = "What was saved, normalised (a field not sent stays null and unchanged)", body = ContactUpdate),
        (status = 404, description = "No such patient in the practice", body = ErrorBody),
        (status = 422, description = "An invalid phone number or email address, or neither sent (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn update_contact(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(patient_id): ApiPath<PatientId>,
    ApiJson(update): ApiJson<ContactUpdate>,
) -> ApiResult<Json<ContactUpdate>> {
    let mut fields = FieldErrors::new();
    // Staff type numbers as the practice's patients do: national ones in its country.
    let country = state.catalog(&auth.slug).await?.practice.country.clone();
    let phone = match update.phone.as_deref() {
        None => None,
        Some(p) => crate::phone::to_e164(p, &country)
            .map_err(|m| fields.insert("phone".into(), lang::DEFAULT.render(&m)))
            .ok(),
    };
    let email = match update.email.as_deref() {
        None => None,
        Some(e) => normalize_email(e)
            .map_err(|m| fields.insert("email".into(), lang::DEFAULT.render(m)))
            .ok(),
    };
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    if phone.is_none() && email.is_none() {
        return Err(ApiError::field(
            "phone",
            "Send a phone number or an email address.",
        ));
    }
    let practice_id = auth.practice_id;
    let (p, e) = (phone.clone(), email.clone());
    let found = state
        .db
        .write(write_unit!(|conn| {
            let found = messaging::update_patient_contact(
                conn,
                practice_id,
                patient_id,
                p.as_deref(),
                e.as_deref(),
            )
            .await?;
            Ok(WriteOutcome::Commit(found))
        }))
        .await?;
    if !found {
        return Err(ApiError::not_found("patient"));
    }
    super::change::record(
        &state,
        &auth,
        "patient.contact",
        format!("patient {patient_id}"),
    )
    .await?;
    Ok(Json(ContactUpdate { phone, email }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_masked_and_other_numbers_kept() {
        assert_eq!(
            mask_digit_runs("Your code is 123456. Questions? Call 555 0101."),
            "Your code is ••••••. Questions? Call 555 0101."
        );
        assert_eq!(mask_digit_runs("123456"), "••••••");
        assert_eq!(
            shown_text("confirmation", Some("ref 1234567".into())).as_deref(),
            Some("ref 1234567")
        );
    }
}
