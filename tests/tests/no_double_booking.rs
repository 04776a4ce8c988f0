//! Races for one time: many clients at once, exactly one wins, the rest get 409 (never 5xx),
//! and the stored rows never overlap — on SQLite and on PostgreSQL.

use crate::common;
use crate::db_test;

use common::booking_request;
use futures::future::join_all;
use slotwise_server::store::appointments::overlapping_pairs;
use slotwise_shared::api::{HoldRequest, ProviderChoice};
use slotwise_shared::client::ApiClient;

const CLIENTS: usize = 64;

db_test! {
    async fn sixty_four_clients_holding_the_same_time_yield_exactly_one_hold(app) {
        let reason = app.reason("Checkup");
        let provider = app.provider("Dr. Maya Patel");
        let slot = app.free_slots(reason, ProviderChoice::Id(provider)).await.remove(0);
        let req = HoldRequest { reason, provider, start: slot.start, lang: None };
        let attempts = (0..CLIENTS).map(|_| {
            // A separate connection pool per client, like separate browsers.
            let client = ApiClient::new(app.client.base());
            let req = req.clone();
            tokio::spawn(async move { client.hold("demo", &req).await })
        });
        let results: Vec<_> = join_all(attempts).await.into_iter().map(|r| r.expect("task")).collect();
        let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let statuses: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).map(|e| e.status()).collect();
        assert_eq!(won.len(), 1, "exactly one client holds the time");
        assert!(statuses.iter().all(|s| *s == Some(409)), "the rest get 409: {statuses:?}");
        // The winner books; nobody else could.
        let booked = app.client.book("demo", "race-winner", &booking_request(&won[0].hold_token)).await;
        assert!(booked.is_ok());
        assert_eq!(overlapping_pairs(app.db()).await.expect("query"), 0);
    }
}

db_test! {
    async fn concurrent_holds_and_bookings_of_overlapping_times_never_overlap(app) {
        // Reasons of different lengths over the same first hours of one provider: many
        // distinct start times whose blocked spans overlap each other.
        let provider = app.provider("Dr. Maya Patel");
        let reasons = [app.reason("Checkup"), app.reason("Filling"), app.reason("Toothache or emergency")];
        let mut requests = Vec::new();
        for reason in reasons {
            let slots = app.free_slots(reason, ProviderChoice::Id(provider)).await;
            for s in slots.iter().take(8) {
                requests.push(HoldRequest { reason, provider, start: s.start, lang: None });
            }
        }
        let attempts = (0..CLIENTS).map(|i| {
            let client = ApiClient::new(app.client.base());
            let req = requests[i % requests.len()].clone();
            tokio::spawn(async move {
                match client.hold("demo", &req).await {
                    Ok(hold) => client
                        .book("demo", &format!("k{i}"), &booking_request(&hold.hold_token))
                        .await
                        .map(|_| 201)
                        .map_err(|e| e.status()),
                    Err(e) => Err(e.status()),
                }
            })
        });
        let results: Vec<_> = join_all(attempts).await.into_iter().map(|r| r.expect("task")).collect();
        let booked = results.iter().filter(|r| r.is_ok()).count();
        let refused: Vec<_> = results.iter().filter_map(|r| r.err()).collect();
        assert!(booked >= 2, "several non-overlapping times get booked, got {booked}");
        assert!(refused.iter().all(|s| *s == Some(409)), "losers get 409, never 5xx: {refused:?}");
        assert_eq!(overlapping_pairs(app.db()).await.expect("query"), 0);
    }
}

db_test! {
    async fn the_database_itself_refuses_an_overlapping_row(app) {
        // Bypass the application entirely: the trigger (SQLite) or the exclusion constraint
        // (PostgreSQL) must refuse a second blocking row over the same time.
        let (_, _hold) = app.hold_first_checkup().await;
        let copy = "INSERT INTO appointments (practice_id, provider_id, location_id, reason_id, status,
                starts_at, ends_at, block_start, block_end, created_at, updated_at)
             SELECT practice_id, provider_id, location_id, reason_id, 'booked', starts_at + 600,
                ends_at + 600, block_start + 600, block_end + 600, created_at, updated_at
             FROM appointments WHERE status = 'held'";
        let err = sqlx::query(copy).execute(&app.db().write).await.expect_err("overlap refused");
        assert!(slotwise_server::store::db::is_overlap(&err), "{err}");
        // A cancelled row may overlap: only blocking statuses count.
        sqlx::query(&copy.replace("'booked'", "'cancelled'")).execute(&app.db().write).await.expect("cancelled may overlap");
        // Nor may an update move a row onto another.
        sqlx::query("UPDATE appointments SET status = 'booked' WHERE status = 'cancelled'")
            .execute(&app.db().write).await.expect_err("update into overlap refused");
    }
}
