//! SQL of personal procedure links (staff send one from a procedure's record; it books the
//! rest of that procedure) and of booking the rest: the held chain's visits become the
//! procedure's remaining steps.

use slotwise_shared::model::{PatientId, PracticeId, ProcedureId};
use sqlx::{AnyConnection, FromRow};

/// How long a personal procedure link works.
pub const PROCEDURE_LINK_DAYS: i64 = 30;

/// A personal procedure link as stored.
#[derive(Clone, Debug, FromRow)]
pub struct ProcedureLinkRow {
    pub id: i64,
    pub procedure_id: i64,
    pub patient_id: PatientId,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Writes a new link for the procedure's patient.
pub async fn insert_link(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
    procedure: ProcedureId,
    patient_id: PatientId,
    expires_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO procedure_links (practice_id, token_hash, procedure_id, patient_id,
             created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(practice_id)
    .bind(token_hash)
    .bind(procedure.0)
    .bind(patient_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The practice's link with this token hash, whatever its state.
pub async fn link_by_token(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
) -> Result<Option<ProcedureLinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, procedure_id, patient_id, expires_at, used_at FROM procedure_links
         WHERE practice_id = $1 AND token_hash = $2",
    )
    .bind(practice_id)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
}

/// Notes that the patient opened the link.
pub async fn mark_opened(conn: &mut AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE procedure_links SET opened_at = $2 WHERE id = $1 AND opened_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks every unused link of the procedure used (its rest is booked).
pub async fn mark_used(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE procedure_links SET used_at = $2 WHERE procedure_id = $1 AND used_at IS NULL",
    )
    .bind(procedure.0)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Turns a live held chain that continues `parent` from step `from` into that procedure's
/// remaining steps: the held procedure ends, each held visit becomes the step at its place in
/// `parent` (unflagged, not yet announced). False when the hold is no longer live or `parent`
/// is not this patient's active procedure, or a concurrent booking through a link of the same
/// procedure booked its rest first (then the caller rolls back).
pub async fn continue_procedure(
    conn: &mut AnyConnection,
    held: ProcedureId,
    parent: ProcedureId,
    from: i64,
    patient_id: PatientId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let ended = sqlx::query(
        "UPDATE procedures SET status = 'expired', hold_expires_at = NULL, updated_at = $2
         WHERE id = $1 AND status = 'held' AND hold_expires_at > $2",
    )
    .bind(held.0)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let mine = sqlx::query(
        "UPDATE procedures SET updated_at = $3
         WHERE id = $1 AND patient_id = $2 AND status = 'active'",
    )
    .bind(parent.0)
    .bind(patient_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if ended.rows_affected() != 1 || mine.rows_affected() != 1 {
        return Ok(false);
    }
    // Two bookings through links of the same procedure: the second finds the rest booked.
    let booked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM procedure_steps s JOIN appointments a ON a.id = s.appointment_id
         WHERE s.procedure_id = $1 AND s.position >= $2
           AND a.status IN ('booked', 'confirmed', 'completed')",
    )
    .bind(parent.0)
    .bind(from)
    .fetch_one(&mut *conn)
    .await?;
    if booked > 0 {
        return Ok(false);
    }
    let visits: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT position, appointment_id FROM procedure_steps WHERE procedure_id = $1
         ORDER BY position",
    )
    .bind(held.0)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("UPDATE procedure_steps SET appointment_id = NULL WHERE procedure_id = $1")
        .bind(held.0)
        .execute(&mut *conn)
        .await?;
    for (position, appointment) in visits {
        sqlx::query(
            "UPDATE procedure_steps SET appointment_id = $3, flagged = 0, due_sent_at = NULL
             WHERE procedure_id = $1 AND position = $2",
        )
        .bind(parent.0)
        .bind(from + position - 1)
        .bind(appointment)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}
