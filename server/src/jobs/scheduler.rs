//! The periodic automation jobs (recall, procedures' next visits, waitlist offers for freed
//! times), safe with several server instances: a job runs under a lease in
//! the database, so one instance runs it at a time; an instance that stops mid-run loses the
//! lease when it runs out and another takes over. Jobs work from the data (who is due now),
//! not from the time of the last run, so after downtime the next run catches up; and every
//! message they queue has a cause that can queue it once, so a run repeated after a crash
//! sends nothing twice.

use crate::automations::recall::{run_all, RecallEnv};
use crate::clock::now_seconds;
use crate::state::AppState;
use crate::store::automations::{release_lease, take_lease};
use std::time::Duration;

/// The recall job's name in `job_leases`.
pub const RECALL_JOB: &str = "recall";

/// Starts the periodic jobs of this instance.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.config.automations_every);
        loop {
            tick.tick().await;
            match run_leased(&state, RECALL_JOB).await {
                Ok(Some(n)) if n > 0 => tracing::info!(messaged = n, "recall run finished"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "recall run failed"),
            }
        }
    });
}

/// Runs a job if this instance gets its lease: `Some(patients messaged)`, or `None` when
/// another instance holds it.
pub async fn run_leased(state: &AppState, job: &str) -> anyhow::Result<Option<usize>> {
    let lease = lease_length(state.config.automations_every);
    let now = now_seconds();
    if !take_lease(&state.db, job, &state.instance, now, now + lease).await? {
        return Ok(None);
    }
    let result = run_recall(state, now).await;
    release_lease(&state.db, job, &state.instance, now_seconds()).await?;
    result.map(Some)
}

/// Runs every recall rule and announces procedures' visits now due, once, without the lease (the scheduler takes it first), and wakes
/// this instance's outbox worker for what was queued.
pub async fn run_recall(state: &AppState, now: i64) -> anyhow::Result<usize> {
    let public_url = state.public_url();
    let env = RecallEnv {
        db: &state.db,
        catalogs: &state.catalogs,
        public_url: &public_url,
    };
    let messaged = run_all(env, now).await?
        + crate::procedures::step_due::run_step_due(&state.db, &state.catalogs, &public_url, now)
            .await?
        // Deadlines first: a time released now is offered to the waitlist in the same run.
        + crate::booking::confirmation::run_deadlines(&state.db, &state.catalogs, &public_url, now)
            .await?
        + crate::booking::refill::run_refill(&state.db, &state.catalogs, &public_url, now).await?;
    if messaged > 0 {
        state.outbox.wake();
    }
    Ok(messaged)
}

/// A lease outlives a normal run by far, and runs out soon after a stopped instance's would
/// have ended.
fn lease_length(every: Duration) -> i64 {
    i64::try_from(every.as_secs()).unwrap_or(300).clamp(60, 600) * 2
}
