//! The bounded template engine: practices write their own messages, so a template is hostile
//! input. Rendering has a budget of work (minijinja fuel), of output bytes and of nesting; the
//! language is cut down to what a message needs (tags, `if`, `for` over literals, a few text
//! filters) so no expression can grow a value faster than the template's own length; and
//! rendering runs on the blocking pool, a few at a time, never on the async threads.

use minijinja::{filters, tests, Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;
use std::io;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// Instructions one render may run: a default message takes a few hundred.
pub const FUEL: u64 = 20_000;
/// Bytes one rendered field may have (an email body is the longest).
pub const MAX_OUTPUT_BYTES: usize = 20_000;
/// Nesting of blocks and loops.
const RECURSION_LIMIT: usize = 40;
/// Renders at once: each is short, and the cap keeps a flood of previews off every core.
const PARALLEL_RENDERS: usize = 4;

/// Why a template did not render, in words staff can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("This template does too much work (loops inside loops?). Keep messages simple.")]
    TooMuchWork,
    #[error("This template writes more than {MAX_OUTPUT_BYTES} characters. Shorten it.")]
    TooLong,
    #[error("This template nests too deeply. Keep messages simple.")]
    TooDeep,
    #[error("The template could not be rendered: {0}")]
    Failed(String),
}

/// The filters a message may use: each returns at most a few times its input.
const FILTERS: &[&str] = &[
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "default",
    "d",
    "length",
];

/// The environment every check and render uses.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::empty();
    // A tag that is not in the context is an error, never silently empty text.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(false);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION_LIMIT);
    env.add_filter("upper", filters::upper);
    env.add_filter("lower", filters::lower);
    env.add_filter("title", filters::title);
    env.add_filter("capitalize", filters::capitalize);
    env.add_filter("trim", filters::trim);
    env.add_filter("default", filters::default);
    env.add_filter("d", filters::default);
    env.add_filter("length", filters::length);
    env.add_test("defined", tests::is_defined);
    env.add_test("undefined", tests::is_undefined);
    env.add_test("none", tests::is_none);
    env.add_test("eq", tests::is_eq);
    env.add_test("ne", tests::is_ne);
    env
}

/// The filters a template may use, for error messages.
pub fn allowed_filters() -> String {
    FILTERS.join(", ")
}

/// Refuses what the cut-down language leaves out but minijinja would still parse: `*` and `**`
/// (string and list repetition grow a value far beyond the template's length).
pub fn check_operators(source: &str) -> Result<(), String> {
    let mut rest = source;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open..];
        let close = match after.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                rest = &after[1..];
                continue;
            }
        };
        let body = &after[2..];
        let end = body.find(close).unwrap_or(body.len());
        if code_has_star(&body[..end]) {
            return Err("Arithmetic (`*`) is not available in messages.".into());
        }
        rest = &body[end..];
    }
    Ok(())
}

/// Whether a block's code has `*` outside its string literals.
fn code_has_star(code: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in code.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '*' => return true,
            None => {}
        }
    }
    false
}

/// A writer that refuses the byte past the cap, so a runaway template stops at the cap
/// instead of growing the answer.
struct CappedWriter {
    out: Vec<u8>,
}

impl io::Write for CappedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.out.len() + buf.len() > MAX_OUTPUT_BYTES {
            return Err(io::Error::other("output cap"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Renders `source` with `values` within the bounds (on the calling thread: see [`render`]).
pub fn render_now<S: Serialize>(
    env: &Environment<'static>,
    source: &str,
    values: S,
) -> Result<String, RenderError> {
    check_operators(source).map_err(RenderError::Failed)?;
    let template = env
        .template_from_str(source)
        .map_err(|e| RenderError::Failed(e.to_string()))?;
    let mut writer = CappedWriter { out: Vec::new() };
    match template.render_captured_to(values, &mut writer) {
        Ok(_) => String::from_utf8(writer.out).map_err(|e| RenderError::Failed(e.to_string())),
        Err(e) => Err(match e.kind() {
            ErrorKind::OutOfFuel => RenderError::TooMuchWork,
            ErrorKind::WriteFailure => RenderError::TooLong,
            _ if e.to_string().contains("recursion") => RenderError::TooDeep,
            _ => RenderError::Failed(e.to_string()),
        }),
    }
}

static RENDERS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(PARALLEL_RENDERS));

/// Runs `work` (which renders) on the blocking pool, at most [`PARALLEL_RENDERS`] at a time.
pub async fn off_runtime<T, F>(work: F) -> Result<T, RenderError>
where
    F: FnOnce() -> Result<T, RenderError> + Send + 'static,
    T: Send + 'static,
{
    let _permit = RENDERS
        .acquire()
        .await
        .map_err(|_| RenderError::Failed("the renderer is shutting down".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| RenderError::Failed("the renderer stopped".into()))?
}

#[cfg(test)]
mod tests_bounds {
    use super::*;
    use std::time::Instant;

    fn render(source: &str) -> Result<String, RenderError> {
        render_now(
            &environment(),
            source,
            serde_json::json!({"date": "Monday"}),
        )
    }

    #[test]
    fn nested_loops_run_out_of_fuel_quickly() {
        let list: Vec<String> = (0..60).map(|i| i.to_string()).collect();
        let list = format!("[{}]", list.join(","));
        let source = format!(
            "{{% for a in {list} %}}{{% for b in {list} %}}{{% for c in {list} %}}{{% for d in {list} %}}x{{% endfor %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}"
        );
        let started = Instant::now();
        assert_eq!(render(&source), Err(RenderError::TooMuchWork));
        assert!(started.elapsed().as_secs() < 1);
    }

    #[test]
    fn output_past_the_cap_is_refused() {
        let list: Vec<String> = (0..150).map(|i| i.to_string()).collect();
        let list = format!("[{}]", list.join(","));
        let source = format!("{{% for a in {list} %}}{}{{% endfor %}}", "y".repeat(200));
        assert_eq!(render(&source), Err(RenderError::TooLong));
    }

    #[test]
    fn repetition_and_the_left_out_builtins_are_refused() {
        assert!(render("{{ 'x' * 100000000 }}").is_err());
        assert!(render("{{ date * 2 }}").is_err());
        assert!(render("{% set ns = namespace(s='x') %}").is_err());
        assert!(render("{% for i in range(10) %}{% endfor %}").is_err());
        assert!(render("{% macro f() %}{% endmacro %}").is_err());
        assert!(render("{{ date | replace('M', 'MM') }}").is_err());
        // A star inside a string is text, not arithmetic.
        assert_eq!(render("{{ '*' ~ date }} *").as_deref(), Ok("*Monday *"));
    }

    #[test]
    fn messages_keep_their_filters_and_conditions() {
        assert_eq!(
            render("{% if date is defined %}{{ date | upper }}{% endif %}").as_deref(),
            Ok("MONDAY")
        );
    }
}
