//! The built staff console under `/admin` (Trunk's output, `dist/admin`), and the embed
//! preview page the console frames to show what a practice's website will look like.

use crate::html::escape_html;
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use slotwise_shared::validate::is_valid_slug;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// `/admin` and its files.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let routes = Router::new().route("/admin/embed-preview", get(embed_preview));
    let routes = if dir.join("index.html").is_file() {
        routes.nest_service(
            "/admin",
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
    } else {
        tracing::warn!(dir = %dir.display(), "staff console not built: /admin will say so");
        routes
            .route("/admin", get(not_built))
            .route("/admin/", get(not_built))
    };
    routes
        .layer(axum::middleware::map_response(cache_headers))
        // Only the console itself may frame its pages (the embed preview).
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// Hashed files are cached for a year; the page itself is always asked for again, so a new
/// release is picked up at once.
async fn cache_headers(mut response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let value = if is_html || !response.status().is_success() {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

async fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html("<!doctype html><title>Slotwise</title><p>The staff console is not built on this server. Run <code>cargo xtask demo</code> (or <code>trunk build admin/index.html --release --dist dist/admin --public-url /admin/</code>).</p>"),
    )
        .into_response()
}

/// Query of the embed preview.
#[derive(Debug, Deserialize)]
pub struct PreviewQuery {
    practice: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    reason: String,
}

/// `GET /admin/embed-preview?practice=&mode=&label=&reason=`: a page with exactly the embed
/// code the console generates.
async fn embed_preview(Query(q): Query<PreviewQuery>) -> Response {
    if !is_valid_slug(&q.practice) {
        return (StatusCode::NOT_FOUND, "No such practice.").into_response();
    }
    let mode = match q.mode.as_str() {
        "popup" | "badge" => q.mode.as_str(),
        _ => "inline",
    };
    let mut target = format!("<div data-slotwise data-mode=\"{mode}\"");
    if mode != "inline" && !q.label.trim().is_empty() {
        target.push_str(&format!(" data-label=\"{}\"", escape_html(q.label.trim())));
    }
    if !q.reason.is_empty() && q.reason.chars().all(|c| c.is_ascii_digit()) {
        target.push_str(&format!(" data-reason=\"{}\"", q.reason));
    }
    target.push_str("></div>");
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Embed preview</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <style>body{{font-family:system-ui,sans-serif;margin:1rem;color:#333}}</style></head><body>\
         <p>Your website's content…</p>{target}\
         <script src=\"/embed.js\" data-practice=\"{}\" async></script></body></html>",
        escape_html(&q.practice)
    );
    Html(page).into_response()
}
