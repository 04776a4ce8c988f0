//! The practice-management connection: its settings and health, the busy time read from it,
//! and the queued bookings waiting for it.

use crate::store::db::Db;
use slotwise_shared::model::{CarrierId, PatientId, PracticeId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// A practice's connection row (a practice without one uses the built-in schedule).
#[derive(Clone, Debug, Default, FromRow)]
pub struct ConnectionRow {
    pub practice_id: PracticeId,
    pub kind: String,
    pub base_url: String,
    pub auth_token: String,
    pub last_success_at: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
}

const SELECT: &str = "SELECT practice_id, kind, base_url, auth_token, last_success_at, last_error,
        last_error_at FROM pms_connections";

/// The connection of a practice, if it has one.
pub async fn connection(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Option<ConnectionRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE practice_id = $1"))
        .bind(practice_id)
        .fetch_optional(&db.read)
        .await
}

/// Every practice connected to an outside system.
pub async fn outside_connections(db: &Db) -> Result<Vec<ConnectionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE kind <> 'builtin' ORDER BY practice_id"
    ))
    .fetch_all(&db.read)
    .await
}

/// Saves the kind, address and token (health is kept).
pub async fn save(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    kind: &str,
    base_url: &str,
    auth_token: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pms_connections (practice_id, kind, base_url, auth_token, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (practice_id) DO UPDATE SET kind = $2, base_url = $3, auth_token = $4,
             updated_at = $5",
    )
    .bind(practice_id)
    .bind(kind)
    .bind(base_url)
    .bind(auth_token)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the outcome of a call to the practice system.
pub async fn record_health(
    db: &Db,
    practice_id: PracticeId,
    error: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = match error {
        None => "UPDATE pms_connections SET last_success_at = $2 WHERE practice_id = $1",
        Some(_) => {
            "UPDATE pms_connections SET last_error = $3, last_error_at = $2 WHERE practice_id = $1"
        }
    };
    let mut query = sqlx::query(sql).bind(practice_id).bind(now);
    if let Some(e) = error {
        query = query.bind(e);
    }
    query.execute(&db.write).await?;
    Ok(())
}

/// Providers' ids in the practice system (their Slotwise id where none is set).
pub async fn provider_external_ids(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Vec<(ProviderId, String)>, sqlx::Error> {
    let rows: Vec<(ProviderId, Option<String>)> = sqlx::query_as(
        "SELECT id, external_id FROM providers WHERE practice_id = $1 AND bookable = 1 ORDER BY id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ext)| (id, ext.filter(|e| !e.is_empty()).unwrap_or(id.to_string())))
        .collect())
}

/// Replaces the busy time read from the practice system between `from` and `to`. Returns
/// `None` when nothing changed, else the busy spans that are gone (times freed there).
pub async fn replace_busy(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    from: i64,
    to: i64,
    spans: &[(ProviderId, i64, i64)],
) -> Result<Option<Vec<(ProviderId, i64, i64)>>, sqlx::Error> {
    let mut before: Vec<(ProviderId, i64, i64)> = sqlx::query_as(
        "SELECT provider_id, starts_at, ends_at FROM pms_busy
         WHERE practice_id = $1 AND ends_at > $2 AND starts_at < $3",
    )
    .bind(practice_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut after = spans.to_vec();
    before.sort_unstable();
    after.sort_unstable();
    after.dedup();
    if before == after {
        return Ok(None);
    }
    let gone: Vec<_> = before
        .iter()
        .filter(|b| after.binary_search(b).is_err())
        .copied()
        .collect();
    sqlx::query("DELETE FROM pms_busy WHERE practice_id = $1 AND ends_at > $2 AND starts_at < $3")
        .bind(practice_id)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    for (provider, start, end) in after {
        sqlx::query(
            "INSERT INTO pms_busy (practice_id, provider_id, starts_at, ends_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(practice_id)
        .bind(provider)
        .bind(start)
        .bind(end)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Some(gone))
}

/// Adds one busy span (a time the practice system just refused as taken).
pub async fn add_busy(
    db: &Db,
    practice_id: PracticeId,
    provider_id: ProviderId,
    start: i64,
    end: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pms_busy (practice_id, provider_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(practice_id)
    .bind(provider_id)
    .bind(start)
    .bind(end)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// A queued booking to retry, with everything the booking needs.
#[derive(Clone, Debug, FromRow)]
pub struct RetryRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub patient_id: Option<PatientId>,
    pub patient_type: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub date_of_birth: String,
    pub pet_name: Option<String>,
    pub species: Option<String>,
    pub reason_id: Option<ReasonId>,
    pub provider_id: Option<ProviderId>,
    pub starts_at: Option<i64>,
    pub carrier_id: Option<CarrierId>,
    pub member_id: Option<String>,
    pub detail: String,
    pub external_key: Option<String>,
    pub household_id: Option<i64>,
    /// The language the patient booked in (`None`: none chosen).
    pub lang: Option<String>,
}

/// Pending retryable entries of a practice whose time is still ahead.
pub async fn retryable(
    db: &Db,
    practice_id: PracticeId,
    now: i64,
) -> Result<Vec<RetryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, practice_id, patient_id, patient_type, first_name, last_name, phone, email,
                date_of_birth, pet_name, species, reason_id, provider_id, starts_at, carrier_id,
                member_id, detail, external_key, household_id, lang
         FROM booking_queue
         WHERE practice_id = $1 AND retry = 1 AND status = 'pending' AND starts_at > $2
           AND (claimed_until IS NULL OR claimed_until < $2)
         ORDER BY id LIMIT 50",
    )
    .bind(practice_id)
    .bind(now)
    .fetch_all(&db.read)
    .await
}

/// Claims an entry for one retry; `false` when another instance has it.
pub async fn claim(db: &Db, id: i64, now: i64, until: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking_queue SET claimed_until = $3, attempts = attempts + 1
         WHERE id = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < $2)",
    )
    .bind(id)
    .bind(now)
    .bind(until)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a claimed entry back with what went wrong.
pub async fn release_claim(db: &Db, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE booking_queue SET claimed_until = NULL, last_error = $2 WHERE id = $1")
        .bind(id)
        .bind(error)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Stops automatic retries of an entry (staff take it from here).
pub async fn stop_retrying(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE booking_queue SET retry = 0 WHERE id = $1")
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Pending queued bookings waiting for the practice system.
pub async fn waiting(db: &Db, practice_id: PracticeId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM booking_queue WHERE practice_id = $1 AND retry = 1 AND status = 'pending'",
    )
    .bind(practice_id)
    .fetch_one(&db.read)
    .await
}

/// Forgets the busy time read from a practice system (the practice went back to built in).
pub async fn clear_busy(db: &Db, practice_id: PracticeId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pms_busy WHERE practice_id = $1")
        .bind(practice_id)
        .execute(&db.write)
        .await?;
    Ok(())
}
