//! Helpers of the automation tests: patients with past visits, recall rules, and reading what
//! the outbox holds.

use super::TestApp;
use serde_json::Value;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::automations::{Audience, RecallRuleInput};

/// Adds `n` patients (each their own household) whose last visit, `days_ago` days ago, was a
/// completed `reason`; returns their ids. Phones are `+1415577NNNN` from `first`.
pub async fn patients_with_visit(
    app: &TestApp,
    reason: &str,
    days_ago: i64,
    first: usize,
    n: usize,
) -> Vec<i64> {
    let practice_id = app.demo.practice_id;
    let reason_id = app.reason(reason).0;
    let provider_id = app.provider("Dr. Maya Patel").0;
    let location_id: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM locations WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_one(&app.db().read)
            .await
            .expect("location");
    let start = super::now() - days_ago * 86_400;
    let mut ids = Vec::new();
    let mut tx = app.db().write.begin().await.expect("begin");
    for i in first..first + n {
        let phone = format!("+1415577{i:04}");
        let email = format!("recall{i}@example.com");
        let household: i64 = sqlx::query_scalar(
            "INSERT INTO households (practice_id, first_name, last_name, phone, email, created_at)
             VALUES ($1, $2, 'Recall', $3, $4, $5) RETURNING id",
        )
        .bind(practice_id)
        .bind(format!("Pat{i}"))
        .bind(&phone)
        .bind(&email)
        .bind(start)
        .fetch_one(&mut *tx)
        .await
        .expect("household");
        let patient: i64 = sqlx::query_scalar(
            "INSERT INTO patients (practice_id, first_name, last_name, date_of_birth, phone, email,
                 created_at, household_id)
             VALUES ($1, $2, 'Recall', '1980-05-01', $3, $4, $5, $6) RETURNING id",
        )
        .bind(practice_id)
        .bind(format!("Pat{i}"))
        .bind(&phone)
        .bind(&email)
        .bind(start)
        .bind(household)
        .fetch_one(&mut *tx)
        .await
        .expect("patient");
        sqlx::query(
            "INSERT INTO appointments (practice_id, provider_id, location_id, reason_id,
                 patient_id, status, starts_at, ends_at, block_start, block_end, source,
                 patient_type, self_pay, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'completed', $6, $7, $6, $7, 'staff', 'returning', 1,
                 $6, $6)",
        )
        .bind(practice_id)
        .bind(provider_id)
        .bind(location_id)
        .bind(reason_id)
        .bind(patient)
        .bind(start)
        .bind(start + 1800)
        .execute(&mut *tx)
        .await
        .expect("visit");
        ids.push(patient);
    }
    tx.commit().await.expect("commit");
    ids
}

/// "Hygiene recall": due 182 days after the last completed cleaning, booking a cleaning.
pub fn hygiene_rule(app: &TestApp) -> RecallRuleInput {
    RecallRuleInput {
        name: "Hygiene recall".into(),
        after_reason: Some(app.reason("Cleaning")),
        interval_days: 182,
        book_reason: app.reason("Cleaning"),
        channel: None,
        message: "it's time for your next {{ service }} at {{ clinic_name }}.".into(),
        audience: Audience::All,
        active: true,
    }
}

/// An owner of the demo practice, signed in.
pub async fn owner(app: &TestApp) -> AdminClient {
    super::staff::signed_in(app, "demo", StaffRole::Owner).await
}

/// Outbox rows of an event: (patient id, channel, status, context JSON), oldest first.
pub async fn outbox_of(app: &TestApp, event: &str) -> Vec<(i64, String, String, Value)> {
    let rows: Vec<(Option<i64>, String, String, String)> = sqlx::query_as(
        "SELECT patient_id, channel, status, context FROM outbox WHERE event = $1 ORDER BY id",
    )
    .bind(event)
    .fetch_all(&app.db().read)
    .await
    .expect("outbox");
    rows.into_iter()
        .map(|(p, c, s, ctx)| {
            (
                p.unwrap_or_default(),
                c,
                s,
                serde_json::from_str(&ctx).expect("context JSON"),
            )
        })
        .collect()
}

/// The token at the end of a personal link (`…/link/{token}`) or feedback link.
pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap_or_default().to_string()
}
