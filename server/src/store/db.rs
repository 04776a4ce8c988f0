//! Database connection: SQLite (one file, WAL, `synchronous=FULL`) or PostgreSQL, one API.
//!
//! Queries go through sqlx's `Any` driver with `$n` placeholders, which both engines accept,
//! so every statement is written once. What differs (schema, the no-overlap mechanism, how a
//! write transaction starts) is chosen here and in the two migration folders.

use crate::store::write_batch::{BoxFuture, WriteBatcher, WriteOutcome};
use anyhow::Context;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::time::Duration;

/// Which engine is behind the pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Connection pools. On SQLite all writes go through one connection (SQLite has one writer
/// anyway; queuing in-process is cheaper than lock retries), reads through several.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: AnyPool,
    pub write: AnyPool,
    pub backend: Backend,
    /// Group commit of request writes (SQLite only).
    batcher: Option<WriteBatcher>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `url`: `postgres://...`, `sqlite://path`, or a bare file path (SQLite).
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        install_default_drivers();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = AnyPoolOptions::new()
                .max_connections(32)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            return Ok(Db {
                read: pool.clone(),
                write: pool,
                backend: Backend::Postgres,
                batcher: None,
            });
        }
        let url = sqlite_url(url);
        let write = sqlite_pool(&url, 1)
            .await
            .context("opening the SQLite database")?;
        let read = sqlite_pool(&url, 8)
            .await
            .context("opening the SQLite database")?;
        let batcher = Some(WriteBatcher::start(write.clone()));
        Ok(Db {
            read,
            write,
            backend: Backend::Sqlite,
            batcher,
        })
    }

    /// Connects and applies the migrations: what every command that uses the database does
    /// first.
    pub async fn open(url: &str) -> anyhow::Result<Db> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations of this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.write)
            .await
            .context("applying migrations")?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so read-then-write logic inside it cannot interleave with another.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    /// Runs a unit of writes atomically and durably: on SQLite in the next group-commit batch
    /// (inside a savepoint), on PostgreSQL in its own transaction. `Rollback` undoes the unit's
    /// changes; an error does too and is returned.
    pub async fn write<T, F>(&self, work: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut AnyConnection,
            ) -> BoxFuture<'c, Result<WriteOutcome<T>, sqlx::Error>>
            + Send
            + 'static,
    {
        if let Some(batcher) = &self.batcher {
            return batcher.run(work).await;
        }
        let mut tx = self.begin_write().await?;
        match work(&mut tx).await? {
            WriteOutcome::Commit(value) => {
                tx.commit().await?;
                Ok(value)
            }
            WriteOutcome::Rollback(value) => {
                tx.rollback().await?;
                Ok(value)
            }
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        self.read.execute("SELECT 1").await?;
        Ok(())
    }

    /// Closes every connection (flushes the SQLite WAL on the last one).
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// `sqlite://file?mode=rwc` for a URL or bare path, creating the file when missing.
fn sqlite_url(url: &str) -> String {
    let base = if url.starts_with("sqlite:") {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    };
    if base.contains('?') {
        base
    } else {
        format!("{base}?mode=rwc")
    }
}

async fn sqlite_pool(url: &str, max: u32) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // Durability and integrity settings are per connection in SQLite.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                Ok(())
            })
        })
        .connect(url)
        .await
}

/// Whether a database error is the no-overlap rule refusing a row (PostgreSQL exclusion
/// constraint or the SQLite trigger).
pub fn is_overlap(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("23P01") || db.message().contains("slot_overlap")
        }
        _ => false,
    }
}

/// Whether PostgreSQL gave up a transaction to break a deadlock or a serialization conflict.
/// Concurrent inserts that collide on an exclusion constraint can deadlock each other; the
/// victim wrote nothing and the right move is to try again.
pub fn is_retryable(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40P01") | Some("40001")))
}

/// Whether a database error is a unique-key violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("23505")
                || db.code().as_deref() == Some("2067")
                || db.code().as_deref() == Some("1555")
        }
        _ => false,
    }
}

/// Takes a transaction-long lock on a 64-bit key (PostgreSQL; SQLite's single writer
/// serialises writers already), so that work on one key waits for the work before it.
pub async fn lock_key(
    conn: &mut AnyConnection,
    postgres: bool,
    key: i64,
) -> Result<(), sqlx::Error> {
    if postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
