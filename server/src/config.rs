//! Server settings, from flags or environment variables (see `slotwise serve --help`).

use clap::builder::{FalseyValueParser, TypedValueParser};
use clap::{ArgAction, Args};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The default budget of the free-times answer cache: 32 MiB.
pub const DEFAULT_SLOTS_CACHE_BYTES: usize = 32 << 20;

/// Everything `serve` needs: the flags of `slotwise serve` (each also an environment
/// variable), parsed straight into this struct.
#[derive(Clone, Debug, Args)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, env = "SLOTWISE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user:pass@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://slotwise.db")]
    pub database_url: String,
    /// URL patients reach this server at (for links in messages); defaults to http://BIND.
    #[arg(long, env = "SLOTWISE_PUBLIC_URL", default_value = "")]
    pub public_url: String,
    /// Browser origins allowed for every practice (comma-separated), besides each practice's
    /// own list.
    #[arg(long, env = "SLOTWISE_ALLOWED_ORIGINS", value_delimiter = ',', value_parser = origin)]
    pub allowed_origins: Vec<String>,
    /// Holds and bookings one client address may create per minute (0 = unlimited).
    #[arg(long, env = "SLOTWISE_BOOKING_RATE_PER_MINUTE", default_value_t = 120)]
    pub booking_rate_per_minute: u32,
    /// Unexpired holds one client address may keep at once (0 = no cap).
    #[arg(long, env = "SLOTWISE_MAX_LIVE_HOLDS_PER_CLIENT", default_value_t = 5)]
    pub max_live_holds_per_client: u32,
    /// Free-times queries one client address may make per minute (bursts of the same size;
    /// 0 = unlimited). Generous: a patient browsing weeks makes a few dozen.
    #[arg(long, env = "SLOTWISE_SLOTS_RATE_PER_MINUTE", default_value_t = 600)]
    pub slots_rate_per_minute: u32,
    /// Staff sign-in attempts one client address may make per minute.
    #[arg(long, env = "SLOTWISE_LOGIN_ATTEMPTS_PER_MINUTE", default_value_t = 10)]
    pub login_attempts_per_minute: u32,
    /// Behind a reverse proxy: take the client address from the last X-Forwarded-For entry
    /// (only behind a proxy that sets it).
    #[arg(long, env = "SLOTWISE_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Seconds practice settings stay cached in memory before being read again.
    #[arg(long = "catalog-ttl-seconds", env = "SLOTWISE_CATALOG_TTL_SECONDS", default_value = "5", value_parser = seconds, value_name = "SECONDS")]
    pub catalog_ttl: Duration,
    /// Milliseconds a free-times answer may be reused by this instance (0 = never).
    #[arg(long = "slots-cache-ms", env = "SLOTWISE_SLOTS_CACHE_MS", default_value = "2000", value_parser = millis, value_name = "MS")]
    pub slots_cache_ttl: Duration,
    /// Bytes the free-times answers kept by this instance may take together (keys and both
    /// encodings counted; the oldest go first; 0 = keep none).
    #[arg(long, env = "SLOTWISE_SLOTS_CACHE_BYTES", default_value_t = DEFAULT_SLOTS_CACHE_BYTES, value_name = "BYTES")]
    pub slots_cache_bytes: usize,
    /// Directory of the built widget (Trunk's output); without it `embed.js` explains that
    /// the widget is not built.
    #[arg(long, env = "SLOTWISE_WIDGET_DIR", default_value = "dist/widget")]
    pub widget_dir: PathBuf,
    /// Directory of the built staff console (served at /admin).
    #[arg(long, env = "SLOTWISE_ADMIN_DIR", default_value = "dist/admin")]
    pub admin_dir: PathBuf,
    /// Also serve the demo host page (a practice website embedding the widget) here, another
    /// origin than the API, as on a practice's site.
    #[arg(long, env = "SLOTWISE_DEMO_HOST_BIND")]
    pub demo_host_bind: Option<SocketAddr>,
    /// How the outbox worker delivers messages.
    #[command(flatten)]
    pub outbox: OutboxSettings,
    /// Milliseconds to wait for a practice's own scheduling system (FHIR) to answer.
    #[arg(long = "pms-timeout-ms", env = "SLOTWISE_PMS_TIMEOUT_MS", default_value = "5000", value_parser = millis, value_name = "MS")]
    pub pms_timeout: Duration,
    /// Seconds between reads of practice systems' busy time and retries of queued bookings.
    #[arg(long = "pms-sync-seconds", env = "SLOTWISE_PMS_SYNC_SECONDS", default_value = "30", value_parser = positive_seconds, value_name = "SECONDS")]
    pub pms_sync_every: Duration,
    /// Seconds between runs of the recall job (one instance at a time runs it).
    #[arg(long = "automations-seconds", env = "SLOTWISE_AUTOMATIONS_SECONDS", default_value = "300", value_parser = positive_seconds, value_name = "SECONDS")]
    pub automations_every: Duration,
    /// Let practice settings point at private, loopback and link-local addresses (FHIR,
    /// Twilio, WhatsApp and SMTP destinations). Off by default: staff could otherwise reach
    /// this server's own network. Tests and the demo, whose services run on loopback, set it.
    #[arg(long, env = "SLOTWISE_ALLOW_PRIVATE_OUTBOUND")]
    pub allow_private_outbound: bool,
    /// Run the periodic automation jobs in this process (`--no-automations`: another
    /// instance does).
    #[arg(long = "no-automations", env = "SLOTWISE_NO_AUTOMATIONS", action = ArgAction::Set, num_args = 0..=1, default_value = "false", default_missing_value = "true", value_parser = negated_flag())]
    pub automations: bool,
}

/// Delivery of queued messages.
#[derive(Clone, Debug, Args)]
pub struct OutboxSettings {
    /// Deliver messages from this process (`--no-outbox-worker`: another instance does).
    #[arg(long = "no-outbox-worker", env = "SLOTWISE_NO_OUTBOX_WORKER", action = ArgAction::Set, num_args = 0..=1, default_value = "false", default_missing_value = "true", value_parser = negated_flag())]
    pub worker: bool,
    /// How often to look for due messages when nothing wakes the worker earlier.
    #[arg(skip = Duration::from_secs(2))]
    pub poll: Duration,
    /// Messages claimed at once (sent concurrently).
    #[arg(skip = 16)]
    pub batch: i64,
    /// Attempts before a message is given up (dead).
    #[arg(long = "outbox-max-attempts", env = "SLOTWISE_OUTBOX_MAX_ATTEMPTS", default_value_t = 8, value_parser = clap::value_parser!(i64).range(1..))]
    pub max_attempts: i64,
    /// First retry delay in seconds; doubles per attempt up to `backoff_cap`.
    #[arg(long = "outbox-backoff-seconds", env = "SLOTWISE_OUTBOX_BACKOFF_SECONDS", default_value = "30", value_parser = positive_seconds, value_name = "SECONDS")]
    pub backoff_base: Duration,
    /// Longest retry delay.
    #[arg(skip = Duration::from_secs(3600))]
    pub backoff_cap: Duration,
    /// Longest wait for an SMS, WhatsApp or email provider's answer, in seconds.
    #[arg(long = "outbox-send-timeout-seconds", env = "SLOTWISE_OUTBOX_SEND_TIMEOUT_SECONDS", default_value = "15", value_parser = positive_seconds, value_name = "SECONDS")]
    pub send_timeout: Duration,
    /// How long a claimed message is reserved for its worker; `None`: four send timeouts,
    /// at least a minute.
    #[arg(skip)]
    pub lease: Option<Duration>,
    /// Print the text of messages the local transport keeps (patients' names, links and
    /// codes) to the log. Off by default: logs must not identify patients. The demo sets it.
    #[arg(long, env = "SLOTWISE_LOG_LOCAL_MESSAGE_TEXT")]
    pub log_local_message_text: bool,
}

impl OutboxSettings {
    /// How long a claimed message is reserved for its worker.
    pub fn lease(&self) -> Duration {
        self.lease
            .unwrap_or_else(|| (self.send_timeout * 4).max(Duration::from_secs(60)))
    }
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
            lease: None,
            log_local_message_text: false,
        }
    }
}

/// Whole seconds, zero allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<u64>()
        .map(Duration::from_secs)
        .map_err(|_| format!("`{text}` is not a whole number of seconds"))
}

/// Whole seconds, at least one.
fn positive_seconds(text: &str) -> Result<Duration, String> {
    seconds(text).map(|d| d.max(Duration::from_secs(1)))
}

/// Whole milliseconds.
fn millis(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<u64>()
        .map(Duration::from_millis)
        .map_err(|_| format!("`{text}` is not a whole number of milliseconds"))
}

/// An allowed origin; empty entries of the comma-separated list are dropped later.
fn origin(text: &str) -> Result<String, String> {
    Ok(text.trim().to_string())
}

/// A `--no-…` switch (also its environment variable, `1`/`true`) read as the setting it
/// turns off: present means `false`.
fn negated_flag() -> impl clap::builder::TypedValueParser<Value = bool> {
    FalseyValueParser::new().map(|off| !off)
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
            slots_rate_per_minute: 600,
            login_attempts_per_minute: 10,
            trust_forwarded_for: false,
            catalog_ttl: Duration::from_secs(5),
            slots_cache_ttl: Duration::from_secs(2),
            slots_cache_bytes: DEFAULT_SLOTS_CACHE_BYTES,
            widget_dir: PathBuf::from("dist/widget"),
            admin_dir: PathBuf::from("dist/admin"),
            demo_host_bind: None,
            outbox: OutboxSettings::default(),
            pms_timeout: Duration::from_secs(5),
            pms_sync_every: Duration::from_secs(30),
            automations_every: Duration::from_secs(300),
            allow_private_outbound: false,
            automations: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        config: ServeConfig,
    }

    fn parse(args: &[&str]) -> ServeConfig {
        let mut all = vec!["serve"];
        all.extend_from_slice(args);
        Serve::try_parse_from(all).expect("parses").config
    }

    #[test]
    fn the_flag_defaults_are_the_local_defaults() {
        let mut parsed = parse(&["--database-url", "sqlite://x.db"]);
        parsed.public_url = "http://127.0.0.1:8080".into();
        assert_eq!(
            format!("{parsed:?}"),
            format!("{:?}", ServeConfig::local("sqlite://x.db"))
        );
    }

    #[test]
    fn no_switches_turn_their_setting_off() {
        let parsed = parse(&["--no-automations", "--no-outbox-worker"]);
        assert!(!parsed.automations);
        assert!(!parsed.outbox.worker);
        let parsed = parse(&["--no-automations=false"]);
        assert!(parsed.automations);
    }

    #[test]
    fn durations_take_their_units_and_lower_bounds() {
        let parsed = parse(&[
            "--catalog-ttl-seconds",
            "0",
            "--slots-cache-ms",
            "250",
            "--slots-cache-bytes",
            "1048576",
            "--pms-sync-seconds",
            "0",
            "--outbox-send-timeout-seconds",
            "30",
        ]);
        assert_eq!(parsed.catalog_ttl, Duration::ZERO);
        assert_eq!(parsed.slots_cache_ttl, Duration::from_millis(250));
        assert_eq!(parsed.slots_cache_bytes, 1 << 20);
        assert_eq!(parsed.pms_sync_every, Duration::from_secs(1));
        assert_eq!(parsed.outbox.lease(), Duration::from_secs(120));
        let bad = Serve::try_parse_from(["serve", "--slots-cache-ms", "soon"]);
        assert!(bad.is_err());
    }
}
