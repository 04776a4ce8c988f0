//! Households and their patients, the returning-patient lookup's one-time codes, and the
//! sessions of verified contacts. Every query is scoped by practice.

use crate::store::db::Db;
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::{AnyConnection, FromRow};

/// Someone (or some pet) of a household, with the household's contact details.
#[derive(Clone, Debug, FromRow)]
pub struct MemberRow {
    pub id: PatientId,
    pub first_name: String,
    pub last_name: String,
    pub species: Option<String>,
    pub household_id: i64,
    pub contact_first_name: String,
    pub phone: String,
    pub email: String,
}

/// A household to create, with its first member.
#[derive(Clone, Debug)]
pub struct NewHousehold {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
}

/// How long a verified patient may book without checking again (after a code or a personal
/// link).
pub const PATIENT_SESSION_SECONDS: i64 = 30 * 60;

/// A patient to add to a household.
#[derive(Clone, Debug)]
pub struct NewMember {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`, or empty when unknown (pets).
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub species: Option<String>,
}

/// The newest household whose phone or email is `contact`: its id, its contact's first name
/// and one of its patients (the one messages are filed under).
pub async fn household_of_contact(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    contact: &str,
) -> Result<Option<(i64, String, Option<PatientId>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, first_name,
                (SELECT MIN(p.id) FROM patients p WHERE p.household_id = households.id)
         FROM households
         WHERE practice_id = $1 AND (phone = $2 OR email = $2)
         ORDER BY id DESC LIMIT 1",
    )
    .bind(practice_id)
    .bind(contact)
    .fetch_optional(&mut *conn)
    .await
}

const MEMBER_SELECT: &str = "SELECT p.id, p.first_name, p.last_name, p.species,
        h.id AS household_id, h.first_name AS contact_first_name, h.phone, h.email
    FROM patients p JOIN households h ON h.id = p.household_id";

/// Every member of the households a verified contact belongs to. A person booked twice under
/// the same name and birth date is listed once.
pub async fn members_of_contact(
    db: &Db,
    practice_id: PracticeId,
    contact: &str,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "{MEMBER_SELECT}
         WHERE h.practice_id = $1 AND (h.phone = $2 OR h.email = $2)
         ORDER BY p.id DESC LIMIT 200"
    ))
    .bind(practice_id)
    .bind(contact)
    .fetch_all(&db.read)
    .await?;
    let mut seen = std::collections::HashSet::new();
    let mut members: Vec<MemberRow> = rows
        .into_iter()
        .filter(|m| {
            seen.insert((
                m.first_name.to_lowercase(),
                m.last_name.to_lowercase(),
                m.species.clone(),
            ))
        })
        .collect();
    members.reverse();
    Ok(members)
}

/// A member the verified contact may book for (404-worthy `None` otherwise).
pub async fn member_of_contact(
    db: &Db,
    practice_id: PracticeId,
    contact: &str,
    patient_id: PatientId,
) -> Result<Option<MemberRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MEMBER_SELECT}
         WHERE h.practice_id = $1 AND (h.phone = $2 OR h.email = $2) AND p.id = $3"
    ))
    .bind(practice_id)
    .bind(contact)
    .bind(patient_id)
    .fetch_optional(&db.read)
    .await
}

/// A patient and their household's contact details, by id.
pub async fn member(
    db: &Db,
    practice_id: PracticeId,
    patient_id: PatientId,
) -> Result<Option<MemberRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MEMBER_SELECT} WHERE p.practice_id = $1 AND p.id = $2"
    ))
    .bind(practice_id)
    .bind(patient_id)
    .fetch_optional(&db.read)
    .await
}

/// Creates a household and returns its id.
pub async fn insert_household(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    h: &NewHousehold,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO households (practice_id, first_name, last_name, phone, email, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(practice_id)
    .bind(&h.first_name)
    .bind(&h.last_name)
    .bind(&h.phone)
    .bind(&h.email)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Adds a patient to a household and returns the patient's id.
pub async fn insert_member(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    household_id: i64,
    m: &NewMember,
    now: i64,
) -> Result<PatientId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO patients (practice_id, household_id, first_name, last_name, date_of_birth,
             phone, email, species, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(practice_id)
    .bind(household_id)
    .bind(&m.first_name)
    .bind(&m.last_name)
    .bind(&m.date_of_birth)
    .bind(&m.phone)
    .bind(&m.email)
    .bind(m.species.as_deref())
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// A one-time code as stored.
#[derive(Clone, Debug, FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub code_hash: String,
    pub attempts: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Stores a new code for a contact.
pub async fn insert_code(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    contact: &str,
    household_id: Option<i64>,
    code_hash: &str,
    expires_at: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO patient_codes (practice_id, contact, household_id, code_hash, expires_at,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(practice_id)
    .bind(contact)
    .bind(household_id)
    .bind(code_hash)
    .bind(expires_at)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Codes sent to a contact since `since` (the per-contact limit).
pub async fn codes_since(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    contact: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM patient_codes
         WHERE practice_id = $1 AND contact = $2 AND created_at >= $3",
    )
    .bind(practice_id)
    .bind(contact)
    .bind(since)
    .fetch_one(&mut *conn)
    .await
}

/// Wrong tries at a contact's codes created since `since`.
pub async fn wrong_attempts_since(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    contact: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(attempts) AS BIGINT) FROM patient_codes
         WHERE practice_id = $1 AND contact = $2 AND created_at >= $3",
    )
    .bind(practice_id)
    .bind(contact)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok(total.unwrap_or(0))
}

/// The newest code of a contact: only it can be used.
pub async fn latest_code(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    contact: &str,
) -> Result<Option<CodeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code_hash, attempts, expires_at, used_at FROM patient_codes
         WHERE practice_id = $1 AND contact = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(practice_id)
    .bind(contact)
    .fetch_optional(&mut *conn)
    .await
}

/// Counts a wrong try; `false` when the code was used meanwhile.
pub async fn count_attempt(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE patient_codes SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a code used; `false` if it already was (a concurrent verify won).
pub async fn use_code(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE patient_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a verified contact's session.
pub async fn insert_session(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token_hash: &str,
    contact: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let expires_at = now + PATIENT_SESSION_SECONDS;
    sqlx::query(
        "INSERT INTO patient_sessions (token_hash, practice_id, contact, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(practice_id)
    .bind(contact)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The contact of a live session.
pub async fn session_contact(
    db: &Db,
    practice_id: PracticeId,
    token_hash: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT contact FROM patient_sessions
         WHERE token_hash = $1 AND practice_id = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(practice_id)
    .bind(now)
    .fetch_optional(&db.read)
    .await
}

/// Deletes expired sessions and codes older than a day (periodic).
pub async fn purge_expired(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM patient_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.write)
        .await?;
    sqlx::query("DELETE FROM patient_codes WHERE created_at < $1")
        .bind(now - 86_400)
        .execute(&db.write)
        .await?;
    Ok(())
}
