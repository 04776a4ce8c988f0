//! SQL of the day and week view: the practice's time off overlapping the days shown.

use slotwise_shared::model::{PracticeId, ProviderId};
use slotwise_shared::schedule::Span;
use sqlx::FromRow;

use super::db::Db;

/// Most time-off rows one view reads.
pub const MAX_TIME_OFF: i64 = 500;

/// A provider's time off.
#[derive(Clone, Debug, FromRow)]
pub struct TimeOffRow {
    pub provider_id: ProviderId,
    pub starts_at: i64,
    pub ends_at: i64,
    pub label: String,
}

/// Time off overlapping `span`, by start (at most [`MAX_TIME_OFF`]).
pub async fn time_off_between(
    db: &Db,
    practice_id: PracticeId,
    span: Span,
) -> Result<Vec<TimeOffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT provider_id, starts_at, ends_at, label FROM time_off
         WHERE practice_id = $1 AND starts_at < $2 AND ends_at > $3
         ORDER BY starts_at, id LIMIT $4",
    )
    .bind(practice_id)
    .bind(span.end)
    .bind(span.start)
    .bind(MAX_TIME_OFF)
    .fetch_all(&db.read)
    .await
}
