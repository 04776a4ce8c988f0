//! The demo's history for the automations: patients whose last cleaning was seven months ago
//! (a hygiene recall rule finds them due) and upcoming visits of the Rivera family (a
//! broadcast has someone to reach). Created once.

use super::practice::SeededPractice;
use crate::clock::now_seconds;
use crate::store::db::Db;
use crate::store::demo_seed::{self, SeedVisit};
use crate::store::patients::{self, NewHousehold, NewMember};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// Patients due for a six-monthly hygiene recall: (first, last, phone, email).
const DUE_FOR_CLEANING: [(&str, &str, &str, &str); 4] = [
    ("Alex", "Morgan", "+14155151001", "alex.morgan@example.com"),
    ("Priya", "Shah", "+14155151002", "priya.shah@example.com"),
    (
        "Noah",
        "Bennett",
        "+14155151003",
        "noah.bennett@example.com",
    ),
    ("Grace", "Kim", "+14155151004", "grace.kim@example.com"),
];

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
    let location_id = {
        let mut conn = db.read.acquire().await?;
        demo_seed::first_location(&mut conn, practice_id).await?
    };
    let now = now_seconds();
    let seven_months_ago = local_at(&tz, now, -213, 10);
    let upcoming = [local_at(&tz, now, 2, 10), local_at(&tz, now, 3, 15)];
    db.write(write_unit!(|conn| {
        let (first, ..) = DUE_FOR_CLEANING[0];
        let already =
            demo_seed::patient_named(conn, practice_id, first, DUE_FOR_CLEANING[0].2).await?;
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
            let household = patients::insert_household(conn, practice_id, &contact, now).await?;
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
            let visit = SeedVisit {
                patient_id,
                reason_id: cleaning,
                provider_id: hygienist,
                status: "completed",
                starts_at: seven_months_ago + i as i64 * 3600,
            };
            demo_seed::insert_visit(conn, practice_id, location_id, &visit, now).await?;
        }
        // The Rivera family's next visits.
        let family =
            demo_seed::household_members(conn, practice_id, super::patients::FAMILY_PHONE).await?;
        for (patient_id, starts_at) in family.into_iter().zip(upcoming) {
            let visit = SeedVisit {
                patient_id,
                reason_id: checkup,
                provider_id: dentist,
                status: "booked",
                starts_at,
            };
            demo_seed::insert_visit(conn, practice_id, location_id, &visit, now).await?;
        }
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}
