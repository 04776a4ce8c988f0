//! The outbox worker: claims due messages and delivers them concurrently, up to a limit, so a
//! slow provider never holds up other messages; takes back messages whose worker died
//! mid-delivery. Any number of instances may run one (claims never overlap).

use super::delivery::Deliverer;
use crate::clock::now_seconds;
use crate::store::outbox::{claim_due, reclaim_lapsed_leases, ClaimedMessage};
use std::sync::Arc;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// Wakes the worker when a change queued messages, so confirmations go out at once.
#[derive(Clone, Debug, Default)]
pub struct OutboxWake(Arc<Notify>);

impl OutboxWake {
    /// Tells the worker there may be new messages.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Starts a worker. Aborting the handle stops it at once, deliveries in flight included (they
/// belong to the worker's task set), which the next worker treats as attempts with an unknown
/// outcome — just as if the process had died.
pub fn spawn(deliverer: Deliverer, wake: OutboxWake) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut in_flight = JoinSet::new();
        let limit = usize::try_from(deliverer.settings.batch.max(1)).unwrap_or(16);
        loop {
            while in_flight.try_join_next().is_some() {}
            let free = limit.saturating_sub(in_flight.len());
            let claimed = if free == 0 {
                Vec::new()
            } else {
                match claim(&deliverer, free).await {
                    Ok(claimed) => claimed,
                    Err(err) => {
                        tracing::warn!(error = %err, "outbox worker could not reach the database");
                        Vec::new()
                    }
                }
            };
            let idle = claimed.is_empty();
            for message in claimed {
                let d = deliverer.clone();
                in_flight.spawn(async move {
                    let id = message.id;
                    if let Err(err) = d.deliver(message).await {
                        // The claim stays until its lease runs out; then it is tried again.
                        tracing::warn!(message = id, error = %err, "could not record a delivery attempt");
                    }
                });
            }
            if idle {
                tokio::select! {
                    _ = wake.0.notified() => {}
                    _ = tokio::time::sleep(deliverer.settings.poll) => {}
                    Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
                }
            }
        }
    })
}

/// Takes back lapsed claims, then claims up to `limit` due messages.
async fn claim(deliverer: &Deliverer, limit: usize) -> Result<Vec<ClaimedMessage>, sqlx::Error> {
    let now = now_seconds();
    let reclaimed = reclaim_lapsed_leases(&deliverer.db, now).await?;
    if reclaimed > 0 {
        tracing::warn!(
            messages = reclaimed,
            "took back messages whose delivery was interrupted"
        );
    }
    let lease = i64::try_from(deliverer.settings.lease().as_secs())
        .unwrap_or(60)
        .max(1);
    let limit = i64::try_from(limit).unwrap_or(16);
    claim_due(&deliverer.db, now, now + lease, limit).await
}
