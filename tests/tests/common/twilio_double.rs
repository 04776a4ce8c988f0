//! A loopback stand-in for Twilio's Messages API (`/2010-04-01/Accounts/{sid}/Messages.json`):
//! the public request and response formats, Basic auth, and failures on demand (5xx, a hang
//! after taking the message, error codes such as 21610 for an unsubscribed recipient).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use base64::Engine;
use serde_json::json;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000001";
pub const AUTH_TOKEN: &str = "test-auth-token-0123456789abcdef";
pub const FROM: &str = "+14155100100";

/// What the next request meets.
#[derive(Clone, Debug)]
pub enum Fault {
    /// 500 before taking the message.
    ServerError,
    /// Takes the message, then answers only after this long (the sender may time out).
    HangAfterAccepting(Duration),
    /// 400 with this Twilio error code.
    Reject(i64),
}

/// A message the double accepted.
#[derive(Clone, Debug)]
pub struct Received {
    pub sid: String,
    pub to: String,
    pub from: String,
    pub body: String,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    faults: VecDeque<Fault>,
    unsubscribed: HashSet<String>,
    requests: usize,
}

/// The running double.
#[derive(Clone)]
pub struct TwilioDouble {
    pub base_url: String,
    inner: Arc<Mutex<Inner>>,
}

impl TwilioDouble {
    /// Starts on a free loopback port.
    pub async fn start() -> TwilioDouble {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route(
                "/2010-04-01/Accounts/{sid}/Messages.json",
                post(create).get(list),
            )
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TwilioDouble {
            base_url: format!("http://{addr}"),
            inner,
        }
    }

    /// Queues faults for the next requests, in order.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.inner.lock().expect("lock").faults.extend(faults);
    }

    /// Twilio answers 21610 for this number from now on.
    pub fn unsubscribe(&self, number: &str) {
        self.inner
            .lock()
            .expect("lock")
            .unsubscribed
            .insert(number.to_string());
    }

    /// Every accepted message.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("lock").received.clone()
    }

    /// Every POST, accepted or not.
    pub fn requests(&self) -> usize {
        self.inner.lock().expect("lock").requests
    }

    /// The practice's channel settings pointing at this double.
    pub fn channel_config(&self) -> serde_json::Value {
        json!({
            "transport": "twilio",
            "account_sid": ACCOUNT_SID,
            "auth_token": AUTH_TOKEN,
            "from": FROM,
            "base_url": self.base_url,
        })
    }
}

fn authorized(headers: &HeaderMap, sid: &str) -> bool {
    let expected =
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"));
    sid == ACCOUNT_SID
        && headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("Basic {expected}"))
}

fn error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        Json(json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status.as_u16(),
        })),
    )
        .into_response()
}

async fn create(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !authorized(&headers, &sid) {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let to = form.get("To").cloned().unwrap_or_default();
    let from = form.get("From").cloned().unwrap_or_default();
    let body = form.get("Body").cloned().unwrap_or_default();
    let (fault, message) = {
        let mut state = inner.lock().expect("lock");
        state.requests += 1;
        let fault = state.faults.pop_front();
        if matches!(fault, Some(Fault::ServerError) | Some(Fault::Reject(_))) {
            (fault, None)
        } else if state.unsubscribed.contains(&to) {
            (Some(Fault::Reject(21610)), None)
        } else {
            let sid = format!("SM{:032x}", state.received.len() + 1);
            let m = Received {
                sid,
                to: to.clone(),
                from: from.clone(),
                body: body.clone(),
            };
            state.received.push(m.clone());
            (fault, Some(m))
        }
    };
    match fault {
        Some(Fault::ServerError) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                20500,
                "Internal Server Error",
            )
        }
        Some(Fault::Reject(21610)) => {
            return error(
                StatusCode::BAD_REQUEST,
                21610,
                "Attempt to send to unsubscribed recipient",
            )
        }
        Some(Fault::Reject(code)) => {
            return error(
                StatusCode::BAD_REQUEST,
                code,
                "The 'To' number is not a valid phone number.",
            )
        }
        Some(Fault::HangAfterAccepting(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let Some(m) = message else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            20500,
            "Internal Server Error",
        );
    };
    (StatusCode::CREATED, Json(message_json(&m))).into_response()
}

fn message_json(m: &Received) -> serde_json::Value {
    json!({
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": m.body,
        "direction": "outbound-api",
        "from": m.from,
        "to": m.to,
        "num_segments": "1",
        "sid": m.sid,
        "status": "queued",
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{}.json", m.sid),
    })
}

async fn list(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&headers, &sid) {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let state = inner.lock().expect("lock");
    let messages: Vec<_> = state
        .received
        .iter()
        .rev()
        .filter(|m| query.get("To").is_none_or(|to| *to == m.to))
        .filter(|m| query.get("From").is_none_or(|from| *from == m.from))
        .map(message_json)
        .collect();
    Json(json!({ "messages": messages, "page": 0, "page_size": 50 })).into_response()
}
