//! Real headless Chromium for the widget tests: a chromedriver process per browser, a fresh
//! profile, and helpers that reach into the widget's (open) Shadow DOM root.

use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a test waits for something to appear in the widget.
pub const PATIENCE: Duration = Duration::from_secs(15);

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The built widget, or `None` (with a notice; a failure under `CI=true`).
pub fn widget_dir() -> Option<PathBuf> {
    let dir = std::env::var("SLOTWISE_WIDGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/widget"));
    let built = slotwise_server::widget_assets::WidgetFiles::find(&dir).is_some();
    let browser = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    match (built, browser) {
        (true, true) => Some(dir),
        _ if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "browser tests need the built widget ({}) and {CHROMIUM} + {CHROMEDRIVER} under CI=true \
             (cargo xtask test builds and installs them)",
            dir.display()
        ),
        _ => {
            eprintln!(
                "notice: skipping a browser test: widget built: {built}, chromium+chromedriver: {browser} \
                 (cargo xtask test builds the widget)"
            );
            None
        }
    }
}

/// The built staff console (`dist/admin`), or `None` (with a notice; a failure under
/// `CI=true`).
pub fn admin_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/admin");
    if dir.join("index.html").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the console tests need the built console in {} under CI=true (cargo xtask test builds it)", dir.display());
    }
    eprintln!(
        "notice: skipping a console test: the console is not built (cargo xtask test builds it)"
    );
    None
}

/// One headless Chromium driven over WebDriver.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Drop for Browser {
    /// Also on a failed test: no chromedriver (and its Chromium) outlives it.
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts chromedriver and an English (US) browser session (window `width` × 900).
    pub async fn launch(width: u32) -> Browser {
        Self::launch_in(width, "en-US").await
    }

    /// Starts chromedriver and a browser session whose languages are `languages` (`es-MX,es`:
    /// `navigator.languages` and `Accept-Language`), window `width` × 900.
    pub async fn launch_in(width: u32, languages: &str) -> Browser {
        let port = free_port();
        // A fixed device time zone (not the practice's), whatever the machine's.
        let driver = Command::new(CHROMEDRIVER)
            .env("TZ", "Europe/Berlin")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        while reqwest::get(format!("{url}/status")).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = std::env::temp_dir().join(format!("slotwise-chromium-{port}"));
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".to_string(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    format!("--lang={}", languages.split(',').next().unwrap_or("en-US")),
                    format!("--accept-lang={languages}"),
                    format!("--window-size={width},900"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": { "intl.accept_languages": languages },
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("browser session");
        Browser {
            client,
            driver,
            profile,
        }
    }

    /// Ends the session and the driver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop stops the driver and removes the profile.
    }

    /// Saves a screenshot as `{SLOTWISE_SCREENSHOTS}/{name}.png` when that variable names a
    /// directory (for looking at the widget; tests never compare pixels).
    pub async fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("SLOTWISE_SCREENSHOTS") else {
            return;
        };
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(Path::new(&dir).join(format!("{name}.png")), png);
        }
    }

    /// Sends a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`), e.g. to
    /// slow the network down.
    pub async fn cdp(&self, cmd: &'static str, params: serde_json::Value) {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"));
    }

    /// The shadow root of the widget inside the element matching `host_css`.
    pub async fn widget(&self, host_css: &str) -> ShadowRoot {
        let css = format!("{host_css} slotwise-booking");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(host) = self.client.find(Locator::Css(&css)).await {
                if let Ok(root) = host.shadow_root().await {
                    return root;
                }
            }
            assert!(Instant::now() < deadline, "no widget in {host_css}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params }).to_string();
        (http::Method::POST, Some(body))
    }
}

/// Waits for an element in the widget.
pub async fn find(root: &ShadowRoot, css: &str) -> Element {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(el) = root.find(Locator::Css(css)).await {
            return el;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never appeared in the widget"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for an element and clicks it like a person (WebDriver pointer click).
pub async fn click(root: &ShadowRoot, css: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let el = find(root, css).await;
        match el.click().await {
            Ok(()) => return,
            // Re-rendered between finding and clicking, or still disabled/covered: try again.
            Err(e) => assert!(Instant::now() < deadline, "could not click {css}: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types into an input.
pub async fn type_into(root: &ShadowRoot, css: &str, text: &str) {
    find(root, css)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

/// An attribute of an element, once the element is there ("" when it has none).
pub async fn attr_of(root: &ShadowRoot, css: &str, name: &str) -> String {
    find(root, css)
        .await
        .attr(name)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// The visible text of an element, once it is there.
pub async fn text_of(root: &ShadowRoot, css: &str) -> String {
    find(root, css).await.text().await.unwrap_or_default()
}

/// Waits until the widget's current step heading reads `title`, then checks the page's widgets
/// with axe-core (WCAG 2.2 A/AA): every step a test reaches is an accessibility check.
pub async fn wait_for_title(root: &ShadowRoot, title: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(el) = root.find(Locator::Css(".sw-title")).await {
            if el.text().await.ok().as_deref() == Some(title) {
                super::axe::assert_accessible(&root.clone().client(), title).await;
                return;
            }
        }
        if Instant::now() >= deadline {
            let shown = match root.find(Locator::Css(".sw")).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            panic!("the step \"{title}\" never showed; the widget shows:\n{shown}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
