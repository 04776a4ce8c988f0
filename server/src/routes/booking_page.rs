//! The direct booking page, `/book/{slug}` and `/book/{slug}/{reason}`: the widget full page, for
//! links in messages and social profiles; and `/book/{slug}/manage/{token}`, the patient's page
//! for one booking. Both are the same loader as on practices' sites, in page mode.

use crate::extract::PageLanguage;
use crate::html::escape_html;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use slotwise_shared::lang::Language;
use slotwise_shared::validate::is_valid_slug;

/// A small standalone page in `language` (no-store, no-referrer).
pub fn page(status: StatusCode, language: &Language, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n\
         <style>html{{background:#f4f6f8}}body{{margin:0;padding:24px 12px;\
         font:16px/1.5 system-ui,sans-serif;color:#1f2933}}main{{max-width:680px;margin:0 auto}}\
         .card{{background:#fff;border-radius:16px;box-shadow:0 1px 3px rgba(16,42,67,.12)}}\
         p.card{{padding:24px}}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape_html(title),
        code = language.code,
    );
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            // Manage links carry a secret: never leak the URL to other sites.
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(html),
    )
        .into_response()
}

/// A card of text.
pub fn card(text: &str) -> String {
    format!("<p class=\"card\">{}</p>", escape_html(text))
}

async fn widget_page(
    state: &AppState,
    asked: &PageLanguage,
    slug: &str,
    extra: &[(&str, &str)],
) -> Response {
    let catalog = match is_valid_slug(slug) {
        true => state.catalog(slug).await.map_err(|e| e.status),
        false => Err(StatusCode::NOT_FOUND),
    };
    let catalog = match catalog {
        Ok(catalog) => catalog,
        Err(StatusCode::NOT_FOUND) => {
            let language = asked.choose("en");
            return page(
                StatusCode::NOT_FOUND,
                language,
                &language.say("booking_page.not_found.title", &[]),
                &card(&language.say("booking_page.not_found", &[])),
            );
        }
        // The practice could not be read just now (database busy or down): say so, not "no such page".
        Err(_) => {
            let language = asked.choose("en");
            return page(
                StatusCode::SERVICE_UNAVAILABLE,
                language,
                &language.say("booking_page.unavailable.title", &[]),
                &card(&language.say("booking_page.unavailable", &[])),
            );
        }
    };
    let language = asked.choose(&catalog.practice.default_lang);
    let name = &catalog.practice.name;
    let mut attributes = format!("data-practice=\"{}\" data-mode=\"page\"", escape_html(slug));
    for (key, value) in extra {
        attributes.push_str(&format!(" data-{key}=\"{}\"", escape_html(value)));
    }
    page(
        StatusCode::OK,
        language,
        &language.say("booking_page.title", &[("practice", name)]),
        &format!(
            "<div class=\"card\" data-slotwise {attributes}></div>\n<script src=\"/embed.js\" async></script>"
        ),
    )
}

/// `GET /book/{slug}`
#[utoipa::path(
    get,
    path = "/book/{slug}",
    operation_id = "get_booking_page",
    tag = "pages",
    summary = "The practice's direct booking page",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "The booking widget as a full page", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the booking page does not exist (unknown practice)", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page saying online booking is briefly unavailable", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn booking_page(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path(slug): Path<String>,
) -> Response {
    widget_page(&state, &asked, &slug, &[]).await
}

/// `GET /book/{slug}/{reason}`: the reason as id or name slug (`/book/brightside-dental/cleaning`).
#[utoipa::path(
    get,
    path = "/book/{slug}/{reason}",
    operation_id = "get_booking_page_for_reason",
    tag = "pages",
    summary = "The direct booking page with a reason for visit chosen",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("reason" = String, Path, description = "The reason for visit, as its id or name slug \
            (`cleaning`); the widget resolves it"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "The booking widget as a full page", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the booking page does not exist (unknown practice)", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page saying online booking is briefly unavailable", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn booking_page_for_reason(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path((slug, reason)): Path<(String, String)>,
) -> Response {
    widget_page(&state, &asked, &slug, &[("reason", &reason)]).await
}

/// `GET /book/{slug}/link/{token}`: a personal recall or rebooking link (the widget opens it).
#[utoipa::path(
    get,
    path = "/book/{slug}/link/{token}",
    operation_id = "get_personal_link_page",
    tag = "pages",
    summary = "The booking page of a personal recall or rebooking link",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The personal link's token (the widget opens it)"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "The booking widget as a full page", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the booking page does not exist (unknown practice)", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page saying online booking is briefly unavailable", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn personal_link_page(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path((slug, token)): Path<(String, String)>,
) -> Response {
    widget_page(&state, &asked, &slug, &[("recall", &token)]).await
}

/// `GET /book/{slug}/manage/{token}`
#[utoipa::path(
    get,
    path = "/book/{slug}/manage/{token}",
    operation_id = "get_manage_page",
    tag = "pages",
    summary = "The patient's page for one booking",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token (the widget opens it)"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "The booking widget as a full page", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the booking page does not exist (unknown practice)", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page saying online booking is briefly unavailable", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn manage_page(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path((slug, token)): Path<(String, String)>,
) -> Response {
    widget_page(&state, &asked, &slug, &[("manage", &token)]).await
}
