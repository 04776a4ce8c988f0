//! Practice API keys: how integrations and operators call the practice API before (and
//! beside) staff sessions. The key names its practice and acts with its role (owner, admin
//! or front desk); only its hash is stored, and a revoked key answers 401 at once.

use crate::clock::now_seconds;
use crate::store::api_keys::{holder_of_key, insert_key, touch_key};
use crate::store::db::Db;
use crate::store::practices::require_slug;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::model::PracticeId;

/// Prefix that makes keys recognisable in configuration files and secret scanners.
pub const KEY_PREFIX: &str = "sw_";

/// How stale a key's "last used" may get before a use writes it again (one write per key per
/// few minutes, not one per request).
const TOUCH_EVERY_SECONDS: i64 = 300;

/// Longest label of a key.
pub const MAX_LABEL_CHARS: usize = 100;

/// Who a live key acts for.
#[derive(Clone, Debug)]
pub struct KeyAuth {
    pub key_id: i64,
    pub practice_id: PracticeId,
    pub slug: String,
    pub role: StaffRole,
}

/// A fresh key and the hash to store for it.
pub fn new_key() -> (String, String) {
    let key = format!("{KEY_PREFIX}{}", new_token());
    let hash = hash_token(&key);
    (key, hash)
}

/// Creates an owner's key for the practice with `slug` and returns it (shown once, never
/// stored): what keys made before roles existed are.
pub async fn create_api_key(db: &Db, slug: &str, label: &str) -> anyhow::Result<String> {
    create_api_key_with_role(db, slug, label, StaffRole::Owner).await
}

/// Creates a key acting with `role` for the practice with `slug` (the `slotwise api-key`
/// command); returns it once.
pub async fn create_api_key_with_role(
    db: &Db,
    slug: &str,
    label: &str,
    role: StaffRole,
) -> anyhow::Result<String> {
    let label = label.trim().to_string();
    if label.chars().count() > MAX_LABEL_CHARS {
        anyhow::bail!("label: use at most {MAX_LABEL_CHARS} characters");
    }
    let practice_id = require_slug(db, slug).await?;
    let (key, hash) = new_key();
    let now = now_seconds();
    db.write(write_unit!(|conn| {
        let id = insert_key(conn, practice_id, &hash, &label, role.as_str(), now).await?;
        Ok(WriteOutcome::Commit(id))
    }))
    .await?;
    Ok(key)
}

/// What a live key may do, if `key` is one; notes its use when the last note is a few
/// minutes old (a failure to note it does not refuse the request).
pub async fn authenticate(db: &Db, key: &str) -> Result<Option<KeyAuth>, sqlx::Error> {
    if !key.starts_with(KEY_PREFIX) || key.len() > 100 {
        return Ok(None);
    }
    let Some(holder) = holder_of_key(db, &hash_token(key)).await? else {
        return Ok(None);
    };
    let now = now_seconds();
    if holder
        .last_used_at
        .is_none_or(|at| now - at >= TOUCH_EVERY_SECONDS)
    {
        if let Err(e) = touch_key(db, holder.key_id, now).await {
            tracing::warn!(error = %e, "could not note an API key's use");
        }
    }
    Ok(Some(KeyAuth {
        key_id: holder.key_id,
        practice_id: holder.practice_id,
        slug: holder.slug,
        // A role the code does not know acts with the least rights.
        role: StaffRole::parse(&holder.role).unwrap_or(StaffRole::FrontDesk),
    }))
}
