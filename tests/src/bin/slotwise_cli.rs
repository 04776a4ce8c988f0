//! The `slotwise` command line as the integration tests run it in a child process (Cargo hands
//! a package's tests only the paths of that package's own binaries): the same `cli::run` as
//! the server's `slotwise` binary.

use clap::Parser;
use slotwise_server::cli::{run, Cli};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    run(Cli::parse()).await
}
