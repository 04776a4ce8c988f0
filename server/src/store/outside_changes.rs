//! Cancellations and moves waiting to be written to a practice's outside schedule of record
//! (`pms_changes`): recorded in the unit of writes of the change itself, claimed by one
//! instance at a time, retried with backoff until the practice system takes them.

use crate::store::db::Db;
use slotwise_shared::model::{PracticeId, ProviderId};
use sqlx::{AnyConnection, FromRow};

/// The kind of change: `cancel` or `move`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Cancel,
    Move,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Cancel => "cancel",
            ChangeKind::Move => "move",
        }
    }
}

/// Records a change of appointment `appointment_id` (as the row is now, after the change) when
/// the appointment was written to the practice's FHIR server (it has an `external_id`); the
/// time it held before (`old`: provider, start, end) stays busy here until the practice system
/// took the change. Returns whether a change was recorded. Runs inside the change's unit.
pub async fn record(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    appointment_id: i64,
    kind: ChangeKind,
    old: (ProviderId, i64, i64),
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO pms_changes (practice_id, appointment_id, kind, external_id, identifier,
             practitioner, practitioner_name, starts_at, ends_at, status, attempts, next_attempt,
             created_at, updated_at)
         SELECT a.practice_id, a.id, $3, a.external_id, COALESCE(a.external_key, ''),
             COALESCE(NULLIF(p.external_id, ''), CAST(p.id AS TEXT)), p.name, a.starts_at,
             a.ends_at, 'pending', 0, $4, $4, $4
         FROM appointments a
         JOIN pms_connections c ON c.practice_id = a.practice_id AND c.kind = 'fhir'
         JOIN providers p ON p.id = a.provider_id AND p.practice_id = a.practice_id
         WHERE a.id = $2 AND a.practice_id = $1
           AND a.external_id IS NOT NULL AND a.external_id <> ''",
    )
    .bind(practice_id)
    .bind(appointment_id)
    .bind(kind.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let (provider, start, end) = old;
    sqlx::query(
        "INSERT INTO pms_busy (practice_id, provider_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(practice_id)
    .bind(provider)
    .bind(start)
    .bind(end)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// A change to write.
#[derive(Clone, Debug, FromRow)]
pub struct ChangeRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub appointment_id: i64,
    pub kind: String,
    pub external_id: String,
    pub identifier: String,
    pub practitioner: String,
    pub practitioner_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub attempts: i64,
}

/// A change that is not the oldest unfinished one of its appointment waits for that one, so
/// the practice system sees the changes in the order they were made.
const FIRST_OF_ITS_APPOINTMENT: &str = "NOT EXISTS (SELECT 1 FROM pms_changes e
    WHERE e.appointment_id = pms_changes.appointment_id AND e.status = 'pending'
      AND e.id < pms_changes.id)";

/// Pending changes of a practice that are due now.
pub async fn due(
    db: &Db,
    practice_id: PracticeId,
    now: i64,
) -> Result<Vec<ChangeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, practice_id, appointment_id, kind, external_id, identifier, practitioner,
                practitioner_name, starts_at, ends_at, attempts
         FROM pms_changes
         WHERE practice_id = $1 AND status = 'pending' AND next_attempt <= $2
           AND (claimed_until IS NULL OR claimed_until < $2) AND {FIRST_OF_ITS_APPOINTMENT}
         ORDER BY id LIMIT 50"
    ))
    .bind(practice_id)
    .bind(now)
    .fetch_all(&db.read)
    .await
}

/// Claims a change for one attempt; `false` when another instance has it (or it is done).
pub async fn claim(
    db: &Db,
    practice_id: PracticeId,
    id: i64,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE pms_changes SET claimed_until = $4, attempts = attempts + 1, updated_at = $3
         WHERE id = $2 AND practice_id = $1 AND status = 'pending' AND next_attempt <= $3
           AND (claimed_until IS NULL OR claimed_until < $3) AND {FIRST_OF_ITS_APPOINTMENT}"
    ))
    .bind(practice_id)
    .bind(id)
    .bind(now)
    .bind(until)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How an attempt ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The practice system took the change.
    Done,
    /// Try again at this instant, with what went wrong.
    Later(i64, String),
    /// It refused the change: staff take it from here.
    Failed(String),
}

/// Ends a claimed attempt.
pub async fn finish(
    db: &Db,
    practice_id: PracticeId,
    id: i64,
    outcome: &Outcome,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (status, next, error) = match outcome {
        Outcome::Done => ("done", now, None),
        Outcome::Later(at, why) => ("pending", *at, Some(why.as_str())),
        Outcome::Failed(why) => ("failed", now, Some(why.as_str())),
    };
    sqlx::query(
        "UPDATE pms_changes SET status = $3, next_attempt = $4, last_error = $5,
             claimed_until = NULL, updated_at = $6
         WHERE id = $2 AND practice_id = $1",
    )
    .bind(practice_id)
    .bind(id)
    .bind(status)
    .bind(next)
    .bind(error)
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The practice system's ids of appointments with a change it has not taken (pending, or
/// refused and left to staff): what it still shows of them stays busy here. Read inside the unit that replaces the busy time.
pub async fn unconfirmed(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT external_id FROM pms_changes
         WHERE practice_id = $1 AND status IN ('pending', 'failed')",
    )
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await
}

/// Changes not yet written (pending) and refused ones (failed), for staff.
pub async fn waiting(db: &Db, practice_id: PracticeId) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0)
         FROM pms_changes WHERE practice_id = $1",
    )
    .bind(practice_id)
    .fetch_one(&db.read)
    .await
}
