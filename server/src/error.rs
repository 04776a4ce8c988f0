//! One error type for every handler: a status and the shared JSON error body. Domain errors
//! become answers here, and only here.
//! Internal failures are logged with their cause and answered with a generic message.

use crate::domain_error::DomainError;
use crate::store::db::is_retryable;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use slotwise_shared::api::SlotOption;
use slotwise_shared::error::{ErrorBody, ErrorCode, FieldErrors};
use slotwise_shared::lang::{self, Language};
use slotwise_shared::procedures::ChainOption;

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// Any status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody::new(code, message),
        }
    }

    /// 404 for anything the caller may not see or that does not exist.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("No such {what}."),
        )
    }

    /// 400 for a malformed header or parameter.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 422 with field errors.
    pub fn validation(fields: FieldErrors) -> Self {
        let mut err = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            "Some details need another look.",
        );
        err.body.fields = Some(fields);
        err
    }

    /// 422 for a single field.
    pub fn field(field: &str, message: &str) -> Self {
        Self::validation(FieldErrors::from([(
            field.to_string(),
            message.to_string(),
        )]))
    }

    /// 409: the time is not free; here are others.
    pub fn slot_unavailable(alternatives: Vec<SlotOption>) -> Self {
        let mut err = Self::new(
            StatusCode::CONFLICT,
            ErrorCode::SlotUnavailable,
            "Sorry, that time was just taken. Here are the next free times.",
        );
        err.body.alternatives = Some(alternatives);
        err
    }

    /// 409: a step of a procedure's chain is not free; here are other chains.
    pub fn chain_unavailable(chains: Vec<ChainOption>) -> Self {
        let mut err = Self::new(
            StatusCode::CONFLICT,
            ErrorCode::SlotUnavailable,
            "Sorry, that time was just taken. Here are the next free times.",
        );
        err.body.chains = Some(chains);
        err
    }

    /// 410: the hold ran out.
    pub fn hold_expired(alternatives: Vec<SlotOption>) -> Self {
        let mut err = Self::new(
            StatusCode::GONE,
            ErrorCode::HoldExpired,
            "The time we held for you has run out. Please pick a time again.",
        );
        err.body.alternatives = Some(alternatives);
        err
    }

    /// 409 for a change the booking's state does not allow.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, message)
    }

    /// 500. The cause is logged here and never sent.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "Something went wrong on our side. Please try again.",
        )
    }
}

impl ApiError {
    /// The answer in the patient's `language`: the words of the answers a patient meets (a
    /// time taken, a hold run out, details to fix, something not found, a busy moment, our
    /// fault), and any message or field error given as a text key.
    pub fn in_language(mut self, language: &Language) -> Self {
        let key = match self.body.code {
            ErrorCode::SlotUnavailable => Some("api.error.slot_taken".to_string()),
            ErrorCode::HoldExpired => Some("api.error.hold_expired".to_string()),
            ErrorCode::ValidationFailed => Some("api.error.check_fields".to_string()),
            ErrorCode::Internal if self.status == StatusCode::SERVICE_UNAVAILABLE => {
                Some("api.error.busy".to_string())
            }
            ErrorCode::Internal => Some("api.error.ours".to_string()),
            ErrorCode::NotFound => self
                .body
                .message
                .strip_prefix("No such ")
                .and_then(|m| m.strip_suffix('.'))
                .map(|what| format!("api.not_found.{}", what.replace(' ', "_"))),
            _ => None,
        };
        self.body.message = match key.as_deref().and_then(|k| language.text(k)) {
            Some(words) => words.to_string(),
            None => language.render(&self.body.message),
        };
        if let Some(fields) = self.body.fields.take() {
            self.body.fields = Some(lang::render_fields(language, fields));
        }
        self
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        // A full pool, or PostgreSQL giving up a transaction to break a deadlock: nothing was
        // written, and trying again is the right answer.
        if matches!(err, sqlx::Error::PoolTimedOut) || is_retryable(&err) {
            tracing::warn!(error = %err, "database busy; asked the client to retry");
            return Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Internal,
                "We are very busy right now. Please try again in a moment.",
            );
        }
        Self::internal(err)
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound(what) => Self::not_found(what),
            DomainError::Invalid(fields) => Self::validation(fields),
            DomainError::Taken(alternatives) => Self::slot_unavailable(alternatives),
            DomainError::ChainTaken(chains) => Self::chain_unavailable(chains),
            DomainError::ChainExpired(chains) => {
                let mut err = Self::hold_expired(Vec::new());
                err.body.alternatives = None;
                err.body.chains = Some(chains);
                err
            }
            DomainError::HoldExpired(alternatives) => Self::hold_expired(alternatives),
            DomainError::Conflict(message) => Self::conflict(message),
            DomainError::KeyReused => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was already used for a different booking.",
            ),
            DomainError::Expired { code, message } => Self::new(StatusCode::GONE, code, message),
            DomainError::TooManyTries(message) => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyAttempts,
                message,
            ),
            DomainError::SystemDown(message) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::PracticeSystemUnavailable,
                message,
            ),
            DomainError::Database(err) => err.into(),
            DomainError::Internal(err) => err.into(),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::internal(format!("{err:#}"))
    }
}

impl IntoResponse for ApiError {
    /// Text keys no route wrote out in the patient's language are answered in English.
    fn into_response(mut self) -> Response {
        self.body.message = lang::DEFAULT.render(&self.body.message);
        if let Some(fields) = self.body.fields.take() {
            self.body.fields = Some(lang::render_fields(lang::DEFAULT, fields));
        }
        let mut response = (self.status, Json(self.body)).into_response();
        if self.status == StatusCode::TOO_MANY_REQUESTS
            || self.status == StatusCode::SERVICE_UNAVAILABLE
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}
