//! Group commit for SQLite: write jobs from many requests share one transaction and so one
//! `fsync`, each inside its own savepoint so a job that fails or backs out leaves the others
//! untouched. A job's caller hears back only after the shared COMMIT, so nothing is ever
//! acknowledged that is not durable. With `synchronous=FULL`, the fsync per commit is what
//! limits a single SQLite writer; batching is how one file keeps up with many patients.
//!
//! PostgreSQL does not need this: it runs each job in its own transaction (see `Db::write`).

use futures::FutureExt;
use sqlx::{AnyConnection, AnyPool, Executor};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// A boxed future borrowing the connection.
pub type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// What a write job decided.
#[derive(Debug)]
pub enum WriteOutcome<T> {
    /// Keep the job's changes.
    Commit(T),
    /// Undo the job's changes (if any) and hand `T` back.
    Rollback(T),
}

/// Most jobs in one transaction.
const MAX_BATCH: usize = 128;

/// A job with its result type erased, as the writer task sees it.
trait ErasedJob: Send {
    /// Runs the job; true if its changes are to be kept.
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool>;
    /// Reports the result once the batch's fate is known.
    fn finish(self: Box<Self>, committed: Result<(), String>);
}

type JobFn<T> = Box<
    dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<WriteOutcome<T>, sqlx::Error>>
        + Send,
>;

struct Job<T> {
    work: Option<JobFn<T>>,
    result: Option<Result<WriteOutcome<T>, sqlx::Error>>,
    reply: oneshot::Sender<Result<T, sqlx::Error>>,
}

impl<T: Send + 'static> ErasedJob for Job<T> {
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let Some(work) = self.work.take() else {
                return false;
            };
            let result = work(conn).await;
            let keep = matches!(result, Ok(WriteOutcome::Commit(_)));
            self.result = Some(result);
            keep
        })
    }

    fn finish(self: Box<Self>, committed: Result<(), String>) {
        let answer = match (self.result, committed) {
            // The batch could not be committed (database busy, connection lost, a deferred
            // check failing at COMMIT...): nothing of it was written (the failure is logged by
            // the writer), so every unit of it hears "busy, try again" (503) — also one that
            // backed out or failed, since what it saw may have been another unit's writes
            // that are now undone.
            (_, Err(_)) | (None, _) => Err(sqlx::Error::PoolTimedOut),
            (Some(Ok(WriteOutcome::Commit(value) | WriteOutcome::Rollback(value))), Ok(())) => {
                Ok(value)
            }
            (Some(Err(e)), Ok(())) => Err(e),
        };
        let _ = self.reply.send(answer);
    }
}

/// Handle to the writer task.
#[derive(Clone, Debug)]
pub struct WriteBatcher {
    jobs: mpsc::Sender<Box<dyn ErasedJob>>,
}

impl std::fmt::Debug for dyn ErasedJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("write job")
    }
}

impl WriteBatcher {
    /// Starts the writer task over the (single-connection) write pool.
    pub fn start(pool: AnyPool) -> Self {
        let (jobs, rx) = mpsc::channel(4096);
        tokio::spawn(writer(pool, rx));
        WriteBatcher { jobs }
    }

    /// Runs `work` in the next batch and returns its result after the batch committed.
    pub async fn run<T, F>(&self, work: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut AnyConnection,
            ) -> BoxFuture<'c, Result<WriteOutcome<T>, sqlx::Error>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn ErasedJob> = Box::new(Job {
            work: Some(Box::new(work)),
            result: None,
            reply,
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn writer(pool: AnyPool, mut rx: mpsc::Receiver<Box<dyn ErasedJob>>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = run_batch(&pool, &mut batch).await;
        if let Err(e) = &committed {
            tracing::error!(error = %e, jobs = batch.len(), "write batch failed");
        }
        for job in batch {
            job.finish(committed.clone());
        }
    }
}

async fn run_batch(pool: &AnyPool, batch: &mut [Box<dyn ErasedJob>]) -> Result<(), String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    conn.execute("BEGIN IMMEDIATE")
        .await
        .map_err(|e| e.to_string())?;
    for job in batch.iter_mut() {
        let step = async {
            conn.execute("SAVEPOINT job").await?;
            // A panicking job must not take the writer (and every later write) down with it.
            let keep = AssertUnwindSafe(job.run(&mut conn))
                .catch_unwind()
                .await
                .unwrap_or_else(|_| {
                    tracing::error!("a write job panicked; its changes are rolled back");
                    false
                });
            if !keep {
                conn.execute("ROLLBACK TO job").await?;
            }
            conn.execute("RELEASE job").await?;
            Ok::<_, sqlx::Error>(())
        };
        if let Err(e) = step.await {
            abandon(conn).await;
            return Err(e.to_string());
        }
    }
    if let Err(e) = conn.execute("COMMIT").await {
        abandon(conn).await;
        return Err(e.to_string());
    }
    Ok(())
}

/// Rolls back a failed batch. If even that fails, the connection is closed instead of going
/// back to the pool mid-transaction (the pool opens a fresh one).
async fn abandon(mut conn: sqlx::pool::PoolConnection<sqlx::Any>) {
    if conn.execute("ROLLBACK").await.is_err() {
        let _ = conn.close().await;
    }
}

/// A unit of writes for `Db::write`: `write_unit!(|conn| { … })` is the closure that runs the
/// block on the unit's connection and returns its `Result<WriteOutcome<_>, sqlx::Error>`.
#[macro_export]
macro_rules! write_unit {
    (|$conn:ident| $body:block) => {
        move |$conn: &mut ::sqlx::AnyConnection| -> $crate::store::write_batch::BoxFuture<'_, _> {
            ::std::boxed::Box::pin(async move $body)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Db;

    type Answer<T> = oneshot::Receiver<Result<T, sqlx::Error>>;

    fn unit<T: Send + 'static>(work: JobFn<T>) -> (Box<dyn ErasedJob>, Answer<T>) {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            work: Some(work),
            result: None,
            reply,
        };
        (Box::new(job), answer)
    }

    /// Runs three units as one batch through the writer: the first keeps a parent row, the
    /// second reads it and backs out with what it saw, the third adds a child pointing at
    /// `child_of` (checked only at COMMIT: the key is deferred). Their answers.
    async fn batch_of_three(
        db: &Db,
        child_of: i64,
    ) -> (
        Result<i64, String>,
        Result<i64, String>,
        Result<i64, String>,
    ) {
        let (kept, kept_answer) = unit(Box::new(crate::write_unit!(|conn| {
            sqlx::query("INSERT INTO parent (id) VALUES (1)")
                .execute(&mut *conn)
                .await?;
            Ok(WriteOutcome::Commit(1))
        })));
        let (backed_out, backed_out_answer) = unit(Box::new(crate::write_unit!(|conn| {
            let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parent")
                .fetch_one(&mut *conn)
                .await?;
            Ok(WriteOutcome::Rollback(seen))
        })));
        let (child, child_answer) = unit(Box::new(crate::write_unit!(|conn| {
            sqlx::query("INSERT INTO child (parent_id) VALUES ($1)")
                .bind(child_of)
                .execute(&mut *conn)
                .await?;
            Ok(WriteOutcome::Commit(child_of))
        })));
        // All three wait in the queue before the writer starts, so they share one batch.
        let (jobs, queue) = mpsc::channel(8);
        for job in [kept, backed_out, child] {
            jobs.try_send(job).expect("queued");
        }
        drop(jobs);
        writer(db.write.clone(), queue).await;
        let answer = |a: Result<Result<i64, sqlx::Error>, _>| {
            a.expect("answered").map_err(|e| e.to_string())
        };
        (
            answer(kept_answer.await),
            answer(backed_out_answer.await),
            answer(child_answer.await),
        )
    }

    #[tokio::test]
    async fn a_batch_whose_commit_fails_fails_every_unit_of_it() {
        let dir =
            std::env::temp_dir().join(format!("slotwise_batch_commit_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let db = Db::connect(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .expect("connect");
        for ddl in [
            "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL
             REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
        ] {
            sqlx::query(ddl).execute(&db.write).await.expect("table");
        }

        // Each savepoint is released without complaint; the dangling key fails the COMMIT.
        let (kept, backed_out, child) = batch_of_three(&db, 99).await;
        assert!(kept.is_err(), "the kept row was never written: {kept:?}");
        assert!(
            backed_out.is_err(),
            "what it saw was undone: {backed_out:?}"
        );
        assert!(child.is_err(), "{child:?}");
        let parents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM parent")
            .fetch_one(&db.read)
            .await
            .expect("count");
        assert_eq!(parents, 0, "nothing of the batch was written");

        // The same batch with a valid reference commits, and each unit hears its own answer.
        let (kept, backed_out, child) = batch_of_three(&db, 1).await;
        assert_eq!((kept, backed_out, child), (Ok(1), Ok(1), Ok(1)));
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
