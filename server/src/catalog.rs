//! A practice and its bookable world (locations, providers, hours, reasons, carriers), loaded
//! together and cached briefly in memory: every slot search needs all of it.

use crate::db::Db;
use crate::store;
use jiff::tz::TimeZone;
use slotwise_shared::model::{
    CarrierId, Eligibility, LocationId, PracticeId, ProviderId, ReasonId, ReasonTiming,
};
use slotwise_shared::schedule::{DateOverride, ProviderSchedule, WeeklyHours};
use slotwise_shared::slots::LocationZones;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The tenant.
#[derive(Clone, Debug)]
pub struct Practice {
    pub id: PracticeId,
    pub slug: String,
    pub name: String,
    pub phone: String,
    pub timezone: String,
    pub tz: TimeZone,
    pub accent_color: String,
    pub logo_url: Option<String>,
    pub hold_minutes: u32,
    pub existing_patients_only: bool,
    pub confirmation_text: String,
    pub out_of_network_text: String,
    pub allowed_origins: Vec<String>,
}

/// A practice location.
#[derive(Clone, Debug)]
pub struct Location {
    pub id: LocationId,
    pub name: String,
    pub address: String,
    pub timezone: String,
    pub tz: TimeZone,
}

/// A provider.
#[derive(Clone, Debug)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub role: String,
    pub bio: String,
    pub photo_url: Option<String>,
    pub bookable: bool,
}

/// A reason for visit with its rules.
#[derive(Clone, Debug)]
pub struct Reason {
    pub id: ReasonId,
    pub name: String,
    pub description: String,
    pub timing: ReasonTiming,
    pub eligibility: Eligibility,
    pub operatory_kind: Option<String>,
    pub active: bool,
    /// Linked providers that are bookable, in display order.
    pub provider_ids: Vec<ProviderId>,
}

/// A room or chair, of a kind some reasons need.
#[derive(Clone, Debug)]
pub struct Operatory {
    pub id: i64,
    pub location: LocationId,
    pub kind: String,
}

/// An accepted insurance carrier.
#[derive(Clone, Debug)]
pub struct Carrier {
    pub id: CarrierId,
    pub name: String,
    pub member_id_required: bool,
}

/// Everything about one practice that availability and booking read.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub practice: Practice,
    pub locations: Vec<Location>,
    pub providers: Vec<Provider>,
    pub reasons: Vec<Reason>,
    pub carriers: Vec<Carrier>,
    pub operatories: Vec<Operatory>,
    pub weekly_hours: HashMap<ProviderId, Vec<WeeklyHours>>,
    pub overrides: HashMap<ProviderId, Vec<DateOverride>>,
    pub zones: LocationZones,
}

impl Catalog {
    /// An active reason.
    pub fn reason(&self, id: ReasonId) -> Option<&Reason> {
        self.reasons.iter().find(|r| r.id == id && r.active)
    }

    /// A provider.
    pub fn provider(&self, id: ProviderId) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// A location.
    pub fn location(&self, id: LocationId) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    /// A carrier.
    pub fn carrier(&self, id: CarrierId) -> Option<&Carrier> {
        self.carriers.iter().find(|c| c.id == id)
    }

    /// A provider's working hours, with no busy time yet.
    pub fn schedule(&self, provider: ProviderId) -> ProviderSchedule {
        ProviderSchedule {
            provider,
            weekly: self
                .weekly_hours
                .get(&provider)
                .cloned()
                .unwrap_or_default(),
            overrides: self.overrides.get(&provider).cloned().unwrap_or_default(),
            busy: Vec::new(),
        }
    }
}

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
