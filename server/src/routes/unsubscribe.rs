//! Email unsubscribe: the link in every email (`/unsubscribe/{token}`) shows a page with one
//! button; the button, or a mail client's one-click request (RFC 8058), opts the address out.
//! A GET never unsubscribes: link scanners open links in mail.

use super::booking_page::page;
use crate::clock::now_seconds;
use crate::html::escape_html;
use crate::state::AppState;
use crate::store::write_batch::WriteOutcome;
use crate::store::{messaging, outbox};
use crate::tokens::{hash_token, looks_like_token};
use crate::write_unit;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use slotwise_shared::model::PracticeId;

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not found",
        "<p class=\"card\">This unsubscribe link is not valid. Please use the link in the latest email from the practice, or contact them.</p>",
    )
}

fn unavailable() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Please try again",
        "<p class=\"card\">We could not update your preferences just now. Please try again in a minute.</p>",
    )
}

async fn practice_name(state: &AppState, practice_id: PracticeId) -> Result<String, sqlx::Error> {
    crate::store::practices::name_of(&state.db, practice_id).await
}

/// `GET /unsubscribe/{token}`: asks for confirmation.
#[utoipa::path(
    get,
    path = "/unsubscribe/{token}",
    operation_id = "get_unsubscribe_page",
    tag = "pages",
    summary = "The page behind an email's unsubscribe link (changes nothing)",
    params(("token" = String, Path, description = "The unsubscribe token from the email's link")),
    responses(
        (status = 200, description = "A page with one button that posts the unsubscribe", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (the database could not be read)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn confirm_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if !looks_like_token(&token) {
        return not_found();
    }
    let (practice_id, _) =
        match outbox::find_by_unsubscribe_token(&state.db, &hash_token(&token)).await {
            Ok(Some(found)) => found,
            Ok(None) => return not_found(),
            Err(_) => return unavailable(),
        };
    let Ok(name) = practice_name(&state, practice_id).await else {
        return unavailable();
    };
    page(
        StatusCode::OK,
        "Unsubscribe",
        &format!(
            "<div class=\"card\" style=\"padding:24px\"><h1 style=\"font-size:1.3rem;margin-top:0\">Stop emails from {name}?</h1>\
             <p>You will no longer get appointment emails from {name}. Text messages are not affected.</p>\
             <form method=\"post\"><button type=\"submit\" style=\"font:inherit;padding:10px 18px;border-radius:8px;border:0;background:#0f766e;color:#fff\">Unsubscribe</button></form></div>",
            name = escape_html(&name)
        ),
    )
}

/// `POST /unsubscribe/{token}`: opts the address out of the practice's emails.
#[utoipa::path(
    post,
    path = "/unsubscribe/{token}",
    operation_id = "unsubscribe_email",
    tag = "pages",
    summary = "Opt the address out of the practice's emails (also RFC 8058 one-click)",
    params(("token" = String, Path, description = "The unsubscribe token from the email's link")),
    responses(
        (status = 200, description = "A page confirming the address is unsubscribed", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (nothing was changed)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if !looks_like_token(&token) {
        return not_found();
    }
    let (practice_id, address) =
        match outbox::find_by_unsubscribe_token(&state.db, &hash_token(&token)).await {
            Ok(Some(found)) => found,
            Ok(None) => return not_found(),
            Err(_) => return unavailable(),
        };
    let now = now_seconds();
    let written = state
        .db
        .write(write_unit!(|conn| {
            messaging::suppress(
                conn,
                practice_id,
                "email",
                &address,
                "unsubscribe link",
                now,
            )
            .await?;
            crate::automations::opt_out(conn, practice_id, &address, now).await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await;
    let Ok(name) = practice_name(&state, practice_id).await else {
        return unavailable();
    };
    if written.is_err() {
        return unavailable();
    }
    page(
        StatusCode::OK,
        "Unsubscribed",
        &format!(
            "<p class=\"card\">You're unsubscribed. {} will not email you any more. To hear from them again, just ask the team.</p>",
            escape_html(&name)
        ),
    )
}
