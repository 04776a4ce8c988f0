//! The demo host page: a practice's own website embedding the widget with one script tag,
//! served from another origin than the API (as in real life), so cross-origin embedding is
//! what people try first. Also used by the browser tests.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const INDEX: &str = include_str!("../../../public/demo/index.html");
const HOSTILE: &str = include_str!("../../../public/demo/hostile.html");
const FAR: &str = include_str!("../../../public/demo/far.html");

#[derive(Clone)]
struct Pages {
    api: String,
    slug: String,
}

impl Pages {
    fn render(&self, template: &str) -> Response {
        let html = template
            .replace("{{API}}", &self.api)
            .replace("{{SLUG}}", &self.slug);
        ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
    }
}

/// A running host page server.
pub struct HostPage {
    /// Where it listens.
    pub addr: SocketAddr,
    task: JoinHandle<std::io::Result<()>>,
}

impl HostPage {
    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving.
    pub fn stop(self) {
        self.task.abort();
    }
}

/// Serves `/` (a practice website with inline, popup and badge widgets), `/hostile.html` (a
/// page whose CSS resets everything) and `/far.html` (a long article with the widget at its
/// end) for practice `slug`, loading the widget from `api`.
pub async fn start(bind: SocketAddr, api: &str, slug: &str) -> std::io::Result<HostPage> {
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let pages = Pages {
        api: api.trim_end_matches('/').to_string(),
        slug: slug.to_string(),
    };
    let app = Router::new()
        .route(
            "/",
            get(|State(p): State<Pages>| async move { p.render(INDEX) }),
        )
        .route(
            "/hostile.html",
            get(|State(p): State<Pages>| async move { p.render(HOSTILE) }),
        )
        .route(
            "/far.html",
            get(|State(p): State<Pages>| async move { p.render(FAR) }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not found") })
        .with_state(pages);
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(HostPage { addr, task })
}
