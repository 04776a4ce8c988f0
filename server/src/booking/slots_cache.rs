//! A short-lived cache of `GET slots` answers, stored JSON and gzip-compressed.
//!
//! Many patients look at the same reason's week at once; recomputing and recompressing the
//! same list for each of them is the main cost of the endpoint. An entry is valid while it is
//! younger than the TTL (default 2 s) and no hold, cancellation or reschedule of its practice
//! happened on this instance since it was computed. Another instance's changes show up when the
//! TTL runs out; a stale list can offer a time that was just taken, and holding it then answers
//! 409 with alternatives — the database, not this cache, decides who gets a time.
//!
//! The cache is bounded in bytes, not entries: each entry counts its key, both encodings and a
//! fixed bookkeeping overhead, and past the budget the oldest entries go first. A hit does not
//! extend an entry's life, so the oldest entry is also the one nearest its end. Entries past the
//! TTL or outdated by a change are dropped — when met, on every store and by the periodic
//! sweep — so a burst of distinct queries leaves no memory behind.

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use slotwise_shared::model::PracticeId;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::mem::size_of;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One cached answer in both encodings.
#[derive(Clone, Debug)]
pub struct CachedSlots {
    /// The answer as JSON.
    pub json: Bytes,
    /// The same answer, gzip-compressed.
    pub gzip: Bytes,
}

type Key = (PracticeId, Arc<str>);

/// What an entry costs besides its key and bodies: its slots in the map (kept at most half
/// full before it grows) and in the age order (B-tree nodes at least half full), the key's
/// reference counts and the shared headers of the two bodies once handed out.
const ENTRY_OVERHEAD: usize =
    2 * size_of::<(Key, Entry)>() + 2 * size_of::<(u64, Key)>() + 2 * size_of::<usize>() + 64;

#[derive(Debug)]
struct Entry {
    at: Instant,
    seq: u64,
    version: u64,
    size: usize,
    body: CachedSlots,
}

/// The entries, their age order and the bytes they hold.
#[derive(Debug, Default)]
struct Entries {
    map: HashMap<Key, Entry>,
    /// Keys by when they were stored, oldest first.
    order: BTreeMap<u64, Key>,
    next_seq: u64,
    bytes: usize,
}

impl Entries {
    fn remove(&mut self, key: &Key) {
        if let Some(entry) = self.map.remove(key) {
            self.order.remove(&entry.seq);
            self.bytes = self.bytes.saturating_sub(entry.size);
        }
    }

    /// Drops the oldest entries while they are past `ttl` or the total is over `budget`.
    fn trim(&mut self, ttl: Duration, budget: usize, now: Instant) {
        while let Some((&seq, key)) = self.order.first_key_value() {
            let expired = match self.map.get(key) {
                Some(entry) => now.saturating_duration_since(entry.at) >= ttl,
                None => {
                    self.order.remove(&seq);
                    continue;
                }
            };
            if !expired && self.bytes <= budget {
                break;
            }
            let key = key.clone();
            self.remove(&key);
        }
    }
}

/// The cache; a TTL or byte budget of zero disables it.
#[derive(Debug)]
pub struct SlotsCache {
    ttl: Duration,
    budget: usize,
    entries: Mutex<Entries>,
    versions: Mutex<HashMap<PracticeId, u64>>,
}

impl SlotsCache {
    /// A cache whose entries live at most `ttl` and together hold at most `budget` bytes.
    pub fn new(ttl: Duration, budget: usize) -> Self {
        SlotsCache {
            ttl,
            budget,
            entries: Mutex::new(Entries::default()),
            versions: Mutex::new(HashMap::new()),
        }
    }

    fn enabled(&self) -> bool {
        !self.ttl.is_zero() && self.budget > 0
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

    /// A fresh cached answer for `key`; an outdated or expired one is dropped.
    pub fn get(&self, practice: PracticeId, key: &str) -> Option<CachedSlots> {
        if !self.enabled() {
            return None;
        }
        let version = self.version(practice);
        let mut entries = self.entries.lock().ok()?;
        let key: Key = (practice, Arc::from(key));
        let entry = entries.map.get(&key)?;
        if entry.version == version && entry.at.elapsed() < self.ttl {
            return Some(entry.body.clone());
        }
        entries.remove(&key);
        None
    }

    /// Compresses and (when enabled) stores an answer computed at `version`, first dropping
    /// expired entries and then the oldest ones until the new one fits the budget.
    pub fn put(
        &self,
        practice: PracticeId,
        key: String,
        version: u64,
        mut json: Vec<u8>,
    ) -> CachedSlots {
        json.shrink_to_fit();
        let body = CachedSlots {
            gzip: gzip(&json),
            json: Bytes::from(json),
        };
        let size = key.len() + body.json.len() + body.gzip.len() + ENTRY_OVERHEAD;
        if !self.enabled() || size > self.budget {
            return body;
        }
        if let Ok(mut entries) = self.entries.lock() {
            let key: Key = (practice, Arc::from(key));
            entries.remove(&key);
            entries.trim(self.ttl, self.budget - size, Instant::now());
            let seq = entries.next_seq;
            entries.next_seq += 1;
            entries.order.insert(seq, key.clone());
            entries.bytes += size;
            let entry = Entry {
                at: Instant::now(),
                seq,
                version,
                size,
                body: body.clone(),
            };
            entries.map.insert(key, entry);
        }
        body
    }

    /// Drops the entries past their TTL (called periodically, so memory is given back after a
    /// burst even when nothing new is stored).
    pub fn purge_expired(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.trim(self.ttl, self.budget, Instant::now());
        }
    }

    /// The bytes the entries hold, as counted against the budget.
    pub fn bytes(&self) -> usize {
        self.entries.lock().map(|e| e.bytes).unwrap_or(0)
    }

    /// The number of entries held.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.map.len()).unwrap_or(0)
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The byte budget.
    pub fn budget(&self) -> usize {
        self.budget
    }
}

fn gzip(data: &[u8]) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 8), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    let mut compressed = encoder.finish().unwrap_or_default();
    compressed.shrink_to_fit();
    Bytes::from(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1 << 20;

    #[test]
    fn entries_expire_with_a_change_of_their_practice_only() {
        let cache = SlotsCache::new(Duration::from_secs(60), MIB);
        let (a, b) = (PracticeId(1), PracticeId(2));
        cache.put(a, "q".into(), cache.version(a), b"{}".to_vec());
        cache.put(b, "q".into(), cache.version(b), b"{}".to_vec());
        assert!(cache.get(a, "q").is_some());
        cache.changed(a);
        assert!(cache.get(a, "q").is_none());
        assert!(cache.get(b, "q").is_some());
        assert_eq!(cache.len(), 1, "the outdated entry was dropped");
    }

    #[test]
    fn a_zero_ttl_or_budget_caches_nothing() {
        for cache in [
            SlotsCache::new(Duration::ZERO, MIB),
            SlotsCache::new(Duration::from_secs(60), 0),
        ] {
            let body = cache.put(PracticeId(1), "q".into(), 0, b"{\"a\":1}".to_vec());
            assert!(!body.gzip.is_empty());
            assert!(cache.get(PracticeId(1), "q").is_none());
            assert_eq!(cache.bytes(), 0);
        }
    }

    #[test]
    fn the_budget_counts_keys_and_bodies_and_the_oldest_go_first() {
        let budget = 64 * 1024;
        let cache = SlotsCache::new(Duration::from_secs(60), budget);
        let p = PracticeId(1);
        let answer = |i: usize| format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(900));
        for i in 0..1_000 {
            cache.put(p, format!("key-{i}"), 0, answer(i).into_bytes());
            assert!(cache.bytes() <= budget, "{} > {budget}", cache.bytes());
        }
        assert!(cache.len() > 10 && cache.len() < 1_000, "{}", cache.len());
        assert!(cache.get(p, "key-999").is_some(), "the newest stays");
        assert!(cache.get(p, "key-0").is_none(), "the oldest went");
        let one = 7 + answer(999).len() + ENTRY_OVERHEAD;
        assert!(
            cache.bytes() >= cache.len() * one,
            "bodies and keys are counted"
        );
    }

    #[test]
    fn expired_entries_are_dropped_not_only_skipped() {
        let cache = SlotsCache::new(Duration::from_millis(30), MIB);
        cache.put(PracticeId(1), "q".into(), 0, b"{}".to_vec());
        assert!(cache.bytes() > 0);
        std::thread::sleep(Duration::from_millis(40));
        cache.purge_expired();
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
        cache.put(PracticeId(1), "a".into(), 0, b"{}".to_vec());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.get(PracticeId(1), "a").is_none());
        assert_eq!(
            cache.bytes(),
            0,
            "an expired entry met by a read is dropped"
        );
    }

    #[test]
    fn an_answer_larger_than_the_budget_is_served_but_not_kept() {
        let cache = SlotsCache::new(Duration::from_secs(60), 100);
        let body = cache.put(PracticeId(1), "q".into(), 0, vec![b' '; 1000]);
        assert_eq!(body.json.len(), 1000);
        assert_eq!(cache.bytes(), 0);
    }
}
