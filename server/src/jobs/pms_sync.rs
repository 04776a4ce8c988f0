//! The periodic job of practices with an outside schedule of record: read their busy time
//! (merged into availability), record the connection's health, and once it answers, write the
//! cancellations and moves made here meanwhile and retry the bookings queued while it did not.

use super::queue_retry::retry_practice;
use crate::booking::outside_changes::push_due;
use crate::clock::now_seconds;
use crate::state::AppState;
use crate::store::outside_changes::unconfirmed;
use crate::store::pms as store;
use crate::store::refill;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;

/// Days ahead whose busy time is read.
const DAYS_AHEAD: i64 = 90;

/// One round over every connected practice. Safe on several instances at once: busy time is
/// replaced as a whole, and each queued booking is claimed before it is retried.
pub async fn sync_all(state: &AppState) {
    let connections = match store::outside_connections(&state.db).await {
        Ok(c) => c,
        Err(err) => {
            tracing::warn!(error = %err, "could not read practice-system connections");
            return;
        }
    };
    for row in connections {
        if let Err(err) = sync_practice(state, &row).await {
            tracing::warn!(practice = row.practice_id.0, error = %err, "practice-system sync failed");
        }
    }
}

/// Reads one practice's busy time and, when its system answered, retries its queue.
pub async fn sync_practice(state: &AppState, row: &store::ConnectionRow) -> anyhow::Result<()> {
    let db = &state.db;
    let practice_id = row.practice_id;
    let system = state.pms.system(row);
    let providers = store::provider_external_ids(db, practice_id).await?;
    let now = now_seconds();
    let (from, to) = (now - 86_400, now + DAYS_AHEAD * 86_400);
    match system.busy(&providers, from, to).await {
        Err(err) => {
            store::record_health(db, practice_id, Some(&err.describe()), now).await?;
        }
        Ok(spans) => {
            store::record_health(db, practice_id, None, now).await?;
            let changed = db
                .write(write_unit!(|conn| {
                    // Our own appointments block here already, except the old time of one
                    // whose cancel or move the practice system has not taken yet: read in
                    // this unit, so a change recorded meanwhile is not missed.
                    let keep = unconfirmed(conn, practice_id).await?;
                    let spans: Vec<_> = spans
                        .iter()
                        .filter(|b| b.ours.as_ref().is_none_or(|id| keep.contains(id)))
                        .map(|b| b.span)
                        .collect();
                    let gone = store::replace_busy(conn, practice_id, from, to, &spans).await?;
                    // A visit cancelled or moved in the practice system frees its time here:
                    // the waitlist may refill it.
                    for &(provider, start, end) in gone.iter().flatten() {
                        refill::note_freed(conn, practice_id, provider, (start, end), now).await?;
                    }
                    Ok(WriteOutcome::Commit(gone.is_some()))
                }))
                .await?;
            if changed {
                state.slots_cache.changed(practice_id);
            }
            push_due(db, &state.pms, practice_id).await?;
            retry_practice(state, practice_id).await?;
        }
    }
    Ok(())
}
