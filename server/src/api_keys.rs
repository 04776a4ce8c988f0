//! Practice API keys: how integrations and operators call the practice API before (and
//! beside) staff sessions. The key names its practice; only its hash is stored.

use crate::clock::now_seconds;
use crate::store::db::Db;
use crate::store::messaging::{insert_api_key, practice_of_api_key};
use crate::store::practices::require_slug;
use crate::tokens::{hash_token, new_token};
use slotwise_shared::model::PracticeId;

/// Prefix that makes keys recognisable in configuration files and secret scanners.
pub const KEY_PREFIX: &str = "sw_";

/// Creates a key for the practice with `slug` and returns it (shown once, never stored).
pub async fn create_api_key(db: &Db, slug: &str, label: &str) -> anyhow::Result<String> {
    let practice_id = require_slug(db, slug).await?;
    let key = format!("{KEY_PREFIX}{}", new_token());
    insert_api_key(db, practice_id, &hash_token(&key), label, now_seconds()).await?;
    Ok(key)
}

/// The (practice id, slug) a key belongs to, if it is a live key.
pub async fn practice_for_key(
    db: &Db,
    key: &str,
) -> Result<Option<(PracticeId, String)>, sqlx::Error> {
    if !key.starts_with(KEY_PREFIX) || key.len() > 100 {
        return Ok(None);
    }
    practice_of_api_key(db, &hash_token(key)).await
}
