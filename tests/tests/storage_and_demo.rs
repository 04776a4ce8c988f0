//! The storage settings the durability rules rely on, and the demo practice: created once with
//! everything the issue names, and creating it again changes nothing.

use slotwise_server::demo::seed_demo_practice;
use slotwise_server::store::db::Db;

fn temp_sqlite(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("slotwise_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}", dir.join("t.db").display());
    (dir, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    let (dir, url) = temp_sqlite("pragmas");
    let db = Db::connect(&url).await.expect("connect");
    for pool in [&db.read, &db.write] {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(pool)
            .await
            .expect("journal_mode");
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(pool)
            .await
            .expect("synchronous");
        let fks: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(pool)
            .await
            .expect("foreign_keys");
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL");
        assert_eq!(fks, 1);
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

async fn counts(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "practices",
        "locations",
        "providers",
        "provider_hours",
        "time_off",
        "reasons",
        "reason_providers",
        "insurance_carriers",
        "operatories",
    ] {
        out.push(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&db.read)
                .await
                .expect("count"),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_practice_is_created_once_with_a_block_off_and_can_be_created_again() {
    let (dir, url) = temp_sqlite("demo");
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let first = seed_demo_practice(
        &db,
        "demo",
        "Brightside Dental",
        &["http://a.example".into()],
    )
    .await
    .expect("seed");
    assert!(first.created);
    assert_eq!(
        (
            first.providers.len(),
            first.reasons.len(),
            first.carriers.len()
        ),
        (4, 6, 8)
    );
    let before = counts(&db).await;
    assert_eq!(before[0..2], [1, 2], "one practice, two locations");
    assert_eq!(before[4], 1, "one block-off");
    let again = seed_demo_practice(
        &db,
        "demo",
        "Brightside Dental",
        &["http://b.example".into()],
    )
    .await
    .expect("seed again");
    assert!(!again.created);
    assert_eq!(counts(&db).await, before, "nothing created twice");
    let origins: String = sqlx::query_scalar("SELECT allowed_origins FROM practices")
        .fetch_one(&db.read)
        .await
        .expect("origins");
    assert_eq!(
        origins, "http://b.example",
        "the allowed origins follow the latest call"
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
