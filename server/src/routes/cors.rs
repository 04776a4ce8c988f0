//! CORS for the public API: a browser may call it only from an origin the practice (or the
//! operator, for every practice) allowed. No credentials, so never a reflected wildcard.

use crate::state::AppState;
use axum::http::{header, HeaderName, HeaderValue, Method};
use slotwise_shared::paths::API;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The CORS layer.
pub fn layer(state: AppState) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, parts| {
                let state = state.clone();
                let path = parts.uri.path().to_string();
                async move { origin_allowed(&state, &origin, &path).await }
            },
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .max_age(Duration::from_secs(600))
}

async fn origin_allowed(state: &AppState, origin: &HeaderValue, path: &str) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if state.config.allowed_origins.iter().any(|o| o == origin) {
        return true;
    }
    let Some(slug) = path
        .strip_prefix(API)
        .and_then(|p| p.strip_prefix("/practices/"))
        .and_then(|p| p.split('/').next())
    else {
        return false;
    };
    match state.catalogs.get(&state.db, slug).await {
        Ok(Some(catalog)) => catalog.practice.allowed_origins.iter().any(|o| o == origin),
        _ => false,
    }
}
