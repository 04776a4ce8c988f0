//! SQL of the confirmation policy: the practice's policy and the patient's recent no-shows at
//! booking time, the deadline set on the booking, the bookings whose deadline passed
//! unconfirmed, and a patient confirming through their link.

use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::{AnyConnection, FromRow};

/// A month, for the policy's look-back.
pub const MONTH_SECONDS: i64 = 30 * 86_400;
/// Most deadlines one run handles.
pub const MAX_DUE: i64 = 200;

/// A practice's confirmation policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, FromRow)]
pub struct PolicyRow {
    /// No-shows that make confirming necessary; 0: the policy is off.
    pub confirm_no_shows: i64,
    pub confirm_months: i64,
    /// The deadline, in hours before the visit.
    pub confirm_hours: i64,
    /// Unconfirmed at the deadline: cancel and offer the time to the waitlist.
    pub confirm_release: i64,
}

/// The practice's policy.
pub async fn policy(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<PolicyRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT confirm_no_shows, confirm_months, confirm_hours, confirm_release
         FROM practices WHERE id = $1",
    )
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await
    .map(Option::unwrap_or_default)
}

/// The patient's no-shows since `since`.
pub async fn no_shows_since(
    conn: &mut AnyConnection,
    patient_id: PatientId,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments
         WHERE patient_id = $1 AND status = 'no_show' AND starts_at >= $2",
    )
    .bind(patient_id)
    .bind(since)
    .fetch_one(&mut *conn)
    .await
}

/// Sets the deadline by which a booking must be confirmed.
pub async fn set_deadline(
    conn: &mut AnyConnection,
    appointment_id: i64,
    deadline: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE appointments SET confirm_by = $2 WHERE id = $1")
        .bind(appointment_id)
        .bind(deadline)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A booking whose deadline passed unconfirmed.
#[derive(Clone, Debug, FromRow)]
pub struct DueRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub slug: String,
    pub release: i64,
}

/// Booked (not confirmed) visits still ahead whose deadline passed and were not handled yet,
/// oldest deadline first (at most [`MAX_DUE`]).
pub async fn due(conn: &mut AnyConnection, now: i64) -> Result<Vec<DueRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT a.id, a.practice_id, p.slug, p.confirm_release AS release
         FROM appointments a JOIN practices p ON p.id = a.practice_id
         WHERE a.confirm_by IS NOT NULL AND a.confirm_by <= $1 AND a.confirm_missed_at IS NULL
           AND a.status = 'booked' AND a.starts_at > $1
         ORDER BY a.confirm_by, a.id LIMIT {MAX_DUE}"
    ))
    .bind(now)
    .fetch_all(&mut *conn)
    .await
}

/// Marks the deadline missed; false when it was handled already or the visit was confirmed.
pub async fn mark_missed(
    conn: &mut AnyConnection,
    appointment_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE appointments SET confirm_missed_at = $2
         WHERE id = $1 AND confirm_missed_at IS NULL AND status = 'booked'",
    )
    .bind(appointment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
