//! One-time codes are not kept readable past their life: a code message settled more than
//! [`KEEP_SECONDS`] ago loses its code from the stored values and text (the patient had it;
//! the code no longer works; nobody else should read it later).

use crate::notify::context::MessageContext;
use crate::store::db::Db;
use crate::store::outbox;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;

/// How long after it was queued a code message keeps its code: the code's own life (10
/// minutes) and a margin for a slow delivery.
pub const KEEP_SECONDS: i64 = 15 * 60;

/// How far back a sweep looks: the sweep runs every half minute, so only a server down for
/// longer than this would leave a code behind.
const LOOK_BACK_SECONDS: i64 = 7 * 86_400;

/// What a code becomes in a stored text.
pub const MASK: &str = "••••••";

/// Removes the codes of settled code messages older than [`KEEP_SECONDS`]; returns how many.
pub async fn forget_codes(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let before = now - KEEP_SECONDS;
    let stale = outbox::stale_codes(db, before - LOOK_BACK_SECONDS, before).await?;
    let mut forgotten = Vec::new();
    for (id, context, body, subject) in stale {
        let Ok(mut values) = serde_json::from_str::<MessageContext>(&context) else {
            continue;
        };
        if values.code.is_empty() {
            continue;
        }
        let mask = |text: Option<String>| text.map(|t| t.replace(&values.code, MASK));
        let (body, subject) = (mask(body), mask(subject));
        values.code.clear();
        let Ok(context) = serde_json::to_string(&values) else {
            continue;
        };
        forgotten.push((id, context, body, subject));
    }
    let count = forgotten.len();
    if count > 0 {
        db.write(write_unit!(|conn| {
            for (id, context, body, subject) in &forgotten {
                outbox::forget_code(conn, *id, context, body.as_deref(), subject.as_deref())
                    .await?;
            }
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    }
    Ok(count)
}
