//! The application state every handler and job shares: the database, settings, caches,
//! limiters and the clients of outside systems. Handlers and jobs sit above it; the domain
//! areas below never see it (they take the parts they need).

use crate::booking::slots_cache::SlotsCache;
use crate::catalog::{Catalog, CatalogCache};
use crate::config::ServeConfig;
use crate::error::{ApiError, ApiResult};
use crate::notify::worker::OutboxWake;
use crate::rate_limit::free_times::SlotsLimiter;
use crate::rate_limit::{CreateLimiter, LoginLimiter};
use crate::staff::decoy_lockouts::DecoyLockouts;
use crate::store::db::Db;
use slotwise_shared::validate::is_valid_slug;
use std::sync::Arc;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<ServeConfig>,
    pub catalogs: Arc<CatalogCache>,
    pub limiter: CreateLimiter,
    /// Free-times queries per client address.
    pub slots_limiter: SlotsLimiter,
    /// Sign-in attempts per client address.
    pub logins: LoginLimiter,
    /// Failed sign-ins of emails without an account.
    pub decoys: DecoyLockouts,
    pub slots_cache: Arc<SlotsCache>,
    /// Wakes this instance's outbox worker after a change queued messages.
    pub outbox: OutboxWake,
    /// Calls to practices' own scheduling systems.
    pub pms: crate::pms::PmsClient,
    /// This instance's name in job leases (random per start).
    pub instance: Arc<str>,
}

impl AppState {
    /// The practice of a public URL slug, or 404.
    pub async fn catalog(&self, slug: &str) -> ApiResult<Arc<Catalog>> {
        if !is_valid_slug(slug) {
            return Err(ApiError::not_found("practice"));
        }
        self.catalogs
            .get(&self.db, slug)
            .await?
            .ok_or_else(|| ApiError::not_found("practice"))
    }

    /// Base URL for links in responses.
    pub fn public_url(&self) -> String {
        self.config.public_url.trim_end_matches('/').to_string()
    }
}
