//! What a patient can do with a manage token: see, cancel, reschedule, add to a calendar.

use super::availability::hold_expired;
use crate::appointment_view::{booking_calendar_file, booking_view, BookingLinks};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::appointment_messages::queue_for_appointment;
use crate::procedures::flags::after_step_change;
use crate::store::appointment_search;
use crate::store::appointments::{self, AppointmentRow, MoveOutcome};
use crate::store::db::Db;
use crate::store::outside_changes::{self, ChangeKind};
use crate::store::refill;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, looks_like_token};
use crate::write_unit;
use slotwise_shared::api::{BookingView, RescheduleRequest};
use slotwise_shared::lang::Language;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::PracticeId;
use sqlx::AnyConnection;

/// A string that cannot be a manage token is an unknown booking, without a database look-up.
fn check_token_shape(token: &str) -> DomainResult<()> {
    if looks_like_token(token) {
        Ok(())
    } else {
        Err(DomainError::NotFound("booking"))
    }
}

async fn find(db: &Db, catalog: &Catalog, token: &str) -> DomainResult<AppointmentRow> {
    check_token_shape(token)?;
    let mut conn = db.read.acquire().await?;
    appointments::find_by_manage_token(&mut conn, catalog.practice.id, &hash_token(token))
        .await?
        .ok_or_else(|| DomainError::NotFound("booking"))
}

/// The refusal when the reason's policy no longer lets the patient change the visit online
/// (inside its late-cancellation window, past its grace period): they call the practice.
fn too_late(catalog: &Catalog, row: &AppointmentRow, now: i64) -> Option<DomainError> {
    let reason = catalog.reason(row.reason_id)?;
    reason
        .policy
        .too_late(row.starts_at, row.created_at, now)
        .then(|| {
            DomainError::Conflict(format!(
                "api.conflict.late_change|phone={}",
                catalog.practice.phone
            ))
        })
}

/// `GET bookings/{token}`.
pub async fn get_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
    language: &Language,
) -> DomainResult<BookingView> {
    let row = find(db, catalog, token).await?;
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(booking_view(catalog, &row, &links, now_seconds(), language))
}

/// `POST bookings/{token}/cancel`. Cancelling twice answers the cancelled booking again.
pub async fn cancel_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
    language: &Language,
) -> DomainResult<BookingView> {
    check_token_shape(token)?;
    let now = now_seconds();
    let (practice_id, hash) = (catalog.practice.id, hash_token(token));
    let (catalog_copy, token_copy, url) =
        (catalog.clone(), token.to_string(), public_url.to_string());
    let outcome = db
        .write(write_unit!(|conn| {
            let Some(mut row) =
                appointments::find_by_manage_token(conn, practice_id, &hash).await?
            else {
                return Ok(WriteOutcome::Rollback(Err(DomainError::NotFound(
                    "booking",
                ))));
            };
            Ok(match row.status.as_str() {
                "cancelled" => WriteOutcome::Rollback(Ok(row)),
                "booked" | "confirmed" if row.starts_at > now => {
                    if let Some(refusal) = too_late(&catalog_copy, &row, now) {
                        return Ok(WriteOutcome::Rollback(Err(refusal)));
                    }
                    let revision = row.revision;
                    if !appointments::set_status(conn, row.id, revision, "cancelled", now).await? {
                        return Ok(WriteOutcome::Rollback(Err(DomainError::conflict(
                            "api.conflict.changed_open_again",
                        ))));
                    }
                    // Written to an outside schedule of record after commit.
                    let old = (row.provider_id, row.starts_at, row.ends_at);
                    // The time is free again: the waitlist may refill it.
                    refill::note_freed(conn, practice_id, row.provider_id, (old.1, old.2), now)
                        .await?;
                    outside_changes::record(
                        conn,
                        practice_id,
                        row.id,
                        ChangeKind::Cancel,
                        old,
                        now,
                    )
                    .await?;
                    row.status = "cancelled".into();
                    row.revision += 1;
                    queue_for_appointment(
                        conn,
                        &catalog_copy,
                        &row,
                        &token_copy,
                        &url,
                        MessageEvent::Cancelled,
                        now,
                    )
                    .await?;
                    after_step_change(conn, &catalog_copy.practice.tz, row.id).await?;
                    WriteOutcome::Commit(Ok(row))
                }
                "booked" | "confirmed" => {
                    WriteOutcome::Rollback(Err(DomainError::conflict("api.conflict.started")))
                }
                _ => WriteOutcome::Rollback(Err(DomainError::conflict(
                    "api.conflict.no_cancel_online",
                ))),
            })
        }))
        .await?;
    let row = outcome?;
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(booking_view(catalog, &row, &links, now, language))
}

/// How a reschedule attempt ended inside its unit of writes.
enum Moved {
    Done(AppointmentRow),
    HoldExpired(AppointmentRow),
    Refused(DomainError),
}

/// Which booking to change: by the patient's manage token (hash), or by id (staff).
#[derive(Clone, Debug)]
pub enum Which {
    ManageToken(String),
    Id(i64),
}

impl Which {
    async fn find(
        &self,
        conn: &mut AnyConnection,
        practice_id: PracticeId,
    ) -> Result<Option<AppointmentRow>, sqlx::Error> {
        match self {
            Which::ManageToken(hash) => {
                appointments::find_by_manage_token(conn, practice_id, hash).await
            }
            Which::Id(id) => appointment_search::find(conn, practice_id, *id).await,
        }
    }
}

/// `POST bookings/{token}/reschedule`: moves the booking into a newly held time.
pub async fn reschedule_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
    language: &Language,
    req: &RescheduleRequest,
) -> DomainResult<BookingView> {
    check_token_shape(token)?;
    let which = Which::ManageToken(hash_token(token));
    let moved = move_booking(
        db,
        catalog,
        public_url,
        which,
        &req.hold_token,
        token,
        false,
    )
    .await?;
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(booking_view(
        catalog,
        &moved,
        &links,
        now_seconds(),
        language,
    ))
}

/// Moves a booking into a held time and tells the patient. The patient's links use
/// `link_token`; with `rotate` it becomes the booking's new manage token (staff moves, where
/// the patient's token is not known).
pub async fn move_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    which: Which,
    hold_token: &str,
    link_token: &str,
    rotate: bool,
) -> DomainResult<AppointmentRow> {
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let hold_hash = hash_token(hold_token);
    let (catalog_copy, token_copy, url) = (
        catalog.clone(),
        link_token.to_string(),
        public_url.to_string(),
    );
    let outcome = db
        .write(write_unit!(|conn| {
            let refuse = |e| Ok(WriteOutcome::Rollback(Moved::Refused(e)));
            let Some(row) = which.find(conn, practice_id).await? else {
                return refuse(DomainError::NotFound("booking"));
            };
            if !matches!(row.status.as_str(), "booked" | "confirmed") || row.starts_at <= now {
                return refuse(DomainError::conflict("api.conflict.no_change_online"));
            }
            // The patient's own move keeps the reason's policy; staff are not bound by it.
            if matches!(which, Which::ManageToken(_)) {
                if let Some(refusal) = too_late(&catalog_copy, &row, now) {
                    return refuse(refusal);
                }
            }
            let Some(hold) =
                appointments::find_by_hold_token(conn, practice_id, &hold_hash).await?
            else {
                return refuse(DomainError::NotFound("hold"));
            };
            if hold.reason_id != row.reason_id {
                return refuse(DomainError::field(
                    "hold_token",
                    "Pick a new time for the same kind of visit.",
                ));
            }
            if !matches!(hold.status.as_str(), "held" | "expired") {
                return refuse(DomainError::conflict("api.conflict.hold_used"));
            }
            if hold.status != "held" || hold.hold_expires_at.is_none_or(|at| at <= now) {
                return Ok(WriteOutcome::Rollback(Moved::HoldExpired(hold)));
            }
            match appointments::move_into_hold(conn, row.id, row.revision, &hold, now).await? {
                MoveOutcome::Moved => {}
                MoveOutcome::Taken => return refuse(DomainError::Taken(Vec::new())),
                MoveOutcome::Changed => {
                    return refuse(DomainError::conflict("api.conflict.changed_look_again"))
                }
            }
            let old = (row.provider_id, row.starts_at, row.ends_at);
            outside_changes::record(conn, practice_id, row.id, ChangeKind::Move, old, now).await?;
            // The old time is free again: the waitlist may refill it.
            refill::note_freed(conn, practice_id, old.0, (old.1, old.2), now).await?;
            if rotate {
                appointment_search::set_manage_token(conn, row.id, &hash_token(&token_copy))
                    .await?;
            }
            let moved = AppointmentRow {
                provider_id: hold.provider_id,
                operatory_id: hold.operatory_id,
                location_id: hold.location_id,
                starts_at: hold.starts_at,
                ends_at: hold.ends_at,
                block_start: hold.block_start,
                block_end: hold.block_end,
                updated_at: now,
                revision: row.revision + 1,
                ..row
            };
            queue_for_appointment(
                conn,
                &catalog_copy,
                &moved,
                &token_copy,
                &url,
                MessageEvent::Rescheduled,
                now,
            )
            .await?;
            after_step_change(conn, &catalog_copy.practice.tz, moved.id).await?;
            Ok(WriteOutcome::Commit(Moved::Done(moved)))
        }))
        .await?;
    match outcome {
        Moved::Done(row) => Ok(row),
        Moved::Refused(err) => Err(err),
        Moved::HoldExpired(hold) => Err(hold_expired(db, catalog, &hold, now).await?),
    }
}

/// `GET bookings/{token}/calendar.ics`.
pub async fn booking_calendar(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
    language: &Language,
) -> DomainResult<String> {
    let row = find(db, catalog, token).await?;
    Ok(booking_calendar_file(catalog, &row, public_url, language))
}
