//! When a failed message is tried again: capped exponential backoff with jitter, so a
//! provider outage is not met by every instance retrying in lockstep.

use rand::Rng;
use std::time::Duration;

/// Delay before attempt `attempt + 1` after `attempt` failed: `base × 2^(attempt-1)`, capped,
/// then a random point in its upper half.
pub fn retry_delay(attempt: i64, base: Duration, cap: Duration) -> Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let full = base.saturating_mul(2u32.saturating_pow(exponent)).min(cap);
    let half = full / 2;
    let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
    half + Duration::from_millis(rand::rng().random_range(0..=jitter_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_double_and_stop_at_the_cap() {
        let base = Duration::from_secs(30);
        let cap = Duration::from_secs(3600);
        for _ in 0..50 {
            let first = retry_delay(1, base, cap);
            assert!(
                first >= Duration::from_secs(15) && first <= base,
                "{first:?}"
            );
            let third = retry_delay(3, base, cap);
            assert!(third >= Duration::from_secs(60) && third <= Duration::from_secs(120));
            let late = retry_delay(40, base, cap);
            assert!(late >= cap / 2 && late <= cap, "{late:?}");
        }
    }
}
