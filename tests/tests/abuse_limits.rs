//! Abuse limits on the public API: the free-times answer cache stays within its byte budget
//! and drops what is past its TTL, free-times queries are limited per client, and replaying a
//! booking gives back no live-hold place.

use crate::common::{booking_request, Engine, TestApp};
use crate::db_test;
use jiff::ToSpan;
use slotwise_shared::api::{HoldRequest, ProviderChoice};
use slotwise_shared::paths;
use std::time::Duration;

/// `GET slots` for the demo practice's checkups from `from` (YYYY-MM-DD) for `days` days.
fn slots_path(app: &TestApp, from: &str, days: i64) -> String {
    format!(
        "{}?reason={}&provider=any&from={from}&days={days}",
        paths::slots("demo"),
        app.reason("Checkup")
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_thousand_distinct_free_times_queries_stay_within_the_cache_budget() {
    const BUDGET: usize = 256 * 1024;
    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        c.slots_cache_bytes = BUDGET;
        // Nothing runs out during the test: only the byte budget bounds the cache.
        c.slots_cache_ttl = Duration::from_secs(600);
    })
    .await
    .expect("app");
    let cache = &app.server.state.slots_cache;
    // Past the booking horizon the answers are small and quick: 100 dates × 30 lengths.
    let first = jiff::Zoned::now().date() + 400.days();
    let mut answered = 0usize;
    for i in 0..100 {
        let from = (first + i.days()).to_string();
        for days in 1..=30 {
            let answer = app
                .client
                .raw("GET", &slots_path(&app, &from, days), &[], None)
                .await
                .expect("slots");
            assert_eq!(answer.status, 200, "{}", answer.body);
            answered += answer.body.len();
        }
        assert!(cache.bytes() <= BUDGET, "{} bytes held", cache.bytes());
    }
    let (held, entries) = (cache.bytes(), cache.len());
    eprintln!("3000 queries: {answered} bytes of JSON answered, cache holds {held} bytes in {entries} entries");
    assert!(held <= BUDGET && held > BUDGET / 2, "{held} of {BUDGET}");
    assert!(entries > 0 && entries < 3_000, "{entries} entries kept");
    assert!(
        answered > 4 * BUDGET,
        "the answers were more than the budget"
    );
    app.finish().await;
}

db_test! {
    async fn a_free_times_answer_past_its_ttl_is_neither_served_nor_kept(app) {
        // The test server keeps answers for the default 2 s.
        let cache = &app.server.state.slots_cache;
        let reason = app.reason("Checkup");
        let provider = app.provider("Dr. Maya Patel");
        let free = app.free_slots(reason, ProviderChoice::Id(provider)).await;
        let first = free.first().expect("a free time").clone();
        assert_eq!(cache.len(), 1);
        assert!(cache.bytes() > 0);
        // The practice system reports the time busy; this instance's cache does not know.
        let (start, end) = (first.start.as_second(), first.start.as_second() + 30 * 60);
        slotwise_server::store::pms::add_busy(app.db(), app.demo.practice_id, provider, start, end)
            .await
            .expect("busy");
        let cached = app.free_slots(reason, ProviderChoice::Id(provider)).await;
        assert_eq!(cached.first().map(|s| s.start), Some(first.start), "served from the cache");
        tokio::time::sleep(Duration::from_millis(2_100)).await;
        cache.purge_expired();
        assert_eq!((cache.len(), cache.bytes()), (0, 0), "the expired answer was dropped");
        let fresh = app.free_slots(reason, ProviderChoice::Id(provider)).await;
        assert!(!fresh.iter().any(|s| s.start == first.start), "the busy time is no longer offered");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_times_queries_past_a_clients_budget_answer_429_and_others_are_unaffected() {
    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        c.slots_rate_per_minute = 5;
        c.trust_forwarded_for = true;
    })
    .await
    .expect("app");
    let today = jiff::Zoned::now().date().to_string();
    let path = slots_path(&app, &today, 7);
    let get = |client: &'static str| {
        let path = path.clone();
        let http = &app.client;
        async move {
            let forwarded = format!("10.1.1.1, {client}");
            http.raw(
                "GET",
                &path,
                &[("x-forwarded-for", forwarded.as_str())],
                None,
            )
            .await
            .expect("request")
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(get("203.0.113.7").await.status);
    }
    assert_eq!(statuses, [200; 5]);
    let refused = get("203.0.113.7").await;
    assert_eq!(refused.status, 429);
    let body: serde_json::Value = serde_json::from_str(&refused.body).expect("json error");
    assert_eq!(body["code"], "rate_limited");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    let retry_after: u64 = refused
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=12).contains(&retry_after), "{retry_after}");
    assert_eq!(
        get("198.51.100.2").await.status,
        200,
        "another client has its own budget"
    );
    // Without the header the client is the peer (127.0.0.1): a third budget.
    let direct = app
        .client
        .raw("GET", &path, &[], None)
        .await
        .expect("request");
    assert_eq!(direct.status, 200);
    app.finish().await;
}

/// With a cap of 2 live holds: book once, then replay that booking (same key) before each of
/// three holds; the third hold is refused. Then more replays (and a refused reuse of the key)
/// still give back nothing.
async fn replayed_bookings_cannot_exceed_the_hold_cap(engine: Engine) {
    let Some(app) = TestApp::spawn_with(engine, |c| c.max_live_holds_per_client = 2).await else {
        return;
    };
    let reason = app.reason("Checkup");
    let slots = app.free_slots(reason, ProviderChoice::Any).await;
    let hold_at = |i: usize| HoldRequest {
        reason,
        provider: slots[i * 8].provider,
        start: slots[i * 8].start,
        lang: None,
    };
    let hold = app.client.hold("demo", &hold_at(0)).await.expect("hold");
    let request = booking_request(&hold.hold_token);
    let booked = app
        .client
        .book("demo", "replayed", &request)
        .await
        .expect("book");
    let hold_status = |i: usize| {
        let req = hold_at(i);
        let client = &app.client;
        async move {
            let result = client.hold("demo", &req).await;
            result.err().map_or(201, |e| e.status().unwrap_or(0))
        }
    };
    let mut statuses = Vec::new();
    for i in 1..=3 {
        let again = app
            .client
            .book("demo", "replayed", &request)
            .await
            .expect("replay");
        assert_eq!(
            again.manage_token, booked.manage_token,
            "a replay answers the first booking"
        );
        statuses.push(hold_status(i).await);
    }
    assert_eq!(statuses, [201, 201, 429], "replays gave back no hold place");
    for _ in 0..3 {
        app.client
            .book("demo", "replayed", &request)
            .await
            .expect("replay");
    }
    let mut other = request.clone();
    other.notes = Some("another body".into());
    let reused = app
        .client
        .book("demo", "replayed", &other)
        .await
        .expect_err("key reused");
    assert_eq!(reused.status(), Some(422));
    assert_eq!(
        hold_status(4).await,
        429,
        "neither replays nor a refusal give back a place"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_bookings_cannot_exceed_the_hold_cap_on_sqlite() {
    replayed_bookings_cannot_exceed_the_hold_cap(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_bookings_cannot_exceed_the_hold_cap_on_postgres() {
    replayed_bookings_cannot_exceed_the_hold_cap(Engine::Postgres).await;
}
