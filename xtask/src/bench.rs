//! `cargo xtask bench`: measured numbers for docs/benchmarks.md.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("benchmarks are not wired up yet".into())
}
