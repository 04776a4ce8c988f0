//! SQL of the automations: job leases, settings, personal links, no-show follow-ups, feedback
//! and patients' pause on automated messages.

use crate::store::db::Db;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::automations::AutomationSettings;
use slotwise_shared::model::{PatientId, PracticeId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// Takes (or renews) the lease of job `name` for `holder` until `until`, unless another
/// holder's lease is still running. True when this holder may run the job.
pub async fn take_lease(
    db: &Db,
    name: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let (name, holder) = (name.to_string(), holder.to_string());
    db.write(write_unit!(|conn| {
        sqlx::query("INSERT INTO job_leases (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(&name)
            .execute(&mut *conn)
            .await?;
        let taken = sqlx::query(
            "UPDATE job_leases SET holder = $2, lease_until = $3
                 WHERE name = $1 AND (lease_until <= $4 OR holder = $2)",
        )
        .bind(&name)
        .bind(&holder)
        .bind(until)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(WriteOutcome::Commit(taken.rows_affected() == 1))
    }))
    .await
}

/// Gives a lease back after a run, so the next run may happen on any instance.
pub async fn release_lease(db: &Db, name: &str, holder: &str, now: i64) -> Result<(), sqlx::Error> {
    let (name, holder) = (name.to_string(), holder.to_string());
    db.write(write_unit!(|conn| {
        sqlx::query(
            "UPDATE job_leases SET lease_until = 0, last_finished_at = $3
                 WHERE name = $1 AND holder = $2",
        )
        .bind(&name)
        .bind(&holder)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await
}

#[derive(FromRow)]
struct SettingsRow {
    no_show_enabled: i64,
    no_show_delays_hours: String,
    feedback_enabled: i64,
    broadcast_per_minute: i64,
}

/// A practice's automation settings (the defaults until it saves its own).
pub async fn settings(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<AutomationSettings, sqlx::Error> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT no_show_enabled, no_show_delays_hours, feedback_enabled, broadcast_per_minute
         FROM automation_settings WHERE practice_id = $1",
    )
    .bind(practice_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(AutomationSettings::default());
    };
    let delays: Vec<u32> = row
        .no_show_delays_hours
        .split(',')
        .filter_map(|d| d.trim().parse().ok())
        .collect();
    Ok(AutomationSettings {
        no_show_enabled: row.no_show_enabled != 0,
        no_show_delays_hours: if delays.len() == 3 {
            delays
        } else {
            AutomationSettings::default().no_show_delays_hours
        },
        feedback_enabled: row.feedback_enabled != 0,
        broadcast_per_minute: u32::try_from(row.broadcast_per_minute).unwrap_or(60),
    })
}

/// Saves a practice's automation settings (already checked).
pub async fn save_settings(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    s: &AutomationSettings,
    now: i64,
) -> Result<(), sqlx::Error> {
    let delays = s
        .no_show_delays_hours
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(
        "INSERT INTO automation_settings (practice_id, no_show_enabled, no_show_delays_hours,
             feedback_enabled, broadcast_per_minute, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (practice_id) DO UPDATE SET no_show_enabled = $2,
             no_show_delays_hours = $3, feedback_enabled = $4, broadcast_per_minute = $5,
             updated_at = $6",
    )
    .bind(practice_id)
    .bind(i64::from(s.no_show_enabled))
    .bind(delays)
    .bind(i64::from(s.feedback_enabled))
    .bind(i64::from(s.broadcast_per_minute))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A personal link to write.
#[derive(Clone, Debug)]
pub struct NewLink {
    pub kind: &'static str,
    pub patient_id: PatientId,
    pub reason_id: ReasonId,
    pub rule_id: Option<i64>,
    pub cycle_at: Option<i64>,
    pub appointment_id: Option<i64>,
    pub expires_at: i64,
}

/// Writes a personal link unless one already exists for the same cause (the same rule,
/// patient and visit; or the same missed appointment). True when written.
pub async fn insert_link(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
    link: &NewLink,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO patient_links (practice_id, token_hash, kind, patient_id, reason_id, rule_id,
             cycle_at, appointment_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(practice_id)
    .bind(token_hash)
    .bind(link.kind)
    .bind(link.patient_id)
    .bind(link.reason_id)
    .bind(link.rule_id)
    .bind(link.cycle_at)
    .bind(link.appointment_id)
    .bind(now)
    .bind(link.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A personal link as stored.
#[derive(Clone, Debug, FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub kind: String,
    pub patient_id: PatientId,
    pub reason_id: ReasonId,
    pub expires_at: i64,
    pub booked_appointment_id: Option<i64>,
}

/// The practice's link with this token hash.
pub async fn link_by_token(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, patient_id, reason_id, expires_at, booked_appointment_id
         FROM patient_links WHERE practice_id = $1 AND token_hash = $2",
    )
    .bind(practice_id)
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
}

/// Notes the first time a link was opened.
pub async fn mark_opened(conn: &mut AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE patient_links SET opened_at = COALESCE(opened_at, $2) WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Counts a booking for the link (once). True when this booking is the one counted.
pub async fn mark_booked(
    conn: &mut AnyConnection,
    id: i64,
    appointment_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE patient_links SET booked_appointment_id = $2, booked_at = $3,
             opened_at = COALESCE(opened_at, $3)
         WHERE id = $1 AND booked_appointment_id IS NULL",
    )
    .bind(id)
    .bind(appointment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How the patient paid at their latest booked visit: (carrier, self pay, member id).
pub async fn last_insurance(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
) -> Result<Option<(Option<i64>, i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT carrier_id, self_pay, member_id FROM appointments
         WHERE practice_id = $1 AND patient_id = $2
           AND status IN ('booked', 'confirmed', 'completed', 'no_show')
         ORDER BY starts_at DESC LIMIT 1",
    )
    .bind(practice_id)
    .bind(patient_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Starts the no-show follow-ups of an appointment (again, if staff had corrected it to
/// completed in between). True when they start now.
pub async fn start_no_show(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    appointment_id: i64,
    patient_id: PatientId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO no_show_followups (appointment_id, practice_id, patient_id, started_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (appointment_id) DO UPDATE SET started_at = $4, stopped_at = NULL,
             stop_reason = NULL
         WHERE no_show_followups.stop_reason = 'corrected'",
    )
    .bind(appointment_id)
    .bind(practice_id)
    .bind(patient_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stops a patient's running no-show follow-ups; `recovered` names the new booking when they
/// booked again. Returns how many stopped.
pub async fn stop_no_shows_of_patient(
    conn: &mut AnyConnection,
    patient_id: PatientId,
    reason: &str,
    recovered: Option<i64>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE no_show_followups SET stopped_at = $2, stop_reason = $3,
             recovered_appointment_id = $4
         WHERE patient_id = $1 AND stopped_at IS NULL",
    )
    .bind(patient_id)
    .bind(now)
    .bind(reason)
    .bind(recovered)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Stops the follow-ups of one appointment (staff corrected the no-show).
pub async fn stop_no_show_of_appointment(
    conn: &mut AnyConnection,
    appointment_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE no_show_followups SET stopped_at = $2, stop_reason = 'corrected'
         WHERE appointment_id = $1 AND stopped_at IS NULL",
    )
    .bind(appointment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whose messages to cancel.
#[derive(Clone, Copy, Debug)]
pub enum Of {
    Patient(PatientId),
    Appointment(i64),
}

/// Cancels the messages of `events` that have not gone out, of a patient or an appointment.
/// Returns how many.
pub async fn cancel_pending(
    conn: &mut AnyConnection,
    of: Of,
    events: &[&str],
    why: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    if events.is_empty() {
        return Ok(0);
    }
    let list = super::quoted(events);
    let (column, id) = match of {
        Of::Patient(id) => ("patient_id", id.0),
        Of::Appointment(id) => ("appointment_id", id),
    };
    let done = sqlx::query(&format!(
        "UPDATE outbox SET status = 'cancelled', updated_at = $2, last_error = $3
         WHERE {column} = $1 AND status IN ('queued', 'failed') AND event IN ({list})"
    ))
    .bind(id)
    .bind(now)
    .bind(why)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Pauses (or resumes) a patient's automated messages. False for an unknown patient.
pub async fn set_paused(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
    paused: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE patients SET automations_paused_at = CASE WHEN $3 = 1
             THEN COALESCE(automations_paused_at, $4) ELSE NULL END
         WHERE practice_id = $1 AND id = $2",
    )
    .bind(practice_id)
    .bind(patient_id)
    .bind(i64::from(paused))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a patient's automated messages are paused.
pub async fn is_paused(
    conn: &mut AnyConnection,
    patient_id: PatientId,
) -> Result<bool, sqlx::Error> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT automations_paused_at FROM patients WHERE id = $1")
            .bind(patient_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(at.flatten().is_some())
}

/// Whether the patient's phone or email opted out of one of the practice's channels (STOP,
/// unsubscribe): only the patient can lift that.
pub async fn has_opted_out(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM patients p JOIN message_suppressions s ON s.practice_id = p.practice_id
           AND (s.address = p.phone OR s.address = p.email)
         WHERE p.practice_id = $1 AND p.id = $2 LIMIT 1",
    )
    .bind(practice_id)
    .bind(patient_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// The practice's patients with this phone or email (an opt-out reaches all of them).
pub async fn patients_with_address(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    address: &str,
) -> Result<Vec<PatientId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM patients WHERE practice_id = $1 AND (phone = $2 OR email = $2)",
    )
    .bind(practice_id)
    .bind(address)
    .fetch_all(&mut *conn)
    .await
}

/// SQL condition: patient `p` opted out on some channel or has automated messages paused.
pub const OPTED_OUT_SQL: &str = "(p.automations_paused_at IS NOT NULL OR EXISTS (
    SELECT 1 FROM message_suppressions s WHERE s.practice_id = p.practice_id
      AND (s.address = p.phone OR s.address = p.email)))";

/// Writes the rating request of a completed appointment unless it has one. True when written.
pub async fn insert_feedback_request(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    appointment_id: i64,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO feedback (practice_id, appointment_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(practice_id)
    .bind(appointment_id)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A rating request and its answer.
#[derive(Clone, Debug, FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub expires_at: i64,
    pub rating: Option<i64>,
    pub answered_at: Option<i64>,
    pub practice_name: String,
    /// The practice's default language.
    pub practice_lang: String,
}

/// The rating request with this token hash.
pub async fn feedback_by_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<FeedbackRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.practice_id, f.expires_at, f.rating, f.answered_at,
             pr.name AS practice_name, pr.default_lang AS practice_lang
         FROM feedback f JOIN practices pr ON pr.id = f.practice_id WHERE f.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&db.read)
    .await
}

/// Stores a rating (a later answer replaces an earlier one while the link works).
pub async fn answer_feedback(
    db: &Db,
    id: i64,
    rating: i64,
    comment: String,
    now: i64,
) -> Result<(), sqlx::Error> {
    db.write(write_unit!(|conn| {
        sqlx::query(
            "UPDATE feedback SET rating = $2, comment = $3, answered_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(rating)
        .bind(&comment)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await
}

/// Writes the rebooking link of a missed appointment, replacing an earlier one's token (a
/// no-show marked again after a correction gets a fresh link).
pub async fn upsert_rebooking_link(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
    link: &NewLink,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO patient_links (practice_id, token_hash, kind, patient_id, reason_id,
             appointment_id, created_at, expires_at)
         VALUES ($1, $2, 'rebooking', $3, $4, $5, $6, $7)
         ON CONFLICT (appointment_id, kind) DO UPDATE SET token_hash = $2, expires_at = $7,
             booked_appointment_id = NULL, booked_at = NULL",
    )
    .bind(practice_id)
    .bind(token_hash)
    .bind(link.patient_id)
    .bind(link.reason_id)
    .bind(link.appointment_id)
    .bind(now)
    .bind(link.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The aftercare text of a reason ('' when it has none).
pub async fn aftercare_text(
    conn: &mut AnyConnection,
    reason_id: ReasonId,
) -> Result<String, sqlx::Error> {
    let text: Option<String> = sqlx::query_scalar("SELECT aftercare FROM reasons WHERE id = $1")
        .bind(reason_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(text.unwrap_or_default())
}

/// What the automations did in `[from, until)`.
pub struct PeriodNumbers {
    pub no_shows: i64,
    pub recovered: i64,
    pub recall_bookings: i64,
    /// (rating, count).
    pub ratings: Vec<(i64, i64)>,
    /// (answered at, rating, comment, provider id, reason id), newest first.
    pub recent: Vec<(i64, i64, String, i64, i64)>,
}

/// The automation numbers of a period.
pub async fn period_numbers(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    from: i64,
    until: i64,
) -> Result<PeriodNumbers, sqlx::Error> {
    let count = |sql: &'static str| {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(practice_id)
            .bind(from)
            .bind(until)
    };
    let no_shows = count(
        "SELECT COUNT(*) FROM appointments WHERE practice_id = $1 AND status = 'no_show'
           AND starts_at >= $2 AND starts_at < $3",
    )
    .fetch_one(&mut *conn)
    .await?;
    let recovered = count(
        "SELECT COUNT(*) FROM no_show_followups f JOIN appointments a ON a.id = f.appointment_id
         WHERE f.practice_id = $1 AND f.recovered_appointment_id IS NOT NULL
           AND a.starts_at >= $2 AND a.starts_at < $3",
    )
    .fetch_one(&mut *conn)
    .await?;
    let recall_bookings = count(
        "SELECT COUNT(*) FROM patient_links WHERE practice_id = $1 AND kind = 'recall'
           AND booked_at >= $2 AND booked_at < $3",
    )
    .fetch_one(&mut *conn)
    .await?;
    let ratings = sqlx::query_as(
        "SELECT rating, COUNT(*) FROM feedback WHERE practice_id = $1 AND rating IS NOT NULL
           AND answered_at >= $2 AND answered_at < $3 GROUP BY rating ORDER BY rating",
    )
    .bind(practice_id)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    let recent = sqlx::query_as(
        "SELECT f.answered_at, f.rating, f.comment, a.provider_id, a.reason_id
         FROM feedback f JOIN appointments a ON a.id = f.appointment_id
         WHERE f.practice_id = $1 AND f.rating IS NOT NULL
           AND f.answered_at >= $2 AND f.answered_at < $3
         ORDER BY f.answered_at DESC, f.id DESC LIMIT 20",
    )
    .bind(practice_id)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PeriodNumbers {
        no_shows,
        recovered,
        recall_bookings,
        ratings,
        recent,
    })
}
