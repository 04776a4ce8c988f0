//! SQLite group commit: concurrent units of writes share transactions, yet each one's changes
//! are kept or undone on its own.

use futures::future::join_all;
use slotwise_server::store::db::Db;
use slotwise_server::store::write_batch::{BoxFuture, WriteOutcome};
use sqlx::AnyConnection;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_unit_in_a_shared_batch_commits_or_rolls_back_alone() {
    let dir = std::env::temp_dir().join(format!("slotwise_group_commit_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = Db::connect(&format!("sqlite://{}", dir.join("t.db").display()))
        .await
        .expect("connect");
    sqlx::query("CREATE TABLE t (n INTEGER NOT NULL UNIQUE)")
        .execute(&db.write)
        .await
        .expect("table");
    sqlx::query("INSERT INTO t (n) VALUES (-1)")
        .execute(&db.write)
        .await
        .expect("row");

    let units = (0..200i64).map(|n| {
        let db = db.clone();
        tokio::spawn(async move {
            db.write(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (n) VALUES ($1)")
                        .bind(n)
                        .execute(&mut *conn)
                        .await?;
                    match n % 3 {
                        0 => Ok(WriteOutcome::Commit(n)),
                        1 => Ok(WriteOutcome::Rollback(n)),
                        // A failing statement after a successful one: the whole unit is undone.
                        _ => sqlx::query("INSERT INTO t (n) VALUES (-1)")
                            .execute(&mut *conn)
                            .await
                            .map(|_| WriteOutcome::Commit(n)),
                    }
                })
            })
            .await
        })
    });
    let results: Vec<_> = join_all(units)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    let failed = results.iter().filter(|r| r.is_err()).count();
    let rows: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
        .fetch_all(&db.read)
        .await
        .expect("rows");
    let expected: Vec<i64> = std::iter::once(-1)
        .chain((0..200).filter(|n| n % 3 == 0))
        .collect();
    assert_eq!(rows, expected, "only the committed units' rows remain");
    // Every n % 3 == 2 unit collides with the existing row and fails.
    assert_eq!(failed, (0..200).filter(|n| n % 3 == 2).count());
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
