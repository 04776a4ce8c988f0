//! Signing in and out of the staff console, and who is signed in.

use super::session_cookie::{clear_cookie, set_cookie, token_of, SESSION_SECONDS};
use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::rate_limit::ClientAddr;
use crate::staff::sign_in::{sign_in, NewSession, SignInError};
use crate::state::AppState;
use crate::store::staff::{self, SessionRow};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::hash_token;
use crate::write_unit;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use slotwise_shared::admin::{LoginRequest, SessionView, StaffRole, StaffView};
use slotwise_shared::error::{ErrorBody, ErrorCode};

fn wrong_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
        "That email and password do not match an account.",
    )
}

fn locked(minutes: i64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        format!(
            "Too many failed sign-ins. This account is locked for {minutes} more minute{}.",
            if minutes == 1 { "" } else { "s" }
        ),
    )
}

fn view(session: &SessionRow) -> SessionView {
    SessionView {
        staff: StaffView {
            id: session.staff_id,
            email: session.email.clone(),
            name: session.name.clone(),
            role: StaffRole::parse(&session.role).unwrap_or(StaffRole::FrontDesk),
            disabled: false,
        },
        practice_slug: session.slug.clone(),
        practice_name: session.practice_name.clone(),
        timezone: session.timezone.clone(),
        csrf_token: session.csrf_token.clone(),
    }
}

/// `POST /api/v1/admin/session`: signs in; the session cookie is HttpOnly, Secure and
/// SameSite=Strict. Five failures in a row lock the account for 15 minutes (decided in
/// `staff::sign_in`, one atomic claim per attempt); a disabled account cannot sign in.
#[utoipa::path(
    post,
    path = "/api/v1/admin/session",
    operation_id = "sign_in",
    tag = "admin",
    summary = "Sign in (sets the HttpOnly session cookie)",
    request_body = LoginRequest,
    responses(
        (
            status = 200,
            description = "Signed in; send the session's `csrf_token` as `X-CSRF-Token` on every change",
            body = SessionView,
            headers((
                "Set-Cookie" = String,
                description = "The session cookie `slotwise_staff` (HttpOnly, Secure, SameSite=Strict, Path=/, Max-Age=43200)"
            )),
        ),
        (status = 401, description = "The email and password do not match an active account", body = ErrorBody),
        (status = 429, description = "Too many sign-in attempts from this client, or the account is locked after five failures in a row", body = ErrorBody),
        (status = 503, description = "Too many sign-ins being checked at once; try again shortly", body = ErrorBody),
    ),
)]
pub async fn login(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    if !state.logins.allows(client) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many sign-in attempts from here. Please wait a minute.",
        ));
    }
    let email = req.email.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 || req.password.len() > 1024 {
        return Err(wrong_credentials());
    }
    let now = now_seconds();
    let NewSession { token, token_hash } = sign_in(
        &state.db,
        &state.decoys,
        &email,
        req.password,
        now,
        SESSION_SECONDS,
    )
    .await
    .map_err(|e| match e {
        SignInError::Wrong => wrong_credentials(),
        SignInError::Locked { minutes } => locked(minutes),
        SignInError::Busy => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal,
            "Many people are signing in right now. Please try again in a moment.",
        ),
        SignInError::Database(e) => ApiError::from(e),
    })?;
    let session = staff::session(&state.db, &token_hash, now)
        .await?
        .ok_or_else(|| ApiError::internal("a new session could not be read back"))?;
    let mut response = Json(view(&session)).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(&token));
    Ok(response)
}

/// `GET /api/v1/admin/session`: the signed-in staff member (and the CSRF token).
#[utoipa::path(
    get,
    path = "/api/v1/admin/session",
    operation_id = "get_session",
    tag = "admin",
    summary = "Who is signed in, with the CSRF token",
    security(("bearerAuth" = ["front_desk"])),
    responses(
        (status = 200, description = "The signed-in staff member and the session's CSRF token", body = SessionView),
        (status = 404, description = "The caller used an API key, which has no session", body = ErrorBody),
    ),
)]
pub async fn current(auth: PracticeAuth) -> ApiResult<Json<SessionView>> {
    let session = auth.session.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "API keys have no session.",
        )
    })?;
    Ok(Json(view(session)))
}

/// `DELETE /api/v1/admin/session`: signs out (the session ends on the server too).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/session",
    operation_id = "sign_out",
    tag = "admin",
    summary = "Sign out",
    security(("bearerAuth" = ["front_desk"])),
    responses(
        (
            status = 204,
            description = "Signed out; the session ends on the server and the cookie is cleared",
            headers((
                "Set-Cookie" = String,
                description = "Clears the session cookie `slotwise_staff` (Max-Age=0)"
            )),
        ),
    ),
)]
pub async fn logout(
    State(state): State<AppState>,
    auth: PracticeAuth,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = token_of(&headers) {
        let (hash, practice_id, actor) = (hash_token(&token), auth.practice_id, auth.actor);
        let now = now_seconds();
        state
            .db
            .write(write_unit!(|conn| {
                staff::end_session(conn, &hash).await?;
                staff::audit(conn, practice_id, &actor, "session.logout", "", now).await?;
                Ok(WriteOutcome::Commit(()))
            }))
            .await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    Ok(response)
}
