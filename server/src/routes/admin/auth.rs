//! Who is calling the practice API: `Authorization: Bearer <API key>` names the practice.
//! Missing or unknown credentials answer 401 and reveal nothing.

use crate::api_keys::practice_for_key;
use crate::error::ApiError;
use crate::startup::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use slotwise_shared::error::ErrorCode;

/// The practice the caller acts for.
#[derive(Clone, Debug)]
pub struct PracticeAuth {
    pub practice_id: i64,
    pub slug: String,
}

impl FromRequestParts<AppState> for PracticeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "Sign in, or send a practice API key as `Authorization: Bearer <key>`.",
            )
        };
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(unauthorized)?;
        let (practice_id, slug) = practice_for_key(&state.db, key)
            .await?
            .ok_or_else(unauthorized)?;
        Ok(PracticeAuth { practice_id, slug })
    }
}
