//! SQL of recall rules: the rules, who is due, and each rule's numbers.

use super::automations::OPTED_OUT_SQL;
use super::messaging::GREETING_NAME_SQL;
use slotwise_shared::automations::{Audience, RecallRuleInput, RecallStats};
use slotwise_shared::model::{PatientId, PracticeId, ReasonId};
use sqlx::{AnyConnection, FromRow};
use std::collections::HashMap;

/// A recall rule as stored.
#[derive(Clone, Debug, FromRow)]
pub struct RuleRow {
    pub id: i64,
    pub practice_id: PracticeId,
    pub name: String,
    pub after_reason_id: Option<ReasonId>,
    pub interval_days: i64,
    pub book_reason_id: ReasonId,
    pub channel: Option<String>,
    pub message: String,
    pub audience: String,
    pub active: i64,
}

const RULE_COLUMNS: &str = "id, practice_id, name, after_reason_id, interval_days, book_reason_id, channel, message, audience, active";

/// The practice's rules (not deleted), oldest first.
pub async fn rules(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<RuleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} FROM recall_rules
         WHERE practice_id = $1 AND deleted_at IS NULL ORDER BY id"
    ))
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await
}

/// One rule of the practice (not deleted).
pub async fn rule(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<RuleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} FROM recall_rules
         WHERE practice_id = $1 AND id = $2 AND deleted_at IS NULL"
    ))
    .bind(practice_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Every active rule of every practice: what the recall job runs.
pub async fn active_rules(conn: &mut AnyConnection) -> Result<Vec<RuleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {RULE_COLUMNS} FROM recall_rules
         WHERE active = 1 AND deleted_at IS NULL ORDER BY practice_id, id"
    ))
    .fetch_all(&mut *conn)
    .await
}

/// Adds a rule (already checked); returns its id.
pub async fn insert_rule(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    r: &RecallRuleInput,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO recall_rules (practice_id, name, after_reason_id, interval_days,
             book_reason_id, channel, message, audience, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(practice_id)
    .bind(r.name.trim())
    .bind(r.after_reason.map(|id| id.0))
    .bind(i64::from(r.interval_days))
    .bind(r.book_reason.0)
    .bind(r.channel.map(|c| c.as_str()))
    .bind(r.message.trim())
    .bind(r.audience.as_str())
    .bind(i64::from(r.active))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Changes a rule (already checked). False for an unknown rule.
pub async fn update_rule(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
    r: &RecallRuleInput,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recall_rules SET name = $3, after_reason_id = $4, interval_days = $5,
             book_reason_id = $6, channel = $7, message = $8, audience = $9, active = $10,
             updated_at = $11
         WHERE practice_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(practice_id)
    .bind(id)
    .bind(r.name.trim())
    .bind(r.after_reason.map(|id| id.0))
    .bind(i64::from(r.interval_days))
    .bind(r.book_reason.0)
    .bind(r.channel.map(|c| c.as_str()))
    .bind(r.message.trim())
    .bind(r.audience.as_str())
    .bind(i64::from(r.active))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a rule: it never runs again; its links keep working. False for an unknown rule.
pub async fn delete_rule(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recall_rules SET deleted_at = $3, active = 0
         WHERE practice_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(practice_id)
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A patient a rule finds due.
#[derive(Clone, Debug, FromRow)]
pub struct DuePatient {
    pub patient_id: PatientId,
    pub first_name: String,
    pub phone: String,
    pub email: String,
    /// Start of the visit that began the wait.
    pub cycle_at: i64,
}

/// The query of patients due for `rule`: their last completed visit (of the rule's reason)
/// began the wait at least `interval_days` ago, they have nothing booked since, have not opted
/// out, fit the audience, and were not sent this recall for that visit yet.
fn due_sql(rule: &RuleRow, select: &str, tail: &str) -> String {
    let reason = if rule.after_reason_id.is_some() {
        "AND a.reason_id = $5"
    } else {
        "AND $5 = $5"
    };
    let audience = match Audience::parse(&rule.audience) {
        Audience::All => "AND $4 = $4",
        Audience::Adults => "AND p.date_of_birth <> '' AND p.date_of_birth <= $4",
        Audience::Children => "AND p.date_of_birth > $4",
    };
    format!(
        "SELECT {select} FROM (
             SELECT a.patient_id, MAX(a.starts_at) AS cycle_at FROM appointments a
             WHERE a.practice_id = $1 AND a.status = 'completed' AND a.patient_id IS NOT NULL
               {reason}
             GROUP BY a.patient_id) last
         JOIN patients p ON p.id = last.patient_id
         LEFT JOIN households h ON h.id = p.household_id
         WHERE last.cycle_at <= $2 AND NOT {OPTED_OUT_SQL}
           {audience}
           AND NOT EXISTS (SELECT 1 FROM appointments u WHERE u.patient_id = p.id
               AND u.status IN ('booked', 'confirmed') AND u.starts_at > last.cycle_at)
           AND NOT EXISTS (SELECT 1 FROM patient_links l WHERE l.rule_id = $3
               AND l.patient_id = p.id AND l.cycle_at = last.cycle_at)
         {tail}"
    )
}

/// Where a rule's due search starts: (visits before this instant, the audience's cut-off
/// birth date).
pub struct DueAt {
    pub now: i64,
    /// The practice's local date 18 years ago, `YYYY-MM-DD`.
    pub adult_born_by: String,
}

/// Up to `limit` patients due for `rule`, by patient id.
pub async fn due_patients(
    conn: &mut AnyConnection,
    rule: &RuleRow,
    at: &DueAt,
    limit: i64,
) -> Result<Vec<DuePatient>, sqlx::Error> {
    let sql = due_sql(
        rule,
        &format!(
            "p.id AS patient_id, {GREETING_NAME_SQL} AS first_name, p.phone, p.email, last.cycle_at"
        ),
        "ORDER BY p.id LIMIT $6",
    );
    sqlx::query_as(&sql)
        .bind(rule.practice_id)
        .bind(at.now - rule.interval_days * 86_400)
        .bind(rule.id)
        .bind(&at.adult_born_by)
        .bind(rule.after_reason_id.map_or(0, |r| r.0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
}

/// How many patients are due for `rule` now.
pub async fn count_due(
    conn: &mut AnyConnection,
    rule: &RuleRow,
    at: &DueAt,
) -> Result<i64, sqlx::Error> {
    let sql = due_sql(rule, "COUNT(*)", "");
    sqlx::query_scalar(&sql)
        .bind(rule.practice_id)
        .bind(at.now - rule.interval_days * 86_400)
        .bind(rule.id)
        .bind(&at.adult_born_by)
        .bind(rule.after_reason_id.map_or(0, |r| r.0))
        .fetch_one(&mut *conn)
        .await
}

/// Sent, opened and booked links per rule of the practice.
pub async fn link_counts(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<HashMap<i64, RecallStats>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT rule_id, COUNT(*), COUNT(opened_at), COUNT(booked_appointment_id)
         FROM patient_links WHERE practice_id = $1 AND kind = 'recall' AND rule_id IS NOT NULL
         GROUP BY rule_id",
    )
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(rule, sent, opened, booked)| {
            (
                rule,
                RecallStats {
                    due: 0,
                    sent,
                    opened,
                    booked,
                },
            )
        })
        .collect())
}
