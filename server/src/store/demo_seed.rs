//! Queries only the demo and the benchmark seeding use: past visits, first rows of a
//! practice, bulk appointments. The product never calls them.

use crate::tokens::{hash_token, new_reference, new_token};
use slotwise_shared::model::{LocationId, PatientId, PracticeId, ProviderId, ReasonId};
use sqlx::AnyConnection;

/// A visit written straight into the schedule (history for the demo's automations).
pub struct SeedVisit<'a> {
    pub patient_id: PatientId,
    pub reason_id: ReasonId,
    pub provider_id: ProviderId,
    pub status: &'a str,
    pub starts_at: i64,
}

/// Inserts a 30-minute visit booked by staff for a returning, self-paying patient.
pub async fn insert_visit(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    location_id: LocationId,
    v: &SeedVisit<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appointments (practice_id, provider_id, location_id, reason_id, patient_id,
             status, starts_at, ends_at, block_start, block_end, manage_token_hash, reference,
             source, patient_type, self_pay, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, $10, 'staff', 'returning', 1,
             $11, $11)",
    )
    .bind(practice_id)
    .bind(v.provider_id)
    .bind(location_id)
    .bind(v.reason_id)
    .bind(v.patient_id)
    .bind(v.status)
    .bind(v.starts_at)
    .bind(v.starts_at + 30 * 60)
    .bind(hash_token(&new_token()))
    .bind(new_reference())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts a booked half hour without a patient (benchmark load).
pub async fn insert_booked(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    ids: (ProviderId, LocationId, ReasonId),
    start: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (provider_id, location_id, reason_id) = ids;
    sqlx::query(
        "INSERT INTO appointments (practice_id, provider_id, location_id, reason_id, status, starts_at,
             ends_at, block_start, block_end, source, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'booked', $5, $6, $5, $6, 'staff', $7, $7)",
    )
    .bind(practice_id)
    .bind(provider_id)
    .bind(location_id)
    .bind(reason_id)
    .bind(start)
    .bind(start + 1800)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The practice's first location.
pub async fn first_location(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<LocationId, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(id) FROM locations WHERE practice_id = $1")
        .bind(practice_id)
        .fetch_one(&mut *conn)
        .await
}

/// The practice's first reason and first provider in the console's order.
pub async fn first_reason_and_provider(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<(Option<ReasonId>, Option<ProviderId>), sqlx::Error> {
    let reason = sqlx::query_scalar(
        "SELECT id FROM reasons WHERE practice_id = $1 ORDER BY sort_order, id LIMIT 1",
    )
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await?;
    let provider = sqlx::query_scalar(
        "SELECT id FROM providers WHERE practice_id = $1 ORDER BY sort_order, id LIMIT 1",
    )
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok((reason, provider))
}

/// A patient with this first name and phone, if any.
pub async fn patient_named(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    first_name: &str,
    phone: &str,
) -> Result<Option<PatientId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM patients WHERE practice_id = $1 AND first_name = $2 AND phone = $3",
    )
    .bind(practice_id)
    .bind(first_name)
    .bind(phone)
    .fetch_optional(&mut *conn)
    .await
}

/// The members of the household with this phone, oldest record first.
pub async fn household_members(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    phone: &str,
) -> Result<Vec<PatientId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.id FROM patients p JOIN households h ON h.id = p.household_id
         WHERE p.practice_id = $1 AND h.phone = $2 ORDER BY p.id",
    )
    .bind(practice_id)
    .bind(phone)
    .fetch_all(&mut *conn)
    .await
}

/// Makes a practice a veterinary clinic that books existing patients only.
pub async fn make_veterinary(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE practices SET kind = 'veterinary', existing_patients_only = 1,
             confirmation_text = 'Please bring your pet''s vaccination record.'
         WHERE id = $1",
    )
    .bind(practice_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The benchmark practice's reason, providers and appointment count.
pub async fn bench_practice(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<(ReasonId, Vec<ProviderId>, i64), sqlx::Error> {
    let reason_id = sqlx::query_scalar("SELECT id FROM reasons WHERE practice_id = $1")
        .bind(practice_id)
        .fetch_one(&mut *conn)
        .await?;
    let provider_ids =
        sqlx::query_scalar("SELECT id FROM providers WHERE practice_id = $1 ORDER BY id")
            .bind(practice_id)
            .fetch_all(&mut *conn)
            .await?;
    let appointments =
        sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok((reason_id, provider_ids, appointments))
}
