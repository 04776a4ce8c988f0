//! `cargo xtask test`: formatting, lints (also of the widget for wasm32), the widget build, then
//! every test of the workspace, the browser tests in headless Chromium among them, and last
//! schemathesis against the generated OpenAPI document (`cargo xtask api-fuzz`).
//!
//! The PostgreSQL half of the API tests needs `TEST_POSTGRES_URL`; without it those cases
//! print a notice and pass, except under `CI=true`, where they fail. rustfmt, clippy and the
//! `wasm32-unknown-unknown` target are installed through rustup when missing; if the target
//! cannot be had, the wasm32 check is skipped with a notice (and fails under `CI=true`).

use crate::run::{cargo, status};
use std::process::Command;

const WASM: &str = "wasm32-unknown-unknown";

pub fn run(_args: &[String]) -> Result<(), String> {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    if std::env::var("TEST_POSTGRES_URL")
        .map(|v| v.is_empty())
        .unwrap_or(true)
    {
        eprintln!("notice: TEST_POSTGRES_URL is not set; API tests will run on SQLite only");
    }
    install_missing();
    status(cargo().args(["fmt", "--all", "--check"]))?;
    status(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    if wasm_target_installed() {
        status(cargo().args(["check", "--package", "slotwise-shared", "--target", WASM]))?;
        status(cargo().args([
            "clippy",
            "--package",
            "slotwise-widget",
            "--package",
            "slotwise-admin",
            "--target",
            WASM,
            "--",
            "-D",
            "warnings",
        ]))?;
        // The widget's first-steps module is the same crate without its later steps.
        status(cargo().args([
            "clippy",
            "--package",
            "slotwise-widget",
            "--no-default-features",
            "--target",
            WASM,
            "--",
            "-D",
            "warnings",
        ]))?;
    } else if ci {
        return Err(format!(
            "the {WASM} target is missing: rustup target add {WASM}"
        ));
    } else {
        eprintln!(
            "notice: the {WASM} target is not installed; skipping the wasm32 check of shared/"
        );
    }
    browser_tests_ready(ci)?;
    status(cargo().args(["test", "--workspace"]))?;
    crate::api_fuzz::run_in_tests(ci)
}

/// The built widget and Chromium + ChromeDriver for the browser tests. Outside CI a missing
/// piece only skips those tests (they print a notice); under `CI=true` it is an error.
fn browser_tests_ready(ci: bool) -> Result<(), String> {
    let built = crate::widget::build()
        .and_then(|_| crate::widget::build_admin())
        .map(drop);
    let browser = if std::path::Path::new("/usr/bin/chromium").exists()
        && std::path::Path::new("/usr/bin/chromedriver").exists()
    {
        Ok(())
    } else {
        crate::widget::apt_install(
            &["chromium", "chromium-driver"],
            "the browser tests need Chromium and ChromeDriver",
        )
    };
    match (built, browser) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), _) | (_, Err(e)) if ci => Err(e),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("notice: {e}; the browser tests will be skipped");
            Ok(())
        }
    }
}

/// rustfmt, clippy and the wasm32 target, through rustup when it is there. Failures are left
/// for the steps below to report (or, for the wasm32 target outside CI, to skip).
fn install_missing() {
    let quiet = |args: &[&str]| {
        let _ = Command::new("rustup").args(args).output();
    };
    quiet(&["component", "add", "rustfmt", "clippy"]);
    if !wasm_target_installed() {
        quiet(&["target", "add", WASM]);
    }
}

fn wasm_target_installed() -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM)
        })
        .unwrap_or(false)
}
