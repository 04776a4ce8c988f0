//! The staff appointment list: search and filters, and the figures of the dashboard.

use crate::store::appointments::AppointmentRow;
use slotwise_shared::model::{PatientId, PracticeId, ProviderId, ReasonId};
use sqlx::{AnyConnection, FromRow};

/// One appointment with the names staff see.
#[derive(Clone, Debug, FromRow)]
pub struct ListedAppointment {
    pub id: i64,
    pub reference: Option<String>,
    pub status: String,
    pub source: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub provider_id: ProviderId,
    pub provider_name: String,
    pub reason_id: ReasonId,
    pub reason_name: String,
    pub patient_id: Option<PatientId>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub patient_type: Option<String>,
    pub automations_paused_at: Option<i64>,
    /// The language the patient's household reads (`None`: the practice's default).
    pub patient_lang: Option<String>,
    /// The confirmation deadline, when the policy asked for one.
    pub confirm_by: Option<i64>,
    /// When that deadline passed unconfirmed.
    pub confirm_missed_at: Option<i64>,
}

/// A bound value of a built query.
#[derive(Clone, Debug)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// Filters, already checked and converted (instants in UTC seconds).
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub id: Option<i64>,
    pub text: Option<String>,
    pub digits: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub provider_id: Option<ProviderId>,
    pub reason_id: Option<ReasonId>,
    pub status: Option<String>,
    pub source: Option<String>,
}

/// `WHERE` clause and its parameters (`$1` is the practice).
fn conditions(practice_id: PracticeId, s: &Search) -> (String, Vec<Param>) {
    let mut sql = String::from("a.practice_id = $1 AND a.status NOT IN ('held', 'expired')");
    let mut params = vec![Param::Int(practice_id.0)];
    let mut add = |clause: &str, p: Param, params: &mut Vec<Param>| {
        params.push(p);
        sql.push_str(&clause.replace("$?", &format!("${}", params.len())));
    };
    if let Some(v) = s.id {
        add(" AND a.id = $?", Param::Int(v), &mut params);
    }
    if let Some(v) = s.from {
        add(" AND a.starts_at >= $?", Param::Int(v), &mut params);
    }
    if let Some(v) = s.until {
        add(" AND a.starts_at < $?", Param::Int(v), &mut params);
    }
    if let Some(v) = s.provider_id {
        add(" AND a.provider_id = $?", Param::Int(v.0), &mut params);
    }
    if let Some(v) = s.reason_id {
        add(" AND a.reason_id = $?", Param::Int(v.0), &mut params);
    }
    if let Some(v) = &s.status {
        add(" AND a.status = $?", Param::Text(v.clone()), &mut params);
    }
    if let Some(v) = &s.source {
        add(" AND a.source = $?", Param::Text(v.clone()), &mut params);
    }
    if let Some(text) = &s.text {
        params.push(Param::Text(format!("%{}%", text.to_lowercase())));
        let n = params.len();
        params.push(Param::Text(text.to_uppercase()));
        let m = params.len();
        let mut clause = format!(
            " AND (LOWER(p.first_name || ' ' || p.last_name) LIKE ${n} OR a.reference = ${m}"
        );
        if let Some(digits) = &s.digits {
            params.push(Param::Text(format!("%{digits}%")));
            clause.push_str(&format!(" OR p.phone LIKE ${}", params.len()));
        }
        clause.push(')');
        sql.push_str(&clause);
    }
    (sql, params)
}

/// Appointments matching `search`, by start time (at most `limit`).
pub async fn search(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    search: &Search,
    limit: i64,
) -> Result<Vec<ListedAppointment>, sqlx::Error> {
    let (filter, params) = conditions(practice_id, search);
    let sql = format!(
        "SELECT a.id, a.reference, a.status, a.source, a.starts_at, a.ends_at, a.provider_id,
                pr.name AS provider_name, a.reason_id, r.name AS reason_name, a.patient_id,
                p.first_name, p.last_name, p.phone, p.email, a.patient_type,
                p.automations_paused_at, h.lang AS patient_lang, a.confirm_by,
                a.confirm_missed_at
         FROM appointments a
         JOIN providers pr ON pr.id = a.provider_id
         JOIN reasons r ON r.id = a.reason_id
         LEFT JOIN patients p ON p.id = a.patient_id
         LEFT JOIN households h ON h.id = p.household_id
         WHERE {filter}
         ORDER BY a.starts_at, a.id LIMIT {limit}"
    );
    let mut query = sqlx::query_as::<_, ListedAppointment>(&sql);
    for p in params {
        query = match p {
            Param::Int(v) => query.bind(v),
            Param::Text(v) => query.bind(v),
        };
    }
    query.fetch_all(&mut *conn).await
}

/// An appointment (not a hold) of the practice by id.
pub async fn find(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: i64,
) -> Result<Option<AppointmentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, provider_id, operatory_id, location_id, reason_id, status, starts_at,
                ends_at, block_start, block_end, hold_expires_at, reference, updated_at, revision,
                patient_id, created_at
         FROM appointments
         WHERE practice_id = $1 AND id = $2 AND status NOT IN ('held', 'expired')",
    )
    .bind(practice_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Gives an appointment a new manage token (its links in earlier messages stop working).
pub async fn set_manage_token(
    conn: &mut AnyConnection,
    id: i64,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE appointments SET manage_token_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    // Links sent later (broadcasts) go with the token they stood beside.
    sqlx::query("DELETE FROM extra_manage_tokens WHERE appointment_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Counts of bookings made in `[from, until)` grouped by an expression over `appointments a`
/// (a fixed, trusted SQL expression).
pub async fn counts_by(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    from: i64,
    until: i64,
    expression: &'static str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {expression} AS label, COUNT(*) AS n FROM appointments a
         WHERE a.practice_id = $1 AND a.created_at >= $2 AND a.created_at < $3
           AND a.status NOT IN ('held', 'expired')
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 24"
    ))
    .bind(practice_id)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await
}

/// Start instants of bookings made in `[from, until)` (bucketed by local hour in Rust, where
/// the time zone rules are).
pub async fn starts(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    from: i64,
    until: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.starts_at FROM appointments a
         WHERE a.practice_id = $1 AND a.created_at >= $2 AND a.created_at < $3
           AND a.status NOT IN ('held', 'expired')",
    )
    .bind(practice_id)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await
}
