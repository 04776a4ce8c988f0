//! Building the patient widget: the tools it needs (installed when missing: Trunk and
//! wasm-bindgen-cli with cargo), `trunk build --release` of the full module and of the
//! first-steps module (renamed `slotwise-first-<hash>`), `wasm-opt -Oz` (from npm; skipped with
//! a notice without npm), then gzip and brotli copies of every file for the server to send as
//! they are.

use crate::run::{cargo, root, status};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk release known to work with this toolchain (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` pinned in Cargo.toml: Trunk runs the CLI of that version.
const WASM_BINDGEN_VERSION: &str = "0.2.130";

fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs Debian packages when running as root with apt; otherwise says what is missing.
pub fn apt_install(packages: &[&str], why: &str) -> Result<(), String> {
    if !is_root() || version_of("apt-get").is_none() {
        return Err(format!(
            "{why}: install the Debian packages {} (apt-get install {})",
            packages.join(", "),
            packages.join(" ")
        ));
    }
    let _ = Command::new("apt-get").args(["update", "-qq"]).status();
    status(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-qq"])
            .args(packages),
    )
}

/// Trunk, wasm-bindgen-cli, wasm-opt and the wasm32 target.
fn install_tools() -> Result<(), String> {
    let _ = Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .output();
    if !version_of("trunk").is_some_and(|v| v.contains(TRUNK_VERSION)) {
        status(cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
    }
    if !version_of("wasm-bindgen").is_some_and(|v| v.contains(WASM_BINDGEN_VERSION)) {
        // Not --locked: one of its locked dependencies is no longer on the registry.
        status(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
        ]))?;
    }
    Ok(())
}

/// binaryen's wasm-opt from the npm registry (Debian's 108 breaks wasm-bindgen's
/// reference-types output; tools/package-lock.json pins 132), or `None` without npm. The same
/// install brings axe-core, which the browser tests run inside the widget.
fn wasm_opt() -> Option<PathBuf> {
    let bin = root().join("tools/node_modules/.bin/wasm-opt");
    let axe = root().join("tools/node_modules/axe-core/axe.min.js");
    if !bin.exists() || !axe.exists() {
        let installed = status(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(root().join("tools")),
        );
        if let Err(e) = installed {
            eprintln!("notice: {e}; the widget is built without wasm-opt (about a third larger)");
            return None;
        }
    }
    Some(bin)
}

/// Shrinks the widget's wasm in place with `wasm-opt -Oz`, when wasm-opt can be had.
fn optimise(dist: &Path) -> Result<(), String> {
    let Some(wasm_opt) = wasm_opt() else {
        return Ok(());
    };
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    for path in entries.flatten().map(|e| e.path()) {
        if path.to_string_lossy().ends_with("_bg.wasm") {
            status(
                Command::new(&wasm_opt)
                    .arg("-Oz")
                    .args(WASM_FEATURES)
                    .arg(&path)
                    .arg("-o")
                    .arg(&path),
            )?;
        }
    }
    Ok(())
}

/// The wasm features rustc 1.95 and wasm-bindgen 0.2.130 emit (reference types above all).
const WASM_FEATURES: [&str; 6] = [
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// Builds the widget's two modules into dist/widget and precompresses them; returns the
/// directory.
pub fn build() -> Result<PathBuf, String> {
    install_tools()?;
    let dist = root().join("dist/widget");
    status(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(root()),
    )?;
    build_first_steps(&dist)?;
    optimise(&dist)?;
    precompress(&dist)?;
    Ok(dist)
}

/// Builds the first-steps module (widget/first.html) beside the full one: Trunk writes it to a
/// scratch directory, and its `slotwise-widget-<hash>` files are copied into `dist` as
/// `slotwise-first-<hash>`.
fn build_first_steps(dist: &Path) -> Result<(), String> {
    let scratch = root().join("target/widget-first");
    status(
        Command::new("trunk")
            .args(["build", "widget/first.html", "--release", "--dist"])
            .arg(&scratch)
            .current_dir(root()),
    )?;
    let entries =
        std::fs::read_dir(&scratch).map_err(|e| format!("reading {}: {e}", scratch.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("slotwise-widget") else {
            continue;
        };
        let to = dist.join(format!("slotwise-first{rest}"));
        std::fs::copy(entry.path(), &to).map_err(|e| format!("copying {name}: {e}"))?;
    }
    Ok(())
}

/// Builds the staff console into dist/admin (served at /admin) and precompresses it.
pub fn build_admin() -> Result<PathBuf, String> {
    install_tools()?;
    let dist = root().join("dist/admin");
    status(
        Command::new("trunk")
            .args([
                "build",
                "admin/index.html",
                "--release",
                "--dist",
                "dist/admin",
                "--public-url",
                "/admin/",
            ])
            .current_dir(root()),
    )?;
    optimise(&dist)?;
    precompress(&dist)?;
    Ok(dist)
}

/// Writes `name.gz` (gzip -9) and `name.br` (brotli 11) beside every file.
fn precompress(dir: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.to_string_lossy().into_owned();
        if !path.is_file() || name.ends_with(".gz") || name.ends_with(".br") {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("reading {name}: {e}"))?;
        std::fs::write(format!("{name}.gz"), gzip(&data)?).map_err(|e| e.to_string())?;
        std::fs::write(format!("{name}.br"), brotli(&data)?).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// gzip at the best level.
pub fn gzip(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

/// brotli at quality 11.
pub fn brotli(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(data).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
