//! `cargo xtask demo | test | api-fuzz | bench | build`: project tasks that need nothing but cargo.

mod api_fuzz;
mod bench;
mod bench_process;
mod bench_widget;
mod demo;
mod run;
mod test;
mod widget;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  demo     create the demo practice on SQLite and serve it (prints the URLs)
  test     formatting, lints and every test (PostgreSQL half needs TEST_POSTGRES_URL),
           then api-fuzz
  api-fuzz schemathesis against the generated OpenAPI document on a scratch server
  bench    slot-engine, HTTP and widget benchmarks; writes docs/benchmarks.md
           (--widget-only: just the widget's, printed)
  build    the widget and the staff console into dist/ (optimised, compressed), as the
           demo and the browser tests use them";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("api-fuzz") => api_fuzz::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("build") => widget::build()
            .and_then(|_| widget::build_admin())
            .map(drop),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}
