//! SQL of a procedure's chain of appointments: holding every step in one unit (all or none,
//! under the database's overlap rule), finding a held chain by its token, and turning it into
//! the patient's procedure.

use super::appointments::{
    expire_lapsed_holds, free_operatory, insert_hold_row, AppointmentRow, NewHold, ROW_COLUMNS,
};
use super::db::{is_overlap, is_retryable, Db};
use super::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::model::{PatientId, PracticeId, ProcedureId, ProcedureTemplateId};
use slotwise_shared::procedures::ProcedureStepInput;
use sqlx::{AnyConnection, FromRow};

/// A chain to hold: the procedure's template and one hold per step, in step order.
#[derive(Clone, Debug)]
pub struct NewChainHold {
    pub practice_id: PracticeId,
    pub template_id: ProcedureTemplateId,
    pub name: String,
    pub steps: Vec<ProcedureStepInput>,
    /// One per step; each `token_hash` is the chain's with the step's position after it, so
    /// no single-hold token ever reaches a step.
    pub holds: Vec<NewHold>,
    pub token_hash: String,
    pub expires_at: i64,
    pub now: i64,
    /// The patient's procedure this chain books the rest of, and the step it starts at.
    pub continues: Option<(ProcedureId, usize)>,
}

/// How one attempt to hold a chain ended.
enum ChainInsert {
    Held(ProcedureId),
    /// A step's time (or every room for it) is taken: nothing was held.
    Taken,
    /// A room picked here was taken concurrently: another may be free.
    RoomRaced,
}

/// Holds every step of the chain in one unit, or nothing: `Ok(None)` when any step's time is
/// taken (the database refuses the overlap, or no room of the kind is free).
pub async fn insert_chain_hold(
    db: &Db,
    chain: &NewChainHold,
) -> Result<Option<ProcedureId>, sqlx::Error> {
    for _ in 0..3 {
        let chain = chain.clone();
        let outcome = db
            .write(write_unit!(|conn| {
                let id = insert_held_procedure(conn, &chain).await?;
                for (k, (hold, step)) in chain.holds.iter().zip(&chain.steps).enumerate() {
                    let appointment = match insert_step_hold(conn, hold).await? {
                        StepHold::Held(appointment) => appointment,
                        StepHold::Taken => return Ok(WriteOutcome::Rollback(ChainInsert::Taken)),
                        StepHold::RoomRaced => {
                            return Ok(WriteOutcome::Rollback(ChainInsert::RoomRaced))
                        }
                    };
                    insert_step(conn, id, k + 1, step, Some(appointment)).await?;
                }
                Ok(WriteOutcome::Commit(ChainInsert::Held(id)))
            }))
            .await;
        let outcome = match outcome {
            Err(err) if is_retryable(&err) => ChainInsert::RoomRaced,
            other => other?,
        };
        match outcome {
            ChainInsert::Held(id) => return Ok(Some(id)),
            ChainInsert::Taken => return Ok(None),
            ChainInsert::RoomRaced => continue,
        }
    }
    Ok(None)
}

/// How holding one step's time ended (inside the caller's unit of writes).
pub enum StepHold {
    /// Held: the appointment row's id.
    Held(i64),
    /// The time (or every room for it) is taken.
    Taken,
    /// A room picked here was taken concurrently: another may be free.
    RoomRaced,
}

/// Holds one step's time under the database's overlap rule, in the caller's unit of writes
/// (which rolls back on anything but `Held`).
pub async fn insert_step_hold(
    conn: &mut AnyConnection,
    hold: &NewHold,
) -> Result<StepHold, sqlx::Error> {
    expire_lapsed_holds(conn, hold.practice_id, hold.block, hold.now).await?;
    let operatory = match &hold.operatory_kind {
        None => None,
        Some(kind) => match free_operatory(conn, hold, kind).await? {
            Some(id) => Some(id),
            None => return Ok(StepHold::Taken),
        },
    };
    match insert_hold_row(&mut *conn, hold, operatory).await {
        Ok(appointment) => Ok(StepHold::Held(appointment)),
        Err(err) if is_overlap(&err) && operatory.is_some() => Ok(StepHold::RoomRaced),
        Err(err) if is_overlap(&err) => Ok(StepHold::Taken),
        Err(err) => Err(err),
    }
}

async fn insert_held_procedure(
    conn: &mut AnyConnection,
    chain: &NewChainHold,
) -> Result<ProcedureId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO procedures (practice_id, template_id, name, status, hold_token_hash,
             hold_expires_at, created_at, updated_at, continues_id, from_position)
         VALUES ($1, $2, $3, 'held', $4, $5, $6, $6, $7, $8) RETURNING id",
    )
    .bind(chain.practice_id)
    .bind(chain.template_id.0)
    .bind(&chain.name)
    .bind(&chain.token_hash)
    .bind(chain.expires_at)
    .bind(chain.now)
    .bind(chain.continues.map(|(p, _)| p.0))
    .bind(
        chain
            .continues
            .map(|(_, from)| i64::try_from(from).unwrap_or(i64::MAX)),
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ProcedureId(id))
}

/// Adds one step to a procedure, with its appointment when it has one.
pub async fn insert_step(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    position: usize,
    step: &ProcedureStepInput,
    appointment: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO procedure_steps (procedure_id, position, reason_id, gap_min_days,
             gap_max_days, same_provider_as, appointment_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(procedure.0)
    .bind(i64::try_from(position).unwrap_or(i64::MAX))
    .bind(step.reason.0)
    .bind(i64::from(step.gap_min_days))
    .bind(i64::from(step.gap_max_days))
    .bind(step.same_provider_as.map(i64::from))
    .bind(appointment)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A chain hold as found by its token.
#[derive(Clone, Debug, FromRow)]
pub struct HeldProcedure {
    pub id: i64,
    pub template_id: i64,
    pub name: String,
    pub status: String,
    pub hold_expires_at: Option<i64>,
    /// The patient's procedure this chain books the rest of, from step `from_position`.
    pub continues_id: Option<i64>,
    pub from_position: Option<i64>,
}

/// The held chain a token points at, whatever its status, with its steps' appointment rows in
/// step order.
pub async fn find_chain_by_token(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
) -> Result<Option<(HeldProcedure, Vec<AppointmentRow>)>, sqlx::Error> {
    let held: Option<HeldProcedure> = sqlx::query_as(
        "SELECT id, template_id, name, status, hold_expires_at, continues_id, from_position
         FROM procedures WHERE practice_id = $1 AND hold_token_hash = $2",
    )
    .bind(practice_id)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(held) = held else {
        return Ok(None);
    };
    let rows = chain_rows(conn, ProcedureId(held.id)).await?;
    Ok(Some((held, rows)))
}

/// The appointment rows of a procedure's steps that have one, in step order.
pub async fn chain_rows(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
) -> Result<Vec<AppointmentRow>, sqlx::Error> {
    let columns = ROW_COLUMNS
        .split(',')
        .map(|c| format!("a.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(&format!(
        "SELECT {columns} FROM procedure_steps s JOIN appointments a ON a.id = s.appointment_id
         WHERE s.procedure_id = $1 ORDER BY s.position"
    ))
    .bind(procedure.0)
    .fetch_all(&mut *conn)
    .await
}

/// Keeps a live held chain (the procedure and every step's hold) until at least `until`: a
/// slow practice system must not outlast the hold of what is being written there.
pub async fn extend_chain_hold(
    db: &Db,
    procedure: ProcedureId,
    until: i64,
) -> Result<(), sqlx::Error> {
    db.write(write_unit!(|conn| {
        sqlx::query(
            "UPDATE procedures SET hold_expires_at = $2
             WHERE id = $1 AND status = 'held' AND hold_expires_at < $2",
        )
        .bind(procedure.0)
        .bind(until)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE appointments SET hold_expires_at = $2
             WHERE status = 'held' AND hold_expires_at < $2 AND id IN
                 (SELECT appointment_id FROM procedure_steps WHERE procedure_id = $1)",
        )
        .bind(procedure.0)
        .bind(until)
        .execute(&mut *conn)
        .await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await
}

/// Makes a live held chain the patient's procedure. False when the hold is no longer live
/// (then nothing changes).
pub async fn start_procedure(
    conn: &mut AnyConnection,
    procedure: ProcedureId,
    patient_id: PatientId,
    source: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE procedures SET status = 'active', patient_id = $2, source = $3,
             hold_expires_at = NULL, updated_at = $4
         WHERE id = $1 AND status = 'held' AND hold_expires_at > $4",
    )
    .bind(procedure.0)
    .bind(patient_id)
    .bind(source)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a live held chain back: its procedure and every step's hold stop at once. Rows
/// changed: 0 when no live chain hold has this token.
pub async fn release_chain(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE procedures SET status = 'expired', hold_expires_at = $3, updated_at = $3
         WHERE practice_id = $1 AND hold_token_hash = $2 AND status = 'held'
           AND hold_expires_at > $3
         RETURNING id",
    )
    .bind(practice_id)
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else {
        return Ok(0);
    };
    sqlx::query(
        "UPDATE appointments SET status = 'expired', hold_expires_at = $2, updated_at = $2
         WHERE status = 'held' AND id IN
             (SELECT appointment_id FROM procedure_steps WHERE procedure_id = $1)",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(1)
}
