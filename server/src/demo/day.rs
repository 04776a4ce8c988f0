//! The demo's filled week for the console's day view: every provider's hours today and in the
//! next six days hold half-hour visits of eight demo patients, two in a row and then an hour
//! free (earlier ones completed, later ones booked or confirmed), around time off and visits
//! already there. Created once.

use super::practice::SeededPractice;
use crate::clock::now_seconds;
use crate::store::appointments::busy_spans;
use crate::store::catalog;
use crate::store::db::Db;
use crate::store::demo_seed::{self, SeedVisit};
use crate::store::patients::{self, NewHousehold, NewMember};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::model::{LocationId, ProviderId, ReasonId};
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::local_instant;

/// The demo's day-view patients: (first, last, phone).
const PATIENTS: [(&str, &str, &str); 8] = [
    ("Hannah", "Cole", "+14155162001"),
    ("Luis", "Ortega", "+14155162002"),
    ("Mei", "Tanaka", "+14155162003"),
    ("Omar", "Haddad", "+14155162004"),
    ("Sofia", "Rossi", "+14155162005"),
    ("Ben", "Adler", "+14155162006"),
    ("Ivy", "Nguyen", "+14155162007"),
    ("Tariq", "Mensah", "+14155162008"),
];
const VISIT_SECONDS: i64 = 30 * 60;
/// Two visits, then an hour free.
const PATTERN_SECONDS: i64 = 2 * 3600;

/// One visit to write.
struct Planned {
    provider: ProviderId,
    location: LocationId,
    reason: ReasonId,
    starts_at: i64,
}

/// Seeds the week unless it is there already.
pub async fn demo_week(db: &Db, seeded: &SeededPractice) -> anyhow::Result<()> {
    let Some(catalog) = catalog::load(db, &seeded.slug).await? else {
        return Ok(());
    };
    let (Some(&checkup), Some(&cleaning)) = (
        seeded.reasons.get("Checkup"),
        seeded.reasons.get("Cleaning"),
    ) else {
        return Ok(());
    };
    let practice_id = seeded.practice_id;
    let tz = catalog.practice.tz.clone();
    let now = now_seconds();
    let today = Timestamp::from_second(now)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .date();
    let providers: Vec<ProviderId> = catalog.providers.iter().map(|p| p.id).collect();
    let week = Span::new(now - 86_400, now + 8 * 86_400);
    // Visits already there (the Riveras') and time off stay as they are.
    let mut busy = busy_spans(db, practice_id, &providers, week, now).await?;
    let mut planned = Vec::new();
    for n in 0..7 {
        let Ok(date) = today.checked_add(jiff::Span::new().days(n)) else {
            continue;
        };
        for provider in &catalog.providers {
            let hygienist = provider.role.to_lowercase().contains("hygien");
            let reason = if hygienist { cleaning } else { checkup };
            let taken = busy.entry(provider.id).or_default();
            for window in catalog.schedule(provider.id).windows_on(date) {
                let (Some(start), Some(end)) = (
                    local_instant(&tz, date, window.start_min),
                    local_instant(&tz, date, window.end_min),
                ) else {
                    continue;
                };
                let mut at = start;
                while at + VISIT_SECONDS <= end {
                    for visit in [at, at + VISIT_SECONDS] {
                        let span = Span::new(visit, visit + VISIT_SECONDS);
                        if span.end <= end && !taken.iter().any(|b| b.overlaps(&span)) {
                            taken.push(span);
                            planned.push(Planned {
                                provider: provider.id,
                                location: window.location,
                                reason,
                                starts_at: visit,
                            });
                        }
                    }
                    at += PATTERN_SECONDS;
                }
            }
        }
    }
    db.write(write_unit!(|conn| {
        let (first, _, phone) = PATIENTS[0];
        if demo_seed::patient_named(conn, practice_id, first, phone)
            .await?
            .is_some()
        {
            return Ok(WriteOutcome::Commit(()));
        }
        let mut people = Vec::new();
        for (first, last, phone) in PATIENTS {
            let contact = NewHousehold {
                first_name: first.into(),
                last_name: last.into(),
                phone: phone.into(),
                email: String::new(),
            };
            let household = patients::insert_household(conn, practice_id, &contact, now).await?;
            let member = NewMember {
                first_name: first.into(),
                last_name: last.into(),
                date_of_birth: "1985-06-20".into(),
                phone: phone.into(),
                email: String::new(),
                species: None,
            };
            people.push(patients::insert_member(conn, practice_id, household, &member, now).await?);
        }
        for (i, visit) in planned.iter().enumerate() {
            let status = match (visit.starts_at + VISIT_SECONDS <= now, i % 3) {
                (true, 0) if i % 9 == 0 => "no_show",
                (true, _) => "completed",
                (false, 0) => "confirmed",
                (false, _) => "booked",
            };
            let seed = SeedVisit {
                // Each provider's day starts with someone else.
                patient_id: people[(i + visit.provider.0 as usize * 3) % people.len()],
                reason_id: visit.reason,
                provider_id: visit.provider,
                status,
                starts_at: visit.starts_at,
            };
            demo_seed::insert_visit(conn, practice_id, visit.location, &seed, now).await?;
        }
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}
