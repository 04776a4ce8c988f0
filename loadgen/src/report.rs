//! Latency percentiles and the result line.

use std::time::Duration;

/// Collected latencies of successful requests.
#[derive(Default)]
pub struct Latencies(pub Vec<Duration>);

impl Latencies {
    /// The p-th percentile (0–100) in milliseconds.
    pub fn percentile_ms(&mut self, p: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        self.0.sort_unstable();
        let rank = ((p / 100.0) * (self.0.len() - 1) as f64).round() as usize;
        self.0[rank.min(self.0.len() - 1)].as_secs_f64() * 1000.0
    }
}

/// `key=value key=value ...`
pub fn line(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
