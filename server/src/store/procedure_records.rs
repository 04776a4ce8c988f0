//! SQL of patients' procedures: the records with their steps and appointments, starting one
//! for a patient, cancelling one, and flagging steps for the team's attention.

use super::procedure_chains::insert_step;
use slotwise_shared::model::{PatientId, PracticeId, ProcedureId, ProcedureTemplateId};
use slotwise_shared::procedures::ProcedureStepInput;
use sqlx::{AnyConnection, FromRow};

/// Most procedures one listing reads (newest first).
pub const MAX_RECORDS: i64 = 500;

/// A patient's procedure as stored.
#[derive(Clone, Debug, FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub template_id: i64,
    pub name: String,
    pub patient_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub created_at: i64,
}

/// One step of a procedure with its appointment, if any.
#[derive(Clone, Debug, FromRow)]
pub struct StepRow {
    pub procedure_id: i64,
    pub position: i64,
    pub reason_id: i64,
    pub gap_min_days: i64,
    pub gap_max_days: i64,
    pub same_provider_as: Option<i64>,
    pub appointment_id: Option<i64>,
    pub flagged: i64,
    /// The appointment's status, start and provider.
    pub status: Option<String>,
    pub starts_at: Option<i64>,
    pub provider_id: Option<i64>,
}

const STEP_SELECT: &str = "SELECT s.procedure_id, s.position, s.reason_id, s.gap_min_days,
        s.gap_max_days, s.same_provider_as, s.appointment_id, s.flagged, a.status, a.starts_at,
        a.provider_id
    FROM procedure_steps s JOIN procedures p ON p.id = s.procedure_id
    LEFT JOIN appointments a ON a.id = s.appointment_id";

/// The practice's procedures (not holds), newest first, at most [`MAX_RECORDS`]; with
/// `patient`, only theirs.
pub async fn records(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient: Option<PatientId>,
) -> Result<Vec<RecordRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT p.id, p.template_id, p.name, p.patient_id, pt.first_name, pt.last_name,
             p.status, p.created_at
         FROM procedures p JOIN patients pt ON pt.id = p.patient_id
         WHERE p.practice_id = $1 AND p.status IN ('active', 'completed', 'cancelled')
           AND ($2 = 0 OR p.patient_id = $2)
         ORDER BY p.id DESC LIMIT {MAX_RECORDS}"
    ))
    .bind(practice_id)
    .bind(patient.map_or(0, |p| p.0))
    .fetch_all(&mut *conn)
    .await
}

/// One procedure of the practice (not a hold).
pub async fn record(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    procedure: ProcedureId,
) -> Result<Option<RecordRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.template_id, p.name, p.patient_id, pt.first_name, pt.last_name,
             p.status, p.created_at
         FROM procedures p JOIN patients pt ON pt.id = p.patient_id
         WHERE p.practice_id = $1 AND p.id = $2
           AND p.status IN ('active', 'completed', 'cancelled')",
    )
    .bind(practice_id)
    .bind(procedure.0)
    .fetch_optional(&mut *conn)
    .await
}

/// The steps of the practice's procedures from `oldest` on (the oldest of a listing; with
/// `patient`, only theirs), in procedure and step order.
pub async fn steps_from(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    oldest: i64,
    patient: Option<PatientId>,
) -> Result<Vec<StepRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{STEP_SELECT}
         WHERE p.practice_id = $1 AND p.id >= $2
           AND p.status IN ('active', 'completed', 'cancelled')
           AND ($3 = 0 OR p.patient_id = $3)
         ORDER BY s.procedure_id, s.position"
    ))
    .bind(practice_id)
    .bind(oldest)
    .bind(patient.map_or(0, |p| p.0))
    .fetch_all(&mut *conn)
    .await
}

/// The steps of one procedure, in order.
pub async fn steps_of(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
) -> Result<Vec<StepRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{STEP_SELECT} WHERE s.procedure_id = $1 ORDER BY s.position"
    ))
    .bind(procedure.0)
    .fetch_all(&mut *conn)
    .await
}

/// The active procedure an appointment is a step of, if any.
pub async fn procedure_of_appointment(
    conn: &mut AnyConnection,
    appointment_id: i64,
) -> Result<Option<ProcedureId>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT s.procedure_id FROM procedure_steps s JOIN procedures p ON p.id = s.procedure_id
         WHERE s.appointment_id = $1 AND p.status = 'active'",
    )
    .bind(appointment_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(ProcedureId))
}

/// Marks steps (by position) as needing the team's attention.
pub async fn flag_steps(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    positions: &[i64],
) -> Result<(), sqlx::Error> {
    for position in positions {
        sqlx::query(
            "UPDATE procedure_steps SET flagged = 1 WHERE procedure_id = $1 AND position = $2",
        )
        .bind(procedure.0)
        .bind(*position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A procedure staff start for a patient, its steps not booked yet (the first one may be an
/// appointment the patient has).
#[allow(clippy::too_many_arguments)]
pub async fn start_for_patient(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    template: ProcedureTemplateId,
    name: &str,
    patient: PatientId,
    steps: &[ProcedureStepInput],
    first_appointment: Option<i64>,
    now: i64,
) -> Result<ProcedureId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO procedures (practice_id, template_id, name, patient_id, status, source,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'active', 'staff', $5, $5) RETURNING id",
    )
    .bind(practice_id)
    .bind(template.0)
    .bind(name)
    .bind(patient.0)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let procedure = ProcedureId(id);
    for (k, step) in steps.iter().enumerate() {
        let appointment = if k == 0 { first_appointment } else { None };
        insert_step(conn, procedure, k + 1, step, appointment).await?;
    }
    Ok(procedure)
}

/// Marks a procedure cancelled; false when it is not an active procedure of the practice.
pub async fn cancel(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    procedure: ProcedureId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE procedures SET status = 'cancelled', updated_at = $3
         WHERE practice_id = $1 AND id = $2 AND status = 'active'",
    )
    .bind(practice_id)
    .bind(procedure.0)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The reason of an appointment of the practice that is the patient's and not a step of any
/// procedure yet.
pub async fn appointment_free_for(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient: PatientId,
    appointment_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.reason_id FROM appointments a
         WHERE a.practice_id = $1 AND a.patient_id = $2 AND a.id = $3
           AND a.status IN ('booked', 'confirmed', 'completed')
           AND NOT EXISTS (SELECT 1 FROM procedure_steps s WHERE s.appointment_id = a.id)",
    )
    .bind(practice_id)
    .bind(patient.0)
    .bind(appointment_id)
    .fetch_optional(&mut *conn)
    .await
}

/// A visit of an active procedure with nothing booked, whose visit before has a date.
#[derive(Clone, Debug, FromRow)]
pub struct WaitingStep {
    pub practice_id: i64,
    pub procedure_id: i64,
    pub position: i64,
    pub reason_id: i64,
    pub gap_min_days: i64,
    pub gap_max_days: i64,
    pub patient_id: i64,
    /// The start of the visit before it.
    pub previous_start: i64,
}

/// Visits not announced as due yet that wait for a booking and whose window may have opened
/// by `now` (a day early, for time zones: the caller checks the practice's date), at most
/// `limit`.
pub async fn waiting_steps(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> Result<Vec<WaitingStep>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.practice_id, s.procedure_id, s.position, s.reason_id, s.gap_min_days,
             s.gap_max_days, p.patient_id, pa.starts_at AS previous_start
         FROM procedure_steps s
         JOIN procedures p ON p.id = s.procedure_id
         JOIN procedure_steps ps ON ps.procedure_id = s.procedure_id AND ps.position = s.position - 1
         JOIN appointments pa ON pa.id = ps.appointment_id
         LEFT JOIN appointments a ON a.id = s.appointment_id
         WHERE p.status = 'active' AND s.due_sent_at IS NULL
           AND pa.status IN ('booked', 'confirmed', 'completed')
           AND (s.appointment_id IS NULL OR a.status = 'expired')
           AND pa.starts_at + (s.gap_min_days - 1) * 86400 <= $2
         ORDER BY s.procedure_id, s.position LIMIT $1",
    )
    .bind(limit)
    .bind(now)
    .fetch_all(&mut *conn)
    .await
}

/// Notes that a visit was announced as due.
pub async fn mark_due_sent(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    position: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE procedure_steps SET due_sent_at = $3 WHERE procedure_id = $1 AND position = $2",
    )
    .bind(procedure.0)
    .bind(position)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Procedures started in `[start, end)`: how many, how many have every visit done, how many were
/// cancelled, and visits done by position.
pub async fn started_between(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    start: i64,
    end: i64,
) -> Result<(i64, i64, i64, Vec<(i64, i64)>), sqlx::Error> {
    const STARTED: &str = "p.practice_id = $1 AND p.created_at >= $2 AND p.created_at < $3
        AND p.status IN ('active', 'completed', 'cancelled')";
    let (started, cancelled): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.status = 'cancelled' THEN 1 ELSE 0 END), 0)
         FROM procedures p WHERE {STARTED}"
    ))
    .bind(practice_id)
    .bind(start)
    .bind(end)
    .fetch_one(&mut *conn)
    .await?;
    let completed: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM procedures p WHERE {STARTED} AND p.status <> 'cancelled'
           AND NOT EXISTS (SELECT 1 FROM procedure_steps s
                           LEFT JOIN appointments a ON a.id = s.appointment_id
                           WHERE s.procedure_id = p.id
                             AND (a.status IS NULL OR a.status <> 'completed'))"
    ))
    .bind(practice_id)
    .bind(start)
    .bind(end)
    .fetch_one(&mut *conn)
    .await?;
    let by_position: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT s.position, COUNT(*) FROM procedures p
         JOIN procedure_steps s ON s.procedure_id = p.id
         JOIN appointments a ON a.id = s.appointment_id
         WHERE {STARTED} AND a.status = 'completed'
         GROUP BY s.position ORDER BY s.position"
    ))
    .bind(practice_id)
    .bind(start)
    .bind(end)
    .fetch_all(&mut *conn)
    .await?;
    Ok((started, completed, cancelled, by_position))
}

/// Makes a new booking of a returning patient the first waiting visit of their active
/// procedures for the same reason (nothing booked for it, or its appointment ran out, was
/// cancelled or missed); the visit's flag is cleared. False when no visit waits for it.
pub async fn link_to_waiting_step(
    conn: &mut AnyConnection,
    patient: PatientId,
    reason_id: i64,
    appointment_id: i64,
) -> Result<bool, sqlx::Error> {
    let waiting: Option<(i64, i64)> = sqlx::query_as(
        "SELECT s.procedure_id, s.position FROM procedure_steps s
         JOIN procedures p ON p.id = s.procedure_id
         LEFT JOIN appointments a ON a.id = s.appointment_id
         WHERE p.patient_id = $1 AND p.status = 'active' AND s.reason_id = $2
           AND (s.appointment_id IS NULL OR a.status IN ('expired', 'cancelled', 'no_show'))
         ORDER BY p.id, s.position LIMIT 1",
    )
    .bind(patient.0)
    .bind(reason_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((procedure, position)) = waiting else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE procedure_steps SET appointment_id = $3, flagged = 0
         WHERE procedure_id = $1 AND position = $2",
    )
    .bind(procedure)
    .bind(position)
    .bind(appointment_id)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
