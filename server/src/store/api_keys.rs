//! Practice API keys: their hashes (never the keys), roles, when each was last used, and
//! revoking them.

use crate::store::db::Db;
use slotwise_shared::model::PracticeId;
use sqlx::{AnyConnection, FromRow};

/// A live key as its practice sees it.
#[derive(Clone, Debug, FromRow)]
pub struct ApiKeyRow {
    pub id: i64,
    pub label: String,
    pub role: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Who a live key acts for.
#[derive(Clone, Debug, FromRow)]
pub struct KeyHolder {
    pub key_id: i64,
    pub practice_id: PracticeId,
    pub slug: String,
    pub role: String,
    pub last_used_at: Option<i64>,
}

/// The practice and role of a live (unrevoked) key hash.
pub async fn holder_of_key(db: &Db, key_hash: &str) -> Result<Option<KeyHolder>, sqlx::Error> {
    sqlx::query_as(
        "SELECT k.id AS key_id, p.id AS practice_id, p.slug, k.role, k.last_used_at
         FROM api_keys k JOIN practices p ON p.id = k.practice_id
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(&db.read)
    .await
}

/// Notes that a key was used at `now`.
pub async fn touch_key(db: &Db, key_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(key_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Stores a new key's hash with its label and role; its id.
pub async fn insert_key(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    key_hash: &str,
    label: &str,
    role: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_keys (practice_id, key_hash, label, role, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(practice_id)
    .bind(key_hash)
    .bind(label)
    .bind(role)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// The practice's live keys, newest first.
pub async fn list_keys(db: &Db, practice_id: PracticeId) -> Result<Vec<ApiKeyRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, label, role, created_at, last_used_at FROM api_keys
         WHERE practice_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// The role of one of the practice's live keys; `None` for a revoked key or another
/// practice's id.
pub async fn live_key_role(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    key_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT role FROM api_keys WHERE id = $1 AND practice_id = $2 AND revoked_at IS NULL",
    )
    .bind(key_id)
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Revokes a live key of the practice; whether it was live.
pub async fn revoke_key(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    key_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at = $1
         WHERE id = $2 AND practice_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(key_id)
    .bind(practice_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
