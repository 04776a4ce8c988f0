//! The server's layers, read from its source: every `crate::AREA` a file of `server/src`
//! names is an arrow from its area to that one. No two areas may use each other (directly or
//! around a circle), and an area uses only areas of the layers below its own — the picture in
//! docs/architecture.md, which this table mirrors. And every SQL statement is in `store/`.
//! (Routes and their OpenAPI description cannot disagree: `routes!` takes each route from its
//! handler's annotation; `openapi_document.rs` checks the document itself.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level areas of `server/src`, top layer first. An area may use areas of any layer
/// below its own, never one above or beside it.
const LAYERS: &[&[&str]] = &[
    &["cli"],
    &["demo"],
    &["startup"],
    &["routes"],
    &["admin_assets", "widget_assets", "jobs"],
    &["state"],
    &["rate_limit", "extract"],
    &["error"],
    &["booking"],
    &["waitlist"],
    &["automations", "patients", "procedures", "day_view"],
    &["notify", "pms", "staff", "api_keys", "practices"],
    &["appointment_view"],
    &["catalog"],
    &["store"],
    &["db"],
    &[
        "write_batch",
        "clock",
        "html",
        "config",
        "tokens",
        "domain_error",
        "outbound",
        "phone",
    ],
];

fn server_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("server/src is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The area of a file: its first path component under `server/src`, without `.rs`.
fn area_of(path: &Path) -> String {
    let relative = path.strip_prefix(server_src()).expect("under server/src");
    let first = relative
        .components()
        .next()
        .expect("a component")
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The areas a file's code names as `crate::AREA` (comments left out).
fn areas_used(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.insert(name);
            }
            rest = after;
        }
    }
    used
}

/// Arrows between areas, each with the files that make it.
fn arrows() -> BTreeMap<(String, String), Vec<String>> {
    let mut files = Vec::new();
    rust_files(&server_src(), &mut files);
    let mut arrows: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in files {
        let from = area_of(&file);
        if from == "main" || from == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        for to in areas_used(&text) {
            if to != from {
                let name = file
                    .strip_prefix(server_src())
                    .expect("under")
                    .display()
                    .to_string();
                arrows.entry((from.clone(), to)).or_default().push(name);
            }
        }
    }
    arrows
}

fn layer_of(area: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&area))
}

#[test]
fn every_area_of_the_server_has_a_layer() {
    let mut files = Vec::new();
    rust_files(&server_src(), &mut files);
    let unplaced: BTreeSet<String> = files
        .iter()
        .map(|f| area_of(f))
        .filter(|a| a != "main" && a != "lib" && layer_of(a).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "areas missing from LAYERS: {unplaced:?}"
    );
}

#[test]
fn areas_use_only_areas_of_lower_layers() {
    let mut wrong = Vec::new();
    for ((from, to), files) in arrows() {
        let (Some(a), Some(b)) = (layer_of(&from), layer_of(&to)) else {
            continue;
        };
        if b <= a {
            wrong.push(format!("{from} -> {to} (in {})", files.join(", ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows up or across the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_circle_between_areas() {
    let arrows = arrows();
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in arrows.keys() {
        next.entry(from.as_str()).or_default().push(to.as_str());
    }
    // Depth-first search; a grey node met again closes a circle.
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|n| *n == node).unwrap_or(0);
                let mut circle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                circle.push(node.to_string());
                return Some(circle);
            }
            None => {}
        }
        state.insert(node, false);
        path.push(node);
        for to in next.get(node).into_iter().flatten() {
            if let Some(circle) = visit(to, next, state, path) {
                return Some(circle);
            }
        }
        path.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for node in next.keys() {
        let mut path = Vec::new();
        if let Some(circle) = visit(node, &next, &mut state, &mut path) {
            panic!("areas in a circle: {}", circle.join(" -> "));
        }
    }
}

/// Words that start an SQL statement in a string literal.
const SQL_STARTS: &[&str] = &[
    "SELECT ",
    "INSERT INTO",
    "DELETE FROM",
    "UPDATE ",
    "BEGIN",
    "PRAGMA",
    "SAVEPOINT",
    "sqlx::query",
];

/// Lines of code (comments left out) that hold an SQL statement or an sqlx query.
fn sql_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .filter(|code| {
            SQL_STARTS.iter().any(|start| {
                code.contains(&format!("\"{start}"))
                    || (start.starts_with("sqlx") && code.contains(start))
            })
        })
        .map(|code| code.trim().to_string())
        .collect()
}

#[test]
fn all_sql_lives_in_the_store() {
    let mut files = Vec::new();
    rust_files(&server_src(), &mut files);
    let mut outside = Vec::new();
    for file in files {
        if area_of(&file) == "store" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        for line in sql_lines(&text) {
            outside.push(format!("{}: {line}", file.display()));
        }
    }
    assert!(
        outside.is_empty(),
        "SQL outside server/src/store:\n{}",
        outside.join("\n")
    );
}

#[test]
fn the_sql_reader_finds_statements_and_queries() {
    assert_eq!(sql_lines("let q = \"SELECT id FROM x\";").len(), 1);
    assert_eq!(sql_lines("sqlx::query_scalar(text)").len(), 1);
    assert!(sql_lines("// \"SELECT in a comment\"\nlet method = \"DELETE\";").is_empty());
}

#[test]
fn the_reader_sees_arrows_and_skips_comments() {
    let used =
        areas_used("use crate::store::x; // see crate::routes\nlet a = crate::clock::now();");
    assert_eq!(
        used,
        BTreeSet::from(["store".to_string(), "clock".to_string()])
    );
}
