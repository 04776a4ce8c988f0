//! Wiring: connect, migrate, bind, start background jobs, serve until asked to stop.

use crate::booking::slots_cache::SlotsCache;
use crate::catalog::CatalogCache;
use crate::config::ServeConfig;
use crate::jobs;
use crate::notify::delivery::Deliverer;
use crate::notify::worker::{self, OutboxWake};
use crate::rate_limit::free_times::SlotsLimiter;
use crate::rate_limit::{CreateLimiter, LoginLimiter};
use crate::routes;
use crate::staff::decoy_lockouts::DecoyLockouts;
use crate::state::AppState;
use crate::store::db::Db;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server.
pub struct RunningServer {
    /// Where it listens (the real port when 0 was asked for).
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    /// The outbox worker of this instance (when enabled).
    pub worker: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the outbox worker uses to deliver (for starting another worker, e.g. in tests).
    pub fn deliverer(&self) -> anyhow::Result<Deliverer> {
        deliverer(&self.state)
    }

    /// Stops the outbox worker at once, wherever it is (a delivery in flight is abandoned
    /// and later treated as an attempt with an unknown outcome).
    pub fn kill_worker(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.abort();
        }
    }

    /// Starts an outbox worker if none runs.
    pub fn start_worker(&mut self) -> anyhow::Result<()> {
        if self.worker.is_none() {
            self.worker = Some(worker::spawn(self.deliverer()?, self.state.outbox.clone()));
        }
        Ok(())
    }

    /// Stops accepting, finishes in-flight requests, closes the database.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.kill_worker();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await??;
        self.state.db.close().await;
        Ok(())
    }

    /// Runs until the task ends (e.g. after Ctrl-C / SIGTERM handling in `serve`).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await??;
        Ok(())
    }
}

/// The outbox worker's parts for this server's settings.
fn deliverer(state: &AppState) -> anyhow::Result<Deliverer> {
    let settings = state.config.outbox.clone();
    let allow_private = state.config.allow_private_outbound;
    let http = crate::outbound::client(
        settings.send_timeout,
        settings.send_timeout.min(std::time::Duration::from_secs(5)),
        allow_private,
    )?;
    Ok(Deliverer {
        db: state.db.clone(),
        http,
        settings,
        public_url: state.public_url(),
        allow_private,
    })
}

/// Connects, migrates and starts serving in the background.
pub async fn start(mut config: ServeConfig) -> anyhow::Result<RunningServer> {
    let db = Db::open(&config.database_url).await?;
    start_with_db(db, &mut config).await
}

/// Like [`start`], on an already connected and migrated database.
pub async fn start_with_db(db: Db, config: &mut ServeConfig) -> anyhow::Result<RunningServer> {
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    config.allowed_origins.retain(|o| !o.is_empty());
    if config.public_url.is_empty() {
        config.public_url = format!("http://{addr}");
    }
    let state = AppState {
        db: db.clone(),
        catalogs: Arc::new(CatalogCache::new(config.catalog_ttl)),
        limiter: CreateLimiter::new(
            config.booking_rate_per_minute,
            config.max_live_holds_per_client,
            config.trust_forwarded_for,
        ),
        slots_limiter: SlotsLimiter::new(config.slots_rate_per_minute, config.trust_forwarded_for),
        logins: LoginLimiter::new(config.login_attempts_per_minute),
        decoys: DecoyLockouts::default(),
        slots_cache: Arc::new(SlotsCache::new(
            config.slots_cache_ttl,
            config.slots_cache_bytes,
        )),
        outbox: OutboxWake::default(),
        pms: crate::pms::PmsClient::new(
            config.pms_timeout,
            &config.public_url,
            config.allow_private_outbound,
        )?,
        config: Arc::new(config.clone()),
        instance: Arc::from(crate::tokens::new_token()),
    };
    jobs::spawn(state.clone());
    let worker = if config.outbox.worker {
        Some(worker::spawn(deliverer(&state)?, state.outbox.clone()))
    } else {
        None
    };
    let app = routes::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    tracing::info!(%addr, backend = ?db.backend, "listening");
    Ok(RunningServer {
        addr,
        state,
        shutdown: Some(tx),
        task,
        worker,
    })
}

/// Waits for Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
