//! `cargo xtask api-fuzz`: schemathesis against the server's generated OpenAPI document.
//!
//! A scratch server on SQLite with the demo practices and a practice API key answers every
//! operation of `/api/v1/openapi.json` with all of schemathesis' checks on (configuration in
//! `tests/schemathesis.toml`); any failure fails the task. `cargo xtask test` runs it last.
//! schemathesis comes from PyPI at a pinned version, installed with pip when missing.

use crate::run::{cargo, describe, root, status};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The schemathesis release the configuration and the pass condition were set against.
const SCHEMATHESIS: &str = "4.32.5";
/// The demo practice the fuzzer books in (its slug pins `{slug}`).
const KEY_LINE: &str = "Practice API key (admin API; shown once): ";

pub fn run(_args: &[String]) -> Result<(), String> {
    fuzz(schemathesis()?)
}

/// The last step of `cargo xtask test`. Without Python's pip, schemathesis cannot be had:
/// outside CI that skips the step with a notice; under `CI=true` it is an error.
pub fn run_in_tests(ci: bool) -> Result<(), String> {
    match schemathesis() {
        Ok(st) => fuzz(st),
        Err(e) if ci => Err(e),
        Err(e) => {
            eprintln!("notice: {e}; the API fuzzing (schemathesis) is skipped");
            Ok(())
        }
    }
}

fn fuzz(st: String) -> Result<(), String> {
    status(cargo().args(["build", "--package", "slotwise-server", "--bin", "slotwise"]))?;
    let server = root().join("target/debug/slotwise");
    let scratch = root().join("target/api-fuzz");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("creating {}: {e}", scratch.display()))?;
    let database_url = format!("sqlite://{}", scratch.join("fuzz.db").display());
    let key = seed(&server, &database_url)?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::File::create(scratch.join("server.log"))
        .map_err(|e| format!("creating the server log: {e}"))?;
    let child = Command::new(&server)
        .args(["serve", "--database-url", &database_url, "--bind"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["--public-url", &base])
        .args(["--widget-dir", &scratch.join("no-widget").to_string_lossy()])
        .args(["--admin-dir", &scratch.join("no-console").to_string_lossy()])
        // The fuzzer is one client sending thousands of requests: the per-client limits would
        // answer most of them 429 before they reach a handler.
        .args(["--booking-rate-per-minute", "1000000"])
        .args(["--slots-rate-per-minute", "1000000"])
        .args(["--login-attempts-per-minute", "1000000"])
        .args(["--max-live-holds-per-client", "1000000"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", server.display()))?;
    let server = Running(child);
    wait_healthy(port)?;
    let mut fuzz = Command::new(&st);
    // Run in the scratch directory: schemathesis keeps its cache of failures beside it, and
    // every run starts without one, as CI does.
    fuzz.current_dir(&scratch)
        .env("SLOTWISE_API_KEY", &key)
        .arg("--config-file")
        .arg(root().join("tests/schemathesis.toml"))
        .arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .args(["--report", "junit", "--report-dir"])
        .arg(&scratch);
    let result = status(&mut fuzz);
    drop(server);
    result.map_err(|e| {
        format!(
            "{e}: schemathesis found failures (above; server log: {})",
            scratch.join("server.log").display()
        )
    })
}

/// The `st` command of the pinned release, installed from PyPI when missing.
fn schemathesis() -> Result<String, String> {
    let pinned = |st: &str| {
        Command::new(st)
            .arg("--version")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(SCHEMATHESIS))
    };
    if pinned("st") {
        return Ok("st".into());
    }
    let pip = || {
        let mut pip = Command::new("python3");
        pip.args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(format!("schemathesis=={SCHEMATHESIS}"));
        pip
    };
    // A distribution's own Python refuses system-wide installs (PEP 668) unless told.
    status(&mut pip()).or_else(|_| status(pip().arg("--break-system-packages")))?;
    // pip may put scripts in a directory that is not on PATH (user installs).
    let user_bin = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let beside = Path::new(&user_bin)
        .join("st")
        .to_string_lossy()
        .into_owned();
    [String::from("st"), beside]
        .into_iter()
        .find(|st| pinned(st))
        .ok_or_else(|| format!("schemathesis {SCHEMATHESIS} could not be installed with pip"))
}

/// Creates the demo practices and returns the practice API key `slotwise demo` prints.
fn seed(server: &Path, database_url: &str) -> Result<String, String> {
    let mut cmd = Command::new(server);
    cmd.args(["demo", "--database-url", database_url]);
    let out = cmd
        .output()
        .map_err(|e| format!("could not start {}: {e}", describe(&cmd)))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            describe(&cmd),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.split_once(KEY_LINE)
                .map(|(_, key)| key.trim().to_string())
        })
        .ok_or_else(|| "`slotwise demo` printed no API key".to_string())
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Waits up to 30 s for `GET /healthz` to answer 200.
fn wait_healthy(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            let mut answer = String::new();
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut answer).is_ok()
                && answer.starts_with("HTTP/1.1 200")
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("the scratch server did not become healthy within 30 s".into())
}

/// The scratch server, stopped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
