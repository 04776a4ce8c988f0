//! The `slotwise` command line: serve the API, set up practices and staff, create the demo,
//! or apply migrations. The top of the server: each command parses its flags and calls one
//! function below it.

mod setup;

use crate::config::ServeConfig;
use crate::store::db::Db;
use crate::{demo, startup, store};
use clap::{Args, Parser, Subcommand};
use setup::{PracticeCommand, StaffCommand};

#[derive(Parser)]
#[command(
    name = "slotwise",
    version,
    about = "Online appointment booking for clinics"
)]
pub struct Cli {
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true, env = "SLOTWISE_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
pub struct Database {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user:pass@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://slotwise.db")]
    pub database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve(Box<ServeConfig>),
    /// Create an API key for a practice (printed once; only its hash is stored).
    ApiKey {
        #[command(flatten)]
        db: Database,
        /// The practice's slug.
        #[arg(long)]
        practice: String,
        /// What the key is for.
        #[arg(long, default_value = "")]
        label: String,
        /// What the key may do: owner, admin or front_desk.
        #[arg(long, default_value = "owner", value_parser = setup::role)]
        role: slotwise_shared::admin::StaffRole,
    },
    /// Create a practice with one location ("Main office"); then `staff create` its owner
    /// and set it up in the console.
    #[command(name = "practice", subcommand)]
    Practice(PracticeCommand),
    /// Staff accounts of the console.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Create the demo practice (idempotent) and print how to reach it.
    Demo {
        #[command(flatten)]
        db: Database,
        /// Origins of the host pages allowed to embed the demo practice's widget.
        #[arg(long, value_delimiter = ',')]
        allowed_origins: Vec<String>,
    },
    /// Create the benchmark practice (many providers, thousands of appointments).
    #[command(hide = true)]
    SeedBench {
        #[command(flatten)]
        db: Database,
        #[arg(long, default_value_t = 50)]
        providers: usize,
        #[arg(long, default_value_t = 10_000)]
        appointments: usize,
    },
    /// Count blocking appointments that overlap another (always 0; used by benchmarks).
    #[command(hide = true)]
    CheckOverlaps(Database),
    /// Apply database migrations and exit.
    Migrate(Database),
}

/// Runs one command against an opened and migrated database, closing it afterwards.
pub async fn with_db<T>(
    db: &Database,
    work: impl AsyncFnOnce(&Db) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let db = Db::open(&db.database_url).await?;
    let result = work(&db).await;
    db.close().await;
    result
}

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    init_logs(cli.log_json);
    run_command(cli.command).await
}

async fn run_command(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(config) => {
            let demo_host = config.demo_host_bind;
            let server = startup::start(*config).await?;
            let page = match demo_host {
                Some(bind) => {
                    let api = server.state.public_url();
                    let page = demo::host::start(bind, &api, demo::DEMO_SLUG).await?;
                    tracing::info!(url = %page.url(), "demo host page");
                    Some(page)
                }
                None => None,
            };
            startup::shutdown_signal().await;
            tracing::info!("shutting down");
            if let Some(page) = page {
                page.stop();
            }
            server.stop().await
        }
        Command::ApiKey {
            db,
            practice,
            label,
            role,
        } => setup::api_key(&db, &practice, &label, role).await,
        Command::Practice(command) => setup::practice(command).await,
        Command::Staff(command) => setup::staff(command).await,
        Command::Demo {
            db,
            allowed_origins,
        } => {
            for line in with_db(&db, async |db| demo::create(db, &allowed_origins).await).await? {
                println!("{line}");
            }
            Ok(())
        }
        Command::SeedBench {
            db,
            providers,
            appointments,
        } => {
            let bench = with_db(&db, async |db| {
                demo::bench::seed_bench_practice(db, providers, appointments).await
            })
            .await?;
            println!(
                "slug={} reason={} providers={} appointments={}",
                demo::bench::BENCH_SLUG,
                bench.reason_id,
                bench.provider_ids.len(),
                bench.appointments
            );
            Ok(())
        }
        Command::CheckOverlaps(db) => {
            let overlaps = with_db(&db, async |db| {
                Ok(store::appointments::overlapping_pairs(db).await?)
            })
            .await?;
            println!("overlaps={overlaps}");
            Ok(())
        }
        Command::Migrate(db) => {
            with_db(&db, async |_| Ok(())).await?;
            println!("Migrations applied.");
            Ok(())
        }
    }
}

/// Human-readable or JSON log lines, filtered by `RUST_LOG` (default: info).
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
