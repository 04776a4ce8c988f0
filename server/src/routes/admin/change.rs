//! One staff change: its writes and its audit-log line in one transaction, then the cached
//! catalog and free times of the practice are forgotten so patients see it at once.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::staff;
use crate::write_batch::{BoxFuture, WriteOutcome};
use slotwise_shared::model::PracticeId;
use sqlx::AnyConnection;

/// What a change's writes produced: the answer and the audit target (ids, never names), or
/// a refusal that rolls everything back.
pub type Changed<T> = Result<(T, String), ApiError>;

/// Runs `work` with the audit line `action` for the caller; on success forgets caches.
pub async fn apply<T, F>(
    state: &AppState,
    auth: &PracticeAuth,
    action: &'static str,
    work: F,
) -> ApiResult<T>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<Changed<T>, sqlx::Error>>
        + Send
        + 'static,
{
    let (practice_id, actor) = (auth.practice_id, auth.actor.clone());
    let outcome = state
        .db
        .write(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
            Box::pin(async move {
                match work(conn).await? {
                    Ok((value, target)) => {
                        staff::audit(conn, practice_id, &actor, action, &target, now_seconds())
                            .await?;
                        Ok(WriteOutcome::Commit(Ok(value)))
                    }
                    Err(refusal) => Ok(WriteOutcome::Rollback(Err(refusal))),
                }
            })
        })
        .await
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                ApiError::conflict("Something with this name was just added. Reload and try again.")
            } else {
                ApiError::from(e)
            }
        })?;
    if outcome.is_ok() {
        state.catalogs.invalidate(&auth.slug);
        state.slots_cache.changed(PracticeId(auth.practice_id));
    }
    outcome
}

/// Writes an audit line on its own, for changes whose writes live elsewhere.
pub async fn record(
    state: &AppState,
    auth: &PracticeAuth,
    action: &'static str,
    target: String,
) -> ApiResult<()> {
    let (practice_id, actor) = (auth.practice_id, auth.actor.clone());
    state
        .db
        .write(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
            Box::pin(async move {
                staff::audit(conn, practice_id, &actor, action, &target, now_seconds()).await?;
                Ok(WriteOutcome::Commit(()))
            })
        })
        .await?;
    Ok(())
}
