//! `slotwise`: serve the API, create the demo practice, or apply migrations.

use clap::{Args, Parser, Subcommand};
use slotwise_server::config::{OutboxSettings, ServeConfig};
use slotwise_server::db::Db;
use slotwise_server::demo::{seed_demo_practice, DEMO_SLUG};
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "slotwise",
    version,
    about = "Online appointment booking for clinics"
)]
struct Cli {
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true, env = "SLOTWISE_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct DatabaseArgs {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user:pass@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://slotwise.db")]
    database_url: String,
}

#[derive(Args)]
struct OutboxArgs {
    /// Don't deliver messages from this instance (another instance does).
    #[arg(long, env = "SLOTWISE_NO_OUTBOX_WORKER")]
    no_outbox_worker: bool,
    /// Attempts before a message is given up (dead).
    #[arg(long, env = "SLOTWISE_OUTBOX_MAX_ATTEMPTS", default_value_t = 8)]
    outbox_max_attempts: i64,
    /// First retry delay in seconds; doubles per attempt up to an hour.
    #[arg(long, env = "SLOTWISE_OUTBOX_BACKOFF_SECONDS", default_value_t = 30)]
    outbox_backoff_seconds: u64,
    /// Longest wait for an SMS, WhatsApp or email provider's answer, in seconds.
    #[arg(
        long,
        env = "SLOTWISE_OUTBOX_SEND_TIMEOUT_SECONDS",
        default_value_t = 15
    )]
    outbox_send_timeout_seconds: u64,
}

impl OutboxArgs {
    fn settings(&self) -> OutboxSettings {
        let send_timeout = Duration::from_secs(self.outbox_send_timeout_seconds.max(1));
        OutboxSettings {
            worker: !self.no_outbox_worker,
            max_attempts: self.outbox_max_attempts.max(1),
            backoff_base: Duration::from_secs(self.outbox_backoff_seconds.max(1)),
            send_timeout,
            lease: (send_timeout * 4).max(Duration::from_secs(60)),
            ..OutboxSettings::default()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Address to listen on.
        #[arg(long, env = "SLOTWISE_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// URL patients reach this server at (for links in messages); defaults to http://BIND.
        #[arg(long, env = "SLOTWISE_PUBLIC_URL", default_value = "")]
        public_url: String,
        /// Browser origins allowed for every practice (comma-separated), besides each
        /// practice's own list.
        #[arg(long, env = "SLOTWISE_ALLOWED_ORIGINS", value_delimiter = ',')]
        allowed_origins: Vec<String>,
        /// Holds and bookings one client address may create per minute (0 = unlimited).
        #[arg(long, env = "SLOTWISE_BOOKING_RATE_PER_MINUTE", default_value_t = 120)]
        booking_rate_per_minute: u32,
        /// Unexpired holds one client address may keep at once (0 = no cap).
        #[arg(long, env = "SLOTWISE_MAX_LIVE_HOLDS_PER_CLIENT", default_value_t = 5)]
        max_live_holds_per_client: u32,
        /// Staff sign-in attempts one client address may make per minute.
        #[arg(long, env = "SLOTWISE_LOGIN_ATTEMPTS_PER_MINUTE", default_value_t = 10)]
        login_attempts_per_minute: u32,
        /// Behind a reverse proxy: take the client address from the last X-Forwarded-For entry.
        #[arg(long, env = "SLOTWISE_TRUST_FORWARDED_FOR")]
        trust_forwarded_for: bool,
        /// Seconds practice settings stay cached in memory.
        #[arg(long, env = "SLOTWISE_CATALOG_TTL_SECONDS", default_value_t = 5)]
        catalog_ttl_seconds: u64,
        /// Milliseconds a free-times answer may be reused by this instance (0 = never).
        #[arg(long, env = "SLOTWISE_SLOTS_CACHE_MS", default_value_t = 2000)]
        slots_cache_ms: u64,
        /// Directory of the built widget (`trunk build --release` output).
        #[arg(long, env = "SLOTWISE_WIDGET_DIR", default_value = "dist/widget")]
        widget_dir: std::path::PathBuf,
        /// Directory of the built staff console (served at /admin).
        #[arg(long, env = "SLOTWISE_ADMIN_DIR", default_value = "dist/admin")]
        admin_dir: std::path::PathBuf,
        /// Also serve the demo host page (a practice website embedding the widget) here.
        #[arg(long, env = "SLOTWISE_DEMO_HOST_BIND")]
        demo_host_bind: Option<SocketAddr>,
        #[command(flatten)]
        outbox: OutboxArgs,
        /// Milliseconds to wait for a practice's own scheduling system (FHIR) to answer.
        #[arg(long, env = "SLOTWISE_PMS_TIMEOUT_MS", default_value_t = 5000)]
        pms_timeout_ms: u64,
        /// Seconds between reads of practice systems' busy time and retries of queued bookings.
        #[arg(long, env = "SLOTWISE_PMS_SYNC_SECONDS", default_value_t = 30)]
        pms_sync_seconds: u64,
        /// Seconds between runs of the recall job (one instance at a time runs it).
        #[arg(long, env = "SLOTWISE_AUTOMATIONS_SECONDS", default_value_t = 300)]
        automations_seconds: u64,
        /// This instance does not run the periodic automation jobs.
        #[arg(long, env = "SLOTWISE_NO_AUTOMATIONS")]
        no_automations: bool,
    },
    /// Create an API key for a practice (printed once; only its hash is stored).
    ApiKey {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The practice's slug.
        #[arg(long)]
        practice: String,
        /// What the key is for.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Practices (tenants).
    Practice {
        #[command(subcommand)]
        command: PracticeCommand,
    },
    /// Staff accounts of the console.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Create the demo practice (idempotent) and print how to reach it.
    Demo {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Origins of the host pages allowed to embed the demo practice's widget.
        #[arg(long, value_delimiter = ',')]
        allowed_origins: Vec<String>,
    },
    /// Create the benchmark practice (many providers, thousands of appointments).
    #[command(hide = true)]
    SeedBench {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long, default_value_t = 50)]
        providers: usize,
        #[arg(long, default_value_t = 10_000)]
        appointments: usize,
    },
    /// Count blocking appointments that overlap another (always 0; used by benchmarks).
    #[command(hide = true)]
    CheckOverlaps {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Subcommand)]
enum PracticeCommand {
    /// Create a practice with one location ("Main office"); then `staff create` its owner and
    /// set it up in the console.
    Create {
        #[command(flatten)]
        db: DatabaseArgs,
        /// Public name in links, e.g. `riverside-vets`.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. America/Chicago.
        #[arg(long)]
        timezone: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff account (e.g. the practice's first owner). Without a password one is
    /// generated and printed once.
    Create {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The practice's slug.
        #[arg(long)]
        practice: String,
        /// Login email.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// owner, admin or front_desk.
        #[arg(long, default_value = "owner")]
        role: String,
        /// At least 10 characters (or set SLOTWISE_STAFF_PASSWORD).
        #[arg(long, env = "SLOTWISE_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a new password for an account (ends its sessions and lifts a lockout).
    Password {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        email: String,
        #[arg(long, env = "SLOTWISE_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

/// A random password that passes the rules, for accounts made without one.
fn generated_password() -> String {
    slotwise_server::tokens::new_token()
        .chars()
        .take(20)
        .collect()
}

async fn staff_command(command: StaffCommand) -> anyhow::Result<()> {
    use slotwise_server::staff::accounts;
    match command {
        StaffCommand::Create {
            db,
            practice,
            email,
            name,
            role,
            password,
        } => {
            let role = slotwise_shared::admin::StaffRole::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be owner, admin or front_desk"))?;
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            let practice_id = accounts::practice_id_of(&db, &practice).await?;
            let (password, shown) = match password {
                Some(p) => (p, false),
                None => (generated_password(), true),
            };
            let made =
                accounts::create_staff(&db, practice_id, &email, &name, role, &password).await;
            db.close().await;
            made.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Created {} ({}) for {practice}.",
                email.trim(),
                role.label()
            );
            if shown {
                println!("Password (shown once): {password}");
            }
            Ok(())
        }
        StaffCommand::Password {
            db,
            email,
            password,
        } => {
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            let (password, shown) = match password {
                Some(p) => (p, false),
                None => (generated_password(), true),
            };
            let done = accounts::reset_password(&db, &email, &password).await;
            db.close().await;
            done?;
            println!("New password set for {}.", email.trim());
            if shown {
                println!("Password (shown once): {password}");
            }
            Ok(())
        }
    }
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logs(cli.log_json);
    match cli.command {
        Command::Serve {
            db,
            bind,
            public_url,
            allowed_origins,
            booking_rate_per_minute,
            max_live_holds_per_client,
            login_attempts_per_minute,
            trust_forwarded_for,
            catalog_ttl_seconds,
            slots_cache_ms,
            widget_dir,
            admin_dir,
            demo_host_bind,
            outbox,
            pms_timeout_ms,
            pms_sync_seconds,
            automations_seconds,
            no_automations,
        } => {
            let config = ServeConfig {
                bind,
                database_url: db.database_url,
                public_url,
                allowed_origins: allowed_origins
                    .into_iter()
                    .filter(|o| !o.is_empty())
                    .collect(),
                booking_rate_per_minute,
                max_live_holds_per_client,
                login_attempts_per_minute,
                trust_forwarded_for,
                catalog_ttl: Duration::from_secs(catalog_ttl_seconds),
                slots_cache_ttl: Duration::from_millis(slots_cache_ms),
                widget_dir,
                admin_dir,
                demo_host_bind,
                outbox: outbox.settings(),
                pms_timeout: Duration::from_millis(pms_timeout_ms),
                pms_sync_every: Duration::from_secs(pms_sync_seconds.max(1)),
                automations_every: Duration::from_secs(automations_seconds.max(1)),
                automations: !no_automations,
            };
            slotwise_server::startup::serve(config).await
        }
        Command::Staff { command } => staff_command(command).await,
        Command::Practice {
            command:
                PracticeCommand::Create {
                    db,
                    slug,
                    name,
                    timezone,
                    phone,
                },
        } => {
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            let made =
                slotwise_server::practices::create_practice(&db, &slug, &name, &timezone, &phone)
                    .await;
            db.close().await;
            made?;
            println!("Created the practice \"{slug}\". Next: slotwise staff create --practice {slug} --email … --name …");
            Ok(())
        }
        Command::Demo {
            db,
            allowed_origins,
        } => {
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            let seeded =
                seed_demo_practice(&db, DEMO_SLUG, "Brightside Dental", &allowed_origins).await?;
            let key = slotwise_server::api_keys::create_api_key(&db, DEMO_SLUG, "demo").await?;
            let login = slotwise_server::demo_console::demo_staff(&db, seeded.practice_id).await?;
            slotwise_server::demo_patients::demo_family(&db, seeded.practice_id).await?;
            slotwise_server::demo_patients::demo_vet_practice(&db, &allowed_origins).await?;
            slotwise_server::demo_automations::demo_history(
                &db,
                &seeded,
                slotwise_server::demo::TZ,
            )
            .await?;
            db.close().await;
            if seeded.created {
                println!("Created the demo practice \"{DEMO_SLUG}\".");
            } else {
                println!(
                    "The demo practice \"{DEMO_SLUG}\" already exists; allowed origins updated."
                );
            }
            println!(
                "Staff console login: {} / {} (owner; front desk: {} / same password)",
                login.owner_email, login.password, login.front_desk_email
            );
            println!(
                "Returning patient: look up +1 555 014 2233 (the Rivera family) in the widget; \
                 the 6-digit code is printed in the server log (messages stay on this machine)."
            );
            println!(
                "Existing-patients-only veterinary practice: /book/{} (new patients send a request; \
                 pet owner on file: +1 555 014 3344)",
                slotwise_server::demo_patients::VET_SLUG
            );
            println!(
                "Automations: four patients are due for a hygiene recall (last cleaning seven months \
                 ago) and the Riveras have visits in the next days: in the console, add a recall \
                 rule under Automations → Recall, or preview and send a broadcast."
            );
            println!("Practice API key (admin API; shown once): {key}");
            println!(
                "  e.g. curl -H 'Authorization: Bearer {key}' http://127.0.0.1:8080/api/v1/admin/messages"
            );
            Ok(())
        }
        Command::SeedBench {
            db,
            providers,
            appointments,
        } => {
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            let bench =
                slotwise_server::bench_seed::seed_bench_practice(&db, providers, appointments)
                    .await?;
            db.close().await;
            println!(
                "slug={} reason={} providers={} appointments={}",
                slotwise_server::bench_seed::BENCH_SLUG,
                bench.reason_id,
                bench.provider_ids.len(),
                bench.appointments
            );
            Ok(())
        }
        Command::CheckOverlaps { db } => {
            let db = Db::connect(&db.database_url).await?;
            let overlaps = slotwise_server::store::appointments::overlapping_pairs(&db).await?;
            db.close().await;
            println!("overlaps={overlaps}");
            Ok(())
        }
        Command::ApiKey {
            db,
            practice,
            label,
        } => {
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            let key = slotwise_server::api_keys::create_api_key(&db, &practice, &label).await?;
            db.close().await;
            println!("{key}");
            Ok(())
        }
        Command::Migrate { db } => {
            let db = Db::connect(&db.database_url).await?;
            db.migrate().await?;
            db.close().await;
            println!("Migrations applied.");
            Ok(())
        }
    }
}
