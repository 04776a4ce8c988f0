//! Who is calling the admin API: a staff session (cookie; changes must carry the session's
//! CSRF token) or a practice API key (`Authorization: Bearer <key>`, acting with the key's
//! role). Either names the practice; missing, unknown or revoked credentials and sessions of
//! disabled accounts answer 401 and reveal nothing.

use super::session_cookie::{csrf_matches, token_of};
use crate::api_keys::authenticate;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::staff::{self, SessionRow};
use crate::tokens::hash_token;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use slotwise_shared::admin::StaffRole;
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::PracticeId;

/// The practice the caller acts for, and with what rights.
#[derive(Clone, Debug)]
pub struct PracticeAuth {
    pub practice_id: PracticeId,
    pub slug: String,
    pub role: StaffRole,
    /// Who, for the audit log: the staff member's email, or "api key {id}".
    pub actor: String,
    /// The staff session, when signed in through the console.
    pub session: Option<SessionRow>,
    /// The API key making the request, when it came with one.
    pub api_key_id: Option<i64>,
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
        "Please sign in (or send a practice API key as `Authorization: Bearer <key>`).",
    )
}

impl PracticeAuth {
    /// 403 unless the caller's role is at least `role`.
    pub fn require(&self, role: StaffRole) -> ApiResult<()> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                format!(
                    "Your role ({}) cannot do this; ask a practice {}.",
                    self.role.label().to_lowercase(),
                    role.label().to_lowercase()
                ),
            ))
        }
    }
}

impl FromRequestParts<AppState> for PracticeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let key = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(unauthorized)?;
            let key = authenticate(&state.db, key)
                .await?
                .ok_or_else(unauthorized)?;
            return Ok(PracticeAuth {
                practice_id: key.practice_id,
                slug: key.slug,
                role: key.role,
                actor: format!("api key {}", key.key_id),
                session: None,
                api_key_id: Some(key.key_id),
            });
        }
        let token = token_of(&parts.headers).ok_or_else(unauthorized)?;
        if token.len() > 100 {
            return Err(unauthorized());
        }
        let session = staff::session(&state.db, &hash_token(&token), now_seconds())
            .await?
            .ok_or_else(unauthorized)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && !csrf_matches(&parts.headers, &session.csrf_token) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "This change is missing the page's security token. Reload the page and try again.",
            ));
        }
        Ok(PracticeAuth {
            practice_id: session.practice_id,
            slug: session.slug.clone(),
            role: StaffRole::parse(&session.role).unwrap_or(StaffRole::FrontDesk),
            actor: session.email.clone(),
            session: Some(session),
            api_key_id: None,
        })
    }
}
