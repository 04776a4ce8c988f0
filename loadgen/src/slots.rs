//! `GET slots` for one reason × all its providers × 14 days, as fast as the clients can.

use crate::report::{line, Latencies};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn run(
    base: &str,
    slug: &str,
    reason: i64,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<String> {
    let url = format!(
        "{base}{}?reason={reason}&provider=any&days=14",
        slotwise_shared::paths::slots(slug)
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    // Size of one answer as browsers get it (gzip), and uncompressed.
    let gz = http
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await?;
    anyhow::ensure!(gz.status().is_success(), "slots answered {}", gz.status());
    let gz_bytes = gz.bytes().await?.len();
    let raw_bytes = http.get(&url).send().await?.bytes().await?.len();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let url = Arc::new(url);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let http = http.clone();
            let url = Arc::clone(&url);
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match http
                        .get(url.as_str())
                        .header("accept-encoding", "gzip")
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => {
                            if r.bytes().await.is_ok() {
                                lat.push(t.elapsed());
                            } else {
                                errors += 1;
                            }
                        }
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Latencies::default();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await?;
        all.0.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n = all.0.len();
    Ok(line(&[
        ("requests", n.to_string()),
        ("errors", errors.to_string()),
        ("rps", format!("{:.0}", n as f64 / elapsed)),
        ("p50_ms", format!("{:.2}", all.percentile_ms(50.0))),
        ("p95_ms", format!("{:.2}", all.percentile_ms(95.0))),
        ("p99_ms", format!("{:.2}", all.percentile_ms(99.0))),
        ("gz_bytes", gz_bytes.to_string()),
        ("raw_bytes", raw_bytes.to_string()),
    ]))
}
