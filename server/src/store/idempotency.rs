//! Stored first responses of requests sent with an `Idempotency-Key`.

use slotwise_shared::model::PracticeId;
use sqlx::AnyConnection;

/// The status a booking's stored answer is replayed with: made.
pub const BOOKED: u16 = 201;
/// The status a booking's stored answer is replayed with: waiting in the booking queue.
pub const QUEUED: u16 = 202;

/// A stored response (an answer is replayed as it was first sent).
#[derive(Clone, Debug)]
pub struct StoredResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// The stored response for a key, if any.
pub async fn find(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    scope: &str,
    key: &str,
) -> Result<Option<StoredResponse>, sqlx::Error> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT request_hash, status_code, response_body FROM idempotency_keys
         WHERE practice_id = $1 AND scope = $2 AND idem_key = $3",
    )
    .bind(practice_id)
    .bind(scope)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(request_hash, status, body)| StoredResponse {
        request_hash,
        status: u16::try_from(status).unwrap_or(200),
        body,
    }))
}

/// How long a stored response is kept: a day covers every honest retry, and the copy (which
/// includes the booking's manage token) should not outlive its purpose.
pub const KEEP_SECONDS: i64 = 86_400;

/// Deletes stored responses older than [`KEEP_SECONDS`].
pub async fn purge_old(db: &crate::store::db::Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(now - KEEP_SECONDS)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected())
}

/// Stores the response of a key, in the same transaction as the change it describes.
pub async fn save(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    scope: &str,
    key: &str,
    response: &StoredResponse,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO idempotency_keys (practice_id, scope, idem_key, request_hash, status_code,
             response_body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(practice_id)
    .bind(scope)
    .bind(key)
    .bind(&response.request_hash)
    .bind(i64::from(response.status))
    .bind(&response.body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
