//! SQL of a procedure that waited in the booking queue: once staff complete its entry, each
//! step points at its new booking and the procedure becomes the patient's.

use slotwise_shared::model::{PatientId, ProcedureId};
use sqlx::AnyConnection;

/// Points a step of the procedure at the appointment now booked for it.
pub async fn relink_step(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    position: usize,
    appointment_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE procedure_steps SET appointment_id = $3 WHERE procedure_id = $1 AND position = $2",
    )
    .bind(procedure.0)
    .bind(i64::try_from(position).unwrap_or(i64::MAX))
    .bind(appointment_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Makes a queued procedure (its chain hold given back when it was queued) the patient's.
/// False when it is not waiting any more (then nothing changes).
pub async fn activate_queued(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    patient_id: PatientId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE procedures SET status = 'active', patient_id = $2, hold_expires_at = NULL,
             updated_at = $3
         WHERE id = $1 AND status = 'expired' AND patient_id IS NULL",
    )
    .bind(procedure.0)
    .bind(patient_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The name of a procedure still waiting in the queue (`None`: no such procedure waits).
pub async fn waiting_name(
    conn: &mut AnyConnection,
    practice_id: slotwise_shared::model::PracticeId,
    procedure: ProcedureId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name FROM procedures
         WHERE id = $1 AND practice_id = $2 AND status = 'expired' AND patient_id IS NULL",
    )
    .bind(procedure.0)
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await
}
