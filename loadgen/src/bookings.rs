//! Complete bookings (hold + book) with many concurrent clients, over distinct free times.

use crate::report::{line, Latencies};
use jiff::civil::Date;
use slotwise_shared::api::{
    BookingRequest, HoldRequest, InsuranceChoice, PatientDetails, ProviderChoice, SlotsParams,
};
use slotwise_shared::client::ApiClient;
use slotwise_shared::model::{PatientType, ProviderId, ReasonId};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Every free time of every provider of the reason over the booking horizon.
async fn free_times(
    client: &ApiClient,
    slug: &str,
    reason: ReasonId,
) -> anyhow::Result<Vec<HoldRequest>> {
    let config = client.booking_config(slug).await?;
    let providers = config
        .reasons
        .iter()
        .find(|r| r.id == reason)
        .map(|r| r.provider_ids.clone())
        .unwrap_or_default();
    let today = jiff::Zoned::now().date();
    let mut out = Vec::new();
    for provider in providers {
        for window in 0..3 {
            let from: Date = today.checked_add(jiff::Span::new().days(1 + window * 31))?;
            let params = SlotsParams {
                reason,
                provider: ProviderChoice::Id(provider),
                patient: None,
                location: None,
                from: Some(from),
                days: Some(31),
                lang: None,
            };
            let slots = client.slots(slug, &params).await?;
            out.extend(
                slots
                    .days
                    .into_iter()
                    .flat_map(|d| d.slots)
                    .map(|s| HoldRequest {
                        reason,
                        provider: ProviderId(s.provider.0),
                        start: s.start,
                        lang: None,
                    }),
            );
        }
    }
    // Interleave providers and days so concurrent clients do not queue on one provider.
    let mut state = 99u64;
    for i in (1..out.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        out.swap(i, (state >> 33) as usize % (i + 1));
    }
    Ok(out)
}

fn booking(hold_token: String, n: usize) -> BookingRequest {
    BookingRequest {
        hold_token,
        patient_type: PatientType::New,
        patient: PatientDetails {
            first_name: "Load".into(),
            last_name: format!("Tester{}", "x".repeat(n % 3)),
            date_of_birth: "1990-01-01".into(),
            // A number that can exist (San Francisco, exchanges 200–999): bookings check it.
            phone: format!("+1415{:07}", 2_000_000 + n % 8_000_000),
            email: format!("load{n}@example.com"),
            pet: None,
        },
        insurance: InsuranceChoice::SelfPay,
        notes: None,
        referral: None,
        verified: None,
        link: None,
        lang: None,
    }
}

pub async fn run(
    base: &str,
    slug: &str,
    reason: i64,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<String> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let client = ApiClient::with_http(base, http);
    let times = Arc::new(free_times(&client, slug, ReasonId(reason)).await?);
    anyhow::ensure!(!times.is_empty(), "no free times to book");
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let slug = Arc::new(slug.to_string());
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, times, next, slug) = (
                client.clone(),
                Arc::clone(&times),
                Arc::clone(&next),
                Arc::clone(&slug),
            );
            tokio::spawn(async move {
                let (mut lat, mut conflicts, mut errors) = (Vec::new(), 0u64, 0u64);
                while Instant::now() < deadline {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(req) = times.get(i) else { break };
                    let t = Instant::now();
                    let result = match client.hold(&slug, req).await {
                        Ok(hold) => client
                            .book(
                                &slug,
                                &format!("load-{i}-{}", req.start),
                                &booking(hold.hold_token, i),
                            )
                            .await
                            .map(drop),
                        Err(e) => Err(e),
                    };
                    match result {
                        Ok(()) => lat.push(t.elapsed()),
                        Err(e) if e.status() == Some(409) => conflicts += 1,
                        Err(_) => errors += 1,
                    }
                }
                (lat, conflicts, errors)
            })
        })
        .collect();
    let (mut all, mut conflicts, mut errors) = (Latencies::default(), 0, 0);
    for t in tasks {
        let (lat, c, e) = t.await?;
        all.0.extend(lat);
        conflicts += c;
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n = all.0.len();
    Ok(line(&[
        ("bookings", n.to_string()),
        ("conflicts", conflicts.to_string()),
        ("errors", errors.to_string()),
        ("per_second", format!("{:.0}", n as f64 / elapsed)),
        ("p50_ms", format!("{:.2}", all.percentile_ms(50.0))),
        ("p95_ms", format!("{:.2}", all.percentile_ms(95.0))),
        ("candidates", times.len().to_string()),
    ]))
}
