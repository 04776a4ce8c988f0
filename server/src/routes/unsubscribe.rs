//! Email unsubscribe: the link in every email (`/unsubscribe/{token}`) shows a page with one
//! button; the button, or a mail client's one-click request (RFC 8058), opts the address out.
//! A GET never unsubscribes: link scanners open links in mail.

use super::booking_page::{card, page};
use crate::clock::now_seconds;
use crate::extract::PageLanguage;
use crate::html::escape_html;
use crate::state::AppState;
use crate::store::write_batch::WriteOutcome;
use crate::store::{messaging, outbox};
use crate::tokens::{hash_token, looks_like_token};
use crate::write_unit;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use slotwise_shared::lang::Language;
use slotwise_shared::model::PracticeId;

fn not_found(language: &Language) -> Response {
    page(
        StatusCode::NOT_FOUND,
        language,
        &language.say("page.link_not_found.title", &[]),
        &card(&language.say("unsubscribe.not_found", &[])),
    )
}

fn unavailable(language: &Language) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        language,
        &language.say("page.try_again.title", &[]),
        &card(&language.say("unsubscribe.unavailable", &[])),
    )
}

/// The practice's name and the language to write to its patient in.
async fn practice_of(
    state: &AppState,
    practice_id: PracticeId,
    asked: &PageLanguage,
) -> Result<(String, &'static Language), sqlx::Error> {
    let (name, default_lang) =
        crate::store::practices::name_and_language_of(&state.db, practice_id).await?;
    Ok((name, asked.choose(&default_lang)))
}

/// `GET /unsubscribe/{token}`: asks for confirmation.
#[utoipa::path(
    get,
    path = "/unsubscribe/{token}",
    operation_id = "get_unsubscribe_page",
    tag = "pages",
    summary = "The page behind an email's unsubscribe link (changes nothing)",
    params(
        ("token" = String, Path, description = "The unsubscribe token from the email's link"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "A page with one button that posts the unsubscribe", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (the database could not be read)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn confirm_page(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path(token): Path<String>,
) -> Response {
    let fallback = asked.choose("en");
    if !looks_like_token(&token) {
        return not_found(fallback);
    }
    let (practice_id, _) =
        match outbox::find_by_unsubscribe_token(&state.db, &hash_token(&token)).await {
            Ok(Some(found)) => found,
            Ok(None) => return not_found(fallback),
            Err(_) => return unavailable(fallback),
        };
    let Ok((name, language)) = practice_of(&state, practice_id, &asked).await else {
        return unavailable(fallback);
    };
    let practice = [("practice", name.as_str())];
    let say = |key: &str| escape_html(&language.say(key, &practice));
    page(
        StatusCode::OK,
        language,
        &language.say("unsubscribe.title", &[]),
        &format!(
            "<div class=\"card\" style=\"padding:24px\"><h1 style=\"font-size:1.3rem;margin-top:0\">{heading}</h1>\
             <p>{explain}</p>\
             <form method=\"post\"><button type=\"submit\" style=\"font:inherit;padding:10px 18px;border-radius:8px;border:0;background:#0f766e;color:#fff\">{button}</button></form></div>",
            heading = say("unsubscribe.heading"),
            explain = say("unsubscribe.explain"),
            button = say("unsubscribe.button"),
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
    params(
        ("token" = String, Path, description = "The unsubscribe token from the email's link"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "A page confirming the address is unsubscribed", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (nothing was changed)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path(token): Path<String>,
) -> Response {
    let fallback = asked.choose("en");
    if !looks_like_token(&token) {
        return not_found(fallback);
    }
    let (practice_id, address) =
        match outbox::find_by_unsubscribe_token(&state.db, &hash_token(&token)).await {
            Ok(Some(found)) => found,
            Ok(None) => return not_found(fallback),
            Err(_) => return unavailable(fallback),
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
    let Ok((name, language)) = practice_of(&state, practice_id, &asked).await else {
        return unavailable(fallback);
    };
    if written.is_err() {
        return unavailable(language);
    }
    page(
        StatusCode::OK,
        language,
        &language.say("unsubscribe.done.title", &[]),
        &card(&language.say("unsubscribe.done", &[("practice", &name)])),
    )
}
