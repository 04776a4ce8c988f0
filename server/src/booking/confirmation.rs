//! The confirmation policy from history: a returning patient with the practice's number of
//! no-shows in its look-back months must confirm a new booking by a deadline before the visit
//! (the `confirm_request` message links to the confirm page, two days before the deadline or
//! at once). At the deadline an unconfirmed booking is flagged for the team and, when the
//! practice chose so, cancelled — the patient is told and the time is offered to the waitlist.

use super::staff_actions::cancel_row;
use crate::catalog::CatalogCache;
use crate::notify::context::MessageContext;
use crate::notify::enqueue::{enqueue, Queue, Recipient};
use crate::store::appointment_search;
use crate::store::appointments::{find_by_manage_token, set_status, AppointmentRow};
use crate::store::confirmations::{self, due, mark_missed, MONTH_SECONDS};
use crate::store::db::Db;
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::hash_token;
use crate::write_unit;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use slotwise_shared::labels;
use slotwise_shared::lang::Language;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::AnyConnection;

/// The request goes out this long before the deadline (or at once when that has passed).
const ASK_AHEAD_SECONDS: i64 = 48 * 3600;
/// Who the audit log names for a release.
const ACTOR: &str = "confirmation policy";

/// The page a patient confirms on.
pub fn confirm_link(public_url: &str, slug: &str, manage_token: &str) -> String {
    format!(
        "{}/confirm/{}/{}",
        public_url.trim_end_matches('/'),
        urlencoding::encode(slug),
        manage_token
    )
}

/// What asking for a confirmation needs from the booking.
pub struct Ask<'a> {
    pub practice_id: PracticeId,
    pub patient_id: PatientId,
    pub booked: &'a AppointmentRow,
    pub recipient: &'a Recipient,
    /// The booking's message values; the link and the deadline are added here.
    pub context: &'a MessageContext,
    pub confirm_link: String,
    pub language: &'a Language,
    pub tz: &'a TimeZone,
}

/// In the booking's unit of writes: when the patient's history asks for it, sets the deadline
/// and queues the request. A booking made after its deadline would have passed needs none.
pub async fn ask_if_needed(
    conn: &mut AnyConnection,
    ask: &Ask<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let policy = confirmations::policy(conn, ask.practice_id).await?;
    if policy.confirm_no_shows <= 0 {
        return Ok(false);
    }
    let since = now - policy.confirm_months.max(1) * MONTH_SECONDS;
    if confirmations::no_shows_since(conn, ask.patient_id, since).await? < policy.confirm_no_shows {
        return Ok(false);
    }
    let deadline = ask.booked.starts_at - policy.confirm_hours.max(1) * 3600;
    if deadline <= now {
        return Ok(false);
    }
    confirmations::set_deadline(conn, ask.booked.id, deadline).await?;
    let by = Timestamp::from_second(deadline).unwrap_or(Timestamp::UNIX_EPOCH);
    let context = MessageContext {
        booking_link: ask.confirm_link.clone(),
        message: labels::full_label_in(ask.language, by, ask.tz),
        ..ask.context.clone()
    };
    let queue = Queue {
        practice_id: ask.practice_id,
        appointment_id: Some(ask.booked.id),
        recipient: ask.recipient,
        event: MessageEvent::ConfirmRequest,
        context: &context,
        send_after: now.max(deadline - ASK_AHEAD_SECONDS),
        dedupe_key: Some(format!("confirm_request:{}", ask.booked.id)),
    };
    enqueue(conn, &queue, now).await?;
    Ok(true)
}

/// Handles every booking whose deadline passed unconfirmed: flagged, and released where the
/// practice chose so. Returns how many were handled.
pub async fn run_deadlines(
    db: &Db,
    catalogs: &CatalogCache,
    public_url: &str,
    now: i64,
) -> anyhow::Result<usize> {
    let rows = {
        let mut conn = db.read.acquire().await?;
        due(&mut conn, now).await?
    };
    let mut handled = 0;
    for row in rows {
        let Some(catalog) = catalogs.get(db, &row.slug).await? else {
            continue;
        };
        let (catalog, url, release) = (catalog.clone(), public_url.to_string(), row.release != 0);
        let (id, practice_id) = (row.id, row.practice_id);
        let done = db
            .write(write_unit!(|conn| {
                if !mark_missed(conn, id, now).await? {
                    return Ok(WriteOutcome::Rollback(false));
                }
                let Some(mut found) = appointment_search::find(conn, practice_id, id).await? else {
                    return Ok(WriteOutcome::Rollback(false));
                };
                let action = if release {
                    if !cancel_row(conn, &catalog, &url, &mut found, now).await? {
                        return Ok(WriteOutcome::Rollback(false));
                    }
                    "appointment.release_unconfirmed"
                } else {
                    "appointment.unconfirmed"
                };
                let target = format!("appointment {id}");
                staff::audit(conn, practice_id, ACTOR, action, &target, now).await?;
                Ok(WriteOutcome::Commit(true))
            }))
            .await?;
        if done {
            handled += 1;
            tracing::info!(practice = %row.slug, appointment = id, release, "confirmation deadline passed");
        }
    }
    Ok(handled)
}

/// How a patient's confirmation through their link ended.
#[derive(Clone, Debug)]
pub enum PatientConfirm {
    /// Confirmed now, or already confirmed.
    Confirmed(AppointmentRow),
    /// Cancelled, passed or otherwise not open any more.
    Closed(AppointmentRow),
    /// No booking has that link.
    NotFound,
}

/// The booking a confirm link points at (nothing changes).
pub async fn booking_of_link(
    db: &Db,
    practice_id: PracticeId,
    token: &str,
) -> Result<Option<AppointmentRow>, sqlx::Error> {
    let mut conn = db.read.acquire().await?;
    find_by_manage_token(&mut conn, practice_id, &hash_token(token)).await
}

/// The patient confirms through their link: a booked visit still ahead becomes confirmed (a
/// deadline already missed is forgiven while the visit stands).
pub async fn confirm_by_patient(
    db: &Db,
    practice_id: PracticeId,
    token: &str,
    now: i64,
) -> Result<PatientConfirm, sqlx::Error> {
    let hash = hash_token(token);
    db.write(write_unit!(|conn| {
        let Some(mut row) = find_by_manage_token(conn, practice_id, &hash).await? else {
            return Ok(WriteOutcome::Rollback(PatientConfirm::NotFound));
        };
        let open = matches!(row.status.as_str(), "booked" | "confirmed") && row.starts_at > now;
        if !open {
            return Ok(WriteOutcome::Rollback(PatientConfirm::Closed(row)));
        }
        if row.status == "confirmed" {
            return Ok(WriteOutcome::Rollback(PatientConfirm::Confirmed(row)));
        }
        if !set_status(conn, row.id, row.revision, "confirmed", now).await? {
            return Ok(WriteOutcome::Rollback(PatientConfirm::Closed(row)));
        }
        row.status = "confirmed".into();
        row.revision += 1;
        Ok(WriteOutcome::Commit(PatientConfirm::Confirmed(row)))
    }))
    .await
}
