//! Running the release binaries for the benchmarks: the server on its port, and a load
//! generator's `key=value` summary line as results.

use crate::run::describe;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the benchmarked server listens.
pub const PORT: u16 = 18_080;

/// Named figures of one benchmark run.
pub type Results = BTreeMap<String, String>;

/// `a=1 b=2` → results.
fn key_values(line: &str) -> Results {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs `cmd` and reads the `key=value` pairs of the last line it prints.
pub fn capture(cmd: &mut Command) -> Result<Results, String> {
    eprintln!("$ {}", describe(cmd));
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", describe(cmd), out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(key_values(text.lines().last().unwrap_or("")))
}

/// A release server serving a benchmark database on [`PORT`]; stopped when dropped.
pub struct Server {
    child: Child,
}

impl Server {
    /// Starts `slotwise serve` without rate limits and waits until it listens.
    pub fn start(slotwise: &Path, database_url: &str, extra: &[&str]) -> Result<Server, String> {
        let mut cmd = Command::new(slotwise);
        cmd.args([
            "serve",
            "--database-url",
            database_url,
            "--bind",
            &format!("127.0.0.1:{PORT}"),
        ])
        .args([
            "--booking-rate-per-minute",
            "0",
            "--max-live-holds-per-client",
            "0",
            "--slots-rate-per-minute",
            "0",
        ])
        .args(extra)
        .env("RUST_LOG", "warn");
        eprintln!("$ {}", describe(&cmd));
        let child = cmd.spawn().map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", PORT)).is_err() {
            if Instant::now() > deadline {
                return Err("server did not start listening".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Server { child })
    }

    /// VmHWM: the peak resident set size of the server process so far.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    pub fn stop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
