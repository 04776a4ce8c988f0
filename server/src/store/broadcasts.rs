//! SQL of broadcasts: the appointments a filter selects, the broadcast record, and who was sent
//! what.

use super::automations::OPTED_OUT_SQL;
use super::messaging::GREETING_NAME_SQL;
use crate::store::appointments::AppointmentRow;
use crate::store::db::Db;
use slotwise_shared::model::{PracticeId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// An appointment a broadcast may be about, with its patient.
#[derive(Clone, Debug, FromRow)]
pub struct Candidate {
    #[sqlx(flatten)]
    pub appointment: AppointmentRow,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    /// Whom the message greets (a pet's owner).
    pub greeting_name: String,
    /// 1 when the patient opted out or their automated messages are paused.
    pub opted_out: i64,
}

/// Which appointments: the practice's, starting in `[from, until)`, of these statuses, and of
/// one provider and reason when given.
pub struct Selection<'a> {
    pub practice_id: PracticeId,
    pub from: i64,
    pub until: i64,
    pub statuses: &'a [&'a str],
    pub provider_id: Option<ProviderId>,
    pub reason_id: Option<ReasonId>,
}

/// The appointments of a selection (with a patient), by start.
pub async fn candidates(
    conn: &mut AnyConnection,
    s: &Selection<'_>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let statuses = super::quoted(s.statuses);
    let provider = if s.provider_id.is_some() {
        "AND a.provider_id = $4"
    } else {
        "AND $4 = $4"
    };
    let reason = if s.reason_id.is_some() {
        "AND a.reason_id = $5"
    } else {
        "AND $5 = $5"
    };
    sqlx::query_as(&format!(
        "SELECT a.id, a.provider_id, a.operatory_id, a.location_id, a.reason_id, a.status,
             a.starts_at, a.ends_at, a.block_start, a.block_end, a.hold_expires_at, a.reference,
             a.updated_at, a.revision, a.patient_id, a.created_at, p.first_name, p.last_name, p.phone,
             p.email, {GREETING_NAME_SQL} AS greeting_name,
             CASE WHEN {OPTED_OUT_SQL} THEN 1 ELSE 0 END AS opted_out
         FROM appointments a JOIN patients p ON p.id = a.patient_id
           LEFT JOIN households h ON h.id = p.household_id
         WHERE a.practice_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
           AND a.status IN ({statuses}) {provider} {reason}
         ORDER BY a.starts_at, a.id LIMIT 20000"
    ))
    .bind(s.practice_id)
    .bind(s.from)
    .bind(s.until)
    .bind(s.provider_id.map_or(0, |p| p.0))
    .bind(s.reason_id.map_or(0, |r| r.0))
    .fetch_all(&mut *conn)
    .await
}

/// A broadcast to record.
pub struct NewBroadcast<'a> {
    pub practice_id: PracticeId,
    pub template: &'a str,
    pub filter: &'a str,
    pub note: &'a str,
    pub created_by: &'a str,
}

/// Records a broadcast (counts filled in by [`set_counts`]); returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    b: &NewBroadcast<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO broadcasts (practice_id, template, filter, note, recipients, messages,
             created_by, created_at)
         VALUES ($1, $2, $3, $4, 0, 0, $5, $6) RETURNING id",
    )
    .bind(b.practice_id)
    .bind(b.template)
    .bind(b.filter)
    .bind(b.note)
    .bind(b.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Stores how many appointments and messages a broadcast queued.
pub async fn set_counts(
    conn: &mut AnyConnection,
    id: i64,
    recipients: i64,
    messages: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE broadcasts SET recipients = $2, messages = $3 WHERE id = $1")
        .bind(id)
        .bind(recipients)
        .bind(messages)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A broadcast as stored, with its delivery numbers.
#[derive(Clone, Debug, FromRow)]
pub struct BroadcastRow {
    pub id: i64,
    pub template: String,
    pub filter: String,
    pub note: String,
    pub recipients: i64,
    pub messages: i64,
    pub created_by: String,
    pub created_at: i64,
    pub sent: i64,
    pub not_sent: i64,
}

const BROADCAST_SELECT: &str = "SELECT b.id, b.template, b.filter, b.note, b.recipients,
        b.messages, b.created_by, b.created_at,
        (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'sent') AS sent,
        (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id
           AND o.status IN ('dead', 'suppressed', 'cancelled')) AS not_sent
    FROM broadcasts b";

/// The practice's latest broadcasts.
pub async fn list(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<BroadcastRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{BROADCAST_SELECT} WHERE b.practice_id = $1 ORDER BY b.id DESC LIMIT 100"
    ))
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await
}

/// One broadcast of the practice.
pub async fn find(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<BroadcastRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{BROADCAST_SELECT} WHERE b.practice_id = $1 AND b.id = $2"
    ))
    .bind(practice_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// One message of a broadcast: (appointment, first name, last name, start, channel,
/// recipient, status).
pub type SentRow = (i64, String, String, i64, String, String, String);

/// Who a broadcast was sent to and how each message went.
pub async fn messages(
    conn: &mut AnyConnection,
    broadcast_id: i64,
) -> Result<Vec<SentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, p.first_name, p.last_name, a.starts_at, o.channel, o.recipient, o.status
         FROM outbox o JOIN appointments a ON a.id = o.appointment_id
           JOIN patients p ON p.id = o.patient_id
         WHERE o.broadcast_id = $1 ORDER BY o.id LIMIT 5000",
    )
    .bind(broadcast_id)
    .fetch_all(&mut *conn)
    .await
}

/// Ends the extra manage links (sent with broadcasts) of appointments that ended before
/// `before`: there is nothing left to manage. Returns how many.
pub async fn expire_extra_tokens(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        // Walks the (few) extra links, each checked by the appointment's key: never a scan of
        // every past appointment.
        "DELETE FROM extra_manage_tokens WHERE EXISTS
             (SELECT 1 FROM appointments a
              WHERE a.id = extra_manage_tokens.appointment_id AND a.ends_at < $1)",
    )
    .bind(before)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}
