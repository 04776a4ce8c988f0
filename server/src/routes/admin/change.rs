//! One staff change: its writes and its audit-log line in one transaction, then the cached
//! catalog and free times of the practice are forgotten so patients see it at once.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::staff;
use crate::store::write_batch::{BoxFuture, WriteOutcome};
use crate::write_unit;
use sqlx::AnyConnection;

/// What a change's writes produced: the answer and the audit target (ids, never names), or
/// a refusal that rolls everything back.
pub type Changed<T> = Result<(T, String), ApiError>;

/// The writes went through: `value` is the answer, `target` the audit line's target.
pub fn done<T>(value: T, target: impl Into<String>) -> Result<Changed<T>, sqlx::Error> {
    Ok(Ok((value, target.into())))
}

/// The change is refused: its writes roll back and `why` is the answer.
pub fn refuse<T>(why: ApiError) -> Result<Changed<T>, sqlx::Error> {
    Ok(Err(why))
}

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
        .write(write_unit!(|conn| {
            match work(conn).await? {
                Ok((value, target)) => {
                    staff::audit(conn, practice_id, &actor, action, &target, now_seconds()).await?;
                    Ok(WriteOutcome::Commit(Ok(value)))
                }
                Err(refusal) => Ok(WriteOutcome::Rollback(Err(refusal))),
            }
        }))
        .await
        .map_err(|e| {
            if crate::store::db::is_unique_violation(&e) {
                ApiError::conflict("Something with this name was just added. Reload and try again.")
            } else {
                ApiError::from(e)
            }
        })?;
    if outcome.is_ok() {
        state.catalogs.invalidate(&auth.slug);
        state.slots_cache.changed(auth.practice_id);
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
        .write(write_unit!(|conn| {
            staff::audit(conn, practice_id, &actor, action, &target, now_seconds()).await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    Ok(())
}
