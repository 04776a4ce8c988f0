//! Background work of every server instance. Each job is idempotent, so running it on
//! several instances at once is harmless. Jobs sit above the domain areas: they hold the
//! application state and call into booking, practice systems and automations.

pub mod forget_codes;
pub mod pms_sync;
pub mod queue_retry;
pub mod scheduler;

use crate::clock::now_seconds;
use crate::state::AppState;
use crate::store::appointments::expire_all_lapsed_holds;
use crate::store::booking_queue::expire_due;
use crate::store::idempotency::purge_old;
use crate::store::patients::purge_expired;
use crate::store::staff::delete_expired_sessions;
use std::time::Duration;

/// How often lapsed holds are swept (and old idempotency records purged).
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Starts the background jobs.
pub fn spawn(state: AppState) {
    if state.config.automations {
        scheduler::spawn(state.clone());
    }
    let pms_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(pms_state.config.pms_sync_every);
        loop {
            tick.tick().await;
            pms_sync::sync_all(&pms_state).await;
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            match expire_all_lapsed_holds(&state.db, now_seconds()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(expired = n, "released lapsed holds"),
                Err(err) => tracing::warn!(error = %err, "could not release lapsed holds"),
            }
            if let Err(err) = purge_old(&state.db, now_seconds()).await {
                tracing::warn!(error = %err, "could not purge old idempotency records");
            }
            state.limiter.forget_quiet_clients(now_seconds());
            state.logins.forget_quiet_clients();
            state.slots_limiter.forget_quiet_clients();
            state.slots_cache.purge_expired();
            state.decoys.forget_old(now_seconds());
            if let Err(err) = delete_expired_sessions(&state.db, now_seconds()).await {
                tracing::warn!(error = %err, "could not delete expired staff sessions");
            }
            if let Err(err) = purge_expired(&state.db, now_seconds()).await {
                tracing::warn!(error = %err, "could not purge patient codes and sessions");
            }
            let ended = now_seconds() - 86_400;
            if let Err(err) = crate::store::broadcasts::expire_extra_tokens(&state.db, ended).await
            {
                tracing::warn!(error = %err, "could not expire broadcast links");
            }
            if let Err(err) = forget_codes::forget_codes(&state.db, now_seconds()).await {
                tracing::warn!(error = %err, "could not forget delivered one-time codes");
            }
            match expire_due(&state.db, now_seconds()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "booking-queue entries expired"),
                Err(err) => tracing::warn!(error = %err, "could not expire booking-queue entries"),
            }
            match crate::store::waitlist::expire_due(&state.db, now_seconds()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "waitlist entries expired"),
                Err(err) => tracing::warn!(error = %err, "could not expire waitlist entries"),
            }
        }
    });
}
