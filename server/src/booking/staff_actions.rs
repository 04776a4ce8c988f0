//! What staff do to an appointment: confirm, cancel (the patient is told), mark completed or
//! no-show; and cancelling a patient's procedure with the steps booked ahead.

use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::queue_for_appointment;
use crate::procedures::flags::after_step_change;
use crate::store::appointment_search;
use crate::store::appointments::{self, AppointmentRow};
use crate::store::db::Db;
use crate::store::outside_changes::{self, ChangeKind};
use crate::store::procedure_records;
use crate::store::refill;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use slotwise_shared::admin::AppointmentAction;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::ProcedureId;
use sqlx::AnyConnection;

/// The status an action leads to.
fn target(action: AppointmentAction) -> &'static str {
    match action {
        AppointmentAction::Confirm => "confirmed",
        AppointmentAction::Cancel => "cancelled",
        AppointmentAction::Complete => "completed",
        AppointmentAction::NoShow => "no_show",
    }
}

/// Applies `action` to appointment `id` with an audit line; repeating an action that is
/// already done answers the appointment unchanged.
pub async fn apply_action(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    id: i64,
    action: AppointmentAction,
    actor: String,
) -> DomainResult<AppointmentRow> {
    let now = now_seconds();
    let practice_id = catalog.practice.id;
    let (catalog_copy, url) = (catalog.clone(), public_url.to_string());
    db.write(write_unit!(|conn| {
        let Some(mut row) = appointment_search::find(conn, practice_id, id).await? else {
            return Ok(WriteOutcome::Rollback(Err(DomainError::NotFound(
                "appointment",
            ))));
        };
        let to = target(action);
        if row.status == to {
            return Ok(WriteOutcome::Rollback(Ok(row)));
        }
        let allowed = match action {
            AppointmentAction::Confirm | AppointmentAction::Cancel => {
                matches!(row.status.as_str(), "booked" | "confirmed")
            }
            AppointmentAction::Complete | AppointmentAction::NoShow => matches!(
                row.status.as_str(),
                "booked" | "confirmed" | "completed" | "no_show"
            ),
        };
        if action == AppointmentAction::Cancel && row.starts_at <= now {
            return Ok(WriteOutcome::Rollback(Err(DomainError::conflict(
                "This appointment has already started: mark it completed or no-show instead.",
            ))));
        }
        if !allowed {
            return Ok(WriteOutcome::Rollback(Err(DomainError::conflict(format!(
                "A {} appointment cannot be marked {}.",
                row.status.replace('_', "-"),
                to.replace('_', "-")
            )))));
        }
        if action == AppointmentAction::Cancel {
            if !cancel_row(conn, &catalog_copy, &url, &mut row, now).await? {
                return Ok(WriteOutcome::Rollback(Err(changed())));
            }
        } else if appointments::set_status(conn, row.id, row.revision, to, now).await? {
            row.status = to.to_string();
            row.revision += 1;
        } else {
            return Ok(WriteOutcome::Rollback(Err(changed())));
        }
        if matches!(
            action,
            AppointmentAction::Complete | AppointmentAction::NoShow
        ) {
            crate::automations::visits::after_mark(conn, &catalog_copy, &row, &url, now).await?;
        }
        crate::store::staff::audit(
            conn,
            practice_id,
            &actor,
            &format!("appointment.{}", action.as_str()),
            &format!("appointment {id}"),
            now,
        )
        .await?;
        Ok(WriteOutcome::Commit(Ok(row)))
    }))
    .await?
}

fn changed() -> DomainError {
    DomainError::conflict("This appointment changed meanwhile. Look at it again.")
}

/// Cancels a booked appointment inside the caller's unit of writes: the outside schedule of
/// record hears of it after commit, the patient is told (with a new manage link), and its
/// procedure's later steps are flagged. False when it changed meanwhile.
pub async fn cancel_row(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    public_url: &str,
    row: &mut AppointmentRow,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if !appointments::set_status(conn, row.id, row.revision, "cancelled", now).await? {
        return Ok(false);
    }
    row.status = "cancelled".to_string();
    row.revision += 1;
    let old = (row.provider_id, row.starts_at, row.ends_at);
    // The time is free again: the waitlist may refill it.
    refill::note_freed(
        conn,
        catalog.practice.id,
        row.provider_id,
        (row.starts_at, row.ends_at),
        now,
    )
    .await?;
    outside_changes::record(
        conn,
        catalog.practice.id,
        row.id,
        ChangeKind::Cancel,
        old,
        now,
    )
    .await?;
    // The patient's own token is not known here: the message carries a new one.
    let token = new_token();
    appointment_search::set_manage_token(conn, row.id, &hash_token(&token)).await?;
    queue_for_appointment(
        conn,
        catalog,
        row,
        &token,
        public_url,
        MessageEvent::Cancelled,
        now,
    )
    .await?;
    after_step_change(conn, &catalog.practice.tz, row.id).await?;
    Ok(true)
}

/// Cancels a patient's procedure inside the caller's unit of writes: every step booked ahead
/// is cancelled and the patient told. False when it is not an active procedure of the practice.
pub async fn cancel_procedure(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    public_url: &str,
    procedure: ProcedureId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let practice_id = catalog.practice.id;
    if !procedure_records::cancel(conn, practice_id, procedure, now).await? {
        return Ok(false);
    }
    for step in procedure_records::steps_of(conn, procedure).await? {
        let ahead = matches!(step.status.as_deref(), Some("booked" | "confirmed"))
            && step.starts_at.is_some_and(|at| at > now);
        let Some(id) = step.appointment_id.filter(|_| ahead) else {
            continue;
        };
        if let Some(mut row) = appointment_search::find(conn, practice_id, id).await? {
            cancel_row(conn, catalog, public_url, &mut row, now).await?;
        }
    }
    Ok(true)
}
