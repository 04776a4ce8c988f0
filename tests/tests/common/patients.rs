//! Helpers for patient tests: the one-time code a contact was sent (read from the outbox, as
//! the patient would read it on their phone), and a verified household.

use super::TestApp;
use slotwise_shared::patients::{LookupRequest, VerifiedHousehold, VerifyRequest};
use std::time::{Duration, Instant};

/// Verification messages queued to `recipient` so far.
pub async fn codes_sent_to(app: &TestApp, recipient: &str) -> Vec<String> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT context FROM outbox WHERE event = 'verification_code' AND recipient = $1 ORDER BY id",
    )
    .bind(recipient)
    .fetch_all(&app.db().read)
    .await
    .expect("outbox");
    rows.iter()
        .map(|c| {
            let v: serde_json::Value = serde_json::from_str(c).expect("context");
            v["code"].as_str().expect("code").to_string()
        })
        .collect()
}

/// Waits for the `n`th code (1-based) sent to `recipient`.
pub async fn nth_code(app: &TestApp, recipient: &str, n: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let codes = codes_sent_to(app, recipient).await;
        if codes.len() >= n {
            return codes[n - 1].clone();
        }
        assert!(Instant::now() < deadline, "no code reached {recipient}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Looks `contact` up and waits for its newest code.
pub async fn request_code(app: &TestApp, slug: &str, contact: &str) -> String {
    let before = codes_sent_to(app, contact).await.len();
    app.client
        .lookup_patient(
            slug,
            &LookupRequest {
                contact: contact.into(),
                lang: None,
            },
        )
        .await
        .expect("lookup");
    nth_code(app, contact, before + 1).await
}

/// A verified household of `contact` (already on file).
pub async fn verified(app: &TestApp, slug: &str, contact: &str) -> VerifiedHousehold {
    let code = request_code(app, slug, contact).await;
    app.client
        .verify_patient(
            slug,
            &VerifyRequest {
                contact: contact.into(),
                code,
                lang: None,
            },
        )
        .await
        .expect("verify")
}
