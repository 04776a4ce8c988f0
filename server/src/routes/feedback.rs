//! The rating page of a visit (`/feedback/{token}`, linked from the feedback request): five
//! choices and a comment, one submit. A GET only shows the form, so link scanners change
//! nothing; the answer can be changed while the link works.

use super::booking_page::page;
use crate::clock::now_seconds;
use crate::html::escape_html;
use crate::state::AppState;
use crate::store::automations::{answer_feedback, feedback_by_token, FeedbackRow};
use crate::tokens::{hash_token, looks_like_token};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

/// Longest comment kept.
const MAX_COMMENT: usize = 2000;

const LABELS: [&str; 5] = ["Poor", "Fair", "Good", "Very good", "Excellent"];

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not found",
        "<p class=\"card\">This feedback link is not valid. Please use the link in the practice's message.</p>",
    )
}

fn unavailable() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Please try again",
        "<p class=\"card\">We could not save your answer just now. Please try again in a minute.</p>",
    )
}

fn expired(row: &FeedbackRow) -> Response {
    page(
        StatusCode::GONE,
        "Link expired",
        &format!(
            "<p class=\"card\">This feedback link has expired. Thank you all the same. You can always share your thoughts with {} directly.</p>",
            escape_html(&row.practice_name)
        ),
    )
}

async fn find(state: &AppState, token: &str) -> Result<FeedbackRow, Response> {
    if !looks_like_token(token) {
        return Err(not_found());
    }
    match feedback_by_token(&state.db, &hash_token(token)).await {
        Ok(Some(row)) if row.expires_at <= now_seconds() => Err(expired(&row)),
        Ok(Some(row)) => Ok(row),
        Ok(None) => Err(not_found()),
        Err(_) => Err(unavailable()),
    }
}

fn form(row: &FeedbackRow, status: StatusCode, error: Option<&str>) -> Response {
    let name = escape_html(&row.practice_name);
    let choices: String = LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let n = i + 1;
            let checked = if row.rating == Some(n as i64) { " checked" } else { "" };
            format!(
                "<label style=\"display:flex;gap:10px;align-items:center;padding:10px 12px;border:1px solid #cbd2d9;border-radius:10px;margin:6px 0\">\
                 <input type=\"radio\" name=\"rating\" value=\"{n}\" required{checked}> {n} · {label}</label>"
            )
        })
        .collect();
    let error = error
        .map(|e| {
            format!(
                "<p role=\"alert\" style=\"color:#b42318\">{}</p>",
                escape_html(e)
            )
        })
        .unwrap_or_default();
    page(
        status,
        &format!("How was your visit? · {}", row.practice_name),
        &format!(
            "<div class=\"card\" style=\"padding:24px\"><h1 style=\"font-size:1.3rem;margin-top:0\">How was your visit to {name}?</h1>\
             <form method=\"post\"><fieldset style=\"border:0;padding:0;margin:0\"><legend>Your rating, from 1 (poor) to 5 (excellent)</legend>{choices}</fieldset>\
             <label for=\"comment\" style=\"display:block;margin-top:12px\">Anything you'd like to tell us? (optional)</label>\
             <textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"{MAX_COMMENT}\" style=\"width:100%;box-sizing:border-box;font:inherit\"></textarea>\
             {error}<button type=\"submit\" style=\"margin-top:12px;font:inherit;padding:10px 18px;border-radius:8px;border:0;background:#0f766e;color:#fff\">Send</button></form></div>"
        ),
    )
}

/// The form the rating page posts. The handler reads the raw form; this type only documents it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FeedbackForm {
    /// The rating, from 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    rating: i64,
    /// An optional comment; only its first 2000 characters are kept.
    #[schema(required = false)]
    comment: String,
}

/// `GET /feedback/{token}`.
#[utoipa::path(
    get,
    path = "/feedback/{token}",
    operation_id = "get_feedback_page",
    tag = "pages",
    summary = "The rating page of a visit (changes nothing)",
    params(("token" = String, Path, description = "The feedback token from the practice's message")),
    responses(
        (status = 200, description = "The rating form (with the current answer, if any)", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 410, description = "A page saying the link has expired", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (the database could not be read)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn feedback_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match find(&state, &token).await {
        Ok(row) => form(&row, StatusCode::OK, None),
        Err(page) => page,
    }
}

/// `POST /feedback/{token}` (a form: `rating` 1–5, `comment`).
#[utoipa::path(
    post,
    path = "/feedback/{token}",
    operation_id = "submit_feedback",
    tag = "pages",
    summary = "Store (or change) the visit's rating and comment",
    params(("token" = String, Path, description = "The feedback token from the practice's message")),
    request_body(content = FeedbackForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A thank-you page", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 410, description = "A page saying the link has expired", content_type = "text/html; charset=utf-8", body = String),
        (status = 422, description = "The form again, asking for a rating from 1 to 5", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (nothing was stored)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn submit_feedback(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let row = match find(&state, &token).await {
        Ok(row) => row,
        Err(page) => return page,
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let rating = match field("rating").parse::<i64>() {
        Ok(r) if (1..=5).contains(&r) => r,
        _ => {
            return form(
                &row,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("Choose a rating from 1 to 5."),
            )
        }
    };
    let comment: String = field("comment").chars().take(MAX_COMMENT).collect();
    if answer_feedback(&state.db, row.id, rating, comment, now_seconds())
        .await
        .is_err()
    {
        return unavailable();
    }
    page(
        StatusCode::OK,
        "Thank you",
        &format!(
            "<p class=\"card\" role=\"status\">Thank you for your feedback. It helps the team at {} do better.</p>",
            escape_html(&row.practice_name)
        ),
    )
}
