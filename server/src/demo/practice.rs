//! The demo practice: a two-location dental clinic with four providers, six reasons for visit
//! (one for new patients only, two for returning patients only), weekly hours, a block-off and
//! eight insurance carriers. Creating it again changes nothing but the allowed origins.

use crate::store::db::Db;
use crate::store::seed::{self, NewPractice, NewReason};
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use slotwise_shared::model::{CarrierId, LocationId, PracticeId, ProviderId, ReasonId};
use std::collections::BTreeMap;

/// The demo's slug.
pub const DEMO_SLUG: &str = "brightside-dental";

/// Ids of what was created, by name.
#[derive(Clone, Debug, Default)]
pub struct SeededPractice {
    pub practice_id: PracticeId,
    pub slug: String,
    pub created: bool,
    pub providers: BTreeMap<String, ProviderId>,
    pub reasons: BTreeMap<String, ReasonId>,
    pub carriers: BTreeMap<String, CarrierId>,
}

/// The demo practices' timezone.
pub const TZ: &str = "America/New_York";

/// Creates the demo practice under `slug` unless it exists; either way sets its allowed
/// embed origins.
pub async fn seed_demo_practice(
    db: &Db,
    slug: &str,
    name: &str,
    allowed_origins: &[String],
) -> anyhow::Result<SeededPractice> {
    let origins = allowed_origins.join(" ");
    let mut tx = db.begin_write().await?;
    if let Some(id) = crate::store::practices::id_by_slug(&mut tx, slug).await? {
        seed::set_allowed_origins(&mut tx, id, &origins).await?;
        tx.commit().await?;
        return Ok(SeededPractice {
            practice_id: id,
            slug: slug.to_string(),
            ..Default::default()
        });
    }
    let now = Timestamp::now().as_second();
    let pid = seed::practice(
        &mut tx,
        &NewPractice {
            slug,
            name,
            phone: "+1 415 510 2030",
            timezone: TZ,
            accent_color: "#0f766e",
            hold_minutes: 10,
            existing_patients_only: false,
            confirmation_text: "Thank you for booking with us! Please arrive 10 minutes early and bring your insurance card and a photo ID.",
            out_of_network_text: "We're not in network with your plan, but you're welcome to book as self-pay. We'll give you an itemised receipt to send to your insurer.",
            allowed_origins: &origins,
        },
        now,
    )
    .await?;
    let mut out = SeededPractice {
        practice_id: pid,
        slug: slug.to_string(),
        created: true,
        ..Default::default()
    };

    let downtown =
        seed::location(&mut tx, pid, "Downtown", "120 Main Street, Springfield", TZ).await?;
    let riverside =
        seed::location(&mut tx, pid, "Riverside", "45 River Road, Springfield", TZ).await?;
    seed::operatory(&mut tx, pid, downtown, "Chair 1", "chair").await?;
    seed::operatory(&mut tx, pid, downtown, "Chair 2", "chair").await?;
    seed::operatory(&mut tx, pid, downtown, "Hygiene room", "hygiene").await?;
    seed::operatory(&mut tx, pid, riverside, "Chair A", "chair").await?;
    seed::operatory(&mut tx, pid, riverside, "Hygiene room", "hygiene").await?;

    let people = [
        (
            "Dr. Maya Patel",
            "Dentist",
            "Family dentistry with a gentle touch; 12 years in Springfield.",
        ),
        (
            "Dr. James Okafor",
            "Dentist",
            "Restorative and cosmetic dentistry. Loves a nervous patient.",
        ),
        (
            "Lena Fischer",
            "Dental hygienist",
            "Cleanings, gum care and honest flossing advice.",
        ),
        (
            "Sam Rivera",
            "Dental hygienist",
            "Hygiene visits for kids and grown-ups alike.",
        ),
    ];
    let mut ids = Vec::new();
    for (i, (who, role, bio)) in people.iter().enumerate() {
        let id = seed::provider(&mut tx, pid, who, role, bio, i as i64).await?;
        out.providers.insert(who.to_string(), id);
        ids.push(id);
    }
    let [patel, okafor, fischer, rivera] = [ids[0], ids[1], ids[2], ids[3]];
    let h = |hh: i64, mm: i64| hh * 60 + mm;
    // (provider, location, weekdays, from, to)
    let hours: [(ProviderId, LocationId, &[i64], i64, i64); 8] = [
        (patel, downtown, &[1, 2, 3, 4], h(8, 0), h(12, 0)),
        (patel, downtown, &[1, 2, 3, 4], h(13, 0), h(17, 0)),
        (patel, riverside, &[5], h(8, 0), h(13, 0)),
        (okafor, riverside, &[2, 3, 4, 5], h(9, 0), h(17, 0)),
        (okafor, downtown, &[6], h(9, 0), h(13, 0)),
        (fischer, downtown, &[1, 2, 3, 4, 5], h(8, 0), h(16, 0)),
        (rivera, riverside, &[1, 3, 5], h(10, 0), h(18, 0)),
        (rivera, downtown, &[2], h(8, 0), h(14, 0)),
    ];
    for (provider, location, days, from, to) in hours {
        for day in days {
            seed::weekly_hours(&mut tx, pid, provider, location, *day, from, to).await?;
        }
    }
    // Dr. Patel is at a course next Wednesday afternoon.
    let tz = TimeZone::get(TZ)?;
    let today = Timestamp::now().to_zoned(tz.clone()).date();
    let wednesday = today.nth_weekday(1, Weekday::Wednesday)?;
    let course = wednesday.at(13, 0, 0, 0).to_zoned(tz)?;
    let course_start = course.timestamp().as_second();
    let course_end = course.checked_add(4.hours())?.timestamp().as_second();
    seed::time_off(
        &mut tx,
        pid,
        patel,
        course_start,
        course_end,
        "Continuing education",
    )
    .await?;

    let reason =
        |name, description, duration_min, buffer_after_min, eligibility, operatory_kind| {
            NewReason {
                name,
                description,
                duration_min,
                buffer_before_min: 0,
                buffer_after_min,
                interval_min: 15,
                min_notice_min: 120,
                horizon_days: 90,
                eligibility,
                operatory_kind,
            }
        };
    let reasons = [
        (
            reason(
                "New patient exam & cleaning",
                "A full exam, X-rays if needed, and a cleaning.",
                60,
                10,
                "new",
                Some("chair"),
            ),
            vec![patel, okafor],
        ),
        (
            reason(
                "Cleaning",
                "Your regular hygiene visit.",
                45,
                10,
                "returning",
                Some("hygiene"),
            ),
            vec![fischer, rivera],
        ),
        (
            reason(
                "Checkup",
                "A quick look to keep things healthy.",
                30,
                0,
                "both",
                None,
            ),
            vec![patel, okafor],
        ),
        (
            NewReason {
                min_notice_min: 60,
                horizon_days: 14,
                ..reason(
                    "Toothache or emergency",
                    "Pain, swelling or a broken tooth: we'll see you soon.",
                    30,
                    10,
                    "both",
                    None,
                )
            },
            vec![patel, okafor],
        ),
        (
            reason(
                "Whitening consultation",
                "Talk through whitening options and costs.",
                30,
                0,
                "both",
                None,
            ),
            vec![okafor],
        ),
        (
            NewReason {
                buffer_before_min: 10,
                ..reason(
                    "Filling",
                    "A filling your dentist has recommended.",
                    60,
                    10,
                    "returning",
                    Some("chair"),
                )
            },
            vec![patel, okafor],
        ),
    ];
    for (i, (r, providers)) in reasons.iter().enumerate() {
        let id = seed::reason(&mut tx, pid, r, i as i64, providers).await?;
        out.reasons.insert(r.name.to_string(), id);
    }
    let carriers = [
        ("Aetna", true),
        ("Blue Cross Blue Shield", true),
        ("Cigna", true),
        ("Delta Dental", true),
        ("Guardian", false),
        ("Humana", false),
        ("MetLife", true),
        ("UnitedHealthcare", false),
    ];
    for (i, (carrier, required)) in carriers.iter().enumerate() {
        let id = seed::carrier(&mut tx, pid, carrier, *required, i as i64).await?;
        out.carriers.insert(carrier.to_string(), id);
    }
    tx.commit().await?;
    Ok(out)
}
