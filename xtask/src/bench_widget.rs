//! The widget's benchmarks: bytes over the wire (loader, and everything the first step needs)
//! and the time from navigation start to the first free times visible in headless Chromium.

use crate::bench_process::{capture, Results, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

/// Navigations per series (after one warm-up).
const RUNS: &str = "7";

/// Body size of `GET path` as the server sends it with `Accept-Encoding: encoding`.
fn wire_bytes(port: u16, path: &str, encoding: &str) -> Result<usize, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no HTTP header end")?;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    if !head.starts_with("http/1.1 200") {
        return Err(format!("GET {path}: {}", head.lines().next().unwrap_or("")));
    }
    let body = &response[split + 4..];
    if head.contains("transfer-encoding: chunked") {
        return dechunked_len(body).ok_or_else(|| format!("GET {path}: bad chunked body"));
    }
    Ok(body.len())
}

/// Payload length of an HTTP/1.1 chunked body.
fn dechunked_len(mut body: &[u8]) -> Option<usize> {
    let mut total = 0;
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(total);
        }
        total += size;
        body = body.get(line_end + 2 + size + 2..)?;
    }
}

/// The built file of a module (`slotwise-widget` or `slotwise-first`) ending in `suffix`.
fn widget_file(dir: &Path, module: &str, suffix: &str) -> Result<String, String> {
    std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(module) && n.ends_with(suffix))
        .ok_or_else(|| format!("no {module}*{suffix} in {}", dir.display()))
}

/// Builds the widget, serves the demo practice and measures.
pub fn measure(bin: &Path, dir: &Path, port: u16) -> Result<Results, String> {
    let widget = crate::widget::build()?;
    let slotwise = bin.join("slotwise");
    let database_url = format!("sqlite://{}", dir.join("widget.db").display());
    let host_port = port + 1;
    let host = format!("http://127.0.0.1:{host_port}");
    capture(Command::new(&slotwise).args([
        "demo",
        "--database-url",
        &database_url,
        "--allowed-origins",
        &host,
    ]))?;
    let widget_dir = widget.to_string_lossy().into_owned();
    let host_bind = format!("127.0.0.1:{host_port}");
    let mut server = Server::start(
        &slotwise,
        &database_url,
        &["--widget-dir", &widget_dir, "--demo-host-bind", &host_bind],
    )?;
    let version = env!("CARGO_PKG_VERSION");
    let file = |module: &str, suffix: &str| -> Result<String, String> {
        Ok(format!(
            "/widget/{version}/{}",
            widget_file(&widget, module, suffix)?
        ))
    };
    let (js, wasm) = (
        file("slotwise-widget", ".js")?,
        file("slotwise-widget", "_bg.wasm")?,
    );
    let (first_js, first_wasm) = (
        file("slotwise-first", ".js")?,
        file("slotwise-first", "_bg.wasm")?,
    );
    let css = file("slotwise-style", ".css")?;
    let config = "/api/v1/practices/brightside-dental/booking-config";
    let mut results = Results::new();
    for (encoding, key) in [("identity", "raw"), ("gzip", "gz"), ("br", "br")] {
        let loader = wire_bytes(port, "/embed.js", encoding)?;
        let js = wire_bytes(port, &js, encoding)?;
        let wasm = wire_bytes(port, &wasm, encoding)?;
        let first_js = wire_bytes(port, &first_js, encoding)?;
        let first_wasm = wire_bytes(port, &first_wasm, encoding)?;
        let config = wire_bytes(port, config, encoding)?;
        let css = wire_bytes(port, &css, encoding)?;
        results.insert(format!("loader.{key}"), loader.to_string());
        results.insert(format!("css.{key}"), css.to_string());
        results.insert(format!("first_js.{key}"), first_js.to_string());
        results.insert(format!("first_wasm.{key}"), first_wasm.to_string());
        results.insert(format!("js.{key}"), js.to_string());
        results.insert(format!("wasm.{key}"), wasm.to_string());
        results.insert(format!("config.{key}"), config.to_string());
        results.insert(
            format!("first_step.{key}"),
            (loader + css + config).to_string(),
        );
        results.insert(
            format!("first_module_step.{key}"),
            (loader + css + config + first_js + first_wasm).to_string(),
        );
        results.insert(format!("later.{key}"), (js + wasm).to_string());
    }
    let page = format!(
        "{host}/?patient=returning&reason=checkup&location=any&provider=any&insurance=self-pay"
    );
    let timing = capture(Command::new(bin.join("slotwise-loadgen")).args(["widget", &page, RUNS]));
    server.stop();
    for (k, v) in timing? {
        results.insert(format!("time.{k}"), v);
    }
    Ok(results)
}

fn kb(r: &Results, key: &str) -> String {
    r.get(key)
        .and_then(|v| v.parse::<f64>().ok())
        .map(|b| format!("{:.1} KB", b / 1000.0))
        .unwrap_or_else(|| "–".into())
}

fn ms(r: &Results, key: &str) -> String {
    r.get(key)
        .map(|v| format!("{v} ms"))
        .unwrap_or_else(|| "–".into())
}

/// The report section.
pub fn render(r: &Results) -> String {
    let mut s = String::new();
    s.push_str("\n## Patient widget\n\n");
    s.push_str("Bytes as the release server sends them (`/embed.js` compressed per request; the widget's files precompressed by `cargo xtask`: gzip -9, brotli 11).\n\n");
    s.push_str("| what | raw | gzip | brotli | target |\n| --- | --- | --- | --- | --- |\n");
    let row = |name: &str, p: &str, target: &str| {
        format!(
            "| {name} | {} | {} | {} | {target} |\n",
            kb(r, &format!("{p}.raw")),
            kb(r, &format!("{p}.gz")),
            kb(r, &format!("{p}.br"))
        )
    };
    s.push_str(&row(
        "loader `embed.js` (draws the first question)",
        "loader",
        "≤ 4 KB gz",
    ));
    s.push_str(&row("stylesheet", "css", ""));
    s.push_str(&row("`booking-config` (demo practice)", "config", ""));
    s.push_str(&row(
        "**everything the first step needs** (the first question, drawn by the loader)",
        "first_step",
        "≤ 100 KB gz",
    ));
    s.push_str(&row("first-steps module: JS", "first_js", ""));
    s.push_str(&row("first-steps module: wasm", "first_wasm", ""));
    s.push_str(&row(
        "a link prefilled past the first question: its first step, on the first-steps module",
        "first_module_step",
        "",
    ));
    s.push_str(&row("full module: JS", "js", ""));
    s.push_str(&row("full module: wasm", "wasm", ""));
    s.push_str(&row(
        "loaded while the patient is on the first steps (full module)",
        "later",
        "",
    ));
    s.push_str(&format!(
        "\nTime from navigation start to the first free times painted, headless Chromium against the \
         local release server, demo host page on another origin, cold cache every run, {} runs after a \
         warm-up (`slotwise-loadgen widget`; the page opens at the time step through URL prefill):\n\n",
        r.get("time.runs").map(String::as_str).unwrap_or("–")
    ));
    s.push_str("| conditions | median | p90 | max | target |\n| --- | --- | --- | --- | --- |\n");
    s.push_str(&format!(
        "| as is | {} | {} | {} | ≤ 0.5 s |\n",
        ms(r, "time.local_median_ms"),
        ms(r, "time.local_p90_ms"),
        ms(r, "time.local_max_ms")
    ));
    s.push_str(&format!(
        "| 4× CPU throttling, \"Slow 4G\" (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up) | {} | {} | {} | ≤ 2.0 s |\n",
        ms(r, "time.throttled_median_ms"),
        ms(r, "time.throttled_p90_ms"),
        ms(r, "time.throttled_max_ms")
    ));
    s.push_str(&format!(
        "\nLayout shift while loading (cumulative, worst run of both series; the loader reserves \
         the widget's height): {} (\"good\" is ≤ 0.1).\n",
        r.get("time.layout_shift_max")
            .map(String::as_str)
            .unwrap_or("–")
    ));
    s.push_str(
        "\nThe widget section alone: `cargo xtask bench --widget-only` (prints it; timings vary \
         by a few tens of milliseconds between runs on this machine).\n",
    );
    s
}
