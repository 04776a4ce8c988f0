//! axe-core (from npm, pinned in `tools/package.json`) inside the widget's Shadow DOM: every
//! step a browser test waits for is checked against WCAG 2.0, 2.1 and 2.2 A and AA, and any
//! violation fails the test with the rule, the element and what is wrong.

use fantoccini::Client;
use std::path::Path;
use std::sync::OnceLock;

/// The rule sets checked: WCAG 2.2 A and AA, with the 2.0 and 2.1 rules it includes.
const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// `axe.min.js`, or `None` when tools/ was not installed (a notice; a failure under `CI=true`).
fn axe_source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tools/node_modules/axe-core/axe.min.js");
            match std::fs::read_to_string(&path) {
                Ok(source) => Some(source),
                Err(_) if std::env::var("CI").as_deref() == Ok("true") => panic!(
                    "the accessibility checks need {} under CI=true (cargo xtask test installs tools/)",
                    path.display()
                ),
                Err(_) => {
                    eprintln!(
                        "notice: axe-core is not installed in tools/ (npm ci); accessibility checks are skipped"
                    );
                    None
                }
            }
        })
        .as_deref()
}

/// Runs axe over every widget on the page; panics listing the violations, naming `step`.
pub async fn assert_accessible(client: &Client, step: &str) {
    let Some(source) = axe_source() else {
        return;
    };
    // The source runs as the WebDriver script itself, so no page CSP stands in its way.
    let loaded = client
        .execute("if (window.axe) { return true; }", vec![])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !loaded {
        client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("loading axe-core: {e}"));
    }
    let script = r#"
        const [tags, done] = arguments;
        const hosts = Array.from(document.querySelectorAll('slotwise-booking'));
        window.axe
            .run(hosts, {
                runOnly: { type: 'tag', values: tags },
                // WCAG 2.5.3 (label in name): axe marks it experimental, so it is off unless named.
                rules: { 'label-content-name-mismatch': { enabled: true } },
                resultTypes: ['violations'],
            })
            .then((result) => done(result.violations.map((v) => ({
                rule: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
            }))))
            .catch((error) => done([{ rule: 'axe-error', help: String(error), nodes: [] }]));
    "#;
    let violations = client
        .execute_async(script, vec![serde_json::json!(TAGS)])
        .await
        .unwrap_or_else(|e| panic!("running axe-core on \"{step}\": {e}"));
    let list = violations.as_array().cloned().unwrap_or_default();
    assert!(
        list.is_empty(),
        "WCAG 2.2 A/AA violations on \"{step}\":\n{}",
        serde_json::to_string_pretty(&list).unwrap_or_default()
    );
}
