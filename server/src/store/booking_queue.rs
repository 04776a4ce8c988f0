//! The booking queue: bookings the schedule of record could not take and requests of new
//! patients, until staff complete or cancel them (or they expire).

use crate::store::db::Db;
use slotwise_shared::model::{CarrierId, PatientId, PracticeId, ProcedureId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// A queue entry with the names staff see.
#[derive(Clone, Debug, FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub patient_id: Option<PatientId>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub reason_name: Option<String>,
    pub provider_name: Option<String>,
    pub starts_at: Option<i64>,
    pub preference: String,
    pub detail: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub retry: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub date_of_birth: String,
    pub pet_name: Option<String>,
    pub species: Option<String>,
    pub household_id: Option<i64>,
    pub reason_id: Option<ReasonId>,
    pub provider_id: Option<ProviderId>,
    /// Until when an automatic retry has the entry (it may be booking it right now).
    pub claimed_until: Option<i64>,
    /// The language the patient made it in (`None`: none chosen).
    pub lang: Option<String>,
    /// The procedure whose whole chain this entry books (kind `procedure`).
    pub procedure_id: Option<i64>,
}

/// A new entry (the practice's expiry is applied on insert).
#[derive(Clone, Debug, Default)]
pub struct NewEntry {
    pub kind: &'static str,
    pub patient_id: Option<PatientId>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub reason_id: Option<ReasonId>,
    pub provider_id: Option<ProviderId>,
    pub starts_at: Option<i64>,
    pub preference: String,
    pub detail: String,
    /// What a queued booking needs to be made later (by staff or an automatic retry).
    pub booking: Option<QueuedBooking>,
    /// The language the patient chose (a code), for the messages about it.
    pub lang: Option<&'static str>,
    /// The procedure whose whole chain the entry books (staff complete it; not retried).
    pub procedure_id: Option<ProcedureId>,
}

/// The rest of a booking the practice system could not take yet.
#[derive(Clone, Debug, Default)]
pub struct QueuedBooking {
    pub patient_type: String,
    pub date_of_birth: String,
    pub pet_name: Option<String>,
    pub species: Option<String>,
    pub carrier_id: Option<CarrierId>,
    pub member_id: Option<String>,
    /// The identifier it was first written to the practice system under.
    pub external_key: String,
    /// The verified household a new member joins.
    pub household_id: Option<i64>,
}

const SELECT: &str = "SELECT q.id, q.kind, q.status, q.patient_id, q.first_name, q.last_name,
        q.phone, q.email, r.name AS reason_name, pr.name AS provider_name, q.starts_at,
        q.preference, q.detail, q.created_at, q.expires_at, q.resolved_at, q.resolved_by,
        q.retry, q.attempts, q.last_error, q.date_of_birth, q.pet_name, q.species, q.household_id,
        q.reason_id, q.provider_id, q.claimed_until, q.lang, q.procedure_id
    FROM booking_queue q
    LEFT JOIN reasons r ON r.id = q.reason_id
    LEFT JOIN providers pr ON pr.id = q.provider_id";

/// Adds a pending entry; it expires after the practice's `queue_expiry_hours`.
pub async fn insert(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    e: &NewEntry,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let hours: i64 = sqlx::query_scalar("SELECT queue_expiry_hours FROM practices WHERE id = $1")
        .bind(practice_id)
        .fetch_one(&mut *conn)
        .await?;
    let b = e.booking.as_ref();
    sqlx::query_scalar(
        "INSERT INTO booking_queue (practice_id, kind, first_name, last_name, phone, email,
             preference, detail, created_at, expires_at, patient_id, reason_id, provider_id,
             starts_at, patient_type, date_of_birth, pet_name, species, carrier_id, member_id,
             external_key, retry, household_id, lang, procedure_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18, $19, $20, $21, $22, $23, $24, $25) RETURNING id",
    )
    .bind(practice_id)
    .bind(e.kind)
    .bind(&e.first_name)
    .bind(&e.last_name)
    .bind(&e.phone)
    .bind(&e.email)
    .bind(&e.preference)
    .bind(&e.detail)
    .bind(now)
    .bind(now + hours * 3600)
    .bind(e.patient_id)
    .bind(e.reason_id)
    .bind(e.provider_id)
    .bind(e.starts_at)
    .bind(b.map(|b| b.patient_type.as_str()))
    .bind(b.map_or("", |b| b.date_of_birth.as_str()))
    .bind(b.and_then(|b| b.pet_name.as_deref()))
    .bind(b.and_then(|b| b.species.as_deref()))
    .bind(b.and_then(|b| b.carrier_id))
    .bind(b.and_then(|b| b.member_id.as_deref()))
    .bind(b.map(|b| b.external_key.as_str()))
    // A procedure's several visits are booked by staff, not retried one by one.
    .bind(i64::from(b.is_some() && e.procedure_id.is_none()))
    .bind(b.and_then(|b| b.household_id))
    .bind(e.lang)
    .bind(e.procedure_id.map(|p| p.0))
    .fetch_one(&mut *conn)
    .await
}

/// Entries of one status, oldest first for pending ones, newest first otherwise.
pub async fn list(
    db: &Db,
    practice_id: PracticeId,
    status: &str,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    let order = if status == "pending" { "ASC" } else { "DESC" };
    sqlx::query_as(&format!(
        "{SELECT} WHERE q.practice_id = $1 AND q.status = $2
         ORDER BY q.created_at {order}, q.id {order} LIMIT 500"
    ))
    .bind(practice_id)
    .bind(status)
    .fetch_all(&db.read)
    .await
}

/// One entry of the practice.
pub async fn find(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<QueueRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE q.practice_id = $1 AND q.id = $2"))
        .bind(practice_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Marks a pending entry completed by staff unless an automatic retry has it claimed (and
/// may be booking it in the practice system right now); `false` if it was not pending or was
/// claimed. With the retry's own claim (which requires a pending entry) this is the one
/// place the two can meet: whichever changes the row first wins.
pub async fn complete_unclaimed(
    conn: &mut AnyConnection,
    id: i64,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking_queue SET status = 'completed', resolved_at = $2, resolved_by = $3
         WHERE id = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < $2)",
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a pending entry to `status`; `false` if it was not pending.
pub async fn resolve(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking_queue SET status = $2, resolved_at = $3, resolved_by = $4
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Expires pending entries past their time (periodic; idempotent on many instances).
pub async fn expire_due(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking_queue SET status = 'expired', resolved_at = $1, resolved_by = 'expiry'
         WHERE status = 'pending' AND expires_at <= $1",
    )
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}

/// Notes the patient record an entry became (when staff complete it).
pub async fn set_patient(
    conn: &mut AnyConnection,
    entry_id: i64,
    patient_id: PatientId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE booking_queue SET patient_id = $1 WHERE id = $2")
        .bind(patient_id)
        .bind(entry_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
