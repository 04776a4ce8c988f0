//! Server settings, from flags or environment variables (see `slotwise serve --help`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything `serve` needs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free one.
    pub bind: SocketAddr,
    /// `sqlite://path/to/file.db` (default) or `postgres://...`.
    pub database_url: String,
    /// Base URL patients reach this server at, used in manage and calendar links.
    pub public_url: String,
    /// Origins allowed to call the public API from a browser, besides each practice's own list.
    pub allowed_origins: Vec<String>,
    /// Holds and bookings a single client address may create per minute (0 = unlimited).
    pub booking_rate_per_minute: u32,
    /// Unexpired holds one client address may keep at once (0 = no cap).
    pub max_live_holds_per_client: u32,
    /// Staff sign-in attempts one client address may make per minute.
    pub login_attempts_per_minute: u32,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a proxy
    /// that sets it).
    pub trust_forwarded_for: bool,
    /// How long practice settings are cached in memory before being read again.
    pub catalog_ttl: Duration,
    /// How long a `GET slots` answer may be reused (zero disables the cache).
    pub slots_cache_ttl: Duration,
    /// The built widget (Trunk's output, `dist/widget`); without it `embed.js` explains that
    /// the widget is not built.
    pub widget_dir: PathBuf,
    /// The built staff console (`dist/admin`), served at `/admin`.
    pub admin_dir: PathBuf,
    /// Also serve the demo host page here (another origin than the API, as on a practice's site).
    pub demo_host_bind: Option<SocketAddr>,
    /// How the outbox worker delivers messages.
    pub outbox: OutboxSettings,
    /// Longest wait for a practice's own scheduling system (FHIR) to answer.
    pub pms_timeout: Duration,
    /// How often busy time is read from practice systems and queued bookings are retried.
    pub pms_sync_every: Duration,
    /// How often the recall job runs (under a lease: one instance at a time).
    pub automations_every: Duration,
    /// Run the periodic automation jobs in this process.
    pub automations: bool,
}

/// Delivery of queued messages.
#[derive(Clone, Debug)]
pub struct OutboxSettings {
    /// Run the delivery worker in this process.
    pub worker: bool,
    /// How often to look for due messages when nothing wakes the worker earlier.
    pub poll: Duration,
    /// Messages claimed at once (sent concurrently).
    pub batch: i64,
    /// Attempts before a message is dead.
    pub max_attempts: i64,
    /// First retry delay; doubles per attempt up to `backoff_cap`.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// Longest wait for a provider's answer.
    pub send_timeout: Duration,
    /// How long a claimed message is reserved for its worker (longer than `send_timeout`).
    pub lease: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            worker: true,
            poll: Duration::from_secs(2),
            batch: 16,
            max_attempts: 8,
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(3600),
            send_timeout: Duration::from_secs(15),
            lease: Duration::from_secs(60),
        }
    }
}

impl ServeConfig {
    /// Defaults for a local SQLite server.
    pub fn local(database_url: impl Into<String>) -> Self {
        ServeConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: database_url.into(),
            public_url: "http://127.0.0.1:8080".to_string(),
            allowed_origins: Vec::new(),
            booking_rate_per_minute: 120,
            max_live_holds_per_client: 5,
            login_attempts_per_minute: 10,
            trust_forwarded_for: false,
            catalog_ttl: Duration::from_secs(5),
            slots_cache_ttl: Duration::from_secs(2),
            widget_dir: PathBuf::from("dist/widget"),
            admin_dir: PathBuf::from("dist/admin"),
            demo_host_bind: None,
            outbox: OutboxSettings::default(),
            pms_timeout: Duration::from_secs(5),
            pms_sync_every: Duration::from_secs(30),
            automations_every: Duration::from_secs(300),
            automations: true,
        }
    }
}
