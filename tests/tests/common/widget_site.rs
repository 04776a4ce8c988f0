//! The browser tests' site: the demo practice behind a real server (SQLite), the built widget,
//! and the demo host page on another origin; plus steps several tests share.

use super::browser::{self, click, type_into, wait_for_title, Browser};
use super::{Engine, TestApp};
use serde_json::json;
use slotwise_server::demo::host::{self, HostPage};
use std::net::SocketAddr;
use tokio::sync::Mutex;

/// Browsers are heavy on a small machine: one browser test at a time.
pub static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub struct Site {
    pub app: TestApp,
    pub host: HostPage,
}

impl Site {
    /// The demo practice on SQLite, the built widget, and the host page on another origin.
    pub async fn start() -> Option<Site> {
        Self::start_with(|_| {}).await
    }

    /// Like [`start`](Self::start), with more server settings.
    pub async fn start_with(
        adjust: impl FnOnce(&mut slotwise_server::config::ServeConfig) + Send + 'static,
    ) -> Option<Site> {
        let dir = browser::widget_dir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let host_origin = format!("http://127.0.0.1:{port}");
        let origin = host_origin.clone();
        let app = TestApp::spawn_with(Engine::Sqlite, move |c| {
            c.widget_dir = dir;
            c.allowed_origins = vec![origin];
            adjust(c);
        })
        .await?;
        let bind: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let host = host::start(bind, &app.server.url(), "demo")
            .await
            .expect("host page");
        Some(Site { app, host })
    }

    /// Stops both servers and removes the database.
    pub async fn finish(self) {
        self.host.stop();
        self.app.finish().await;
    }
}

/// Collects every `slotwise:*` event of the page in `window.__events`.
pub async fn record_host_events(b: &Browser) {
    b.client
        .execute(
            "window.__events = [];
             ['ready', 'step', 'booked'].forEach(function (n) {
               document.addEventListener('slotwise:' + n, function (e) {
                 window.__events.push({ name: n, detail: e.detail });
               });
             });",
            vec![],
        )
        .await
        .expect("listen for host events");
}

/// The class of the focused element inside the widget under `host_css`.
pub async fn active_element_class(b: &Browser, host_css: &str) -> String {
    b.client
        .execute(
            "var h = document.querySelector(arguments[0] + ' slotwise-booking');
             var a = h && h.shadowRoot.activeElement;
             return a ? a.className : '';",
            vec![json!(host_css)],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub async fn open_time_step(
    b: &Browser,
    site: &Site,
    reason: &str,
) -> fantoccini::elements::ShadowRoot {
    let url = format!(
        "{}/?patient=returning&reason={reason}&location=any&provider=dr-maya-patel&utm_source=recall-sms&utm_campaign=autumn",
        site.host.url()
    );
    b.client.goto(&url).await.expect("open host page");
    let w = b.widget("#book").await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Pick a time").await;
    w
}

/// A returning patient who prefers typing their details to the code lookup.
pub async fn skip_lookup(w: &fantoccini::elements::ShadowRoot) {
    wait_for_title(w, "Find your record").await;
    click(w, "[data-action=skip-lookup]").await;
    wait_for_title(w, "Your details").await;
}

/// Fills the details form with a valid patient and continues.
pub async fn fill_details(w: &fantoccini::elements::ShadowRoot) {
    type_into(w, "#sw-patient-first_name", "Ana").await;
    type_into(w, "#sw-patient-last_name", "Lima").await;
    type_into(w, "#sw-patient-date_of_birth", "07041985").await;
    type_into(w, "#sw-patient-phone", "+1 415 555 0177").await;
    type_into(w, "#sw-patient-email", "ana@example.com").await;
    click(w, ".sw-form button[type=submit]").await;
}
