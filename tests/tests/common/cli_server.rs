//! The `slotwise` command as a separate process (the tests package's `slotwise-cli`): a demo
//! database in a scratch directory, a free port, and waiting for the server to answer.

use slotwise_shared::client::ApiClient;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A fresh scratch directory named for this test process, and the URL of a SQLite database
/// in it with the demo practices.
pub fn demo_database(name: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("slotwise_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let database_url = format!("sqlite://{}", dir.join(format!("{name}.db")).display());
    let seeded = Command::new(env!("CARGO_BIN_EXE_slotwise-cli"))
        .args(["demo", "--database-url", &database_url])
        .stdout(Stdio::null())
        .status()
        .expect("seed");
    assert!(seeded.success());
    (dir, database_url)
}

/// Waits (up to 30 s) until the server answers its health check.
pub async fn wait_until_up(client: &ApiClient) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while client.healthz().await.is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
