//! A practice's messaging setup: channel transports, reminder offsets, its own templates,
//! opted-out addresses, and patient contact details used by messages.

use crate::store::db::Db;
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::AnyConnection;

/// The default reminder offsets in minutes: 1 week, 2 days, 2 hours.
pub const DEFAULT_REMINDER_OFFSETS: [i64; 3] = [10_080, 2_880, 120];

/// A channel's stored settings: (channel, enabled, config JSON).
pub type ChannelRow = (String, i64, String);

/// Every configured channel of a practice.
pub async fn channels(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<ChannelRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT channel, enabled, config FROM channel_settings WHERE practice_id = $1 ORDER BY channel",
    )
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await
}

/// Saves a channel's settings.
pub async fn save_channel(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    channel: &str,
    enabled: bool,
    config: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO channel_settings (practice_id, channel, enabled, config, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (practice_id, channel)
         DO UPDATE SET enabled = excluded.enabled, config = excluded.config, updated_at = excluded.updated_at",
    )
    .bind(practice_id)
    .bind(channel)
    .bind(i64::from(enabled))
    .bind(config)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Reminder offsets in minutes before the appointment.
pub async fn reminder_offsets(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<i64>, sqlx::Error> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT reminder_offsets FROM message_settings WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match stored {
        None => DEFAULT_REMINDER_OFFSETS.to_vec(),
        Some(list) => list
            .split(',')
            .filter_map(|m| m.trim().parse().ok())
            .collect(),
    })
}

/// Saves the reminder offsets (already checked).
pub async fn save_reminder_offsets(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    offsets: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    let list: Vec<String> = offsets.iter().map(i64::to_string).collect();
    sqlx::query(
        "INSERT INTO message_settings (practice_id, reminder_offsets, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (practice_id)
         DO UPDATE SET reminder_offsets = excluded.reminder_offsets, updated_at = excluded.updated_at",
    )
    .bind(practice_id)
    .bind(list.join(","))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A practice's own template in a language: (subject, body).
pub async fn template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    event: &str,
    channel: &str,
    lang: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT subject, body FROM message_templates
         WHERE practice_id = $1 AND event = $2 AND channel = $3 AND lang = $4",
    )
    .bind(practice_id)
    .bind(event)
    .bind(channel)
    .bind(lang)
    .fetch_optional(&mut *conn)
    .await
}

/// A practice's own template as stored: which event, channel and language, and its text.
#[derive(Debug, sqlx::FromRow)]
pub struct OwnTemplate {
    pub event: String,
    pub channel: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
}

/// Every template a practice wrote, in every language.
pub async fn templates(db: &Db, practice_id: PracticeId) -> Result<Vec<OwnTemplate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT event, channel, lang, subject, body FROM message_templates WHERE practice_id = $1",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// Which template: event, channel and language (stored names).
#[derive(Clone, Copy, Debug)]
pub struct TemplateKey<'a> {
    pub event: &'a str,
    pub channel: &'a str,
    pub lang: &'a str,
}

/// Saves a practice's template (already checked).
pub async fn save_template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    key: TemplateKey<'_>,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO message_templates (practice_id, event, channel, lang, subject, body, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (practice_id, event, channel, lang)
         DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(practice_id)
    .bind(key.event)
    .bind(key.channel)
    .bind(key.lang)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Goes back to the default wording (of one language).
pub async fn delete_template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    key: TemplateKey<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM message_templates
         WHERE practice_id = $1 AND event = $2 AND channel = $3 AND lang = $4",
    )
    .bind(practice_id)
    .bind(key.event)
    .bind(key.channel)
    .bind(key.lang)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether an address opted out of a practice's channel.
pub async fn is_suppressed(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    channel: &str,
    address: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM message_suppressions WHERE practice_id = $1 AND channel = $2 AND address = $3",
    )
    .bind(practice_id)
    .bind(channel)
    .bind(address)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Opts an address out (idempotent; the first reason is kept).
pub async fn suppress(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    channel: &str,
    address: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO message_suppressions (practice_id, channel, address, reason, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (practice_id, channel, address) DO NOTHING",
    )
    .bind(practice_id)
    .bind(channel)
    .bind(address)
    .bind(reason)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Lifts an opt-out (the patient texted START).
pub async fn unsuppress(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    channel: &str,
    address: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM message_suppressions WHERE practice_id = $1 AND channel = $2 AND address = $3",
    )
    .bind(practice_id)
    .bind(channel)
    .bind(address)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The language a patient's household reads (`None`: not chosen, the practice's default).
pub async fn patient_language(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT h.lang FROM patients p JOIN households h ON h.id = p.household_id
         WHERE p.practice_id = $1 AND p.id = $2",
    )
    .bind(practice_id)
    .bind(patient_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.and_then(|(lang,)| lang))
}

/// The language a household reads (`None`: not chosen, the practice's default).
pub async fn household_language(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    household_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT lang FROM households WHERE practice_id = $1 AND id = $2")
            .bind(practice_id)
            .bind(household_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(lang,)| lang))
}

/// The language a practice's patients read unless they chose one.
pub async fn practice_language(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<String, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT default_lang FROM practices WHERE id = $1")
        .bind(practice_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(lang,)| lang).unwrap_or_default())
}

/// Remembers the language a patient's household reads (`None`: back to the practice's
/// default). `false` if the patient is not the practice's or has no household.
pub async fn set_patient_language(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
    lang: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE households SET lang = $1
         WHERE practice_id = $2
           AND id = (SELECT household_id FROM patients WHERE practice_id = $2 AND id = $3)",
    )
    .bind(lang)
    .bind(practice_id)
    .bind(patient_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// SQL: the first name messages about patient `p` greet (the owner's for a pet), with the
/// owner's household joined as `h`.
pub const GREETING_NAME_SQL: &str =
    "CASE WHEN p.species IS NOT NULL AND h.first_name IS NOT NULL THEN h.first_name ELSE p.first_name END";

/// A patient's (name to greet, phone, email): a pet's messages greet its owner.
pub async fn patient_contact(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {GREETING_NAME_SQL}, p.phone, p.email
         FROM patients p LEFT JOIN households h ON h.id = p.household_id
         WHERE p.practice_id = $1 AND p.id = $2"
    ))
    .bind(practice_id)
    .bind(patient_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Corrects a patient's phone and/or email (`None` keeps it). The household shares its
/// contact with its members, so the household's contact and every member with the same old
/// value change too: codes and messages go to the corrected address. `false` if the patient is
/// not the practice's.
pub async fn update_patient_contact(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let old: Option<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT phone, email, household_id FROM patients WHERE practice_id = $1 AND id = $2",
    )
    .bind(practice_id)
    .bind(patient_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((old_phone, old_email, household)) = old else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE patients SET phone = COALESCE($3, phone), email = COALESCE($4, email)
         WHERE practice_id = $1 AND id = $2",
    )
    .bind(practice_id)
    .bind(patient_id)
    .bind(phone)
    .bind(email)
    .execute(&mut *conn)
    .await?;
    let Some(household) = household else {
        return Ok(true);
    };
    for (column, old, new) in [("phone", &old_phone, phone), ("email", &old_email, email)] {
        let Some(new) = new.filter(|_| !old.is_empty()) else {
            continue;
        };
        // `column` is one of two fixed names, never input.
        sqlx::query(&format!(
            "UPDATE households SET {column} = $3 WHERE practice_id = $1 AND id = $2 AND {column} = $4"
        ))
        .bind(practice_id)
        .bind(household)
        .bind(new)
        .bind(old)
        .execute(&mut *conn)
        .await?;
        sqlx::query(&format!(
            "UPDATE patients SET {column} = $3
             WHERE practice_id = $1 AND household_id = $2 AND {column} = $4"
        ))
        .bind(practice_id)
        .bind(household)
        .bind(new)
        .bind(old)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}
