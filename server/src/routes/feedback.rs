//! The rating page of a visit (`/feedback/{token}`, linked from the feedback request): five
//! choices and a comment, one submit. A GET only shows the form, so link scanners change
//! nothing; the answer can be changed while the link works.

use super::booking_page::{card, page};
use crate::clock::now_seconds;
use crate::extract::PageLanguage;
use crate::html::escape_html;
use crate::state::AppState;
use crate::store::automations::{answer_feedback, feedback_by_token, FeedbackRow};
use crate::tokens::{hash_token, looks_like_token};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use slotwise_shared::lang::Language;

/// Longest comment kept.
const MAX_COMMENT: usize = 2000;

fn not_found(language: &Language) -> Response {
    page(
        StatusCode::NOT_FOUND,
        language,
        &language.say("page.link_not_found.title", &[]),
        &card(&language.say("feedback.not_found", &[])),
    )
}

fn unavailable(language: &Language) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        language,
        &language.say("page.try_again.title", &[]),
        &card(&language.say("feedback.unavailable", &[])),
    )
}

fn expired(row: &FeedbackRow, language: &Language) -> Response {
    page(
        StatusCode::GONE,
        language,
        &language.say("feedback.expired.title", &[]),
        &card(&language.say("feedback.expired", &[("practice", &row.practice_name)])),
    )
}

/// The rating request of `token` and the language to ask in, or the page saying why not.
async fn find(
    state: &AppState,
    token: &str,
    asked: &PageLanguage,
) -> Result<(FeedbackRow, &'static Language), Response> {
    let fallback = asked.choose("en");
    if !looks_like_token(token) {
        return Err(not_found(fallback));
    }
    match feedback_by_token(&state.db, &hash_token(token)).await {
        Ok(Some(row)) => {
            let language = asked.choose(&row.practice_lang);
            if row.expires_at <= now_seconds() {
                Err(expired(&row, language))
            } else {
                Ok((row, language))
            }
        }
        Ok(None) => Err(not_found(fallback)),
        Err(_) => Err(unavailable(fallback)),
    }
}

fn form(
    row: &FeedbackRow,
    language: &Language,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let practice = [("practice", row.practice_name.as_str())];
    let say = |key: &str| escape_html(&language.say(key, &practice));
    let choices: String = (1..=5)
        .map(|n| {
            let checked = if row.rating == Some(n) { " checked" } else { "" };
            format!(
                "<label style=\"display:flex;gap:10px;align-items:center;padding:10px 12px;border:1px solid #cbd2d9;border-radius:10px;margin:6px 0\">\
                 <input type=\"radio\" name=\"rating\" value=\"{n}\" required{checked}> {n} · {label}</label>",
                label = say(&format!("feedback.rating.{n}")),
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
        language,
        &language.say("feedback.title", &practice),
        &format!(
            "<div class=\"card\" style=\"padding:24px\"><h1 style=\"font-size:1.3rem;margin-top:0\">{heading}</h1>\
             <form method=\"post\"><fieldset style=\"border:0;padding:0;margin:0\"><legend>{legend}</legend>{choices}</fieldset>\
             <label for=\"comment\" style=\"display:block;margin-top:12px\">{comment}</label>\
             <textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"{MAX_COMMENT}\" style=\"width:100%;box-sizing:border-box;font:inherit\"></textarea>\
             {error}<button type=\"submit\" style=\"margin-top:12px;font:inherit;padding:10px 18px;border-radius:8px;border:0;background:#0f766e;color:#fff\">{send}</button></form></div>",
            heading = say("feedback.heading"),
            legend = say("feedback.legend"),
            comment = say("feedback.comment"),
            send = say("feedback.send"),
        ),
    )
}

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
    params(
        ("token" = String, Path, description = "The feedback token from the practice's message"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "The rating form (with the current answer, if any)", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 410, description = "A page saying the link has expired", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (the database could not be read)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn feedback_page(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path(token): Path<String>,
) -> Response {
    match find(&state, &token, &asked).await {
        Ok((row, language)) => form(&row, language, StatusCode::OK, None),
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
    params(
        ("token" = String, Path, description = "The feedback token from the practice's message"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
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
    asked: PageLanguage,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let (row, language) = match find(&state, &token, &asked).await {
        Ok(found) => found,
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
                language,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&language.say("feedback.choose_rating", &[])),
            )
        }
    };
    let comment: String = field("comment").chars().take(MAX_COMMENT).collect();
    if answer_feedback(&state.db, row.id, rating, comment, now_seconds())
        .await
        .is_err()
    {
        return unavailable(language);
    }
    let thanks = language.say("feedback.thanks", &[("practice", &row.practice_name)]);
    page(
        StatusCode::OK,
        language,
        &language.say("feedback.thanks.title", &[]),
        &format!(
            "<p class=\"card\" role=\"status\">{}</p>",
            escape_html(&thanks)
        ),
    )
}
