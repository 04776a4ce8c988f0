//! A short-lived cache of `GET slots` answers, stored JSON and gzip-compressed.
//!
//! Many patients look at the same reason's week at once; recomputing and recompressing the
//! same list for each of them is the main cost of the endpoint. An entry is valid while it is
//! younger than the TTL (default 2 s) and no hold, cancellation or reschedule of its practice
//! happened on this instance since it was computed. Another instance's changes show up when the
//! TTL runs out; a stale list can offer a time that was just taken, and holding it then answers
//! 409 with alternatives — the database, not this cache, decides who gets a time.

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use slotwise_shared::model::PracticeId;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most entries kept before the cache starts over.
const MAX_ENTRIES: usize = 20_000;

/// One cached answer in both encodings.
#[derive(Clone, Debug)]
pub struct CachedSlots {
    pub json: Bytes,
    pub gzip: Bytes,
}

#[derive(Debug)]
struct Entry {
    at: Instant,
    version: u64,
    body: CachedSlots,
}

/// The cache; a TTL of zero disables it.
#[derive(Debug)]
pub struct SlotsCache {
    ttl: Duration,
    entries: Mutex<HashMap<(PracticeId, String), Entry>>,
    versions: Mutex<HashMap<PracticeId, u64>>,
}

impl SlotsCache {
    /// A cache whose entries live at most `ttl`.
    pub fn new(ttl: Duration) -> Self {
        SlotsCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            versions: Mutex::new(HashMap::new()),
        }
    }

    /// The practice's availability version; read it before computing an answer.
    pub fn version(&self, practice: PracticeId) -> u64 {
        self.versions
            .lock()
            .map(|v| v.get(&practice).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Availability of the practice changed: every cached answer of it is outdated.
    pub fn changed(&self, practice: PracticeId) {
        if let Ok(mut v) = self.versions.lock() {
            *v.entry(practice).or_insert(0) += 1;
        }
    }

    /// A fresh cached answer for `key`.
    pub fn get(&self, practice: PracticeId, key: &str) -> Option<CachedSlots> {
        if self.ttl.is_zero() {
            return None;
        }
        let version = self.version(practice);
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&(practice, key.to_string()))?;
        (entry.version == version && entry.at.elapsed() < self.ttl).then(|| entry.body.clone())
    }

    /// Compresses and (when enabled) stores an answer computed at `version`.
    pub fn put(
        &self,
        practice: PracticeId,
        key: String,
        version: u64,
        json: Vec<u8>,
    ) -> CachedSlots {
        let body = CachedSlots {
            gzip: gzip(&json),
            json: Bytes::from(json),
        };
        if !self.ttl.is_zero() {
            if let Ok(mut entries) = self.entries.lock() {
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
                entries.insert(
                    (practice, key),
                    Entry {
                        at: Instant::now(),
                        version,
                        body: body.clone(),
                    },
                );
            }
        }
        body
    }
}

fn gzip(data: &[u8]) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 8), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    Bytes::from(encoder.finish().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_with_a_change_of_their_practice_only() {
        let cache = SlotsCache::new(Duration::from_secs(60));
        let (a, b) = (PracticeId(1), PracticeId(2));
        cache.put(a, "q".into(), cache.version(a), b"{}".to_vec());
        cache.put(b, "q".into(), cache.version(b), b"{}".to_vec());
        assert!(cache.get(a, "q").is_some());
        cache.changed(a);
        assert!(cache.get(a, "q").is_none());
        assert!(cache.get(b, "q").is_some());
    }

    #[test]
    fn a_zero_ttl_caches_nothing() {
        let cache = SlotsCache::new(Duration::ZERO);
        let body = cache.put(PracticeId(1), "q".into(), 0, b"{\"a\":1}".to_vec());
        assert!(!body.gzip.is_empty());
        assert!(cache.get(PracticeId(1), "q").is_none());
    }
}
