//! `cargo xtask test`: formatting, lints, the shared crate for wasm32 (the widget's target),
//! then every test of the workspace.
//!
//! The PostgreSQL half of the API tests needs `TEST_POSTGRES_URL`; without it those cases
//! print a notice and pass, except under `CI=true`, where they fail. Likewise the wasm32 check
//! needs the `wasm32-unknown-unknown` target (`rustup target add wasm32-unknown-unknown`).

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
    } else if ci {
        return Err(format!(
            "the {WASM} target is missing: rustup target add {WASM}"
        ));
    } else {
        eprintln!(
            "notice: the {WASM} target is not installed; skipping the wasm32 check of shared/"
        );
    }
    status(cargo().args(["test", "--workspace"]))
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
