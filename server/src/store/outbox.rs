//! The outbox: queueing messages inside a change's transaction, claiming due ones for
//! delivery (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on SQLite), and
//! recording how each attempt ended.

use crate::store::db::{Backend, Db};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::{AnyConnection, FromRow};

/// A message to queue.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub practice_id: PracticeId,
    pub appointment_id: Option<i64>,
    pub patient_id: Option<PatientId>,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub context: String,
    pub send_after: i64,
    pub dedupe_key: Option<String>,
    pub broadcast_id: Option<i64>,
    /// The language it is written in (a code of shared/lang).
    pub lang: &'static str,
}

/// Queues messages in the caller's transaction, with one statement (a booking queues up to
/// eight, and statements are what the single SQLite writer spends its time on).
pub async fn insert_all(
    conn: &mut AnyConnection,
    messages: &[NewMessage],
    now: i64,
) -> Result<(), sqlx::Error> {
    if messages.is_empty() {
        return Ok(());
    }
    const COLUMNS: usize = 12;
    let rows: Vec<String> = (0..messages.len())
        .map(|i| {
            let n = |k: usize| format!("${}", i * COLUMNS + k);
            format!(
                "({}, {}, {}, {}, {}, {}, {}, 'queued', {}, {}, {}, {}, {}, {}, {})",
                n(1),
                n(2),
                n(3),
                n(4),
                n(5),
                n(6),
                n(7),
                n(8),
                n(8),
                n(9),
                n(10),
                n(10),
                n(11),
                n(12)
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO outbox (practice_id, appointment_id, patient_id, event, channel, recipient,
             context, status, send_after, next_attempt_at, dedupe_key, created_at, updated_at,
             broadcast_id, lang)
         VALUES {} ON CONFLICT DO NOTHING",
        rows.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for m in messages {
        query = query
            .bind(m.practice_id)
            .bind(m.appointment_id)
            .bind(m.patient_id)
            .bind(&m.event)
            .bind(&m.channel)
            .bind(&m.recipient)
            .bind(&m.context)
            .bind(m.send_after)
            .bind(&m.dedupe_key)
            .bind(now)
            .bind(m.broadcast_id)
            .bind(m.lang);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Cancels an appointment's reminders that have not gone out yet. Returns how many.
pub async fn cancel_pending_reminders(
    conn: &mut AnyConnection,
    appointment_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'cancelled', updated_at = $2,
             last_error = 'The appointment changed before this reminder was due.'
         WHERE appointment_id = $1 AND event = 'reminder' AND status IN ('queued', 'failed')",
    )
    .bind(appointment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Whether a message of one of `events` for the appointment on `channel` is due, on its way or
/// sent (a later step of a sequence, which makes an earlier one pointless).
pub async fn later_step_due(
    conn: &mut AnyConnection,
    appointment_id: i64,
    channel: &str,
    events: &[&str],
    now: i64,
) -> Result<bool, sqlx::Error> {
    if events.is_empty() {
        return Ok(false);
    }
    let list = super::quoted(events);
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT 1 FROM outbox WHERE appointment_id = $1 AND channel = $2 AND event IN ({list})
           AND status IN ('queued', 'sending', 'failed', 'sent') AND send_after <= $3 LIMIT 1"
    ))
    .bind(appointment_id)
    .bind(channel)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// A message claimed for one delivery attempt.
#[derive(Clone, Debug, FromRow)]
pub struct ClaimedMessage {
    pub id: i64,
    pub practice_id: PracticeId,
    pub appointment_id: Option<i64>,
    pub patient_id: Option<PatientId>,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub context: String,
    /// This attempt's number (1 for the first).
    pub attempts: i64,
    pub uncertain: i64,
    pub created_at: i64,
    /// The language it is written in.
    pub lang: String,
}

const CLAIM_COLUMNS: &str = "id, practice_id, appointment_id, patient_id, event, channel, recipient, context, attempts, uncertain, created_at, lang";

/// Claims up to `limit` due messages: they become `sending` until `lease_until`, so no other
/// worker (on this or another instance) takes them meanwhile.
pub async fn claim_due(
    db: &Db,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<ClaimedMessage>, sqlx::Error> {
    let lock = match db.backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', lease_until = $2, attempts = attempts + 1,
             updated_at = $1
         WHERE id IN (
             SELECT id FROM outbox
             WHERE status IN ('queued', 'failed') AND next_attempt_at <= $1
             ORDER BY next_attempt_at, id LIMIT $3 {lock})
         RETURNING {CLAIM_COLUMNS}"
    );
    db.write(write_unit!(|conn| {
        let rows = sqlx::query_as::<_, ClaimedMessage>(&sql)
            .bind(now)
            .bind(lease_until)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        Ok(WriteOutcome::Commit(rows))
    }))
    .await
}

/// Messages whose worker stopped mid-delivery (crash, kill, lost connection) go back to the
/// queue, marked uncertain: the provider may have taken them.
pub async fn reclaim_lapsed_leases(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    db.write(write_unit!(|conn| {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'failed', uncertain = 1, lease_until = NULL,
                     next_attempt_at = $1, updated_at = $1,
                     last_error = 'Delivery was interrupted; the outcome is unknown.'
                 WHERE status = 'sending' AND lease_until < $1",
        )
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(WriteOutcome::Commit(done.rows_affected()))
    }))
    .await
}

/// How an attempt ended, as stored.
#[derive(Clone, Debug)]
pub struct AttemptResult {
    /// `sent`, `failed`, `dead`, `cancelled` or `suppressed`.
    pub status: &'static str,
    pub next_attempt_at: i64,
    pub provider_message_id: Option<String>,
    pub error: Option<String>,
    pub uncertain: bool,
    pub possible_duplicate: bool,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub unsubscribe_token_hash: Option<String>,
}

/// Records an attempt's end. Only the claim that made it may: if the lease ran out and another
/// worker took the message meanwhile, this changes nothing and returns false.
pub async fn finish_attempt(
    conn: &mut AnyConnection,
    m: &ClaimedMessage,
    r: &AttemptResult,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET status = $3, next_attempt_at = $4,
             provider_message_id = COALESCE($5, provider_message_id), last_error = $6,
             uncertain = $7, possible_duplicate = CASE WHEN $8 = 1 THEN 1 ELSE possible_duplicate END,
             subject = COALESCE($9, subject), body = COALESCE($10, body),
             unsubscribe_token_hash = COALESCE($11, unsubscribe_token_hash),
             lease_until = NULL, updated_at = $12,
             sent_at = CASE WHEN $3 = 'sent' THEN $12 ELSE sent_at END
         WHERE id = $1 AND status = 'sending' AND attempts = $2",
    )
    .bind(m.id)
    .bind(m.attempts)
    .bind(r.status)
    .bind(r.next_attempt_at)
    .bind(&r.provider_message_id)
    .bind(&r.error)
    .bind(i64::from(r.uncertain))
    .bind(i64::from(r.possible_duplicate))
    .bind(&r.subject)
    .bind(&r.body)
    .bind(&r.unsubscribe_token_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One outbox row as staff see it.
#[derive(Clone, Debug, FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    pub possible_duplicate: i64,
    pub patient_id: Option<PatientId>,
    pub reference: Option<String>,
    pub send_after: i64,
    pub created_at: i64,
    pub subject: Option<String>,
    pub body: Option<String>,
}

const LIST_COLUMNS: &str =
    "o.id, o.event, o.channel, o.recipient, o.status, o.attempts, o.last_error,
    o.provider_message_id, o.possible_duplicate, o.patient_id, a.reference, o.send_after,
    o.created_at, o.subject, o.body";

/// A practice's messages, newest first, optionally of one status.
pub async fn list(
    db: &Db,
    practice_id: PracticeId,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let filter = if status.is_some() {
        "AND o.status = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {LIST_COLUMNS} FROM outbox o LEFT JOIN appointments a ON a.id = o.appointment_id
         WHERE o.practice_id = $1 {filter} ORDER BY o.id DESC LIMIT $2"
    );
    let mut query = sqlx::query_as(&sql).bind(practice_id).bind(limit);
    if let Some(status) = status {
        query = query.bind(status);
    }
    query.fetch_all(&db.read).await
}

/// One message of a practice.
pub async fn find(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LIST_COLUMNS} FROM outbox o LEFT JOIN appointments a ON a.id = o.appointment_id
         WHERE o.practice_id = $1 AND o.id = $2"
    ))
    .bind(practice_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Code messages queued in `[since, before)` that still keep their code: (id, values, text,
/// subject). The window keeps each sweep to recent rows (index `outbox_codes`).
pub async fn stale_codes(
    db: &Db,
    since: i64,
    before: i64,
) -> Result<Vec<(i64, String, Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, context, body, subject FROM outbox
         WHERE event = 'verification_code' AND created_at >= $2 AND created_at < $1
           AND status <> 'queued' AND status <> 'sending' AND context LIKE '%\"code\":\"_%'
         ORDER BY id LIMIT 500",
    )
    .bind(before)
    .bind(since)
    .fetch_all(&db.read)
    .await
}

/// Replaces a code message's stored values and text (with its code removed).
pub async fn forget_code(
    conn: &mut AnyConnection,
    id: i64,
    context: &str,
    body: Option<&str>,
    subject: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET context = $2, body = $3, subject = $4 WHERE id = $1")
        .bind(id)
        .bind(context)
        .bind(body)
        .bind(subject)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Queues a finished message again for `recipient` (staff corrected the contact or want it
/// sent once more). Only final messages that could matter again: dead, suppressed, sent.
pub async fn requeue(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
    recipient: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'queued', recipient = $3, attempts = 0, uncertain = 0,
             next_attempt_at = $4, send_after = $4, lease_until = NULL, updated_at = $4
         WHERE practice_id = $1 AND id = $2 AND status IN ('dead', 'suppressed', 'sent')",
    )
    .bind(practice_id)
    .bind(id)
    .bind(recipient)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The unsubscribe link's message: (practice, recipient) of an email.
pub async fn find_by_unsubscribe_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(PracticeId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT practice_id, recipient FROM outbox
         WHERE unsubscribe_token_hash = $1 AND channel = 'email'",
    )
    .bind(token_hash)
    .fetch_optional(&db.read)
    .await
}
