//! The confirm page of the confirmation policy (`/confirm/{slug}/{token}`, the link in the
//! `confirm_request` message): a GET shows the visit and one button and changes nothing (link
//! scanners open links in messages); the button's POST confirms the visit.

use super::booking_page::{card, page};
use crate::booking::confirmation::{booking_of_link, confirm_by_patient, PatientConfirm};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::extract::PageLanguage;
use crate::html::escape_html;
use crate::state::AppState;
use crate::store::appointments::AppointmentRow;
use crate::tokens::looks_like_token;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use slotwise_shared::labels;
use slotwise_shared::lang::Language;
use std::sync::Arc;

fn not_found(language: &Language) -> Response {
    page(
        StatusCode::NOT_FOUND,
        language,
        &language.say("page.link_not_found.title", &[]),
        &card(&language.say("confirm_visit.not_found", &[])),
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

/// The values the page's sentences name.
fn words(
    catalog: &Catalog,
    row: &AppointmentRow,
    language: &Language,
) -> [(&'static str, String); 5] {
    let at = Timestamp::from_second(row.starts_at).unwrap_or(Timestamp::UNIX_EPOCH);
    [
        ("practice", catalog.practice.name.clone()),
        ("phone", catalog.practice.phone.clone()),
        (
            "service",
            catalog
                .reason(row.reason_id)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
        ),
        (
            "provider",
            catalog
                .provider(row.provider_id)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        ),
        (
            "when",
            labels::full_label_in(language, at, &catalog.practice.tz),
        ),
    ]
}

fn say(language: &Language, key: &str, words: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = words.iter().map(|(k, v)| (*k, v.as_str())).collect();
    language.say(key, &pairs)
}

/// The practice of the link and the page's language.
async fn practice(
    state: &AppState,
    slug: &str,
    token: &str,
    asked: &PageLanguage,
) -> Result<(Arc<Catalog>, &'static Language), Response> {
    let fallback = asked.choose("en");
    if !looks_like_token(token) {
        return Err(not_found(fallback));
    }
    match state.catalog(slug).await {
        Ok(catalog) => {
            let language = asked.choose(&catalog.practice.default_lang);
            Ok((catalog, language))
        }
        Err(_) => Err(not_found(fallback)),
    }
}

/// `GET /confirm/{slug}/{token}`: the visit and a button (changes nothing).
#[utoipa::path(
    get,
    path = "/confirm/{slug}/{token}",
    operation_id = "get_confirm_page",
    tag = "pages",
    summary = "The page behind a confirmation request's link (changes nothing)",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token from the message's link"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "A page naming the visit with one button that posts the confirmation (or saying it can no longer be confirmed)", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn confirm_page(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path((slug, token)): Path<(String, String)>,
) -> Response {
    let (catalog, language) = match practice(&state, &slug, &token, &asked).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let row = match booking_of_link(&state.db, catalog.practice.id, &token).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(language),
        Err(_) => return unavailable(language),
    };
    let w = words(&catalog, &row, language);
    let open =
        matches!(row.status.as_str(), "booked" | "confirmed") && row.starts_at > now_seconds();
    if !open {
        return page(
            StatusCode::OK,
            language,
            &language.say("confirm_visit.title", &[]),
            &card(&say(language, "confirm_visit.closed", &w)),
        );
    }
    page(
        StatusCode::OK,
        language,
        &language.say("confirm_visit.title", &[]),
        &format!(
            "<div class=\"card\" style=\"padding:24px\"><h1 style=\"font-size:1.3rem;margin-top:0\">{heading}</h1>\
             <p>{explain}</p>\
             <form method=\"post\"><button type=\"submit\" style=\"font:inherit;padding:10px 18px;border-radius:8px;border:0;background:#0f766e;color:#fff\">{button}</button></form></div>",
            heading = escape_html(&say(language, "confirm_visit.heading", &w)),
            explain = escape_html(&say(language, "confirm_visit.explain", &w)),
            button = escape_html(&language.say("confirm_visit.button", &[])),
        ),
    )
}

/// `POST /confirm/{slug}/{token}`: confirms the visit.
#[utoipa::path(
    post,
    path = "/confirm/{slug}/{token}",
    operation_id = "confirm_visit",
    tag = "pages",
    summary = "Confirm the visit (the confirm page's button)",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("token" = String, Path, description = "The booking's manage token from the message's link"),
        ("lang" = Option<String>, Query, description = "The page's language (`es`); without it the browser's languages, then the practice's default"),
    ),
    responses(
        (status = 200, description = "A page saying the visit is confirmed (also when it already was), or that it can no longer be confirmed", content_type = "text/html; charset=utf-8", body = String),
        (status = 404, description = "A page saying the link is not valid", content_type = "text/html; charset=utf-8", body = String),
        (status = 503, description = "A page asking to try again (nothing was changed)", content_type = "text/html; charset=utf-8", body = String),
    ),
)]
pub async fn confirm(
    State(state): State<AppState>,
    asked: PageLanguage,
    Path((slug, token)): Path<(String, String)>,
) -> Response {
    let (catalog, language) = match practice(&state, &slug, &token, &asked).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let answer =
        match confirm_by_patient(&state.db, catalog.practice.id, &token, now_seconds()).await {
            Ok(answer) => answer,
            Err(_) => return unavailable(language),
        };
    let (key, title, row) = match answer {
        PatientConfirm::NotFound => return not_found(language),
        PatientConfirm::Confirmed(row) => ("confirm_visit.done", "confirm_visit.done.title", row),
        PatientConfirm::Closed(row) => ("confirm_visit.closed", "confirm_visit.title", row),
    };
    state.slots_cache.changed(catalog.practice.id);
    page(
        StatusCode::OK,
        language,
        &language.say(title, &[]),
        &card(&say(language, key, &words(&catalog, &row, language))),
    )
}
