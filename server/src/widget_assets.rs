//! The built widget: Trunk's hashed files under `/widget/{version}/` (precompressed, cached for a
//! year, readable from any origin), and `embed.js`, the loader practices paste, which names them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::Path;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The loader's source; its `//` comment lines are dropped when it is served.
const EMBED_SOURCE: &str = include_str!("../../public/embed.js");

/// Where the widget's files are served: the server version, so a new release never mixes files.
pub fn widget_prefix() -> String {
    format!("/widget/{}", env!("CARGO_PKG_VERSION"))
}

/// The widget files Trunk produced, found by their prefixes and suffixes: the full module
/// (`slotwise-widget-<hash>`), the first-steps module (`slotwise-first-<hash>`) and the
/// stylesheet (`slotwise-style-<hash>.css`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetFiles {
    /// The full module's wasm-bindgen JS (`slotwise-widget-<hash>.js`).
    pub js: String,
    /// The full module's wasm (`slotwise-widget-<hash>_bg.wasm`).
    pub wasm: String,
    /// The first-steps module's JS; the full module's when it was not built.
    pub first_js: String,
    /// The first-steps module's wasm; the full module's when it was not built.
    pub first_wasm: String,
    /// The widget's stylesheet; empty when the build has none (the widget then shows
    /// unstyled).
    pub css: String,
}

/// The `.js` and `_bg.wasm` file names in `names` that start with `prefix`.
fn module_files(names: &[String], prefix: &str) -> (Option<String>, Option<String>) {
    let named = |suffix: &str| {
        names
            .iter()
            .find(|n| n.starts_with(prefix) && n.ends_with(suffix))
            .cloned()
    };
    (named(".js"), named("_bg.wasm"))
}

impl WidgetFiles {
    /// Reads the names from Trunk's output directory; `None` if the widget is not built.
    pub fn find(dir: &Path) -> Option<WidgetFiles> {
        let names: Vec<String> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let (js, wasm) = module_files(&names, "slotwise-widget");
        let (js, wasm) = (js?, wasm?);
        let (first_js, first_wasm) = match module_files(&names, "slotwise-first") {
            (Some(first_js), Some(first_wasm)) => (first_js, first_wasm),
            _ => (js.clone(), wasm.clone()),
        };
        let css = names
            .iter()
            .find(|n| n.starts_with("slotwise-style") && n.ends_with(".css"))
            .cloned()
            .unwrap_or_default();
        Some(WidgetFiles {
            js,
            wasm,
            first_js,
            first_wasm,
            css,
        })
    }
}

/// The loader's words in every language (`{"en": {"loading": "…"}, "es": …}`, the `loader.*`
/// texts of the language files): what it says before the practice's settings arrive.
fn loader_words() -> String {
    let words: serde_json::Map<String, serde_json::Value> = slotwise_shared::lang::LANGUAGES
        .iter()
        .map(|language| {
            let texts: serde_json::Map<String, serde_json::Value> = language
                .text
                .iter()
                .filter_map(|(key, text)| {
                    let name = key.strip_prefix("loader.")?;
                    Some((name.to_string(), serde_json::Value::from(*text)))
                })
                .collect();
            (language.code.to_string(), serde_json::Value::Object(texts))
        })
        .collect();
    serde_json::Value::Object(words).to_string()
}

/// `embed.js` as served: comments stripped, the widget's file paths and the loader's words
/// filled in.
pub fn render_loader(files: Option<&WidgetFiles>) -> String {
    let Some(files) = files else {
        return "console.error(\"Slotwise: the booking widget is not built on this server \
                (run `trunk build --release`).\");\n"
            .to_string();
    };
    let prefix = widget_prefix();
    let body: String = EMBED_SOURCE
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    let css = match files.css.as_str() {
        "" => String::new(),
        name => format!("{prefix}/{name}"),
    };
    body.replace("__SLOTWISE_CSS__", &css)
        .replace("\"__SLOTWISE_WORDS__\"", &loader_words())
        .replace("__SLOTWISE_JS__", &format!("{prefix}/{}", files.js))
        .replace("__SLOTWISE_WASM__", &format!("{prefix}/{}", files.wasm))
        .replace(
            "__SLOTWISE_FIRST_JS__",
            &format!("{prefix}/{}", files.first_js),
        )
        .replace(
            "__SLOTWISE_FIRST_WASM__",
            &format!("{prefix}/{}", files.first_wasm),
        )
}

/// `/embed.js` and `/widget/{version}/*`.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let files = WidgetFiles::find(dir);
    if files.is_none() {
        tracing::warn!(dir = %dir.display(), "widget not built: embed.js will say so");
    }
    let loader = Arc::new(render_loader(files.as_ref()));
    let assets = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .route(
            "/embed.js",
            get(move || {
                let loader = Arc::clone(&loader);
                async move { loader_response(&loader) }
            })
            .layer(CompressionLayer::new()),
        )
        .nest_service(&widget_prefix(), assets)
        .layer(axum::middleware::map_response(cache_headers))
        // Public static files, no credentials: any page may load them (module scripts and
        // wasm are fetched with CORS).
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

/// Hashed names never change content: found files are cached for a year; a miss must not be
/// (a later deploy may add the file). Answers vary with the encoding asked for.
async fn cache_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        let value = if response.status().is_success() {
            "public, max-age=31536000, immutable"
        } else {
            "no-store"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

fn loader_response(loader: &str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The loader's name is fixed; keep it fresh enough that a new release reaches
            // practices' pages within minutes.
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        loader.to_string(),
    )
        .into_response()
}
