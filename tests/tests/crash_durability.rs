//! Kill the server (SIGKILL) in the middle of a stream of bookings, start it again on the same
//! SQLite file: every booking the server acknowledged is still there, and nothing overlaps.

use crate::common::cli_server::{demo_database, free_port, wait_until_up};
use slotwise_shared::api::{
    BookingRequest, HoldRequest, InsuranceChoice, PatientDetails, ProviderChoice, SlotsParams,
};
use slotwise_shared::client::ApiClient;
use slotwise_shared::model::PatientType;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SLUG: &str = "brightside-dental";

fn serve(database_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_slotwise-cli"))
        .args([
            "serve",
            "--database-url",
            database_url,
            "--bind",
            &format!("127.0.0.1:{port}"),
        ])
        .args([
            "--booking-rate-per-minute",
            "0",
            "--max-live-holds-per-client",
            "0",
            "--slots-rate-per-minute",
            "0",
        ])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("start slotwise")
}

fn booking(hold_token: String, n: usize) -> BookingRequest {
    BookingRequest {
        hold_token,
        patient_type: PatientType::Returning,
        patient: PatientDetails {
            first_name: "Crash".into(),
            last_name: "Test".into(),
            date_of_birth: "1980-05-05".into(),
            phone: format!("+1415{:07}", 5_000_000 + n),
            email: format!("crash{n}@example.com"),
            pet: None,
        },
        insurance: InsuranceChoice::SelfPay,
        notes: None,
        referral: None,
        verified: None,
        link: None,
        lang: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_acknowledged_before_a_crash_survive_it() {
    let (dir, database_url) = demo_database("crash");

    let port = free_port();
    let mut server = serve(&database_url, port);
    let client = ApiClient::new(format!("http://127.0.0.1:{port}"));
    wait_until_up(&client).await;

    // Every free time of the two dentists for a 30-minute checkup over a month.
    let config = client.booking_config(SLUG).await.expect("config");
    let checkup = config
        .reasons
        .iter()
        .find(|r| r.name == "Checkup")
        .expect("checkup")
        .id;
    let mut times = Vec::new();
    for provider in &config
        .reasons
        .iter()
        .find(|r| r.id == checkup)
        .expect("reason")
        .provider_ids
    {
        let params = SlotsParams {
            reason: checkup,
            provider: ProviderChoice::Id(*provider),
            patient: None,
            location: None,
            from: None,
            days: Some(31),
            lang: None,
        };
        let slots = client.slots(SLUG, &params).await.expect("slots");
        times.extend(
            slots
                .days
                .into_iter()
                .flat_map(|d| d.slots)
                .map(|s| HoldRequest {
                    reason: checkup,
                    provider: *provider,
                    start: s.start,
                    lang: None,
                }),
        );
    }
    let times = Arc::new(times);
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let (client, times, acknowledged, next) = (
                client.clone(),
                times.clone(),
                acknowledged.clone(),
                next.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(req) = times.get(i) else { break };
                    let Ok(hold) = client.hold(SLUG, req).await else {
                        continue;
                    };
                    // A refused booking, or one cut off by the crash, was never acknowledged.
                    if let Ok(created) = client
                        .book(SLUG, &format!("crash-{i}"), &booking(hold.hold_token, i))
                        .await
                    {
                        acknowledged
                            .lock()
                            .expect("lock")
                            .push(created.manage_token);
                    }
                }
            })
        })
        .collect();

    // Let bookings flow, then pull the plug without any warning.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().expect("kill");
    let _ = server.wait();
    for w in workers {
        let _ = w.await;
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= 5,
        "bookings were flowing before the crash ({})",
        acknowledged.len()
    );

    eprintln!(
        "{} bookings acknowledged before the kill",
        acknowledged.len()
    );
    let port = free_port();
    let mut server = serve(&database_url, port);
    let client = ApiClient::new(format!("http://127.0.0.1:{port}"));
    wait_until_up(&client).await;
    let mut missing = 0;
    for token in &acknowledged {
        match client.booking(SLUG, token).await {
            Ok(view) if view.status == slotwise_shared::model::AppointmentStatus::Booked => {}
            _ => missing += 1,
        }
    }
    let overlaps = Command::new(env!("CARGO_BIN_EXE_slotwise-cli"))
        .args(["check-overlaps", "--database-url", &database_url])
        .output()
        .expect("check overlaps");
    server.kill().expect("kill");
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        missing,
        0,
        "every acknowledged booking survives ({} acknowledged)",
        acknowledged.len()
    );
    assert_eq!(
        String::from_utf8_lossy(&overlaps.stdout).trim(),
        "overlaps=0"
    );
}
