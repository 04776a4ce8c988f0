//! The JSON error body every endpoint answers with: `{code, message, fields?, alternatives?}`.

use crate::api::SlotOption;
use crate::procedures::ChainOption;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Field name → what is wrong with it, in words a patient understands.
pub type FieldErrors = BTreeMap<String, String>;

/// Machine-readable error codes. Clients branch on these, people read `message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON (400).
    MalformedJson,
    /// A required header or parameter is missing or malformed (400).
    BadRequest,
    /// JSON of the wrong shape: wrong types, missing fields (422).
    InvalidBody,
    /// Values that break a rule; see `fields` (422).
    ValidationFailed,
    /// Unknown practice, booking, reason, provider, carrier or hold (404).
    NotFound,
    /// The time is not (or no longer) free; see `alternatives` (409).
    SlotUnavailable,
    /// The booking can no longer be changed this way (409).
    Conflict,
    /// The hold ran out before the booking was completed; see `alternatives` (410).
    HoldExpired,
    /// The same Idempotency-Key was sent with a different body (422).
    IdempotencyKeyReused,
    /// A one-time code ran out or was already used; ask for a new one (410).
    CodeExpired,
    /// A personal booking link ran out or was already used; book the ordinary way (410).
    LinkExpired,
    /// Too many wrong one-time codes; ask for a new one (429).
    TooManyAttempts,
    /// Too many requests from this client; try again shortly (429).
    RateLimited,
    /// The body is larger than any valid request (413).
    PayloadTooLarge,
    /// The body is not `application/json` (415).
    UnsupportedMediaType,
    /// No valid API key or staff session (401).
    Unauthorized,
    /// The request is not allowed (403), e.g. a webhook whose signature does not match.
    Forbidden,
    /// The practice's own scheduling system did not take the booking (503).
    PracticeSystemUnavailable,
    /// Something failed on our side; details are in the server log only (500).
    Internal,
    /// A code this client version does not know yet.
    #[serde(other)]
    Unknown,
}

/// The error body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
    /// Other free times, on `slot_unavailable` and `hold_expired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<Vec<SlotOption>>,
    /// Other chains of free times, when a procedure's chain is taken or its hold ran out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chains: Option<Vec<ChainOption>>,
}

impl ErrorBody {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            fields: None,
            alternatives: None,
            chains: None,
        }
    }
}
