//! Nothing that identifies a patient reaches the server's log: a booking at a practice whose
//! messages go through the local transport (every practice that has not set up SMS or email)
//! logs the message's id, event and channel, never its text with the patient's name, contact
//! and links.

use crate::common::cli_server::{demo_database, free_port, wait_until_up};
use slotwise_shared::api::{
    BookingRequest, HoldRequest, InsuranceChoice, PatientDetails, ProviderChoice, SlotsParams,
};
use slotwise_shared::client::ApiClient;
use slotwise_shared::model::PatientType;
use std::process::Command;
use std::time::{Duration, Instant};

const SLUG: &str = "brightside-dental";
const NAME: &str = "Zebediah";
const EMAIL: &str = "zebediah.quill@example.com";
const PHONE: &str = "+14155109876";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_transport_booking_logs_no_name_contact_or_token() {
    let (dir, database_url) = demo_database("logs");
    let port = free_port();
    let log_path = dir.join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut server = Command::new(env!("CARGO_BIN_EXE_slotwise-cli"))
        .args(["serve", "--database-url", &database_url])
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "info")
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start slotwise");
    let client = ApiClient::new(format!("http://127.0.0.1:{port}"));
    wait_until_up(&client).await;

    let config = client.booking_config(SLUG).await.expect("config");
    let checkup = config
        .reasons
        .iter()
        .find(|r| r.name == "Checkup")
        .expect("checkup");
    let params = SlotsParams {
        reason: checkup.id,
        provider: ProviderChoice::Any,
        patient: None,
        location: None,
        from: None,
        days: Some(14),
        lang: None,
    };
    let slot = client
        .slots(SLUG, &params)
        .await
        .expect("slots")
        .days
        .into_iter()
        .flat_map(|d| d.slots)
        .next()
        .expect("a free time");
    let hold = client
        .hold(
            SLUG,
            &HoldRequest {
                reason: checkup.id,
                provider: slot.provider,
                start: slot.start,
                lang: None,
            },
        )
        .await
        .expect("hold");
    let request = BookingRequest {
        hold_token: hold.hold_token.clone(),
        patient_type: PatientType::New,
        patient: PatientDetails {
            first_name: NAME.into(),
            last_name: "Quillfeather".into(),
            date_of_birth: "1984-02-29".into(),
            phone: PHONE.into(),
            email: EMAIL.into(),
            pet: None,
        },
        insurance: InsuranceChoice::SelfPay,
        notes: None,
        referral: None,
        verified: None,
        link: None,
        lang: None,
    };
    let booked = client
        .book(SLUG, "log-privacy-1", &request)
        .await
        .expect("booking");

    // The confirmation goes through the local transport within moments.
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if text.matches("local transport").count() >= 2 {
            break text;
        }
        assert!(Instant::now() < deadline, "no local-transport line: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = server.kill();
    let _ = server.wait();
    let phone_digits = &PHONE[2..];
    for secret in [
        NAME,
        "Quillfeather",
        EMAIL,
        phone_digits,
        booked.manage_token.as_str(),
        hold.hold_token.as_str(),
    ] {
        assert!(!text.contains(secret), "the log names {secret:?}:\n{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
