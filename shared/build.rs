//! Turns the language files (`lang/*.json`, one per language, named by its code) into
//! `LANGUAGES`, a static table the crate includes (see `src/lang.rs`). A file that is not
//! complete — seven weekdays from Monday, twelve months, AM and PM, the three date patterns
//! with only known placeholders, every text English has and no other, each with English's
//! `{placeholders}` — fails the build, so no language can be half there at run time. English
//! (`en.json`) must exist and comes first: it is the default. Each file's `messages` (the default
//! message templates, every key English has, each with English's `{{ tags }}`) become
//! `MESSAGES`, which only the server includes (feature `messages`).

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
         months: {months:?}, am_pm: {am_pm:?}, day: {day:?}, date: {date:?}, time: {time:?}, \
         full: {full:?} }}, text: &[{text}] }}",
        day = pattern(&dates["day"], &at("dates.day")),
        date = pattern(&dates["date"], &at("dates.date")),
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

/// A language's message templates (`messages`: key → text, e.g. `confirmation.sms`) as a
/// table entry, and each text's `{{ tags }}` by key.
fn messages(code: &str, path: &Path) -> (String, BTreeMap<String, BTreeSet<String>>) {
    let source =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let file: Value = serde_json::from_str(&source)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let mut entries = String::new();
    let mut keys = BTreeMap::new();
    let list = file["messages"]
        .as_object()
        .unwrap_or_else(|| panic!("{}: messages: expected an object", path.display()));
    for (key, value) in list {
        let value = value
            .as_str()
            .unwrap_or_else(|| panic!("{}: messages.{key}: expected a string", path.display()));
        let _ = write!(entries, "({key:?}, {value:?}), ");
        keys.insert(key.clone(), tags(value));
    }
    (format!("({code:?}, &[{entries}])"), keys)
}

/// The `{{ tag }}` names a template uses.
fn tags(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("}}")
                .map(|(name, _)| name.trim().to_string())
        })
        .collect()
}

/// Panics unless `keys` are English's message templates, each with English's tags.
fn same_messages(
    code: &str,
    english: &BTreeMap<String, BTreeSet<String>>,
    keys: &BTreeMap<String, BTreeSet<String>>,
) {
    for (key, names) in english {
        match keys.get(key) {
            None => panic!("lang/{code}.json: messages.{key} is missing"),
            Some(own) if own != names => {
                panic!("lang/{code}.json: messages.{key} uses {own:?}, English uses {names:?}")
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = keys.keys().find(|k| !english.contains_key(*k)) {
        panic!("lang/{code}.json: messages.{extra} is not in English");
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
    let mut templates = format!(
        "/// Each language's message templates by key, in the order of [`LANGUAGES`] (generated \
         from `lang/*.json`).\n\
         pub static MESSAGES: [(&str, &[(&str, &str)]); {}] = [\n",
        codes.len()
    );
    let (mut english, mut english_messages) = (None, None);
    for code in &codes {
        println!("cargo:rerun-if-changed=lang/{code}.json");
        let path = dir.join(format!("{code}.json"));
        let (entry, keys) = language(code, &path);
        let (message_entry, message_keys) = messages(code, &path);
        match (&english, &english_messages) {
            (Some(english), Some(english_messages)) => {
                same_texts(code, english, &keys);
                same_messages(code, english_messages, &message_keys);
            }
            _ => {
                english = Some(keys);
                english_messages = Some(message_keys);
            }
        }
        let _ = writeln!(out, "    {entry},");
        let _ = writeln!(templates, "    {message_entry},");
    }
    out.push_str("];\n");
    templates.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("languages.rs"), out).expect("writing languages.rs");
    std::fs::write(Path::new(&out_dir).join("messages.rs"), templates)
        .expect("writing messages.rs");
}
