//! Helpers for staff-console tests: accounts, signed-in admin clients, practice B's ids.

use super::TestApp;
use slotwise_server::staff::accounts::create_staff;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::client::ApiClient;
use slotwise_shared::model::{PracticeId, ProviderId, ReasonId};

/// Password of every test account.
pub const PASSWORD: &str = "correct horse battery";

/// Creates an account in the practice `slug` (its email is `{role}@{slug}.test`).
pub async fn account(app: &TestApp, slug: &str, role: StaffRole) -> String {
    let practice_id = if slug == app.demo.slug {
        app.demo.practice_id
    } else {
        app.other.practice_id
    };
    let email = format!("{}@{slug}.test", role.as_str());
    create_staff(app.db(), practice_id, &email, "Test Person", role, PASSWORD)
        .await
        .expect("staff account");
    email
}

/// A client signed in as a new account of `role` in practice `slug`.
pub async fn signed_in(app: &TestApp, slug: &str, role: StaffRole) -> AdminClient {
    let email = account(app, slug, role).await;
    let client = AdminClient::new(ApiClient::new(app.server.url()));
    client.login(&email, PASSWORD).await.expect("sign in");
    client
}

/// Adds a pending booking-queue entry (tomorrow at noon, the practice's first reason and
/// provider) for "Queue Patient", +14155107777; returns its id.
pub async fn queue_entry(app: &TestApp, practice_id: PracticeId) -> i64 {
    use slotwise_server::store::booking_queue::{insert, NewEntry};
    use slotwise_server::store::write_batch::{BoxFuture, WriteOutcome};
    let now = super::now();
    app.db()
        .write(move |conn: &mut sqlx::AnyConnection| -> BoxFuture<'_, _> {
            Box::pin(async move {
                let reason: ReasonId =
                    sqlx::query_scalar("SELECT MIN(id) FROM reasons WHERE practice_id = $1")
                        .bind(practice_id)
                        .fetch_one(&mut *conn)
                        .await?;
                let provider: ProviderId =
                    sqlx::query_scalar("SELECT MIN(id) FROM providers WHERE practice_id = $1")
                        .bind(practice_id)
                        .fetch_one(&mut *conn)
                        .await?;
                let entry = NewEntry {
                    kind: "booking",
                    first_name: "Queue".into(),
                    last_name: "Patient".into(),
                    phone: "+14155107777".into(),
                    email: "queue@example.com".into(),
                    reason_id: Some(reason),
                    provider_id: Some(provider),
                    starts_at: Some(now + 86_400),
                    ..NewEntry::default()
                };
                let id = insert(conn, practice_id, &entry, now).await?;
                Ok(WriteOutcome::Commit(id))
            })
        })
        .await
        .expect("queue entry")
}
