//! A large practice for benchmarks: many providers on one reason, thousands of existing
//! appointments. Not part of the demo; created by `slotwise seed-bench`.

use crate::store::db::Db;
use crate::store::demo_seed;
use crate::store::seed::{self, NewPractice, NewReason};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use slotwise_shared::model::{ProviderId, ReasonId};

/// The benchmark practice's slug.
pub const BENCH_SLUG: &str = "bench-clinic";
/// Its one reason for visit.
pub const BENCH_REASON: &str = "Visit";

/// What was created.
#[derive(Clone, Debug)]
pub struct BenchPractice {
    pub reason_id: ReasonId,
    pub provider_ids: Vec<ProviderId>,
    pub appointments: i64,
}

/// Creates (or recreates nothing if present) the benchmark practice: `providers` providers
/// working Monday to Saturday 8:00–18:00, one 30-minute reason linked to all of them, and up
/// to `appointments` booked appointments spread over the next 90 days.
pub async fn seed_bench_practice(
    db: &Db,
    providers: usize,
    appointments: usize,
) -> anyhow::Result<BenchPractice> {
    let mut tx = db.begin_write().await?;
    if let Some(pid) = crate::store::practices::id_by_slug(&mut tx, BENCH_SLUG).await? {
        let (reason_id, provider_ids, appointments) =
            demo_seed::bench_practice(&mut tx, pid).await?;
        return Ok(BenchPractice {
            reason_id,
            provider_ids,
            appointments,
        });
    }
    let tz_name = "America/New_York";
    let now = Timestamp::now().as_second();
    let pid = seed::practice(
        &mut tx,
        &NewPractice {
            slug: BENCH_SLUG,
            name: "Benchmark Clinic",
            phone: "+1 415 510 0000",
            timezone: tz_name,
            accent_color: "#1d4ed8",
            hold_minutes: 10,
            existing_patients_only: false,
            confirmation_text: "",
            out_of_network_text: "",
            allowed_origins: "",
        },
        now,
    )
    .await?;
    let location = seed::location(&mut tx, pid, "Main", "1 Benchmark Way", tz_name).await?;
    let mut provider_ids = Vec::with_capacity(providers);
    for i in 0..providers {
        let id = seed::provider(
            &mut tx,
            pid,
            &format!("Provider {:02}", i + 1),
            "Clinician",
            "",
            i as i64,
        )
        .await?;
        for weekday in 1..=6 {
            seed::weekly_hours(&mut tx, pid, id, location, weekday, 8 * 60, 18 * 60).await?;
        }
        provider_ids.push(id);
    }
    let reason = NewReason {
        name: BENCH_REASON,
        description: "A 30-minute visit.",
        duration_min: 30,
        buffer_before_min: 0,
        buffer_after_min: 0,
        interval_min: 30,
        min_notice_min: 60,
        horizon_days: 90,
        eligibility: "both",
        operatory_kind: None,
    };
    let reason_id = seed::reason(&mut tx, pid, &reason, 0, &provider_ids).await?;

    // Existing appointments at pseudo-random aligned times inside working hours.
    let tz = TimeZone::get(tz_name)?;
    let today = Timestamp::now().to_zoned(tz.clone()).date();
    let mut state: u64 = 7;
    let mut next = |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    let mut created = 0i64;
    let mut taken = std::collections::HashSet::new();
    for _ in 0..appointments {
        let provider = provider_ids[next(provider_ids.len() as u64) as usize];
        let date = today.checked_add(jiff::Span::new().days(1 + next(89) as i64))?;
        if date.weekday() == jiff::civil::Weekday::Sunday {
            continue;
        }
        let half_hour = next(20) as i8;
        let start = date
            .at(8 + half_hour / 2, (half_hour % 2) * 30, 0, 0)
            .to_zoned(tz.clone())?
            .timestamp()
            .as_second();
        if !taken.insert((provider, start)) {
            continue;
        }
        demo_seed::insert_booked(&mut tx, pid, (provider, location, reason_id), start, now).await?;
        created += 1;
    }
    tx.commit().await?;
    Ok(BenchPractice {
        reason_id,
        provider_ids,
        appointments: created,
    })
}
