//! Inserts of practice setup rows, used by the demo and by tests to build practices.
//! (The staff console will get its own validated editing paths.)

use slotwise_shared::model::{
    CarrierId, LocationId, OperatoryId, PracticeId, ProviderId, ReasonId,
};
use sqlx::AnyConnection;

/// A practice's basic facts.
pub struct NewPractice<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub timezone: &'a str,
    pub accent_color: &'a str,
    pub hold_minutes: i64,
    pub existing_patients_only: bool,
    pub confirmation_text: &'a str,
    pub out_of_network_text: &'a str,
    pub allowed_origins: &'a str,
}

/// Inserts a practice.
pub async fn practice(
    conn: &mut AnyConnection,
    p: &NewPractice<'_>,
    now: i64,
) -> Result<PracticeId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO practices (slug, name, phone, timezone, accent_color, hold_minutes,
             existing_patients_only, confirmation_text, out_of_network_text, allowed_origins, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(p.slug)
    .bind(p.name)
    .bind(p.phone)
    .bind(p.timezone)
    .bind(p.accent_color)
    .bind(p.hold_minutes)
    .bind(i64::from(p.existing_patients_only))
    .bind(p.confirmation_text)
    .bind(p.out_of_network_text)
    .bind(p.allowed_origins)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Replaces a practice's allowed embed origins (whitespace separated).
pub async fn set_allowed_origins(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    origins: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE practices SET allowed_origins = $2 WHERE id = $1")
        .bind(practice_id)
        .bind(origins)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Inserts a location.
pub async fn location(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    name: &str,
    address: &str,
    timezone: &str,
) -> Result<LocationId, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO locations (practice_id, name, address, timezone) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(practice_id)
        .bind(name)
        .bind(address)
        .bind(timezone)
        .fetch_one(&mut *conn)
        .await
}

/// Inserts an operatory (room or chair) of a kind.
pub async fn operatory(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    location_id: LocationId,
    name: &str,
    kind: &str,
) -> Result<OperatoryId, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO operatories (practice_id, location_id, name, kind) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(practice_id)
        .bind(location_id)
        .bind(name)
        .bind(kind)
        .fetch_one(&mut *conn)
        .await
}

/// Inserts a bookable provider.
pub async fn provider(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    name: &str,
    role: &str,
    bio: &str,
    sort_order: i64,
) -> Result<ProviderId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO providers (practice_id, name, role, bio, bookable, sort_order) VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
    )
    .bind(practice_id)
    .bind(name)
    .bind(role)
    .bind(bio)
    .bind(sort_order)
    .fetch_one(&mut *conn)
    .await
}

/// Adds a weekly working window.
pub async fn weekly_hours(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    provider_id: ProviderId,
    location_id: LocationId,
    weekday: i64,
    start_min: i64,
    end_min: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO provider_hours (practice_id, provider_id, location_id, weekday, start_min, end_min)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(practice_id)
    .bind(provider_id)
    .bind(location_id)
    .bind(weekday)
    .bind(start_min)
    .bind(end_min)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds a block-off (time off) for a provider.
pub async fn time_off(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    provider_id: ProviderId,
    starts_at: i64,
    ends_at: i64,
    label: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO time_off (practice_id, provider_id, starts_at, ends_at, label) VALUES ($1, $2, $3, $4, $5)")
        .bind(practice_id)
        .bind(provider_id)
        .bind(starts_at)
        .bind(ends_at)
        .bind(label)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A reason for visit.
pub struct NewReason<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub duration_min: i64,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub interval_min: i64,
    pub min_notice_min: i64,
    pub horizon_days: i64,
    pub eligibility: &'a str,
    pub operatory_kind: Option<&'a str>,
}

/// Inserts a reason and links its providers.
pub async fn reason(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    r: &NewReason<'_>,
    sort_order: i64,
    providers: &[ProviderId],
) -> Result<ReasonId, sqlx::Error> {
    let id: ReasonId = sqlx::query_scalar(
        "INSERT INTO reasons (practice_id, name, description, duration_min, buffer_before_min,
             buffer_after_min, interval_min, min_notice_min, horizon_days, eligibility, operatory_kind, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(practice_id)
    .bind(r.name)
    .bind(r.description)
    .bind(r.duration_min)
    .bind(r.buffer_before_min)
    .bind(r.buffer_after_min)
    .bind(r.interval_min)
    .bind(r.min_notice_min)
    .bind(r.horizon_days)
    .bind(r.eligibility)
    .bind(r.operatory_kind)
    .bind(sort_order)
    .fetch_one(&mut *conn)
    .await?;
    for provider in providers {
        sqlx::query("INSERT INTO reason_providers (reason_id, provider_id) VALUES ($1, $2)")
            .bind(id)
            .bind(provider)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Inserts an accepted insurance carrier.
pub async fn carrier(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    name: &str,
    member_id_required: bool,
    sort_order: i64,
) -> Result<CarrierId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO insurance_carriers (practice_id, name, member_id_required, sort_order) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(practice_id)
    .bind(name)
    .bind(i64::from(member_id_required))
    .bind(sort_order)
    .fetch_one(&mut *conn)
    .await
}
