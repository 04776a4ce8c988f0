//! Test harness: a real server on 127.0.0.1:0 over a fresh database (a SQLite file, or a
//! new PostgreSQL database), seeded with the demo practice and a second practice, driven
//! through the same typed client the widget uses.

pub mod automations;
pub mod axe;
pub mod browser;
pub mod cli_server;
pub mod console;
pub mod fhir_double;
pub mod fhir_update;
pub mod messaging;
pub mod openapi;
pub mod patients;
pub mod procedures;
pub mod smtp_server;
pub mod staff;
pub mod twilio_double;
pub mod whatsapp_double;
pub mod widget_site;

use jiff::Timestamp;
use slotwise_server::config::ServeConfig;
use slotwise_server::demo::{seed_demo_practice, SeededPractice};
use slotwise_server::startup::{start_with_db, RunningServer};
use slotwise_server::store::db::Db;
use slotwise_shared::api::{
    BookingRequest, HoldRequest, HoldResponse, InsuranceChoice, PatientDetails, ProviderChoice,
    Referral, SlotOption, SlotsParams,
};
use slotwise_shared::client::ApiClient;
use slotwise_shared::model::{PatientType, ProviderId, ReasonId};
use std::path::PathBuf;
use std::time::Duration;

/// The origin the demo practice allows in tests.
pub const HOST_ORIGIN: &str = "http://host.example";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs one async test body on SQLite and on PostgreSQL (ripgrep's one-body-two-engines idea).
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn body($app: &$crate::common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                if let Some(app) = $crate::common::TestApp::spawn($crate::common::Engine::Sqlite).await {
                    body(&app).await;
                    app.finish().await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if let Some(app) = $crate::common::TestApp::spawn($crate::common::Engine::Postgres).await {
                    body(&app).await;
                    app.finish().await;
                }
            }
        }
    };
}

/// A running server and what the test needs to drive it.
pub struct TestApp {
    pub engine: Engine,
    pub server: RunningServer,
    pub client: ApiClient,
    /// The demo practice.
    pub demo: SeededPractice,
    /// A second practice, for tenancy checks.
    pub other: SeededPractice,
    sqlite_dir: Option<PathBuf>,
    postgres: Option<(String, String)>,
    database_url: String,
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "slotwise_test_{}_{}",
        std::process::id(),
        nanos % 10_000_000_000
    )
}

/// PostgreSQL for tests: `TEST_POSTGRES_URL`, required under `CI=true`.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("TEST_POSTGRES_URL must be set under CI=true: the PostgreSQL half of the tests may not be skipped")
        }
        _ => {
            eprintln!(
                "notice: TEST_POSTGRES_URL is not set; skipping the PostgreSQL run of this test"
            );
            None
        }
    }
}

impl TestApp {
    /// A server with the defaults of the test suite (no rate limit).
    pub async fn spawn(engine: Engine) -> Option<TestApp> {
        Self::spawn_with(engine, |_| {}).await
    }

    /// A server with adjusted settings.
    pub async fn spawn_with(
        engine: Engine,
        adjust: impl FnOnce(&mut ServeConfig),
    ) -> Option<TestApp> {
        let (url, sqlite_dir, postgres) = match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(unique_name());
                std::fs::create_dir_all(&dir).expect("temp dir");
                (
                    format!("sqlite://{}", dir.join("test.db").display()),
                    Some(dir),
                    None,
                )
            }
            Engine::Postgres => {
                let admin = postgres_admin_url()?;
                let name = unique_name();
                let pool = sqlx::postgres::PgPool::connect(&admin)
                    .await
                    .expect("connect to TEST_POSTGRES_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await
                    .expect("create test database");
                pool.close().await;
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .expect("database URL with a path");
                (format!("{base}/{name}"), None, Some((admin, name)))
            }
        };
        let database_url = url.clone();
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let demo = seed_demo_practice(&db, "demo", "Brightside Dental", &[HOST_ORIGIN.to_string()])
            .await
            .expect("seed demo");
        let other = seed_demo_practice(&db, "other-clinic", "Other Clinic", &[])
            .await
            .expect("seed other");
        let mut config = ServeConfig::local(url);
        config.bind = "127.0.0.1:0".parse().expect("addr");
        config.public_url = String::new();
        config.booking_rate_per_minute = 0;
        config.slots_rate_per_minute = 0;
        config.max_live_holds_per_client = 0;
        config.login_attempts_per_minute = 1000;
        config.catalog_ttl = Duration::from_secs(60);
        // Retries within seconds, not minutes, so failure paths finish inside a test.
        config.outbox.poll = Duration::from_millis(50);
        config.outbox.backoff_base = Duration::from_millis(200);
        config.outbox.backoff_cap = Duration::from_secs(1);
        config.outbox.max_attempts = 4;
        config.outbox.send_timeout = Duration::from_secs(2);
        config.outbox.lease = Some(Duration::from_secs(5));
        config.pms_timeout = Duration::from_secs(1);
        config.pms_sync_every = Duration::from_millis(300);
        // Tests run the recall job themselves (or turn the scheduler on), so a run at start-up
        // never holds the lease a test asks for.
        config.automations = false;
        // The doubles of Twilio, WhatsApp, FHIR and SMTP listen on loopback.
        config.allow_private_outbound = true;
        adjust(&mut config);
        let server = start_with_db(db, &mut config).await.expect("start server");
        let client = ApiClient::new(server.url());
        Some(TestApp {
            engine,
            server,
            client,
            demo,
            other,
            sqlite_dir,
            postgres,
            database_url,
        })
    }

    /// Another server instance on the same (PostgreSQL) database, as in a hosted deployment
    /// with several stateless instances. Stop it with `RunningServer::stop`.
    pub async fn another_instance(&self, adjust: impl FnOnce(&mut ServeConfig)) -> RunningServer {
        let db = Db::connect(&self.database_url).await.expect("connect");
        let mut config = ServeConfig::local(self.database_url.clone());
        config.bind = "127.0.0.1:0".parse().expect("addr");
        config.public_url = String::new();
        config.booking_rate_per_minute = 0;
        config.slots_rate_per_minute = 0;
        config.outbox.poll = Duration::from_millis(50);
        config.allow_private_outbound = true;
        adjust(&mut config);
        start_with_db(db, &mut config)
            .await
            .expect("start another instance")
    }

    /// The server's database.
    pub fn db(&self) -> &Db {
        &self.server.state.db
    }

    /// Forget cached practice settings after changing them in the database.
    pub fn refresh_practice(&self, slug: &str) {
        self.server.state.catalogs.invalidate(slug);
    }

    /// Stops the server and removes the database.
    pub async fn finish(self) {
        self.server.stop().await.expect("clean shutdown");
        if let Some(dir) = self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = self.postgres {
            if let Ok(pool) = sqlx::postgres::PgPool::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await;
                pool.close().await;
            }
        }
    }

    /// Id of a demo reason by name.
    pub fn reason(&self, name: &str) -> ReasonId {
        *self
            .demo
            .reasons
            .get(name)
            .unwrap_or_else(|| panic!("no reason {name}"))
    }

    /// Id of a demo provider by name.
    pub fn provider(&self, name: &str) -> ProviderId {
        *self
            .demo
            .providers
            .get(name)
            .unwrap_or_else(|| panic!("no provider {name}"))
    }

    /// Free slots of a reason (and provider) over the next two weeks.
    pub async fn free_slots(&self, reason: ReasonId, provider: ProviderChoice) -> Vec<SlotOption> {
        let params = SlotsParams {
            reason,
            provider,
            patient: None,
            location: None,
            from: None,
            days: Some(14),
            lang: None,
        };
        let slots = self.client.slots("demo", &params).await.expect("slots");
        slots.days.into_iter().flat_map(|d| d.slots).collect()
    }

    /// Holds the first free "Checkup" time with Dr. Patel.
    pub async fn hold_first_checkup(&self) -> (HoldRequest, HoldResponse) {
        self.hold_checkup_after(jiff::SignedDuration::ZERO).await
    }

    /// Holds the first free "Checkup" time with Dr. Patel at least `lead` from now (so every
    /// reminder offset is still ahead, whatever the time of day the tests run).
    pub async fn hold_checkup_after(
        &self,
        lead: jiff::SignedDuration,
    ) -> (HoldRequest, HoldResponse) {
        let reason = self.reason("Checkup");
        let provider = self.provider("Dr. Maya Patel");
        let earliest = Timestamp::now() + lead;
        let slot = self
            .free_slots(reason, ProviderChoice::Id(provider))
            .await
            .into_iter()
            .find(|s| s.start >= earliest)
            .expect("a free time");
        let req = HoldRequest {
            reason,
            provider,
            start: slot.start,
            lang: None,
        };
        let hold = self.client.hold("demo", &req).await.expect("hold");
        (req, hold)
    }

    /// Tries to hold `n` spread-out "Checkup" times (every 8th free time, so they never
    /// overlap); the HTTP status of each attempt.
    pub async fn hold_spaced_checkups(&self, n: usize) -> Vec<u16> {
        let reason = self.reason("Checkup");
        let slots = self.free_slots(reason, ProviderChoice::Any).await;
        let mut statuses = Vec::new();
        for s in slots.iter().step_by(8).take(n) {
            let req = HoldRequest {
                reason,
                provider: s.provider,
                start: s.start,
                lang: None,
            };
            let result = self.client.hold("demo", &req).await;
            statuses.push(result.err().and_then(|e| e.status()).unwrap_or(201));
        }
        statuses
    }

    /// Rows in a table.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db().read)
            .await
            .expect("count")
    }
}

/// A valid booking request for a hold.
pub fn booking_request(hold_token: &str) -> BookingRequest {
    BookingRequest {
        hold_token: hold_token.to_string(),
        patient_type: PatientType::Returning,
        patient: PatientDetails {
            first_name: "Ana".into(),
            last_name: "Lopez".into(),
            date_of_birth: "1988-04-12".into(),
            phone: "+1 415 510 9999".into(),
            email: "ana@example.com".into(),
            pet: None,
        },
        insurance: InsuranceChoice::SelfPay,
        notes: Some("Sensitive upper left molar".into()),
        referral: Some(Referral {
            referrer: Some("https://www.google.com/".into()),
            utm_source: Some("google".into()),
            ..Default::default()
        }),
        verified: None,
        link: None,
        lang: None,
    }
}

/// A number never handed out twice in this process.
pub fn unique_key() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    Timestamp::now().as_second()
}
