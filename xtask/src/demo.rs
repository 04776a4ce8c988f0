//! `cargo xtask demo`: the product on SQLite with the demo practice, one command.

use crate::run::{build_server_release, root, status};
use std::process::Command;

/// Default port of the API.
const API_PORT: u16 = 8080;
/// Port of the demo host page (a different origin than the API, as on a real website).
const HOST_PORT: u16 = 8081;

pub fn run(args: &[String]) -> Result<(), String> {
    let port = flag(args, "--port").unwrap_or(API_PORT);
    let host_port = flag(args, "--host-port").unwrap_or(HOST_PORT);
    let widget_dir = crate::widget::build()?;
    let admin_dir = crate::widget::build_admin()?;
    let server = build_server_release()?;
    let data = root().join(".slotwise");
    std::fs::create_dir_all(&data).map_err(|e| format!("creating {}: {e}", data.display()))?;
    let database_url = format!("sqlite://{}", data.join("demo.db").display());
    let host_origin = format!("http://127.0.0.1:{host_port}");
    status(Command::new(&server).args([
        "demo",
        "--database-url",
        &database_url,
        "--allowed-origins",
        &format!("{host_origin},http://localhost:{host_port}"),
    ]))?;
    let api = format!("http://127.0.0.1:{port}");
    println!();
    println!(
        "Slotwise demo (SQLite file {})",
        data.join("demo.db").display()
    );
    println!("  Demo practice website (embeds the widget, another origin): {host_origin}/");
    println!("  Staff console:        {api}/admin/ (sign in with the staff login printed above)");
    println!("  Direct booking page:  {api}/book/brightside-dental");
    println!("  Host page, hostile CSS: {host_origin}/hostile.html");
    println!("  API health:      {api}/healthz");
    println!("  Booking config:  {api}/api/v1/practices/brightside-dental/booking-config");
    println!("  Free times:      {api}/api/v1/practices/brightside-dental/slots?reason=3&provider=any&days=7");
    println!("  Admin API:       {api}/api/v1/openapi.json (cookie session, or the practice API key printed above as `Authorization: Bearer KEY`); the log shows each message of the local transport");
    println!("Press Ctrl-C to stop.");
    println!();
    status(Command::new(&server).args([
        "serve",
        "--database-url",
        &database_url,
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--public-url",
        &api,
        "--widget-dir",
        &widget_dir.to_string_lossy(),
        "--admin-dir",
        &admin_dir.to_string_lossy(),
        "--demo-host-bind",
        &format!("127.0.0.1:{host_port}"),
        // A new recall rule sends within seconds, not the production five minutes.
        "--automations-seconds",
        "15",
        // Practice systems and mail relays tried out beside the demo run on this machine.
        "--allow-private-outbound",
        // The demo's patients read their codes and links in the log (the local transport).
        "--log-local-message-text",
    ]))
}

fn flag(args: &[String], name: &str) -> Option<u16> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}
