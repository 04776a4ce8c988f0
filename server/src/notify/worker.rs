//! The outbox worker: claims due messages, delivers them concurrently, takes back messages
//! whose worker died mid-delivery. Any number of instances may run one (claims never overlap).

use super::delivery::Deliverer;
use crate::booking::now_seconds;
use crate::store::outbox::{claim_due, reclaim_lapsed_leases};
use std::sync::Arc;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Wakes the worker when a change queued messages, so confirmations go out at once.
#[derive(Clone, Debug, Default)]
pub struct OutboxWake(Arc<Notify>);

impl OutboxWake {
    /// Tells the worker there may be new messages.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Starts a worker. Dropping or aborting the handle stops it at once — even mid-delivery,
/// which the next worker treats as an attempt with an unknown outcome.
pub fn spawn(deliverer: Deliverer, wake: OutboxWake) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let worked = match run_once(&deliverer).await {
                Ok(n) => n,
                Err(err) => {
                    tracing::warn!(error = %err, "outbox worker could not reach the database");
                    0
                }
            };
            if worked == 0 {
                tokio::select! {
                    _ = wake.0.notified() => {}
                    _ = tokio::time::sleep(deliverer.settings.poll) => {}
                }
            }
        }
    })
}

/// One round: take back lapsed claims, claim a batch, deliver it. Returns how many messages
/// were attempted.
pub async fn run_once(deliverer: &Deliverer) -> Result<usize, sqlx::Error> {
    let now = now_seconds();
    let reclaimed = reclaim_lapsed_leases(&deliverer.db, now).await?;
    if reclaimed > 0 {
        tracing::warn!(messages = reclaimed, "took back messages whose delivery was interrupted");
    }
    let lease = i64::try_from(deliverer.settings.lease.as_secs()).unwrap_or(60).max(1);
    let claimed = claim_due(&deliverer.db, now, now + lease, deliverer.settings.batch).await?;
    let count = claimed.len();
    let attempts = claimed.into_iter().map(|m| {
        let d = deliverer.clone();
        async move {
            let id = m.id;
            if let Err(err) = d.deliver(m).await {
                // The claim stays until its lease runs out; the message is then tried again.
                tracing::warn!(message = id, error = %err, "could not record a delivery attempt");
            }
        }
    });
    futures::future::join_all(attempts).await;
    Ok(count)
}
