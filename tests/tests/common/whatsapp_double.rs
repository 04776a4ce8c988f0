//! A loopback stand-in for Meta's WhatsApp Cloud API (`POST /{version}/{phone-number-id}/messages`):
//! bearer auth, template messages, the public response and error shapes, failures on demand.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ACCESS_TOKEN: &str = "EAAG-test-access-token";
pub const PHONE_NUMBER_ID: &str = "106540352242922";

/// What the next request meets (the ways the Cloud API fails; the tests of today use some).
#[derive(Clone, Debug)]
#[allow(dead_code)]
pub enum Fault {
    ServerError,
    HangAfterAccepting(Duration),
    /// 400 with this Cloud API error code.
    Reject(i64),
}

/// A template message the double accepted.
#[derive(Clone, Debug)]
pub struct Received {
    pub id: String,
    pub to: String,
    pub template: String,
    /// The template's language code (`en_US`, `es_MX`).
    pub language: String,
    pub parameters: Vec<String>,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    faults: VecDeque<Fault>,
}

/// The running double.
#[derive(Clone)]
pub struct WhatsAppDouble {
    pub base_url: String,
    inner: Arc<Mutex<Inner>>,
}

impl WhatsAppDouble {
    /// Starts on a free loopback port.
    pub async fn start() -> WhatsAppDouble {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/{version}/{phone}/messages", post(send))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WhatsAppDouble {
            base_url: format!("http://{addr}"),
            inner,
        }
    }

    /// Queues faults for the next requests, in order.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.inner.lock().expect("lock").faults.extend(faults);
    }

    /// Every accepted message.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("lock").received.clone()
    }

    /// The practice's channel settings pointing at this double.
    pub fn channel_config(&self) -> Value {
        json!({
            "transport": "whatsapp_cloud",
            "access_token": ACCESS_TOKEN,
            "phone_number_id": PHONE_NUMBER_ID,
            "templates": { "confirmation": "appointment_confirmed" },
            "base_url": self.base_url,
        })
    }
}

fn error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": {
            "message": message, "type": "OAuthException", "code": code,
            "fbtrace_id": "AbCdEf123"
        }})),
    )
        .into_response()
}

async fn send(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path((_version, phone)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    if phone != PHONE_NUMBER_ID
        || headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(bearer.as_str())
    {
        return error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token.");
    }
    if body["messaging_product"] != "whatsapp" || body["type"] != "template" {
        return error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    }
    // The Cloud API requires the template's language.
    let Some(language) = body["template"]["language"]["code"]
        .as_str()
        .map(String::from)
    else {
        return error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    };
    let to = body["to"].as_str().unwrap_or_default().to_string();
    let parameters = body["template"]["components"][0]["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["text"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let (fault, accepted) = {
        let mut state = inner.lock().expect("lock");
        let fault = state.faults.pop_front();
        if matches!(fault, Some(Fault::ServerError) | Some(Fault::Reject(_))) {
            (fault, None)
        } else {
            let m = Received {
                id: format!("wamid.HBgL{:020}", state.received.len() + 1),
                to: to.clone(),
                template: body["template"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                language,
                parameters,
            };
            state.received.push(m.clone());
            (fault, Some(m))
        }
    };
    match fault {
        Some(Fault::ServerError) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                1,
                "An unknown error occurred",
            )
        }
        Some(Fault::Reject(code)) => {
            return error(StatusCode::BAD_REQUEST, code, "Message undeliverable")
        }
        Some(Fault::HangAfterAccepting(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let Some(m) = accepted else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            1,
            "An unknown error occurred",
        );
    };
    Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{ "input": to, "wa_id": to }],
        "messages": [{ "id": m.id }],
    }))
    .into_response()
}
