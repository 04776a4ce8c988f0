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

    /// Counts a failure; `true` when it locks the email until `lock_until`.
    pub fn fail(&self, email: &str, max_failures: i64, lock_until: i64) -> bool {
        let Ok(mut map) = self.inner.lock() else {
            return false;
        };
        if map.len() >= MAX_REMEMBERED {
            map.clear();
        }
        let entry = map.entry(email.to_string()).or_insert((0, 0));
        entry.0 += 1;
        if entry.0 >= max_failures {
            *entry = (0, lock_until);
            return true;
        }
        false
    }

    /// Forgets emails whose lock ended and that have no recent failures (periodic).
    pub fn forget_old(&self, now: i64) {
        if let Ok(mut map) = self.inner.lock() {
            map.retain(|_, (failures, until)| *failures > 0 || *until > now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_until_the_given_time() {
        let d = DecoyLockouts::default();
        for _ in 0..4 {
            assert!(!d.fail("x@example.com", 5, 100));
        }
        assert!(d.fail("x@example.com", 5, 100));
        assert_eq!(d.locked_until("x@example.com", 50), Some(100));
        assert_eq!(d.locked_until("x@example.com", 100), None);
    }
}
