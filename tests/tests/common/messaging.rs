//! Helpers for message tests: the practice API with a key, bookings, waiting on the outbox.

use super::{booking_request, TestApp};
use serde_json::Value;
use slotwise_server::api_keys::create_api_key;
use slotwise_shared::api::BookingCreated;
use std::time::{Duration, Instant};

/// The practice API of one practice, called with its key.
pub struct Admin {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Admin {
    /// A new key for `slug`.
    pub async fn for_practice(app: &TestApp, slug: &str) -> Admin {
        let key = create_api_key(app.db(), slug, "test")
            .await
            .expect("api key");
        Admin {
            http: reqwest::Client::new(),
            base: format!("{}/api/v1/admin", app.server.url()),
            key,
        }
    }

    /// Sends a request; (status, JSON body or Null).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn post(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, None).await
    }

    /// Points a channel at a transport (and turns it on).
    pub async fn set_channel(&self, channel: &str, config: Value) {
        let (status, body) = self
            .put(
                &format!("/messaging/channels/{channel}"),
                serde_json::json!({ "enabled": true, "config": config }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// Turns a channel off.
    pub async fn disable_channel(&self, channel: &str) {
        let (status, body) = self
            .put(
                &format!("/messaging/channels/{channel}"),
                serde_json::json!({ "enabled": false, "config": { "transport": "local" } }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }

    /// The practice's messages, newest first.
    pub async fn messages(&self) -> Vec<Value> {
        let (status, body) = self.get("/messages?limit=500").await;
        assert_eq!(status, 200, "{body}");
        body["messages"].as_array().cloned().unwrap_or_default()
    }
}

/// Books the first free checkup at least 26 hours ahead (every reminder still due) with a fresh
/// hold; the phone number is the patient's.
pub async fn book_checkup(app: &TestApp, phone: &str, email: &str) -> BookingCreated {
    let (_, hold) = app
        .hold_checkup_after(jiff::SignedDuration::from_hours(26))
        .await;
    let mut req = booking_request(&hold.hold_token);
    req.patient.phone = phone.into();
    req.patient.email = email.into();
    app.client
        .book("demo", &uuid_like(), &req)
        .await
        .expect("booking")
}

fn uuid_like() -> String {
    format!("key-{}-{}", std::process::id(), super::unique_key())
}

/// Waits until `check` holds for the practice's messages (up to `secs`), returning them.
pub async fn wait_for_messages(
    admin: &Admin,
    secs: u64,
    what: &str,
    check: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let messages = admin.messages().await;
        if check(&messages) {
            return messages;
        }
        if Instant::now() > deadline {
            panic!("timed out waiting for {what}; messages: {messages:#?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Messages of an event (and channel).
pub fn of<'a>(messages: &'a [Value], event: &str, channel: &str) -> Vec<&'a Value> {
    messages
        .iter()
        .filter(|m| m["event"] == event && m["channel"] == channel)
        .collect()
}

/// Makes every queued reminder due now (instead of waiting days).
pub async fn make_reminders_due(app: &TestApp) {
    sqlx::query("UPDATE outbox SET next_attempt_at = 0, send_after = 0 WHERE event = 'reminder' AND status = 'queued'")
        .execute(&app.db().write)
        .await
        .expect("fast-forward reminders");
    app.server.state.outbox.wake();
}

/// Books the first free "Checkup" with Dr. Patel at practice `slug` (a demo-seeded practice).
pub async fn book_checkup_at(app: &TestApp, slug: &str, phone: &str) -> BookingCreated {
    use slotwise_shared::api::{HoldRequest, ProviderChoice, SlotsParams};
    use slotwise_shared::model::{ProviderId, ReasonId};
    let seeded = if slug == app.demo.slug {
        &app.demo
    } else {
        &app.other
    };
    let reason: ReasonId = seeded.reasons["Checkup"];
    let provider: ProviderId = seeded.providers["Dr. Maya Patel"];
    let params = SlotsParams {
        reason,
        provider: ProviderChoice::Id(provider),
        patient: None,
        location: None,
        from: None,
        days: Some(14),
        lang: None,
    };
    let slots = app.client.slots(slug, &params).await.expect("slots");
    let slot = slots
        .days
        .iter()
        .flat_map(|d| &d.slots)
        .next()
        .expect("a free time")
        .clone();
    let hold = app
        .client
        .hold(
            slug,
            &HoldRequest {
                reason,
                provider,
                start: slot.start,
                lang: None,
            },
        )
        .await
        .expect("hold");
    let mut req = booking_request(&hold.hold_token);
    req.patient.phone = phone.into();
    app.client
        .book(slug, &uuid_like(), &req)
        .await
        .expect("booking")
}

/// Waits for the first message of the signed-in client's practice; its id.
pub async fn wait_for_any_message(client: &slotwise_shared::admin_client::AdminClient) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let list = client.messages("").await.expect("messages");
        if let Some(m) = list.messages.first() {
            return m.id;
        }
        assert!(Instant::now() < deadline, "no message was queued");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
