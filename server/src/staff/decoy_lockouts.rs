//! Failed sign-ins for emails that have no account, counted and locked exactly like an
//! account's, so the answers (401, then 429 "locked") never tell which emails have accounts.
//! Kept in memory per instance: nothing about strangers' emails is written down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most emails remembered at once; beyond it the oldest state is dropped wholesale.
const MAX_REMEMBERED: usize = 100_000;

/// Failures and lock of unknown emails.
#[derive(Clone, Debug, Default)]
pub struct DecoyLockouts {
    /// email → (failures in a row, locked until).
    inner: Arc<Mutex<HashMap<String, (i64, i64)>>>,
}

impl DecoyLockouts {
    /// Until when the email is locked, if it is.
    pub fn locked_until(&self, email: &str, now: i64) -> Option<i64> {
        let map = self.inner.lock().ok()?;
        map.get(email).map(|e| e.1).filter(|until| *until > now)
    }

    /// Takes one sign-in attempt for `email` under its lock, as an account's claim does:
    /// `Ok(failures in a row, this attempt included)` (the attempt that reaches `max_failures`
    /// locks it until `lock_until`), or `Err(until)` while it is locked. One lock is held for
    /// the whole decision, so parallel attempts cannot all pass.
    pub fn claim(
        &self,
        email: &str,
        max_failures: i64,
        now: i64,
        lock_until: i64,
    ) -> Result<i64, i64> {
        let mut map = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if map.len() >= MAX_REMEMBERED && !map.contains_key(email) {
            map.clear();
        }
        let entry = map.entry(email.to_string()).or_insert((0, 0));
        if entry.1 > now {
            return Err(entry.1);
        }
        // A lock that ended starts the count again.
        let failures = if entry.1 != 0 { 1 } else { entry.0 + 1 };
        *entry = (
            failures,
            if failures >= max_failures {
                lock_until
            } else {
                0
            },
        );
        Ok(failures)
    }

    /// Forgets emails whose lock ended and that have no recent failures (periodic).
    pub fn forget_old(&self, now: i64) {
        if let Ok(mut map) = self.inner.lock() {
            map.retain(|_, (failures, until)| *until > now || (*until == 0 && *failures > 0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_attempt_locks_until_the_given_time_and_the_next_ones_wait() {
        let d = DecoyLockouts::default();
        for n in 1..=4 {
            assert_eq!(d.claim("x@example.com", 5, 0, 100), Ok(n));
        }
        assert_eq!(
            d.claim("x@example.com", 5, 0, 100),
            Ok(5),
            "the fifth locks"
        );
        assert_eq!(d.claim("x@example.com", 5, 50, 150), Err(100), "locked");
        assert_eq!(d.locked_until("x@example.com", 50), Some(100));
        assert_eq!(d.locked_until("x@example.com", 100), None);
        assert_eq!(
            d.claim("x@example.com", 5, 100, 200),
            Ok(1),
            "a new count after the lock"
        );
        d.forget_old(300);
        assert_eq!(d.locked_until("x@example.com", 300), None);
    }
}
