//! The day and week view for staff: the columns, a patient booked into free time (through the
//! same hold and database rule as every booking), and free time offered to the waitlist now.

use super::local_time::date_of;
use super::PracticeAuth;
use crate::booking::booking_ctx::BookingCtx;
use crate::booking::bookings::{book, BookingAnswer};
use crate::booking::refill::offer_now;
use crate::clock::now_seconds;
use crate::day_view::{day_view, DayViewAsk};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::store::refill::note_freed;
use crate::tokens::new_token;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::api::{BookingCreated, BookingRequest, InsuranceChoice};
use slotwise_shared::day_view::{
    DayView, DayViewQuery, FreeTimeOffer, OfferSent, StaffBooked, StaffBooking, MAX_DAYS,
};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::model::{LocationId, PatientType, ProviderId};

/// Longest free time offered at once.
const MAX_OFFER_SECONDS: i64 = 24 * 3600;

/// `GET /api/v1/admin/schedule?date=&days=&location_id=&provider_id=`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/schedule",
    operation_id = "day_view",
    tag = "admin",
    summary = "The day or week view: a column per provider and day",
    security(("bearerAuth" = ["front_desk"])),
    params(DayViewQuery),
    responses(
        (status = 200, description = "The columns: open hours, time off, appointments (not cancelled; at most 500 in all) and free time", body = DayView),
        (status = 422, description = "`date` is not a date like 2026-12-01, `days` is not 1 to 7, or an unknown `location_id` or `provider_id`", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(q): ApiQuery<DayViewQuery>,
) -> ApiResult<Json<DayView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let now = now_seconds();
    let from = if q.date.trim().is_empty() {
        Timestamp::from_second(now)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(catalog.practice.tz.clone())
            .date()
    } else {
        date_of(&q.date).ok_or_else(|| ApiError::field("date", "Use a date like 2026-12-01."))?
    };
    let days = q.days.unwrap_or(1);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError::field("days", "Show 1 to 7 days."));
    }
    let location = q.location_id.map(LocationId);
    if location.is_some_and(|l| !catalog.locations.iter().any(|x| x.id == l)) {
        return Err(ApiError::field(
            "location_id",
            "Choose one of your locations.",
        ));
    }
    let provider = q.provider_id.map(ProviderId);
    if provider.is_some_and(|p| !catalog.providers.iter().any(|x| x.id == p)) {
        return Err(ApiError::field(
            "provider_id",
            "Choose one of your providers.",
        ));
    }
    let ask = DayViewAsk {
        from,
        days,
        location,
        provider,
    };
    Ok(Json(day_view(&state.db, &catalog, ask, now).await?))
}

/// `POST /api/v1/admin/schedule/offer`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/schedule/offer",
    operation_id = "offer_free_time",
    tag = "admin",
    summary = "Offer a provider's free time to the waitlist now",
    security(("bearerAuth" = ["front_desk"])),
    request_body = FreeTimeOffer,
    responses(
        (status = 200, description = "How many waiting patients were offered a time in it now (the next waves follow the practice's wave settings)", body = OfferSent),
        (status = 422, description = "An unknown provider, or a time that is not ahead, ends before it starts or is longer than a day", body = ErrorBody),
    ),
)]
pub async fn offer(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(req): ApiJson<FreeTimeOffer>,
) -> ApiResult<Json<OfferSent>> {
    let catalog = state.catalog(&auth.slug).await?;
    if !catalog.providers.iter().any(|p| p.id == req.provider_id) {
        return Err(ApiError::field(
            "provider_id",
            "Choose one of your providers.",
        ));
    }
    let now = now_seconds();
    let (start, end) = (req.starts_at.as_second(), req.ends_at.as_second());
    if end <= start || end - start > MAX_OFFER_SECONDS {
        return Err(ApiError::field(
            "ends_at",
            "Offer a time that ends after it starts, at most a day long.",
        ));
    }
    if start <= now {
        return Err(ApiError::field(
            "starts_at",
            "Offer a time that is still ahead.",
        ));
    }
    let (practice_id, provider) = (auth.practice_id, req.provider_id);
    let freed = super::change::apply(&state, &auth, "schedule.offer", move |conn| {
        Box::pin(async move {
            let id = note_freed(conn, practice_id, provider, (start, end), now).await?;
            super::change::done(id, format!("provider {}", provider.0))
        })
    })
    .await?;
    let offers = match freed {
        Some(id) => offer_now(&state.db, &catalog, &state.public_url(), id, now).await?,
        None => 0,
    };
    state.outbox.wake();
    Ok(Json(OfferSent {
        offers: u32::try_from(offers).unwrap_or(u32::MAX),
    }))
}

/// `POST /api/v1/admin/bookings`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/bookings",
    operation_id = "staff_book",
    tag = "admin",
    summary = "Book a patient into a time held through the public holds API",
    security(("bearerAuth" = ["front_desk"])),
    request_body = StaffBooking,
    responses(
        (status = 201, description = "Booked (or, with the practice system down, queued); the patient is told", body = StaffBooked),
        (status = 404, description = "No such hold in the caller's practice", body = ErrorBody),
        (status = 409, description = "The time was taken (`slot_unavailable`, with `alternatives`) or the hold was already used", body = ErrorBody),
        (status = 410, description = "The hold ran out (`hold_expired`, with `alternatives`)", body = ErrorBody),
        (status = 422, description = "Patient details that do not pass (`validation_failed`, see `fields`)", body = ErrorBody),
    ),
)]
pub async fn book_patient(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(req): ApiJson<StaffBooking>,
) -> ApiResult<(StatusCode, Json<StaffBooked>)> {
    let catalog = state.catalog(&auth.slug).await?;
    let public_url = state.public_url();
    let ctx = BookingCtx {
        db: &state.db,
        catalog: &catalog,
        public_url: &public_url,
        pms: &state.pms,
        retry: None,
        by_staff: true,
    };
    let request = BookingRequest {
        hold_token: req.hold_token,
        patient_type: PatientType::New,
        patient: req.patient,
        insurance: InsuranceChoice::SelfPay,
        notes: req.notes,
        referral: None,
        verified: None,
        link: None,
        lang: None,
    };
    let outcome = book(&ctx, &new_token(), &request, "staff").await?;
    state.outbox.wake();
    state.slots_cache.changed(catalog.practice.id);
    let answer = match outcome.answer {
        BookingAnswer::Booked(body) => {
            let created: BookingCreated =
                serde_json::from_str(&body).map_err(|e| ApiError::from(anyhow::Error::from(e)))?;
            let reference = created.booking.reference;
            StaffBooked {
                message: format!(
                    "Booked {} {} ({reference}). The patient is told.",
                    request.patient.first_name, request.patient.last_name
                ),
                reference,
                queued: false,
            }
        }
        BookingAnswer::Queued(_) => StaffBooked {
            reference: String::new(),
            queued: true,
            message: "The practice system did not answer: the booking waits in the booking queue."
                .into(),
        },
    };
    let target = if answer.queued {
        "booking queue".to_string()
    } else {
        format!("appointment {}", answer.reference)
    };
    super::change::record(&state, &auth, "appointment.book", target).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}
