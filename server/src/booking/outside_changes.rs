//! Cancellations and moves of appointments that live in an outside schedule of record, written
//! there after the change committed here. The change itself records a `pms_changes` row in its
//! unit of writes (`store::outside_changes::record`); `wake` tries it at once in the
//! background (the patient never waits for the practice system), and the practice-system job
//! retries what is still due with backoff until the practice system takes it.

use crate::clock::now_seconds;
use crate::pms::{OutsideMove, OutsideRef, PmsClient, PmsError, PracticeSystem};
use crate::store::db::Db;
use crate::store::outside_changes::{self as store, ChangeRow, Outcome};
use crate::store::pms::record_health;
use slotwise_shared::model::PracticeId;

/// Longest wait between two attempts of a change.
const MAX_BACKOFF_SECONDS: i64 = 3_600;
/// A change the practice system keeps answering "conflict" to is left to staff after this many.
const MAX_CONFLICTS: i64 = 10;

/// Writes the practice's due changes in the background (after a cancel or move committed).
pub fn wake(db: &Db, pms: &PmsClient, practice_id: PracticeId) {
    let (db, pms) = (db.clone(), pms.clone());
    tokio::spawn(async move {
        if let Err(err) = push_due(&db, &pms, practice_id).await {
            tracing::warn!(practice = practice_id.0, error = %err, "could not write changes to the practice system");
        }
    });
}

/// Writes every due change of a practice to its outside system (none when it has none).
pub async fn push_due(
    db: &Db,
    pms: &PmsClient,
    practice_id: PracticeId,
) -> Result<(), sqlx::Error> {
    let Some(system) = pms.outside_system(db, practice_id).await? else {
        return Ok(());
    };
    let now = now_seconds();
    for change in store::due(db, practice_id, now).await? {
        let until = now + i64::try_from(pms.timeout.as_secs()).unwrap_or(60) + 60;
        if !store::claim(db, practice_id, change.id, now, until).await? {
            continue;
        }
        let written = push(system.as_ref(), &change).await;
        let health = match &written {
            Ok(()) | Err(PmsError::Conflict(_)) => None,
            Err(e) => Some(e.describe()),
        };
        record_health(db, practice_id, health.as_deref(), now_seconds()).await?;
        let attempts = change.attempts + 1;
        let outcome = match written {
            Ok(()) => Outcome::Done,
            Err(PmsError::Rejected(why)) => Outcome::Failed(PmsError::Rejected(why).describe()),
            Err(PmsError::Conflict(why)) if attempts >= MAX_CONFLICTS => {
                Outcome::Failed(PmsError::Conflict(why).describe())
            }
            Err(err) => Outcome::Later(now_seconds() + backoff(attempts), err.describe()),
        };
        if let Outcome::Failed(why) = &outcome {
            tracing::warn!(practice = practice_id.0, change = change.id, %why, "practice system refused a change: staff take it");
        }
        store::finish(db, practice_id, change.id, &outcome, now_seconds()).await?;
        if matches!(outcome, Outcome::Later(..)) {
            // The system is not answering: the rest waits for the next round.
            break;
        }
    }
    Ok(())
}

/// Seconds before attempt `attempts + 1`: 2, 4, 8, … up to an hour.
fn backoff(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    (2_i64 << exp).min(MAX_BACKOFF_SECONDS)
}

async fn push(system: &dyn PracticeSystem, change: &ChangeRow) -> Result<(), PmsError> {
    let at = OutsideRef {
        id: change.external_id.clone(),
        identifier: change.identifier.clone(),
    };
    match change.kind.as_str() {
        "cancel" => system.cancel(&at).await,
        _ => {
            let to = OutsideMove {
                practitioner: change.practitioner.clone(),
                practitioner_name: change.practitioner_name.clone(),
                start: change.starts_at,
                end: change.ends_at,
            };
            system.reschedule(&at, &to).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), 2);
        assert_eq!(backoff(2), 4);
        assert_eq!(backoff(5), 32);
        assert_eq!(backoff(40), 3_600);
    }
}
