//! SQL of the waitlist: entries added (one waiting entry per patient or contact and visit:
//! joining again updates it), listed, taken off, ended when their patient books the visit, and
//! expired after their last day.

use crate::store::db::Db;
use slotwise_shared::model::{PatientId, PracticeId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// Most entries one listing reads.
pub const MAX_LISTED: i64 = 500;

/// A new entry.
#[derive(Clone, Debug)]
pub struct NewWaitlistEntry {
    pub patient_id: Option<PatientId>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub reason_id: ReasonId,
    pub provider_id: Option<ProviderId>,
    /// Local dates, `YYYY-MM-DD`.
    pub from_date: String,
    pub to_date: String,
    pub days: i64,
    pub times: i64,
    pub asap: bool,
    pub short_notice: bool,
    /// `widget`, `manage` or `staff`.
    pub source: &'static str,
    pub appointment_id: Option<i64>,
    pub lang: Option<&'static str>,
    pub expires_at: i64,
}

/// An entry with the names staff see.
#[derive(Clone, Debug, FromRow)]
pub struct WaitlistRow {
    pub id: i64,
    pub status: String,
    pub patient_id: Option<PatientId>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub reason_id: ReasonId,
    pub reason_name: String,
    pub provider_id: Option<ProviderId>,
    pub provider_name: Option<String>,
    pub from_date: String,
    pub to_date: String,
    pub days: i64,
    pub times: i64,
    pub asap: i64,
    pub short_notice: i64,
    pub source: String,
    pub created_at: i64,
}

const SELECT: &str = "SELECT w.id, w.status, w.patient_id, w.first_name, w.last_name, w.phone,
        w.email, w.reason_id, r.name AS reason_name, w.provider_id, pr.name AS provider_name,
        w.from_date, w.to_date, w.days, w.times, w.asap, w.short_notice, w.source, w.created_at
    FROM waitlist_entries w
    JOIN reasons r ON r.id = w.reason_id
    LEFT JOIN providers pr ON pr.id = w.provider_id";

/// Adds the entry, or updates the waiting one of the same patient (or, for someone new, the
/// same phone and email) for the same visit. Returns its id.
pub async fn upsert(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    e: &NewWaitlistEntry,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM waitlist_entries
         WHERE practice_id = $1 AND status = 'waiting' AND reason_id = $2
           AND ((patient_id IS NOT NULL AND patient_id = $3)
             OR (patient_id IS NULL AND $3 = 0 AND phone = $4 AND email = $5))
         ORDER BY id LIMIT 1",
    )
    .bind(practice_id)
    .bind(e.reason_id)
    .bind(e.patient_id.map_or(0, |p| p.0))
    .bind(&e.phone)
    .bind(&e.email)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        sqlx::query(
            "UPDATE waitlist_entries SET provider_id = $2, from_date = $3, to_date = $4,
                 days = $5, times = $6, asap = $7, short_notice = $8, expires_at = $9,
                 appointment_id = COALESCE($10, appointment_id), lang = COALESCE($11, lang)
             WHERE id = $1",
        )
        .bind(id)
        .bind(e.provider_id)
        .bind(&e.from_date)
        .bind(&e.to_date)
        .bind(e.days)
        .bind(e.times)
        .bind(i64::from(e.asap))
        .bind(i64::from(e.short_notice))
        .bind(e.expires_at)
        .bind(e.appointment_id)
        .bind(e.lang)
        .execute(&mut *conn)
        .await?;
        return Ok(id);
    }
    sqlx::query_scalar(
        "INSERT INTO waitlist_entries (practice_id, patient_id, first_name, last_name, phone,
             email, reason_id, provider_id, from_date, to_date, days, times, asap, short_notice,
             source, appointment_id, lang, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18, $19) RETURNING id",
    )
    .bind(practice_id)
    .bind(e.patient_id)
    .bind(&e.first_name)
    .bind(&e.last_name)
    .bind(&e.phone)
    .bind(&e.email)
    .bind(e.reason_id)
    .bind(e.provider_id)
    .bind(&e.from_date)
    .bind(&e.to_date)
    .bind(e.days)
    .bind(e.times)
    .bind(i64::from(e.asap))
    .bind(i64::from(e.short_notice))
    .bind(e.source)
    .bind(e.appointment_id)
    .bind(e.lang)
    .bind(now)
    .bind(e.expires_at)
    .fetch_one(&mut *conn)
    .await
}

/// Entries of one status: waiting ones as they will be offered (ASAP first, then earliest
/// joined), others newest first; at most [`MAX_LISTED`].
pub async fn list(
    db: &Db,
    practice_id: PracticeId,
    status: &str,
) -> Result<Vec<WaitlistRow>, sqlx::Error> {
    let order = if status == "waiting" {
        "w.asap DESC, w.created_at, w.id"
    } else {
        "w.id DESC"
    };
    sqlx::query_as(&format!(
        "{SELECT} WHERE w.practice_id = $1 AND w.status = $2 ORDER BY {order} LIMIT {MAX_LISTED}"
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
) -> Result<Option<WaitlistRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE w.practice_id = $1 AND w.id = $2"))
        .bind(practice_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Takes a waiting entry off the list; `false` when it was not waiting.
pub async fn remove(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE waitlist_entries SET status = 'removed', resolved_at = $2
         WHERE id = $1 AND status = 'waiting'",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the waiting entries a booking answers: the patient's for this visit (and, for entries
/// made by someone new, those with the booking's phone number).
pub async fn end_for_booking(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
    phone: &str,
    reason_id: ReasonId,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE waitlist_entries SET status = 'booked', resolved_at = $5,
             patient_id = COALESCE(patient_id, $2)
         WHERE practice_id = $1 AND status = 'waiting' AND reason_id = $4
           AND (patient_id = $2 OR (patient_id IS NULL AND phone <> '' AND phone = $3))",
    )
    .bind(practice_id)
    .bind(patient_id)
    .bind(phone)
    .bind(reason_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Expires waiting entries whose last day has passed (periodic; idempotent on many instances).
pub async fn expire_due(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE waitlist_entries SET status = 'expired', resolved_at = $1
         WHERE status = 'waiting' AND expires_at <= $1",
    )
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}
