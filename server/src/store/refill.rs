//! SQL of refilling freed times from the waitlist: a freed time noted (in the unit of writes
//! that frees it), the freed times still open, the waiting entries that may want one, the offers
//! made, and a freed time's waves.

use slotwise_shared::model::{PatientId, PracticeId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// Most freed times one run looks at.
pub const MAX_OPEN: i64 = 200;
/// Most entries one freed time considers per wave.
pub const MAX_CANDIDATES: i64 = 100;

/// Notes that a provider's time was freed (only times still ahead, and not again while the
/// same span is still being offered); its id when noted.
pub async fn note_freed(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    provider_id: ProviderId,
    span: (i64, i64),
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    if span.0 <= now {
        return Ok(None);
    }
    sqlx::query_scalar(
        "INSERT INTO freed_times (practice_id, provider_id, starts_at, ends_at, created_at)
         SELECT $1, $2, $3, $4, $5
         WHERE NOT EXISTS (SELECT 1 FROM freed_times
                           WHERE practice_id = $1 AND provider_id = $2 AND starts_at = $3
                             AND ends_at = $4 AND done_at IS NULL)
         RETURNING id",
    )
    .bind(practice_id)
    .bind(provider_id)
    .bind(span.0)
    .bind(span.1)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

/// A freed time still to offer, with its practice's wave settings.
#[derive(Clone, Debug, FromRow)]
pub struct FreedRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub provider_id: ProviderId,
    pub starts_at: i64,
    pub ends_at: i64,
    pub created_at: i64,
    pub last_wave_at: Option<i64>,
    pub wave_size: i64,
    pub wave_minutes: i64,
    /// Waves sent so far.
    pub waves: i64,
}

/// Freed times not done yet, oldest first (at most [`MAX_OPEN`]).
pub async fn open_freed(conn: &mut AnyConnection) -> Result<Vec<FreedRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FREED_SELECT} WHERE f.done_at IS NULL ORDER BY f.id LIMIT {MAX_OPEN}"
    ))
    .fetch_all(&mut *conn)
    .await
}

/// One freed time still open, of the practice.
pub async fn open_freed_one(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<FreedRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FREED_SELECT} WHERE f.done_at IS NULL AND f.id = $1 AND f.practice_id = $2"
    ))
    .bind(id)
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await
}

const FREED_SELECT: &str = "SELECT f.id, f.practice_id, f.provider_id, f.starts_at, f.ends_at,
         f.created_at, f.last_wave_at, p.waitlist_wave_size AS wave_size,
         p.waitlist_wave_minutes AS wave_minutes,
         (SELECT COUNT(DISTINCT o.wave) FROM waitlist_offers o WHERE o.freed_id = f.id) AS waves
     FROM freed_times f JOIN practices p ON p.id = f.practice_id";

/// A waiting entry that may want a freed time of this provider.
#[derive(Clone, Debug, FromRow)]
pub struct CandidateRow {
    pub id: i64,
    pub patient_id: Option<PatientId>,
    pub first_name: String,
    pub phone: String,
    pub email: String,
    pub reason_id: ReasonId,
    pub from_date: String,
    pub to_date: String,
    pub days: i64,
    pub times: i64,
    pub short_notice: i64,
    pub lang: Option<String>,
}

/// Waiting entries for `provider` (or anyone) not offered this freed time yet, whose patient
/// has not paused automated messages, in offer order: ASAP first, then earliest joined.
pub async fn candidates(
    conn: &mut AnyConnection,
    freed: &FreedRow,
) -> Result<Vec<CandidateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT w.id, w.patient_id, w.first_name, w.phone, w.email, w.reason_id, w.from_date,
             w.to_date, w.days, w.times, w.short_notice, w.lang
         FROM waitlist_entries w
         WHERE w.practice_id = $1 AND w.status = 'waiting'
           AND (w.provider_id IS NULL OR w.provider_id = $2)
           AND NOT EXISTS (SELECT 1 FROM waitlist_offers o
                           WHERE o.freed_id = $3 AND o.entry_id = w.id)
           AND NOT EXISTS (SELECT 1 FROM patients pt
                           WHERE pt.id = w.patient_id AND pt.automations_paused_at IS NOT NULL)
         ORDER BY w.asap DESC, w.created_at, w.id LIMIT {MAX_CANDIDATES}"
    ))
    .bind(freed.practice_id)
    .bind(freed.provider_id)
    .bind(freed.id)
    .fetch_all(&mut *conn)
    .await
}

/// Notes an offer; `false` when this entry was offered this freed time already.
pub async fn note_offer(
    conn: &mut AnyConnection,
    freed: &FreedRow,
    entry_id: i64,
    starts_at: i64,
    wave: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO waitlist_offers (practice_id, freed_id, entry_id, starts_at, wave,
             created_at)
         SELECT $1, $2, $3, $4, $5, $6
         WHERE NOT EXISTS (SELECT 1 FROM waitlist_offers WHERE freed_id = $2 AND entry_id = $3)",
    )
    .bind(freed.practice_id)
    .bind(freed.id)
    .bind(entry_id)
    .bind(starts_at)
    .bind(wave)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes that a wave went out for the freed time.
pub async fn wave_sent(conn: &mut AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE freed_times SET last_wave_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Closes a freed time: nothing more to offer.
pub async fn close_freed(conn: &mut AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE freed_times SET done_at = $2 WHERE id = $1 AND done_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Per time freed in `[from, to)` (at most 5,000): when it was freed, when it was booked again
/// (if it was), and how many offers went out for it.
pub async fn freed_between(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, Option<i64>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.created_at,
             (SELECT MIN(a.created_at) FROM appointments a
              WHERE a.practice_id = f.practice_id AND a.provider_id = f.provider_id
                AND a.status IN ('booked', 'confirmed', 'completed', 'no_show')
                AND a.starts_at >= f.starts_at AND a.starts_at < f.ends_at
                AND a.created_at >= f.created_at) AS refilled_at,
             (SELECT COUNT(*) FROM waitlist_offers o WHERE o.freed_id = f.id) AS offers
         FROM freed_times f
         WHERE f.practice_id = $1 AND f.created_at >= $2 AND f.created_at < $3
         ORDER BY f.id LIMIT 5000",
    )
    .bind(practice_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}
