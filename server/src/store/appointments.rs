//! Appointments and holds: busy time, inserting holds, turning them into bookings, changes.
//! Functions taking a connection run inside the caller's write transaction.

use super::BLOCKING_SQL;
use crate::store::db::{is_overlap, is_retryable, Backend, Db};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::model::{
    CarrierId, LocationId, OperatoryId, PatientId, PracticeId, ProviderId, ReasonId,
};
use slotwise_shared::schedule::Span;
use sqlx::{AnyConnection, FromRow};
use std::collections::HashMap;

/// Longest span a row may block; bounds every overlap search to a short index range.
const MAX_BLOCK_SECONDS: i64 = 86_400;

/// Busy time of the given providers that touches `range`: appointments and live holds (with
/// buffers) and time off.
pub async fn busy_spans(
    db: &Db,
    practice: PracticeId,
    providers: &[ProviderId],
    range: Span,
    now: i64,
) -> Result<HashMap<ProviderId, Vec<Span>>, sqlx::Error> {
    let mut busy: HashMap<ProviderId, Vec<Span>> = HashMap::new();
    if providers.is_empty() {
        return Ok(busy);
    }
    // Placeholders $5.. for the provider ids. The unary `+` keeps SQLite's planner on the
    // (provider_id, block_start) index instead of scanning the whole practice.
    let list: Vec<String> = (0..providers.len())
        .map(|i| format!("${}", i + 5))
        .collect();
    let list = list.join(", ");
    // One row per provider with its spans packed as "start:end,start:end": a fortnight of a
    // busy practice is thousands of spans, and per-row driver overhead dominated the search.
    let aggregate = match db.backend {
        Backend::Sqlite => "group_concat(block_start || ':' || block_end, ',')",
        Backend::Postgres => "string_agg(block_start || ':' || block_end, ',')",
    };
    let sql = format!(
        "SELECT provider_id, {aggregate} FROM (
             SELECT provider_id, block_start, block_end FROM appointments
             WHERE +practice_id = $1 AND provider_id IN ({list})
               AND status IN {BLOCKING_SQL}
               AND (status <> 'held' OR hold_expires_at > $4)
               AND block_start > $2 - {MAX_BLOCK_SECONDS} AND block_start < $3 AND block_end > $2
             UNION ALL
             SELECT provider_id, starts_at, ends_at FROM time_off
             WHERE practice_id = $1 AND provider_id IN ({list}) AND ends_at > $2 AND starts_at < $3
             UNION ALL
             SELECT provider_id, starts_at, ends_at FROM pms_busy
             WHERE practice_id = $1 AND provider_id IN ({list}) AND ends_at > $2 AND starts_at < $3
         ) busy GROUP BY provider_id"
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql)
        .bind(practice.0)
        .bind(range.start)
        .bind(range.end)
        .bind(now);
    for p in providers {
        query = query.bind(p.0);
    }
    for (provider, packed) in query.fetch_all(&db.read).await? {
        busy.insert(ProviderId(provider), unpack_spans(&packed));
    }
    Ok(busy)
}

/// `"1:2,3:4"` → spans. Written by the query above from integers, so nothing else appears.
fn unpack_spans(packed: &str) -> Vec<Span> {
    packed
        .split(',')
        .filter_map(|pair| pair.split_once(':'))
        .filter_map(|(s, e)| Some(Span::new(s.parse().ok()?, e.parse().ok()?)))
        .collect()
}

/// Busy time (appointments and live holds, with buffers) of the given operatories that
/// touches `range`.
pub async fn operatory_busy(
    db: &Db,
    practice: PracticeId,
    operatories: &[i64],
    range: Span,
    now: i64,
) -> Result<HashMap<i64, Vec<Span>>, sqlx::Error> {
    let mut busy: HashMap<i64, Vec<Span>> = HashMap::new();
    if operatories.is_empty() {
        return Ok(busy);
    }
    let list: Vec<String> = (0..operatories.len())
        .map(|i| format!("${}", i + 5))
        .collect();
    let sql = format!(
        "SELECT operatory_id, block_start, block_end FROM appointments
         WHERE +practice_id = $1 AND operatory_id IN ({})
           AND status IN {BLOCKING_SQL}
           AND (status <> 'held' OR hold_expires_at > $4)
           AND block_start > $2 - {MAX_BLOCK_SECONDS} AND block_start < $3 AND block_end > $2",
        list.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql)
        .bind(practice.0)
        .bind(range.start)
        .bind(range.end)
        .bind(now);
    for o in operatories {
        query = query.bind(*o);
    }
    for (operatory, start, end) in query.fetch_all(&db.read).await? {
        busy.entry(operatory)
            .or_default()
            .push(Span::new(start, end));
    }
    Ok(busy)
}

/// A hold to insert.
#[derive(Clone, Debug)]
pub struct NewHold {
    pub practice_id: PracticeId,
    pub provider_id: ProviderId,
    pub location_id: LocationId,
    pub reason_id: ReasonId,
    /// Assign a free operatory of this kind at the location, if set.
    pub operatory_kind: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub block: Span,
    pub token_hash: String,
    pub expires_at: i64,
    pub now: i64,
}

/// Ends a live hold at once (the patient picked another time): it stops blocking. Rows changed:
/// 0 when no live hold has this token (unknown, expired, or already a booking).
pub async fn release_hold(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE appointments SET status = 'expired', hold_expires_at = $3, updated_at = $3
         WHERE practice_id = $1 AND hold_token_hash = $2 AND status = 'held' AND hold_expires_at > $3",
    )
    .bind(practice_id)
    .bind(token_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Keeps a live hold until at least `until` (while the practice's own system is asked).
pub async fn extend_hold(db: &Db, id: i64, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE appointments SET hold_expires_at = $2
         WHERE id = $1 AND status = 'held' AND hold_expires_at < $2",
    )
    .bind(id)
    .bind(until)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Marks lapsed holds that overlap `block` as expired so they stop blocking.
pub async fn expire_lapsed_holds(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    block: Span,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE appointments SET status = 'expired', updated_at = $4
         WHERE +practice_id = $1 AND status = 'held' AND hold_expires_at <= $4
           AND block_start > $2 - {MAX_BLOCK_SECONDS} AND block_start < $3 AND block_end > $2"
    ))
    .bind(practice_id)
    .bind(block.start)
    .bind(block.end)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts a hold. `Ok(None)` when the time is taken: the database (exclusion constraint or
/// trigger) refused the overlap, or no operatory of the needed kind is free.
///
/// The common case — no operatory to pick, no lapsed hold in the way — is a single statement.
/// Otherwise a second unit releases lapsed holds, picks an operatory and tries again. (Two
/// units, because a refused statement aborts a PostgreSQL transaction.)
pub async fn insert_hold(db: &Db, hold: &NewHold) -> Result<Option<i64>, sqlx::Error> {
    if hold.operatory_kind.is_none() {
        let first = hold.clone();
        let inserted = db
            .write(write_unit!(|conn| {
                match insert_hold_row(&mut *conn, &first, None).await {
                    Ok(id) => Ok(WriteOutcome::Commit(Some(id))),
                    Err(err) if is_overlap(&err) => Ok(WriteOutcome::Rollback(None)),
                    Err(err) => Err(err),
                }
            }))
            .await;
        match inserted {
            Ok(Some(id)) => return Ok(Some(id)),
            Ok(None) => {}
            // A deadlock victim: the slower path below looks again.
            Err(err) if is_retryable(&err) => {}
            Err(err) => return Err(err),
        }
    }
    // A concurrent hold may take the room picked here (PostgreSQL refuses the second one);
    // another room of the kind may still be free, so try again a few times.
    for _ in 0..3 {
        let hold = hold.clone();
        let outcome = db
            .write(write_unit!(|conn| {
                expire_lapsed_holds(conn, hold.practice_id, hold.block, hold.now).await?;
                let operatory = match &hold.operatory_kind {
                    None => None,
                    Some(kind) => match free_operatory(conn, &hold, kind).await? {
                        Some(id) => Some(id),
                        None => return Ok(WriteOutcome::Rollback(HoldInsert::Taken)),
                    },
                };
                match insert_hold_row(&mut *conn, &hold, operatory).await {
                    Ok(id) => Ok(WriteOutcome::Commit(HoldInsert::Inserted(id))),
                    Err(err) if is_overlap(&err) && operatory.is_some() => {
                        Ok(WriteOutcome::Rollback(HoldInsert::RoomRaced))
                    }
                    Err(err) if is_overlap(&err) => Ok(WriteOutcome::Rollback(HoldInsert::Taken)),
                    Err(err) => Err(err),
                }
            }))
            .await;
        let outcome = match outcome {
            Err(err) if is_retryable(&err) => HoldInsert::RoomRaced,
            other => other?,
        };
        match outcome {
            HoldInsert::Inserted(id) => return Ok(Some(id)),
            HoldInsert::Taken => return Ok(None),
            HoldInsert::RoomRaced => continue,
        }
    }
    Ok(None)
}

/// How one attempt to insert a hold ended.
enum HoldInsert {
    Inserted(i64),
    /// The provider's time (or every room) is taken.
    Taken,
    /// The insert lost a room to a concurrent hold, or was a deadlock victim; look again.
    RoomRaced,
}

pub(super) async fn insert_hold_row<'e, E>(
    executor: E,
    hold: &NewHold,
    operatory: Option<i64>,
) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO appointments (practice_id, provider_id, operatory_id, location_id, reason_id,
             status, starts_at, ends_at, block_start, block_end, hold_token_hash, hold_expires_at,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'held', $6, $7, $8, $9, $10, $11, $12, $12)
         RETURNING id",
    )
    .bind(hold.practice_id)
    .bind(hold.provider_id)
    .bind(operatory)
    .bind(hold.location_id)
    .bind(hold.reason_id)
    .bind(hold.starts_at)
    .bind(hold.ends_at)
    .bind(hold.block.start)
    .bind(hold.block.end)
    .bind(&hold.token_hash)
    .bind(hold.expires_at)
    .bind(hold.now)
    .fetch_one(executor)
    .await
}

pub(super) async fn free_operatory(
    conn: &mut AnyConnection,
    hold: &NewHold,
    kind: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(&format!(
        "SELECT o.id FROM operatories o
         WHERE o.practice_id = $1 AND o.location_id = $2 AND o.kind = $3
           AND NOT EXISTS (
             SELECT 1 FROM appointments a
             WHERE a.operatory_id = o.id AND a.status IN {BLOCKING_SQL}
               AND a.block_start > $4 - {MAX_BLOCK_SECONDS} AND a.block_start < $5
               AND a.block_end > $4)
         ORDER BY o.id LIMIT 1"
    ))
    .bind(hold.practice_id)
    .bind(hold.location_id)
    .bind(kind)
    .bind(hold.block.start)
    .bind(hold.block.end)
    .fetch_optional(&mut *conn)
    .await
}

/// An appointment or hold row.
#[derive(Clone, Debug, FromRow)]
pub struct AppointmentRow {
    pub id: i64,
    pub provider_id: ProviderId,
    pub operatory_id: Option<OperatoryId>,
    pub location_id: LocationId,
    pub reason_id: ReasonId,
    pub status: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub block_start: i64,
    pub block_end: i64,
    pub hold_expires_at: Option<i64>,
    pub reference: Option<String>,
    pub updated_at: i64,
    pub revision: i64,
    pub patient_id: Option<PatientId>,
    /// When the row was made (the hold before the booking: within the hold's minutes of it).
    pub created_at: i64,
}

pub(super) const ROW_COLUMNS: &str =
    "id, provider_id, operatory_id, location_id, reason_id, status, starts_at,
    ends_at, block_start, block_end, hold_expires_at, reference, updated_at, revision, patient_id,
    created_at";

/// The row a hold token points at, whatever its status.
pub async fn find_by_hold_token(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
) -> Result<Option<AppointmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM appointments WHERE practice_id = $1 AND hold_token_hash = $2"
    ))
    .bind(practice_id)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
}

/// The appointment a manage token points at.
pub async fn find_by_manage_token(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
) -> Result<Option<AppointmentRow>, sqlx::Error> {
    let own: Option<AppointmentRow> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM appointments WHERE practice_id = $1 AND manage_token_hash = $2"
    ))
    .bind(practice_id)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    if own.is_some() {
        return Ok(own);
    }
    // A link sent later (a broadcast) that left the patient's first one working.
    sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM appointments WHERE practice_id = $1 AND id =
             (SELECT appointment_id FROM extra_manage_tokens
              WHERE practice_id = $1 AND token_hash = $2)"
    ))
    .bind(practice_id)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
}

/// Adds a manage token to an appointment (its earlier ones keep working).
pub async fn add_manage_token(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    appointment_id: i64,
    token_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO extra_manage_tokens (token_hash, practice_id, appointment_id, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(practice_id)
    .bind(appointment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a booking adds to its hold row.
#[derive(Clone, Debug)]
pub struct BookingFields {
    pub patient_id: PatientId,
    pub manage_token_hash: String,
    pub reference: String,
    pub source: String,
    pub patient_type: String,
    pub carrier_id: Option<CarrierId>,
    pub self_pay: bool,
    pub member_id: Option<String>,
    pub notes: Option<String>,
    /// The practice system's id of the appointment, when it has one.
    pub external_id: Option<String>,
    /// The identifier value it was written there under (with our identifier system).
    pub external_key: Option<String>,
    pub referral: [Option<String>; 6],
}

/// Turns a live hold into a booking. Returns false if the row was no longer a live hold
/// (booked by a concurrent request, or expired meanwhile).
pub async fn book_hold(
    conn: &mut AnyConnection,
    hold_id: i64,
    f: &BookingFields,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let [referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content] = &f.referral;
    let done = sqlx::query(
        "UPDATE appointments SET status = 'booked', patient_id = $2, manage_token_hash = $3,
             reference = $4, source = $5, patient_type = $6, carrier_id = $7, self_pay = $8,
             member_id = $9, notes = $10, referrer = $11, utm_source = $12, utm_medium = $13,
             utm_campaign = $14, utm_term = $15, utm_content = $16, hold_expires_at = NULL,
             updated_at = $17, external_id = $18, external_key = $19
         WHERE id = $1 AND status = 'held' AND hold_expires_at > $17",
    )
    .bind(hold_id)
    .bind(f.patient_id)
    .bind(&f.manage_token_hash)
    .bind(&f.reference)
    .bind(&f.source)
    .bind(&f.patient_type)
    .bind(f.carrier_id)
    .bind(i64::from(f.self_pay))
    .bind(&f.member_id)
    .bind(&f.notes)
    .bind(referrer)
    .bind(utm_source)
    .bind(utm_medium)
    .bind(utm_campaign)
    .bind(utm_term)
    .bind(utm_content)
    .bind(now)
    .bind(f.external_id.as_deref())
    .bind(f.external_key.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets an appointment's status.
///
/// Compare-and-set: only if the row is still at `revision` (as the caller read it), so two
/// changes that read the same row (a patient cancelling while staff confirm) cannot both
/// apply — on PostgreSQL the second waits for the first and then finds the revision moved.
/// `false` when the row changed meanwhile.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    revision: i64,
    status: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE appointments SET status = $2, updated_at = $3, revision = revision + 1
         WHERE id = $1 AND revision = $4",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .bind(revision)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How moving a booking into a hold's time ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveOutcome {
    Moved,
    /// The database refused the overlap.
    Taken,
    /// The booking changed since the caller read it (compare-and-set on its revision): roll
    /// back.
    Changed,
}

/// Moves a booking (still at `revision`) into the time of a hold and removes the hold, within
/// the caller's transaction. A confirmation deadline moves with the visit.
pub async fn move_into_hold(
    conn: &mut AnyConnection,
    appointment_id: i64,
    revision: i64,
    hold: &AppointmentRow,
    now: i64,
) -> Result<MoveOutcome, sqlx::Error> {
    sqlx::query("DELETE FROM appointments WHERE id = $1 AND status = 'held'")
        .bind(hold.id)
        .execute(&mut *conn)
        .await?;
    let moved = sqlx::query(
        "UPDATE appointments SET provider_id = $2, operatory_id = $3, location_id = $4,
             starts_at = $5, ends_at = $6, block_start = $7, block_end = $8, updated_at = $9,
             revision = revision + 1,
             confirm_by = confirm_by + ($5 - starts_at), confirm_missed_at = NULL
         WHERE id = $1 AND revision = $10",
    )
    .bind(appointment_id)
    .bind(hold.provider_id)
    .bind(hold.operatory_id)
    .bind(hold.location_id)
    .bind(hold.starts_at)
    .bind(hold.ends_at)
    .bind(hold.block_start)
    .bind(hold.block_end)
    .bind(now)
    .bind(revision)
    .execute(&mut *conn)
    .await;
    match moved {
        Ok(done) if done.rows_affected() == 1 => Ok(MoveOutcome::Moved),
        Ok(_) => Ok(MoveOutcome::Changed),
        Err(err) if is_overlap(&err) => Ok(MoveOutcome::Taken),
        Err(err) => Err(err),
    }
}

/// Marks every lapsed hold as expired, and every lapsed chain hold of a procedure
/// (periodic clean-up; idempotent, safe on many instances).
pub async fn expire_all_lapsed_holds(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE appointments SET status = 'expired', updated_at = $1
         WHERE status = 'held' AND hold_expires_at <= $1",
    )
    .bind(now)
    .execute(&db.write)
    .await?;
    let chains = sqlx::query(
        "UPDATE procedures SET status = 'expired', updated_at = $1
         WHERE status = 'held' AND hold_expires_at <= $1",
    )
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() + chains.rows_affected())
}

/// Blocking rows that overlap an earlier blocking row of the same provider or operatory:
/// must always be zero. A running maximum of `block_end` per provider/operatory catches every
/// overlap in O(n log n), also on large tables.
pub async fn overlapping_pairs(db: &Db) -> Result<i64, sqlx::Error> {
    let mut total = 0;
    for column in ["provider_id", "operatory_id"] {
        let count: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM (
                 SELECT block_start, MAX(block_end) OVER (
                     PARTITION BY {column} ORDER BY block_start, id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
                 FROM appointments
                 WHERE status IN {BLOCKING_SQL} AND {column} IS NOT NULL
             ) t
             WHERE earlier_end > block_start"
        ))
        .fetch_one(&db.read)
        .await?;
        total += count;
    }
    Ok(total)
}

/// An appointment's status and start, for checks outside a booking change (reminders).
pub async fn status_and_start(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, starts_at FROM appointments WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}
