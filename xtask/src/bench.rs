//! `cargo xtask bench`: the slot-engine benchmark (criterion) and HTTP benchmarks against a
//! release server on SQLite (and PostgreSQL when `TEST_POSTGRES_URL` is set), written to
//! docs/benchmarks.md with the machine they ran on.

use crate::run::{cargo, root, status};
use std::path::Path;
use std::process::Command;

const CLIENTS: &str = "64";
const SECONDS: &str = "10";
use crate::bench_process::{capture, Results, Server, PORT};

pub fn run(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--widget-only") {
        // Just the widget section, printed (docs/benchmarks.md is left alone).
        let (bin, dir) = release_build()?;
        let widget = crate::bench_widget::measure(&bin, &dir, PORT)?;
        println!("{}", crate::bench_widget::render(&widget));
        return Ok(());
    }
    status(cargo().args([
        "bench",
        "--package",
        "slotwise-shared",
        "--bench",
        "slot_engine",
    ]))?;
    let engine_90 = criterion_mean_ms("slot_engine_50_providers_90_days_10k_appointments")?;
    let engine_first_90 = criterion_mean_ms("slot_engine_first_available_50_providers_90_days")?;
    let engine_14 = criterion_mean_ms("slot_engine_first_available_50_providers_14_days")?;
    let chains = criterion_mean_ms("chain_search_4_steps_180_days_10_providers")?;

    let (bin, dir) = release_build()?;

    let sqlite_url = format!("sqlite://{}", dir.join("bench.db").display());
    let sqlite = http_benchmarks(&bin, &sqlite_url)?;
    let postgres = match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let url = fresh_postgres(&admin, "slotwise_bench")?;
            Some(http_benchmarks(&bin, &url)?)
        }
        _ => {
            eprintln!("notice: TEST_POSTGRES_URL is not set; skipping the PostgreSQL booking run");
            None
        }
    };
    let widget = crate::bench_widget::measure(&bin, &dir, PORT)?;
    let mut report = render(
        [engine_90, engine_first_90, engine_14, chains],
        &sqlite,
        postgres.as_ref(),
    );
    report.push_str(&crate::bench_widget::render(&widget));
    std::fs::write(root().join("docs/benchmarks.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

/// Release server and load generator; a fresh scratch directory.
fn release_build() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    status(cargo().args([
        "build",
        "--release",
        "--package",
        "slotwise-server",
        "--package",
        "slotwise-loadgen",
    ]))?;
    let bin = root().join("target/release");
    let dir = root().join("target/bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok((bin, dir))
}

fn criterion_mean_ms(name: &str) -> Result<f64, String> {
    let path = root()
        .join("target/criterion")
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    // {"mean":{"confidence_interval":{...},"point_estimate":123.4,...
    let mean = text
        .split("\"mean\"")
        .nth(1)
        .ok_or("no mean in criterion output")?;
    let value = mean
        .split("\"point_estimate\":")
        .nth(1)
        .ok_or("no point estimate")?;
    let number: String = value
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == 'e' || *c == '-')
        .collect();
    number
        .parse::<f64>()
        .map(|ns| ns / 1e6)
        .map_err(|e| e.to_string())
}

fn fresh_postgres(admin: &str, name: &str) -> Result<String, String> {
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        status(Command::new("psql").args([admin, "-q", "-c", &sql]))?;
    }
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b)
        .ok_or("TEST_POSTGRES_URL needs a database path")?;
    Ok(format!("{base}/{name}"))
}

/// Seeds the benchmark practice, serves it, and runs the slot and booking loads.
fn http_benchmarks(bin: &Path, database_url: &str) -> Result<Results, String> {
    let slotwise = bin.join("slotwise");
    let seeded =
        capture(Command::new(&slotwise).args(["seed-bench", "--database-url", database_url]))?;
    let reason = seeded
        .get("reason")
        .cloned()
        .ok_or("seed-bench printed no reason")?;
    let base = format!("http://127.0.0.1:{PORT}");
    let loadgen = bin.join("slotwise-loadgen");
    let load = |mode: &str| {
        capture(Command::new(&loadgen).args([
            mode,
            &base,
            "bench-clinic",
            &reason,
            CLIENTS,
            SECONDS,
        ]))
    };
    // Without the answer cache first: every request computes its free times.
    let mut server = Server::start(&slotwise, database_url, &["--slots-cache-ms", "0"])?;
    let uncached = load("slots");
    server.stop();
    let mut server = Server::start(&slotwise, database_url, &[])?;
    let slots = load("slots");
    let bookings = load("bookings");
    let peak_rss = server.peak_rss_kib();
    server.stop();
    let mut results = Results::new();
    for (prefix, r) in [
        ("uncached", uncached?),
        ("slots", slots?),
        ("bookings", bookings?),
        ("seed", seeded),
    ] {
        for (k, v) in r {
            results.insert(format!("{prefix}.{k}"), v);
        }
    }
    let overlaps =
        capture(Command::new(&slotwise).args(["check-overlaps", "--database-url", database_url]))?;
    results.insert(
        "overlaps".into(),
        overlaps.get("overlaps").cloned().unwrap_or_default(),
    );
    results.insert(
        "peak_rss_mib".into(),
        format!("{:.1}", peak_rss as f64 / 1024.0),
    );
    Ok(results)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{cores} cores ({cpu})")
}

fn get<'a>(r: &'a Results, k: &str) -> &'a str {
    r.get(k).map(String::as_str).unwrap_or("–")
}

fn render(engine: [f64; 4], sqlite: &Results, postgres: Option<&Results>) -> String {
    let [engine_90, engine_first_90, engine_14, chains] = engine;
    let date = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut s = String::new();
    s.push_str("# Benchmarks\n\n");
    s.push_str(&format!(
        "Measured {date} on {}; server, load generator and database share the machine.\n",
        machine()
    ));
    s.push_str("Reproduce with `cargo xtask bench` (set `TEST_POSTGRES_URL` for the PostgreSQL rows); it rewrites this file.\n\n");
    s.push_str(
        "## Slot engine (criterion, `cargo bench -p slotwise-shared --bench slot_engine`)\n\n",
    );
    s.push_str("| case | mean | target |\n| --- | --- | --- |\n");
    s.push_str(&format!("| 50 providers × 90 days × 10,000 appointments + weekly block-offs, across the March DST change | {engine_90:.3} ms | ≤ 2 ms |\n"));
    s.push_str(&format!(
        "| the same, merged into \"first available\" (one provider per time) | {engine_first_90:.3} ms | |\n"
    ));
    s.push_str(&format!(
        "| first available, 50 providers × 14 days, same data | {engine_14:.3} ms | |\n"
    ));
    s.push_str(&format!(
        "| chain search: a 4-step implant procedure (gaps 7–21, 90–120, 7–14 days; one step with the first step's provider) for every first-step time in 14 days, 10 providers, 180-day horizon, same data | {chains:.3} ms | ≤ 20 ms |\n\n"
    ));
    s.push_str(&format!(
        "## HTTP (release build, {CLIENTS} concurrent clients, {SECONDS} s per run)\n\n\
         Practice `bench-clinic`: {} providers on one 30-minute reason, {} existing appointments over 90 days.\n\n",
        get(sqlite, "seed.providers"),
        get(sqlite, "seed.appointments")
    ));
    s.push_str("### `GET slots` (one reason × all its providers × 14 days, gzip)\n\n");
    s.push_str("| database | requests/s | p50 | p95 | p99 | errors | body gz / raw | target |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    let slots_row = |name: &str, r: &Results, p: &str| {
        let g = |k: &str| get(r, &format!("{p}.{k}")).to_string();
        format!(
            "| {name} | {} | {} ms | {} ms | {} ms | {} | {} B / {} B | ≥ 5,000/s, p95 ≤ 20 ms, ≤ 50 KB gz |\n",
            g("rps"), g("p50_ms"), g("p95_ms"), g("p99_ms"), g("errors"), g("gz_bytes"), g("raw_bytes")
        )
    };
    s.push_str(&slots_row(
        "SQLite, answer cache on (default, 2 s)",
        sqlite,
        "slots",
    ));
    s.push_str(&slots_row("SQLite, answer cache off", sqlite, "uncached"));
    if let Some(pg) = postgres {
        s.push_str(&slots_row(
            "PostgreSQL, answer cache on (default, 2 s)",
            pg,
            "slots",
        ));
        s.push_str(&slots_row("PostgreSQL, answer cache off", pg, "uncached"));
    }
    s.push_str("\nWith the cache on, all clients ask for the same reason and fortnight, as many patients looking at one practice's widget do; each answer is reused until a hold, cancellation or reschedule of the practice (or 2 s). With it off, every request reads busy time and runs the slot engine.\n");
    s.push_str("\n### Complete bookings (hold + book, distinct free times, idempotency keys)\n\n");
    s.push_str("| database | bookings/s | p50 | p95 | bookings | 409s | errors | overlaps after | target |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    let bookings_row = |name: &str, r: &Results| {
        format!(
            "| {name} | {} | {} ms | {} ms | {} | {} | {} | {} | ≥ 1,000/s, 0 overlaps |\n",
            get(r, "bookings.per_second"),
            get(r, "bookings.p50_ms"),
            get(r, "bookings.p95_ms"),
            get(r, "bookings.bookings"),
            get(r, "bookings.conflicts"),
            get(r, "bookings.errors"),
            get(r, "overlaps")
        )
    };
    s.push_str(&bookings_row("SQLite (WAL, synchronous=FULL)", sqlite));
    if let Some(pg) = postgres {
        s.push_str(&bookings_row("PostgreSQL", pg));
    }
    s.push_str(
        "\nEach booking is two requests (hold, then book with an `Idempotency-Key`) over distinct free \
         times of the 50 providers, so 409s only appear if the engine offered a taken time. On SQLite \
         the writes of concurrent requests share one commit (group commit, one fsync per batch).\n",
    );
    s.push_str("\n### Server memory\n\n| database | peak RSS over all runs |\n| --- | --- |\n");
    s.push_str(&format!(
        "| SQLite | {} MiB |\n",
        get(sqlite, "peak_rss_mib")
    ));
    if let Some(pg) = postgres {
        s.push_str(&format!(
            "| PostgreSQL | {} MiB |\n",
            get(pg, "peak_rss_mib")
        ));
    }
    s
}
