//! Signing in: whether the account is locked is decided by one atomic claim of an attempt
//! before the password is checked (so parallel guesses cannot all be checked), and Argon2 runs
//! a few checks at a time in the whole process. Unknown emails go through the same steps.

use super::decoy_lockouts::DecoyLockouts;
use super::passwords;
use crate::store::db::Db;
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;

/// Failed sign-ins in a row that lock an account…
pub const MAX_FAILED_LOGINS: i64 = 5;
/// …for this long.
pub const LOCKOUT_SECONDS: i64 = 15 * 60;

/// Why a sign-in did not start a session.
#[derive(Debug)]
pub enum SignInError {
    /// The email and password do not match an enabled account.
    Wrong,
    /// Too many failures: locked for this many more minutes.
    Locked { minutes: i64 },
    /// Every Argon2 turn stayed taken for a while: try again shortly.
    Busy,
    /// The database failed.
    Database(sqlx::Error),
}

impl From<sqlx::Error> for SignInError {
    fn from(err: sqlx::Error) -> Self {
        SignInError::Database(err)
    }
}

/// A session that was just started: the cookie's token and its stored hash.
#[derive(Debug)]
pub struct NewSession {
    pub token: String,
    pub token_hash: String,
}

fn locked_for(until: i64, now: i64) -> SignInError {
    SignInError::Locked {
        minutes: ((until - now + 59) / 60).max(1),
    }
}

/// Signs `email` (lower case) in with `password` at `now`; a session of `session_seconds`
/// on success. Every attempt first takes an Argon2 turn, then claims an attempt (the
/// account's row, or the in-memory count of an unknown email), and only then checks the
/// password; a success clears the account's failures.
pub async fn sign_in(
    db: &Db,
    decoys: &DecoyLockouts,
    email: &str,
    password: String,
    now: i64,
    session_seconds: i64,
) -> Result<NewSession, SignInError> {
    let login = staff::find_login(db, email).await?;
    // A lock already in place answers without waiting for a turn; the claim below decides.
    let lock = match &login {
        Some(l) => l.locked_until,
        None => decoys.locked_until(email, now),
    };
    if let Some(until) = lock.filter(|until| *until > now) {
        return Err(locked_for(until, now));
    }
    let turn = passwords::turn().await.ok_or(SignInError::Busy)?;
    let lock_until = now + LOCKOUT_SECONDS;
    let failures = match &login {
        Some(l) => {
            let id = l.id;
            let claimed = db
                .write(write_unit!(|conn| {
                    let claimed =
                        staff::claim_attempt(conn, id, MAX_FAILED_LOGINS, lock_until, now).await?;
                    Ok(WriteOutcome::Commit(claimed))
                }))
                .await?;
            match claimed {
                Some(failures) => failures,
                // Locked by a parallel attempt meanwhile (or disabled).
                None => {
                    return Err(match staff::locked_until(db, id).await? {
                        Some(until) if until > now => locked_for(until, now),
                        _ => SignInError::Wrong,
                    })
                }
            }
        }
        None => decoys
            .claim(email, MAX_FAILED_LOGINS, now, lock_until)
            .map_err(|until| locked_for(until, now))?,
    };
    let stored = login.as_ref().map(|l| l.password_hash.clone());
    let matches = passwords::check(turn, password, stored).await;
    let login = match login {
        Some(login) if matches => login,
        // Unknown emails lock like accounts do: the answers never reveal who has an account.
        login => {
            if failures < MAX_FAILED_LOGINS {
                return Err(SignInError::Wrong);
            }
            if let Some(l) = login {
                let (practice_id, actor) = (l.practice_id, email.to_string());
                db.write(write_unit!(|conn| {
                    staff::audit(conn, practice_id, &actor, "session.locked", "", now).await?;
                    Ok(WriteOutcome::Commit(()))
                }))
                .await?;
            }
            return Err(locked_for(lock_until, now));
        }
    };
    let token = new_token();
    let token_hash = hash_token(&token);
    let csrf = new_token();
    let (hash_copy, actor) = (token_hash.clone(), email.to_string());
    db.write(write_unit!(|conn| {
        staff::start_session(conn, &login, &hash_copy, &csrf, now, now + session_seconds).await?;
        staff::audit(conn, login.practice_id, &actor, "session.login", "", now).await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(NewSession { token, token_hash })
}
