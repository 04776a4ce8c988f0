//! The practice catalog (see `slotwise_shared::practice`), cached briefly in memory: every
//! slot search needs all of it.

use crate::store;
use crate::store::db::Db;
pub use slotwise_shared::practice::{
    Carrier, Catalog, Location, Operatory, Practice, Provider, Reason,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// When a catalog was loaded, and what was found (`None`: no such practice).
type CacheEntry = (Instant, Option<Arc<Catalog>>);

/// Catalogs by slug, each kept for a short time. Several server instances may serve one
/// practice, so entries expire rather than wait for an invalidation they might never see.
#[derive(Debug)]
pub struct CatalogCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, CacheEntry>>,
}

impl CatalogCache {
    /// An empty cache.
    pub fn new(ttl: Duration) -> Self {
        CatalogCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The catalog of a practice, `None` for an unknown slug (also cached, briefly).
    pub async fn get(&self, db: &Db, slug: &str) -> anyhow::Result<Option<Arc<Catalog>>> {
        if let Some(hit) = self.cached(slug) {
            return Ok(hit);
        }
        let loaded = store::catalog::load(db, slug).await?.map(Arc::new);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() > 10_000 {
                entries.clear();
            }
            entries.insert(slug.to_string(), (Instant::now(), loaded.clone()));
        }
        Ok(loaded)
    }

    /// A cached catalog without touching the database (for synchronous callers such as CORS).
    pub fn cached(&self, slug: &str) -> Option<Option<Arc<Catalog>>> {
        let entries = self.entries.lock().ok()?;
        let (at, catalog) = entries.get(slug)?;
        (at.elapsed() < self.ttl).then(|| catalog.clone())
    }

    /// Forgets a practice after a change to its settings.
    pub fn invalidate(&self, slug: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(slug);
        }
    }
}
