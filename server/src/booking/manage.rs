//! What a patient can do with a manage token: see, cancel, reschedule, add to a calendar.

use super::availability::alternatives;
use super::now_seconds;
use super::view::{booking_view, calendar_title, location_line, BookingLinks};
use crate::catalog::Catalog;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::ics::calendar_file;
use crate::store::appointments::{self, AppointmentRow};
use crate::tokens::{hash_token, looks_like_token};
use slotwise_shared::api::{BookingView, RescheduleRequest};
use slotwise_shared::model::{ProviderId, ReasonId};

async fn find(db: &Db, catalog: &Catalog, token: &str) -> ApiResult<AppointmentRow> {
    if !looks_like_token(token) {
        return Err(ApiError::not_found("booking"));
    }
    let mut conn = db.read.acquire().await?;
    appointments::find_by_manage_token(&mut conn, catalog.practice.id.0, &hash_token(token))
        .await?
        .ok_or_else(|| ApiError::not_found("booking"))
}

/// `GET bookings/{token}`.
pub async fn get_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
) -> ApiResult<BookingView> {
    let row = find(db, catalog, token).await?;
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(booking_view(catalog, &row, &links, now_seconds()))
}

/// `POST bookings/{token}/cancel`. Cancelling twice answers the cancelled booking again.
pub async fn cancel_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
) -> ApiResult<BookingView> {
    find(db, catalog, token).await?;
    let now = now_seconds();
    let mut tx = db.begin_write().await?;
    let mut row =
        appointments::find_by_manage_token(&mut tx, catalog.practice.id.0, &hash_token(token))
            .await?
            .ok_or_else(|| ApiError::not_found("booking"))?;
    match row.status.as_str() {
        "cancelled" => {}
        "booked" | "confirmed" if row.starts_at > now => {
            appointments::set_status(&mut tx, row.id, "cancelled", now).await?;
            row.status = "cancelled".into();
        }
        "booked" | "confirmed" => {
            return Err(ApiError::conflict(
                "This appointment has already started. Please call the practice.",
            ))
        }
        _ => {
            return Err(ApiError::conflict(
                "This appointment can no longer be cancelled online.",
            ))
        }
    }
    tx.commit().await?;
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(booking_view(catalog, &row, &links, now))
}

/// `POST bookings/{token}/reschedule`: moves the booking into a newly held time.
pub async fn reschedule_booking(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
    req: &RescheduleRequest,
) -> ApiResult<BookingView> {
    find(db, catalog, token).await?;
    let practice_id = catalog.practice.id.0;
    let now = now_seconds();
    let mut tx = db.begin_write().await?;
    let row = appointments::find_by_manage_token(&mut tx, practice_id, &hash_token(token))
        .await?
        .ok_or_else(|| ApiError::not_found("booking"))?;
    if !matches!(row.status.as_str(), "booked" | "confirmed") || row.starts_at <= now {
        return Err(ApiError::conflict(
            "This appointment can no longer be changed online.",
        ));
    }
    let hold = appointments::find_by_hold_token(&mut tx, practice_id, &hash_token(&req.hold_token))
        .await?
        .ok_or_else(|| ApiError::not_found("hold"))?;
    if hold.reason_id != row.reason_id {
        return Err(ApiError::field(
            "hold_token",
            "Pick a new time for the same kind of visit.",
        ));
    }
    let live = hold.status == "held" && hold.hold_expires_at.is_some_and(|at| at > now);
    if !live {
        drop(tx);
        let alts = match catalog
            .reasons
            .iter()
            .find(|r| r.id == ReasonId(hold.reason_id))
        {
            Some(reason) => {
                alternatives(
                    db,
                    catalog,
                    reason,
                    ProviderId(hold.provider_id),
                    hold.starts_at,
                    now,
                    3,
                )
                .await?
            }
            None => Vec::new(),
        };
        return Err(ApiError::hold_expired(alts));
    }
    if !appointments::move_into_hold(&mut tx, row.id, &hold, now).await? {
        return Err(ApiError::slot_unavailable(Vec::new()));
    }
    tx.commit().await?;
    let moved = AppointmentRow {
        provider_id: hold.provider_id,
        operatory_id: hold.operatory_id,
        location_id: hold.location_id,
        starts_at: hold.starts_at,
        ends_at: hold.ends_at,
        block_start: hold.block_start,
        block_end: hold.block_end,
        ..row
    };
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(booking_view(catalog, &moved, &links, now))
}

/// `GET bookings/{token}/calendar.ics`.
pub async fn booking_calendar(
    db: &Db,
    catalog: &Catalog,
    public_url: &str,
    token: &str,
) -> ApiResult<String> {
    let row = find(db, catalog, token).await?;
    let links = BookingLinks::new(public_url, &catalog.practice.slug, token);
    Ok(calendar_file(
        &row,
        &calendar_title(catalog),
        &location_line(catalog, slotwise_shared::model::LocationId(row.location_id)),
        &format!(
            "Manage or cancel: {}\nQuestions? Call {} at {}.",
            links.manage_url, catalog.practice.name, catalog.practice.phone
        ),
        public_url,
    ))
}
