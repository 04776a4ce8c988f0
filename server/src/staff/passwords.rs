//! Staff passwords: Argon2id hashes in PHC format, computed off the async runtime (hashing is
//! deliberately slow, and takes 19 MiB each) and a few at a time process-wide.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Shortest password accepted for a staff account.
pub const MIN_PASSWORD_LEN: usize = 10;

/// How long a sign-in waits for an Argon2 turn before it is told to try again.
const TURN_WAIT: Duration = Duration::from_secs(10);

/// The right to run one Argon2 computation: at most one per core (at least two) run at once
/// in the process, whatever the number of parallel sign-ins.
#[derive(Debug)]
pub struct Argon2Turn {
    _permit: SemaphorePermit<'static>,
}

fn turns() -> &'static Semaphore {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores.max(2))
    })
}

/// Waits for an Argon2 turn; `None` when none came within 10 seconds (the server is busy).
pub async fn turn() -> Option<Argon2Turn> {
    tokio::time::timeout(TURN_WAIT, turns().acquire())
        .await
        .ok()?
        .ok()
        .map(|permit| Argon2Turn { _permit: permit })
}

/// Hashes a password with Argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches a stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password is known for: checked when the email is unknown, so an answer takes as
/// long for an unknown account as for a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

/// Checks a password on a blocking thread during `turn` (held until the check ends, even if
/// the request is dropped meanwhile); `stored` `None` checks the decoy and fails.
pub async fn check(turn: Argon2Turn, password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        match stored {
            Some(hash) => verify_password(&password, &hash),
            None => {
                let _ = verify_password(&password, decoy_hash());
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}

/// Hashes a new password on a blocking thread, in an Argon2 turn like every check.
pub async fn hash(password: String) -> anyhow::Result<String> {
    let turn = turn()
        .await
        .ok_or_else(|| anyhow::anyhow!("too many passwords are being checked; try again"))?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        hash_password(&password)
    })
    .await
    .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
}

/// Why a new password is refused, if it is.
pub fn weakness(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Some(format!("Use at least {MIN_PASSWORD_LEN} characters."));
    }
    if password.len() > 1024 {
        return Some("Use at most 1024 characters.".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify_only_the_right_password() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse battery!", &a));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[tokio::test]
    async fn argon2_turns_are_capped() {
        let cap = turns().available_permits();
        assert!(cap >= 2);
        let mut held = Vec::new();
        for _ in 0..cap {
            held.push(turn().await.expect("a free turn"));
        }
        assert_eq!(turns().available_permits(), 0);
        let waiting = tokio::time::timeout(Duration::from_millis(50), turn()).await;
        assert!(waiting.is_err(), "no turn beyond the cap");
        drop(held);
        assert!(turn().await.is_some());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(weakness("short").is_some());
        assert!(weakness("long enough pass").is_none());
    }
}
