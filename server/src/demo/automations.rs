//! The demo's history for the automations: patients whose last cleaning was seven months ago
//! (a hygiene recall rule finds them due) and upcoming visits of the Rivera family (a
//! broadcast has someone to reach). Created once.

use super::practice::SeededPractice;
use crate::clock::now_seconds;
use crate::db::Db;
use crate::store::patients::{self, NewHousehold, NewMember};
use crate::tokens::{hash_token, new_reference, new_token};
use crate::write_batch::{BoxFuture, WriteOutcome};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use sqlx::AnyConnection;

/// Patients due for a six-monthly hygiene recall: (first, last, phone, email).
const DUE_FOR_CLEANING: [(&str, &str, &str, &str); 4] = [
    ("Alex", "Morgan", "+15550151001", "alex.morgan@example.com"),
    ("Priya", "Shah", "+15550151002", "priya.shah@example.com"),
    (
        "Noah",
        "Bennett",
        "+15550151003",
        "noah.bennett@example.com",
    ),
    ("Grace", "Kim", "+15550151004", "grace.kim@example.com"),
];

/// One appointment to write as it would be after booking (or after the visit).
struct Visit {
    patient_id: i64,
    reason_id: i64,
    provider_id: i64,
    status: &'static str,
    starts_at: i64,
}

async fn insert_visit(
    conn: &mut AnyConnection,
    practice_id: i64,
    location_id: i64,
    v: &Visit,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appointments (practice_id, provider_id, location_id, reason_id, patient_id,
             status, starts_at, ends_at, block_start, block_end, manage_token_hash, reference,
             source, patient_type, self_pay, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9, $10, 'staff', 'returning', 1,
             $11, $11)",
    )
    .bind(practice_id)
    .bind(v.provider_id)
    .bind(location_id)
    .bind(v.reason_id)
    .bind(v.patient_id)
    .bind(v.status)
    .bind(v.starts_at)
    .bind(v.starts_at + 30 * 60)
    .bind(hash_token(&new_token()))
    .bind(new_reference())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A local time `days` from today at `hour`:00 in the practice's timezone, as UTC seconds.
fn local_at(tz: &TimeZone, now: i64, days: i64, hour: i8) -> i64 {
    let today = Timestamp::from_second(now)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .date();
    today
        .checked_add(days.days())
        .ok()
        .and_then(|d| d.at(hour, 0, 0, 0).to_zoned(tz.clone()).ok())
        .map_or(now + days * 86_400, |z| z.timestamp().as_second())
}

/// Seeds the history unless it is there already.
pub async fn demo_history(db: &Db, seeded: &SeededPractice, tz: &str) -> anyhow::Result<()> {
    let tz = TimeZone::get(tz)?;
    let practice_id = seeded.practice_id;
    let (Some(&cleaning), Some(&checkup), Some(&hygienist), Some(&dentist)) = (
        seeded.reasons.get("Cleaning"),
        seeded.reasons.get("Checkup"),
        seeded.providers.get("Lena Fischer"),
        seeded.providers.get("Dr. Maya Patel"),
    ) else {
        return Ok(());
    };
    let location_id: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM locations WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_one(&db.read)
            .await?;
    let now = now_seconds();
    let seven_months_ago = local_at(&tz, now, -213, 10);
    let upcoming = [local_at(&tz, now, 2, 10), local_at(&tz, now, 3, 15)];
    db.write(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
        Box::pin(async move {
            let (first, ..) = DUE_FOR_CLEANING[0];
            let already: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM patients WHERE practice_id = $1 AND first_name = $2 AND phone = $3",
            )
            .bind(practice_id)
            .bind(first)
            .bind(DUE_FOR_CLEANING[0].2)
            .fetch_optional(&mut *conn)
            .await?;
            if already.is_some() {
                return Ok(WriteOutcome::Commit(()));
            }
            for (i, (first, last, phone, email)) in DUE_FOR_CLEANING.iter().enumerate() {
                let contact = NewHousehold {
                    first_name: (*first).into(),
                    last_name: (*last).into(),
                    phone: (*phone).into(),
                    email: (*email).into(),
                };
                let household =
                    patients::insert_household(conn, practice_id, &contact, now).await?;
                let member = NewMember {
                    first_name: (*first).into(),
                    last_name: (*last).into(),
                    date_of_birth: "1982-03-15".into(),
                    phone: (*phone).into(),
                    email: (*email).into(),
                    species: None,
                };
                let patient_id =
                    patients::insert_member(conn, practice_id, household, &member, now).await?;
                let visit = Visit {
                    patient_id,
                    reason_id: cleaning,
                    provider_id: hygienist,
                    status: "completed",
                    starts_at: seven_months_ago + i as i64 * 3600,
                };
                insert_visit(conn, practice_id, location_id, &visit, now).await?;
            }
            // The Rivera family's next visits.
            let family: Vec<i64> = sqlx::query_scalar(
                "SELECT p.id FROM patients p JOIN households h ON h.id = p.household_id
                 WHERE p.practice_id = $1 AND h.phone = $2 ORDER BY p.id",
            )
            .bind(practice_id)
            .bind(super::patients::FAMILY_PHONE)
            .fetch_all(&mut *conn)
            .await?;
            for (patient_id, starts_at) in family.into_iter().zip(upcoming) {
                let visit = Visit {
                    patient_id,
                    reason_id: checkup,
                    provider_id: dentist,
                    status: "booked",
                    starts_at,
                };
                insert_visit(conn, practice_id, location_id, &visit, now).await?;
            }
            Ok(WriteOutcome::Commit(()))
        })
    })
    .await?;
    Ok(())
}
