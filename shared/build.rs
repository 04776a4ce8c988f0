//! Turns the language files (`lang/*.json`, one per language, named by its code) into
//! `LANGUAGES`, a static table the crate includes (see `src/lang.rs`). A file that is not
//! complete — seven weekdays from Monday, twelve months, AM and PM, the three date patterns
//! with only known placeholders, every text English has and no other, each with English's
//! `{placeholders}` — fails the build, so no language can be half there at run time. English
//! (`en.json`) must exist and comes first: it is the default.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const PLACEHOLDERS: [&str; 8] = [
    "weekday", "month", "day", "year", "hour12", "minute", "am_pm", "zone",
];

fn strings(value: &Value, what: &str, count: usize) -> Vec<String> {
    let list: Vec<String> = value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        list.len() == count,
        "{what}: expected {count} strings, found {}",
        list.len()
    );
    list
}

fn pattern(value: &Value, what: &str) -> String {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what}: expected a string"));
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .unwrap_or_else(|| panic!("{what}: unclosed {{"));
        let name = &rest[open + 1..open + close];
        assert!(
            PLACEHOLDERS.contains(&name),
            "{what}: unknown placeholder {{{name}}} (known: {PLACEHOLDERS:?})"
        );
        rest = &rest[open + close + 1..];
    }
    text.to_string()
}

/// The `{names}` a text uses.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// A language's table entry, and its texts' placeholders by key.
fn language(code: &str, path: &Path) -> (String, BTreeMap<String, BTreeSet<String>>) {
    let source =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let file: Value = serde_json::from_str(&source)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let at = |what: &str| format!("{}: {what}", path.display());
    let name = file["name"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", at("name: expected a string")));
    let dates = &file["dates"];
    let weekdays = strings(&dates["weekdays"], &at("dates.weekdays"), 7);
    let months = strings(&dates["months"], &at("dates.months"), 12);
    let am_pm = strings(&dates["am_pm"], &at("dates.am_pm"), 2);
    let mut text = String::new();
    let mut keys = BTreeMap::new();
    if let Some(entries) = file["text"].as_object() {
        for (key, value) in entries {
            let value = value
                .as_str()
                .unwrap_or_else(|| panic!("{}", at(&format!("text.{key}: expected a string"))));
            let _ = write!(text, "({key:?}, {value:?}), ");
            keys.insert(key.clone(), placeholders(value));
        }
    }
    let entry = format!(
        "Language {{ code: {code:?}, name: {name:?}, dates: DateWords {{ weekdays: {weekdays:?}, \
         months: {months:?}, am_pm: {am_pm:?}, day: {day:?}, time: {time:?}, full: {full:?} }}, \
         text: &[{text}] }}",
        day = pattern(&dates["day"], &at("dates.day")),
        time = pattern(&dates["time"], &at("dates.time")),
        full = pattern(&dates["full"], &at("dates.full")),
    );
    (entry, keys)
}

/// Panics unless `keys` are English's texts, each with English's placeholders.
fn same_texts(
    code: &str,
    english: &BTreeMap<String, BTreeSet<String>>,
    keys: &BTreeMap<String, BTreeSet<String>>,
) {
    for (key, names) in english {
        match keys.get(key) {
            None => panic!("lang/{code}.json: text.{key} is missing"),
            Some(own) if own != names => {
                panic!("lang/{code}.json: text.{key} uses {own:?}, English uses {names:?}")
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = keys.keys().find(|k| !english.contains_key(*k)) {
        panic!("lang/{code}.json: text.{extra} is not in English");
    }
}

fn main() {
    let dir = Path::new("lang");
    println!("cargo:rerun-if-changed=lang");
    let mut codes: Vec<String> = std::fs::read_dir(dir)
        .expect("the lang directory")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    codes.sort_by_key(|c| (c != "en", c.clone()));
    assert!(
        codes.first().is_some_and(|c| c == "en"),
        "lang/en.json is required"
    );
    let mut out = format!(
        "/// Every language patients can read, English first (generated from `lang/*.json`).\n\
         pub static LANGUAGES: [Language; {}] = [\n",
        codes.len()
    );
    let mut english = None;
    for code in &codes {
        println!("cargo:rerun-if-changed=lang/{code}.json");
        let (entry, keys) = language(code, &dir.join(format!("{code}.json")));
        match &english {
            None => english = Some(keys),
            Some(english) => same_texts(code, english, &keys),
        }
        let _ = writeln!(out, "    {entry},");
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("languages.rs");
    std::fs::write(target, out).expect("writing languages.rs");
}
