//! Time from navigation start to the first free times visible in the widget, in real headless
//! Chromium over WebDriver, with a cold cache on every run; once as is and once with 4× CPU
//! throttling and DevTools' "Slow 4G" network (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up).
//! The widget marks `slotwise:times-visible` on the page's performance timeline after the
//! browser painted the first times; the mark's time is measured from navigation start.

use anyhow::{bail, Context};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
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
        let body = json!({ "cmd": self.cmd, "params": self.params }).to_string();
        (http::Method::POST, Some(body))
    }
}

async fn cdp(client: &Client, cmd: &'static str, params: Value) -> anyhow::Result<()> {
    client
        .issue_cmd(Cdp { cmd, params })
        .await
        .with_context(|| format!("CDP {cmd}"))?;
    Ok(())
}

struct Driver {
    child: Child,
    client: Client,
}

async fn start_browser() -> anyhow::Result<Driver> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("start chromedriver")?;
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while reqwest::get(format!("{url}/status")).await.is_err() {
        if Instant::now() > deadline {
            bail!("chromedriver did not start");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let profile = std::env::temp_dir().join(format!("slotwise-bench-chromium-{port}"));
    let mut caps = Capabilities::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1200,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&url)
        .await
        .context("browser session")?;
    Ok(Driver { child, client })
}

/// Cumulative layout shift of the page so far (shifts not caused by input), from the
/// browser's buffered `layout-shift` entries.
async fn layout_shift(client: &Client) -> anyhow::Result<f64> {
    let value = client
        .execute_async(
            "var done = arguments[arguments.length - 1], total = 0;
             new PerformanceObserver(function (list) {
               list.getEntries().forEach(function (e) { if (!e.hadRecentInput) total += e.value; });
             }).observe({ type: 'layout-shift', buffered: true });
             setTimeout(function () { done(total); }, 300);",
            vec![],
        )
        .await?;
    Ok(value.as_f64().unwrap_or_default())
}

/// One cold navigation: milliseconds to the first free times, and the layout shift by then.
async fn one_run(client: &Client, url: &str) -> anyhow::Result<(f64, f64)> {
    cdp(client, "Network.clearBrowserCache", json!({})).await?;
    client.goto("about:blank").await?;
    client.goto(url).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mark = client
            .execute(
                "var m = performance.getEntriesByName('slotwise:times-visible');
                 return m.length ? m[0].startTime : null;",
                vec![],
            )
            .await?;
        if let Some(ms) = mark.as_f64() {
            return Ok((ms, layout_shift(client).await?));
        }
        if Instant::now() > deadline {
            bail!("no free times became visible at {url}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sorted times of `runs` navigations, and the largest layout shift seen.
async fn series(client: &Client, url: &str, runs: usize) -> anyhow::Result<(Vec<f64>, f64)> {
    // One warm-up navigation (starts the browser's own machinery), not counted.
    one_run(client, url).await?;
    let mut times = Vec::with_capacity(runs);
    let mut worst_shift: f64 = 0.0;
    for _ in 0..runs {
        let (ms, shift) = one_run(client, url).await?;
        times.push(ms);
        worst_shift = worst_shift.max(shift);
    }
    times.sort_by(f64::total_cmp);
    Ok((times, worst_shift))
}

/// The q-th quantile (0–1) of sorted values.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn summary(prefix: &str, times: &[f64]) -> String {
    format!(
        "{prefix}_median_ms={:.0} {prefix}_p90_ms={:.0} {prefix}_max_ms={:.0}",
        percentile(times, 0.5),
        percentile(times, 0.9),
        times.last().copied().unwrap_or_default()
    )
}

/// `slotwise-loadgen widget URL RUNS`: URL opens the widget straight at the time step.
pub async fn run(url: &str, runs: usize) -> anyhow::Result<String> {
    let mut driver = start_browser().await?;
    let result = async {
        cdp(&driver.client, "Network.enable", json!({})).await?;
        let (fast, shift) = series(&driver.client, url, runs).await?;
        cdp(
            &driver.client,
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": 4 }),
        )
        .await?;
        cdp(
            &driver.client,
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": 150,
                "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8,
            }),
        )
        .await?;
        let (slow, slow_shift) = series(&driver.client, url, runs).await?;
        Ok::<_, anyhow::Error>(format!(
            "runs={runs} {} {} layout_shift_max={:.4}",
            summary("local", &fast),
            summary("throttled", &slow),
            shift.max(slow_shift)
        ))
    }
    .await;
    let _ = driver.client.clone().close().await;
    let _ = driver.child.kill();
    let _ = driver.child.wait();
    result
}
