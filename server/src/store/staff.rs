//! Staff accounts, sessions and the audit log.

use crate::store::db::Db;
use slotwise_shared::model::PracticeId;
use sqlx::{AnyConnection, FromRow};

/// What signing in needs to know about an account.
#[derive(Clone, Debug, FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
}

/// A live session with its staff member and practice.
#[derive(Clone, Debug, FromRow)]
pub struct SessionRow {
    pub staff_id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub practice_id: PracticeId,
    pub slug: String,
    pub practice_name: String,
    pub timezone: String,
    pub csrf_token: String,
}

/// The enabled account with this (lower-case) email.
pub async fn find_login(db: &Db, email: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, practice_id, password_hash, failed_logins, locked_until
         FROM staff_users WHERE email = $1 AND disabled_at IS NULL",
    )
    .bind(email)
    .fetch_optional(&db.read)
    .await
}

/// Takes one sign-in attempt for an account in a single statement, before its password is
/// checked: the attempt counts as a failure until a successful sign-in clears the count, and
/// the attempt that reaches `max_failures` locks the account until `lock_until` at once. While
/// the account is locked (or disabled) no row changes and the answer is `None`, so of any
/// number of parallel attempts at most `max_failures` get to check a password. Concurrent
/// claims of one row serialise on its row lock (PostgreSQL re-checks the condition on the
/// newest row) or on the single writer (SQLite).
pub async fn claim_attempt(
    conn: &mut AnyConnection,
    staff_id: i64,
    max_failures: i64,
    lock_until: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    // A lock that ended starts the count again at this attempt.
    sqlx::query_scalar(
        "UPDATE staff_users
         SET failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE 1 END,
             locked_until = CASE
                 WHEN (CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE 1 END) >= $2
                 THEN $3 ELSE NULL END
         WHERE id = $1 AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= $4)
         RETURNING failed_logins",
    )
    .bind(staff_id)
    .bind(max_failures)
    .bind(lock_until)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

/// Until when an enabled account is locked, if it is (after a refused claim, for the answer).
pub async fn locked_until(db: &Db, staff_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let until: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT locked_until FROM staff_users WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(staff_id)
    .fetch_optional(&db.read)
    .await?;
    Ok(until.flatten())
}

/// A new session after a successful sign-in (failures forgotten).
pub async fn start_session(
    conn: &mut AnyConnection,
    login: &LoginRow,
    token_hash: &str,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(login.id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, practice_id, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(login.id)
    .bind(login.practice_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The live session of a token hash.
pub async fn session(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS staff_id, u.email, u.name, u.role, p.id AS practice_id, p.slug,
                p.name AS practice_name, p.timezone, s.csrf_token
         FROM staff_sessions s
         JOIN staff_users u ON u.id = s.staff_id
         JOIN practices p ON p.id = s.practice_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.read)
    .await
}

/// Ends a session.
pub async fn end_session(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Drops sessions that ran out (periodic clean-up).
pub async fn delete_expired_sessions(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected())
}

/// Adds an account; `None` when the email is taken.
pub async fn insert_staff(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    email: &str,
    name: &str,
    role: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_users (practice_id, email, name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(practice_id)
    .bind(email)
    .bind(name)
    .bind(role)
    .bind(password_hash)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// Sets a new password (and unlocks the account).
pub async fn set_password(
    conn: &mut AnyConnection,
    staff_id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff_users SET password_hash = $1, failed_logins = 0, locked_until = NULL
         WHERE id = $2",
    )
    .bind(password_hash)
    .bind(staff_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes one audit-log line.
pub async fn audit(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    actor: &str,
    action: &str,
    target: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (practice_id, actor, action, target, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(practice_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The newest audit-log lines: (at, actor, action, target).
pub async fn audit_entries(
    db: &Db,
    practice_id: PracticeId,
    limit: i64,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT created_at, actor, action, target FROM audit_log
         WHERE practice_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(practice_id)
    .bind(limit)
    .fetch_all(&db.read)
    .await
}
