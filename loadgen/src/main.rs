//! HTTP load generator for `cargo xtask bench`: many concurrent clients against a running
//! Slotwise server, through the shared typed client. Prints `key=value` results on one line.
//!
//! slotwise-loadgen slots    BASE SLUG REASON CLIENTS SECONDS
//! slotwise-loadgen bookings BASE SLUG REASON CLIENTS SECONDS
//! slotwise-loadgen widget   PAGE_URL RUNS   (headless Chromium; see widget_timing)

mod bookings;
mod report;
mod slots;
mod widget_timing;

use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, url, runs] = args.as_slice() {
        if mode == "widget" {
            let runs: usize = runs.parse().context("RUNS")?;
            println!("{}", widget_timing::run(url, runs).await?);
            return Ok(());
        }
    }
    let [mode, base, slug, reason, clients, seconds] = args.as_slice() else {
        anyhow::bail!("usage: slotwise-loadgen (slots|bookings) BASE SLUG REASON CLIENTS SECONDS");
    };
    let reason: i64 = reason.parse().context("REASON")?;
    let clients: usize = clients.parse().context("CLIENTS")?;
    let seconds: u64 = seconds.parse().context("SECONDS")?;
    let line = match mode.as_str() {
        "slots" => slots::run(base, slug, reason, clients, seconds).await?,
        "bookings" => bookings::run(base, slug, reason, clients, seconds).await?,
        other => anyhow::bail!("unknown mode {other}"),
    };
    println!("{line}");
    Ok(())
}
