//! The patient's side of patient records: the returning-patient lookup and its code, and the
//! appointment request of practices that book existing patients only.

use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{idempotency_key, ApiJson, ApiPath};
use crate::patients::codes::{issue_code, lookup_accepted, normalize_contact, verify_code};
use crate::state::AppState;
use crate::store::booking_queue::{self, NewEntry};
use crate::store::db::is_unique_violation;
use crate::store::idempotency::{self, StoredResponse};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::hex;
use crate::write_unit;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use slotwise_shared::error::{ErrorBody, ErrorCode};
use slotwise_shared::lang;
use slotwise_shared::patients::{
    AppointmentRequest, LookupAccepted, LookupRequest, Queued, VerifiedHousehold, VerifyRequest,
};
use slotwise_shared::validate::{check_request, normalize_email};

/// `POST patients/lookup`: 202 with the same body for every well-formed contact. Whether the
/// contact is on file is looked at after answering, so neither the answer nor its timing tells.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/patients/lookup",
    operation_id = "lookup_patient",
    tag = "patients",
    summary = "Send a returning patient a one-time code",
    params(("slug" = String, Path, description = "The practice's booking slug")),
    request_body = LookupRequest,
    responses(
        (status = 202, description = "The same answer for every well-formed contact: a code was sent \
            if the contact is on file", body = LookupAccepted),
        (status = 404, description = "Unknown practice", body = ErrorBody),
        (status = 422, description = "The contact is neither a phone number nor an email address \
            (`validation_failed`, `fields.contact`), or a body of the wrong shape (`invalid_body`)", body = ErrorBody),
    ),
)]
pub async fn lookup(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<LookupRequest>,
) -> ApiResult<(StatusCode, Json<LookupAccepted>)> {
    let catalog = state.catalog(&slug).await?;
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let contact = normalize_contact(&req.contact, &catalog.practice.country)
        .map_err(|e| e.in_language(language))?;
    let (db, wake) = (state.db.clone(), state.outbox.clone());
    // The code is written in the language the patient is reading, when they chose one.
    let chosen = req.lang.as_deref().and_then(lang::find);
    tokio::spawn(async move {
        match issue_code(&db, &catalog, contact, chosen).await {
            Ok(()) => wake.wake(),
            Err(err) => tracing::warn!(error = %err, "could not issue a patient code"),
        }
    });
    Ok((StatusCode::ACCEPTED, Json(lookup_accepted(language))))
}

/// `POST patients/verify`: the household and a booking session for the right code; 422 for a
/// wrong one (with the tries left), 429 after five, 410 once it expired or was used.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/patients/verify",
    operation_id = "verify_patient",
    tag = "patients",
    summary = "Check a one-time code: the household and a booking session",
    params(("slug" = String, Path, description = "The practice's booking slug")),
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "The contact's household and a `patient_session` to book with", body = VerifiedHousehold),
        (status = 404, description = "Unknown practice", body = ErrorBody),
        (status = 410, description = "The code expired or was already used (`code_expired`)", body = ErrorBody),
        (status = 422, description = "A malformed contact or code, or a wrong code with the tries \
            left (`validation_failed`, `fields.contact`, `fields.code`), or a body of the wrong shape \
            (`invalid_body`)", body = ErrorBody),
        (status = 429, description = "Five wrong codes: the contact is locked for 15 minutes \
            (`too_many_attempts`), or too many requests from this client (`rate_limited`)", body = ErrorBody),
    ),
)]
pub async fn verify(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> ApiResult<Json<VerifiedHousehold>> {
    let catalog = state.catalog(&slug).await?;
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    Ok(Json(
        verify_code(&state.db, &catalog, &req.contact, &req.code)
            .await
            .map_err(|e| e.in_language(language))?,
    ))
}

const REQUEST_SCOPE: &str = "appointment_request";

/// `POST appointment-requests` (Idempotency-Key required): 202, the request is in the booking
/// queue and the team calls back.
#[utoipa::path(
    post,
    path = "/api/v1/practices/{slug}/appointment-requests",
    operation_id = "create_appointment_request",
    tag = "patients",
    summary = "Ask the practice to call back and book a visit",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("Idempotency-Key" = String, Header, min_length = 1, max_length = 128, pattern = "^[!-~]+$",
            description = "1 to 128 visible ASCII characters, unique per request: a retry with the \
            same key and body answers the first response (required; missing or malformed is 400)"),
    ),
    request_body = AppointmentRequest,
    responses(
        (status = 202, description = "The request is in the booking queue; the team calls back", body = Queued),
        (status = 404, description = "Unknown practice", body = ErrorBody),
        (status = 409, description = "The same key is being sent in a concurrent request (`conflict`)", body = ErrorBody),
        (status = 422, description = "Details that do not pass, an unknown reason, phone or email \
            (`validation_failed`, see `fields`), this Idempotency-Key already used with another body \
            (`idempotency_key_reused`), or a body of the wrong shape (`invalid_body`)", body = ErrorBody),
    ),
)]
pub async fn request_appointment(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<AppointmentRequest>,
) -> ApiResult<Response> {
    let catalog = state.catalog(&slug).await?;
    let key = idempotency_key(&headers)?.ok_or_else(|| {
        ApiError::bad_request("Send an Idempotency-Key header so a retried request is sent once.")
    })?;
    let country = &catalog.practice.country;
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    check_request(&req, country)
        .map_err(|f| ApiError::validation(lang::render_fields(language, f)))?;
    if let Some(reason) = req.reason {
        if catalog.reason(reason).is_none() {
            return Err(ApiError::field(
                "reason",
                "Choose one of the listed reasons.",
            ));
        }
    }
    let phone = crate::phone::to_e164(&req.phone, country)
        .map_err(|m| ApiError::field("phone", &language.render(&m)))?;
    let email = if req.email.trim().is_empty() {
        String::new()
    } else {
        normalize_email(&req.email)
            .map_err(|m| ApiError::field("email", &language.render(m)))?
            .to_lowercase()
    };
    let request_hash = hex(&Sha256::digest(
        serde_json::to_vec(&req).map_err(ApiError::internal)?,
    ));
    let entry = NewEntry {
        kind: "request",
        first_name: req.first_name.trim().to_string(),
        last_name: req.last_name.trim().to_string(),
        phone,
        email,
        reason_id: req.reason,
        preference: preference_text(&req),
        detail: req.note.clone().unwrap_or_default().trim().to_string(),
        lang: req.lang.as_deref().and_then(lang::find).map(|l| l.code),
        ..NewEntry::default()
    };
    let answer = Queued {
        queued: true,
        message: language.say(
            "api.request.thanks",
            &[("practice", catalog.practice.name.as_str())],
        ),
        practice_phone: catalog.practice.phone.clone(),
    };
    let stored = StoredResponse {
        request_hash: request_hash.clone(),
        status: StatusCode::ACCEPTED.as_u16(),
        body: serde_json::to_string(&answer).map_err(ApiError::internal)?,
    };
    let (practice_id, now) = (catalog.practice.id, now_seconds());
    let lookup_key = key.clone();
    let written = state
        .db
        .write(write_unit!(|conn| {
            if let Some(earlier) = idempotency::find(conn, practice_id, REQUEST_SCOPE, &key).await?
            {
                return Ok(WriteOutcome::Rollback(Some(earlier)));
            }
            booking_queue::insert(conn, practice_id, &entry, now).await?;
            match idempotency::save(conn, practice_id, REQUEST_SCOPE, &key, &stored, now).await {
                Ok(()) => Ok(WriteOutcome::Commit(Some(stored))),
                // The same key in a concurrent request: its answer is this one's too.
                Err(e) if is_unique_violation(&e) => Ok(WriteOutcome::Rollback(None)),
                Err(e) => Err(e),
            }
        }))
        .await?;
    let written = match written {
        Some(answer) => answer,
        None => {
            let mut read = state.db.read.acquire().await?;
            idempotency::find(&mut read, practice_id, REQUEST_SCOPE, &lookup_key)
                .await?
                .ok_or_else(|| {
                    ApiError::conflict("This request is being sent in another request.")
                })?
        }
    };
    if written.request_hash != request_hash {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was already used for a different request.",
        ));
    }
    let status = StatusCode::from_u16(written.status).unwrap_or(StatusCode::ACCEPTED);
    Ok((
        status,
        [(header::CONTENT_TYPE, "application/json")],
        written.body,
    )
        .into_response())
}

/// `Days: Monday, Tuesday. Times: morning.` as staff read it in the queue.
fn preference_text(req: &AppointmentRequest) -> String {
    let words = |items: &[String], any: &str| {
        if items.is_empty() {
            any.to_string()
        } else {
            items
                .iter()
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    format!(
        "Days: {}. Times: {}.",
        words(&req.preferred_days, "any day"),
        words(&req.times_of_day, "any time").to_lowercase()
    )
}
