//! Practice setup as staff edit it: settings, locations and rooms, providers with hours and
//! time off, reasons for visit, insurance carriers. Every statement is scoped by practice.

use crate::store::db::Db;
use slotwise_shared::model::{CarrierId, LocationId, PracticeId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// Practice settings row.
#[derive(Clone, Debug, FromRow)]
pub struct PracticeRow {
    pub slug: String,
    pub name: String,
    pub phone: String,
    pub timezone: String,
    pub accent_color: String,
    pub logo_url: Option<String>,
    pub hold_minutes: i64,
    pub existing_patients_only: i64,
    pub confirmation_text: String,
    pub out_of_network_text: String,
    pub allowed_origins: String,
    pub queue_expiry_hours: i64,
    pub kind: String,
    pub intake_url: String,
    /// ISO 3166-1 alpha-2 code, or empty (see [`crate::phone::practice_country`]).
    pub country: String,
    /// 1: patients may choose "Any location".
    pub any_location: i64,
    /// A code of `shared/lang`.
    pub default_lang: String,
    pub waitlist_wave_size: i64,
    pub waitlist_wave_minutes: i64,
    pub confirm_no_shows: i64,
    pub confirm_months: i64,
    pub confirm_hours: i64,
    /// 1: release unconfirmed bookings at the deadline.
    pub confirm_release: i64,
}

/// Reads a practice's settings.
pub async fn practice(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Option<PracticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, name, phone, timezone, accent_color, logo_url, hold_minutes,
                existing_patients_only, confirmation_text, out_of_network_text, allowed_origins,
                queue_expiry_hours, kind, intake_url, country, any_location, default_lang,
                waitlist_wave_size, waitlist_wave_minutes, confirm_no_shows, confirm_months,
                confirm_hours, confirm_release
         FROM practices WHERE id = $1",
    )
    .bind(practice_id)
    .fetch_optional(&db.read)
    .await
}

/// Saves a practice's settings (slug and timezone stay).
pub async fn update_practice(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    p: &PracticeRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE practices SET name = $2, phone = $3, accent_color = $4, logo_url = $5,
             hold_minutes = $6, existing_patients_only = $7, confirmation_text = $8,
             out_of_network_text = $9, allowed_origins = $10, queue_expiry_hours = $11,
             kind = $12, intake_url = $13, country = $14, any_location = $15,
             default_lang = $16, waitlist_wave_size = $17, waitlist_wave_minutes = $18,
             confirm_no_shows = $19, confirm_months = $20, confirm_hours = $21,
             confirm_release = $22
         WHERE id = $1",
    )
    .bind(practice_id)
    .bind(&p.name)
    .bind(&p.phone)
    .bind(&p.accent_color)
    .bind(p.logo_url.as_deref())
    .bind(p.hold_minutes)
    .bind(p.existing_patients_only)
    .bind(&p.confirmation_text)
    .bind(&p.out_of_network_text)
    .bind(&p.allowed_origins)
    .bind(p.queue_expiry_hours)
    .bind(&p.kind)
    .bind(&p.intake_url)
    .bind(&p.country)
    .bind(p.any_location)
    .bind(&p.default_lang)
    .bind(p.waitlist_wave_size)
    .bind(p.waitlist_wave_minutes)
    .bind(p.confirm_no_shows)
    .bind(p.confirm_months)
    .bind(p.confirm_hours)
    .bind(p.confirm_release)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Locations: (id, name, address, timezone).
pub async fn locations(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, address, timezone FROM locations WHERE practice_id = $1 ORDER BY id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Rooms: (id, location id, name, kind).
pub async fn operatories(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Vec<(i64, i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, location_id, name, kind FROM operatories WHERE practice_id = $1 ORDER BY id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Provider row.
#[derive(Clone, Debug, FromRow)]
pub struct ProviderRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub bio: String,
    pub photo_url: Option<String>,
    pub bookable: i64,
    pub external_id: Option<String>,
}

/// Providers in display order.
pub async fn providers(db: &Db, practice_id: PracticeId) -> Result<Vec<ProviderRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, role, bio, photo_url, bookable, external_id FROM providers
         WHERE practice_id = $1 ORDER BY sort_order, id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Weekly hours: (provider, location, weekday, start minute, end minute).
pub async fn hours(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Vec<(i64, i64, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT provider_id, location_id, weekday, start_min, end_min FROM provider_hours
         WHERE practice_id = $1 ORDER BY provider_id, weekday, start_min",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Time off that has not ended: (id, provider, starts, ends, label).
pub async fn time_off(
    db: &Db,
    practice_id: PracticeId,
    now: i64,
) -> Result<Vec<(i64, i64, i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, provider_id, starts_at, ends_at, label FROM time_off
         WHERE practice_id = $1 AND ends_at > $2 ORDER BY starts_at",
    )
    .bind(practice_id)
    .bind(now)
    .fetch_all(&db.read)
    .await
}

/// The sort position after the practice's last row of `table` (a fixed name with a
/// `sort_order` column).
pub async fn next_sort_order(
    conn: &mut AnyConnection,
    table: &'static str,
    practice_id: PracticeId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT COALESCE(MAX(sort_order), 0) + 1 FROM {table} WHERE practice_id = $1"
    ))
    .bind(practice_id)
    .fetch_one(&mut *conn)
    .await
}

/// The room of a location with this name, if any.
pub async fn operatory_named(
    conn: &mut AnyConnection,
    location_id: LocationId,
    name: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM operatories WHERE location_id = $1 AND name = $2")
        .bind(location_id)
        .bind(name)
        .fetch_optional(&mut *conn)
        .await
}

/// Whether a row of `table` with this id belongs to the practice (`table` is a fixed name).
pub async fn owns(
    conn: &mut AnyConnection,
    table: &'static str,
    practice_id: PracticeId,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND practice_id = $2"
    ))
    .bind(id)
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Whether another row of `table` (a fixed name with a `name` column) of the practice than
/// `except` has this name.
pub async fn name_taken(
    conn: &mut AnyConnection,
    table: &'static str,
    practice_id: PracticeId,
    name: &str,
    except: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE practice_id = $1 AND name = $2 AND id <> $3"
    ))
    .bind(practice_id)
    .bind(name)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Changes a provider; `false` if it is not the practice's.
pub async fn update_provider(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: ProviderId,
    p: &ProviderRow,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE providers SET name = $3, role = $4, bio = $5, photo_url = $6, bookable = $7,
             external_id = $8
         WHERE id = $1 AND practice_id = $2",
    )
    .bind(id)
    .bind(practice_id)
    .bind(&p.name)
    .bind(&p.role)
    .bind(&p.bio)
    .bind(p.photo_url.as_deref())
    .bind(p.bookable)
    .bind(p.external_id.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a provider's weekly hours.
pub async fn replace_hours(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    provider_id: ProviderId,
    rows: &[(i64, i64, i64, i64)],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM provider_hours WHERE practice_id = $1 AND provider_id = $2")
        .bind(practice_id)
        .bind(provider_id)
        .execute(&mut *conn)
        .await?;
    for (location, weekday, start, end) in rows {
        super::seed::weekly_hours(
            conn,
            practice_id,
            provider_id,
            LocationId(*location),
            *weekday,
            *start,
            *end,
        )
        .await?;
    }
    Ok(())
}

/// Removes a block of time off; its provider and span, or `None` if it is not the practice's.
pub async fn delete_time_off(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<(ProviderId, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "DELETE FROM time_off WHERE id = $1 AND practice_id = $2
         RETURNING provider_id, starts_at, ends_at",
    )
    .bind(id)
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Reason row.
#[derive(Clone, Debug, FromRow)]
pub struct ReasonRow {
    pub id: ReasonId,
    pub name: String,
    pub description: String,
    pub duration_min: i64,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub interval_min: i64,
    pub min_notice_min: i64,
    pub horizon_days: i64,
    pub eligibility: String,
    pub operatory_kind: Option<String>,
    pub active: i64,
    /// Sent when a visit for this reason is completed ('' = nothing).
    pub aftercare: String,
    pub late_cancel_hours: i64,
    pub grace_minutes: i64,
}

/// Reasons in display order.
pub async fn reasons(db: &Db, practice_id: PracticeId) -> Result<Vec<ReasonRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, description, duration_min, buffer_before_min, buffer_after_min,
                interval_min, min_notice_min, horizon_days, eligibility, operatory_kind, active,
                aftercare, late_cancel_hours, grace_minutes
         FROM reasons WHERE practice_id = $1 ORDER BY sort_order, id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Reason–provider links: (reason, provider).
pub async fn reason_links(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Vec<(ReasonId, ProviderId)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT rp.reason_id, rp.provider_id FROM reason_providers rp
         JOIN reasons r ON r.id = rp.reason_id WHERE r.practice_id = $1
         ORDER BY rp.reason_id, rp.provider_id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Changes a reason and replaces its provider links; `false` if it is not the practice's.
pub async fn update_reason(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    r: &ReasonRow,
    providers: &[ProviderId],
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE reasons SET name = $3, description = $4, duration_min = $5,
             buffer_before_min = $6, buffer_after_min = $7, interval_min = $8,
             min_notice_min = $9, horizon_days = $10, eligibility = $11, operatory_kind = $12,
             active = $13, aftercare = $14, late_cancel_hours = $15, grace_minutes = $16
         WHERE id = $1 AND practice_id = $2",
    )
    .bind(r.id)
    .bind(practice_id)
    .bind(&r.name)
    .bind(&r.description)
    .bind(r.duration_min)
    .bind(r.buffer_before_min)
    .bind(r.buffer_after_min)
    .bind(r.interval_min)
    .bind(r.min_notice_min)
    .bind(r.horizon_days)
    .bind(&r.eligibility)
    .bind(r.operatory_kind.as_deref())
    .bind(r.active)
    .bind(&r.aftercare)
    .bind(r.late_cancel_hours)
    .bind(r.grace_minutes)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM reason_providers WHERE reason_id = $1")
        .bind(r.id)
        .execute(&mut *conn)
        .await?;
    for provider in providers {
        sqlx::query("INSERT INTO reason_providers (reason_id, provider_id) VALUES ($1, $2)")
            .bind(r.id)
            .bind(provider)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// Sets what a new reason is inserted without: whether it is offered (reasons are inserted
/// active), its aftercare text and its booking policy.
pub async fn set_reason_extras(
    conn: &mut AnyConnection,
    reason_id: ReasonId,
    r: &ReasonRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE reasons SET active = $2, aftercare = $3, late_cancel_hours = $4,
             grace_minutes = $5
         WHERE id = $1",
    )
    .bind(reason_id)
    .bind(r.active)
    .bind(&r.aftercare)
    .bind(r.late_cancel_hours)
    .bind(r.grace_minutes)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Carriers: (id, name, member id required).
pub async fn carriers(
    db: &Db,
    practice_id: PracticeId,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, member_id_required FROM insurance_carriers
         WHERE practice_id = $1 ORDER BY sort_order, name",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Changes a carrier; `false` if it is not the practice's.
pub async fn update_carrier(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: CarrierId,
    name: &str,
    member_id_required: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE insurance_carriers SET name = $3, member_id_required = $4
         WHERE id = $1 AND practice_id = $2",
    )
    .bind(id)
    .bind(practice_id)
    .bind(name)
    .bind(i64::from(member_id_required))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a carrier no appointment names: `None` if it is not the practice's, `Some(false)`
/// if bookings name it.
pub async fn delete_carrier(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: CarrierId,
) -> Result<Option<bool>, sqlx::Error> {
    if !owns(conn, "insurance_carriers", practice_id, id.0).await? {
        return Ok(None);
    }
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE carrier_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if used > 0 {
        return Ok(Some(false));
    }
    sqlx::query("DELETE FROM insurance_carriers WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(true))
}
