//! What staff do to an appointment: confirm, cancel (the patient is told), mark completed or
//! no-show.

use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::queue_for_appointment;
use crate::store::appointment_search;
use crate::store::appointments::{self, AppointmentRow};
use crate::store::db::Db;
use crate::store::outside_changes::{self, ChangeKind};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use slotwise_shared::admin::AppointmentAction;
use slotwise_shared::messages::MessageEvent;

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
        if !appointments::set_status(conn, row.id, row.revision, to, now).await? {
            return Ok(WriteOutcome::Rollback(Err(DomainError::conflict(
                "This appointment changed meanwhile. Look at it again.",
            ))));
        }
        row.status = to.to_string();
        row.revision += 1;
        if action == AppointmentAction::Cancel {
            // Written to an outside schedule of record after commit.
            let old = (row.provider_id, row.starts_at, row.ends_at);
            outside_changes::record(conn, practice_id, row.id, ChangeKind::Cancel, old, now)
                .await?;
            // The patient's own token is not known here: the message carries a new one.
            let token = new_token();
            appointment_search::set_manage_token(conn, row.id, &hash_token(&token)).await?;
            queue_for_appointment(
                conn,
                &catalog_copy,
                &row,
                &token,
                &url,
                MessageEvent::Cancelled,
                now,
            )
            .await?;
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
