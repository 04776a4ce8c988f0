//! `slotwise`: the server's command line (see `slotwise --help` and `slotwise_server::cli`).

use clap::Parser;
use slotwise_server::cli::{run, Cli};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    run(Cli::parse()).await
}
