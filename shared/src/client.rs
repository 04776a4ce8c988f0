//! The typed API client: one method per endpoint, over the shared paths and types.
//! Native transport (reqwest); the widget uses the same paths and types in the browser.

use crate::api::{
    BookingConfig, BookingCreated, BookingRequest, BookingView, HoldRequest, HoldResponse,
    RescheduleRequest, SlotsParams, SlotsResponse,
};
use crate::error::ErrorBody;
use crate::paths;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What can go wrong with a call.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The API answered with an error body.
    #[error("HTTP {status}: {} ({:?})", body.message, body.code)]
    Api { status: u16, body: ErrorBody },
    /// The request did not get an answer.
    #[error("transport: {0}")]
    Transport(String),
    /// The answer was not what the API promises.
    #[error("unexpected response (HTTP {status}): {detail}")]
    Decode { status: u16, detail: String },
}

impl ClientError {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Decode { status, .. } => Some(*status),
            ClientError::Transport(_) => None,
        }
    }

    /// The error body, if the server sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            ClientError::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// Result of a call.
pub type ClientResult<T> = Result<T, ClientError>;

/// A raw answer, for tests that send what no typed method would.
#[derive(Clone, Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

/// Client of one Slotwise server.
#[derive(Clone, Debug)]
pub struct ApiClient {
    base: String,
    http: reqwest::Client,
}

impl ApiClient {
    /// A client for `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: impl Into<String>) -> Self {
        Self::with_http(base, reqwest::Client::new())
    }

    /// A client sharing a configured reqwest client.
    pub fn with_http(base: impl Into<String>, http: reqwest::Client) -> Self {
        ApiClient {
            base: base.into().trim_end_matches('/').to_string(),
            http,
        }
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> ClientResult<T> {
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
                status,
                detail: e.to_string(),
            });
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(ClientError::Api { status, body }),
            Err(_) => Err(ClientError::Decode {
                status,
                detail: String::from_utf8_lossy(&bytes).into_owned(),
            }),
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> ClientResult<T> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        Self::decode(response).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        key: Option<&str>,
    ) -> ClientResult<T> {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        Self::decode(response).await
    }

    /// HTTP GET /healthz
    pub async fn healthz(&self) -> ClientResult<serde_json::Value> {
        self.get(paths::HEALTHZ).await
    }

    /// HTTP GET /api/v1/practices/{slug}/booking-config
    pub async fn booking_config(&self, slug: &str) -> ClientResult<BookingConfig> {
        self.get(&paths::booking_config(slug)).await
    }

    /// HTTP GET /api/v1/practices/{slug}/slots?...
    pub async fn slots(&self, slug: &str, params: &SlotsParams) -> ClientResult<SlotsResponse> {
        self.get(&format!("{}?{}", paths::slots(slug), params.to_query()))
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/holds
    pub async fn hold(&self, slug: &str, req: &HoldRequest) -> ClientResult<HoldResponse> {
        self.post(&paths::holds(slug), req, None).await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings (with Idempotency-Key)
    pub async fn book(
        &self,
        slug: &str,
        idempotency_key: &str,
        req: &BookingRequest,
    ) -> ClientResult<BookingCreated> {
        self.post(&paths::bookings(slug), req, Some(idempotency_key))
            .await
    }

    /// HTTP GET /api/v1/practices/{slug}/bookings/{token}
    pub async fn booking(&self, slug: &str, token: &str) -> ClientResult<BookingView> {
        self.get(&paths::booking(slug, token)).await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings/{token}/cancel
    pub async fn cancel(&self, slug: &str, token: &str) -> ClientResult<BookingView> {
        self.post(&paths::cancel(slug, token), &serde_json::json!({}), None)
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings/{token}/reschedule
    pub async fn reschedule(
        &self,
        slug: &str,
        token: &str,
        req: &RescheduleRequest,
    ) -> ClientResult<BookingView> {
        self.post(&paths::reschedule(slug, token), req, None).await
    }

    /// HTTP GET /api/v1/practices/{slug}/bookings/{token}/calendar.ics
    pub async fn calendar_ics(&self, slug: &str, token: &str) -> ClientResult<String> {
        let raw = self
            .raw("GET", &paths::calendar_ics(slug, token), &[], None)
            .await?;
        if raw.status == 200 {
            Ok(raw.body)
        } else {
            match serde_json::from_str::<ErrorBody>(&raw.body) {
                Ok(body) => Err(ClientError::Api {
                    status: raw.status,
                    body,
                }),
                Err(_) => Err(ClientError::Decode {
                    status: raw.status,
                    detail: raw.body,
                }),
            }
        }
    }

    /// Any request with a raw body, for probing the API with what typed calls cannot send.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> ClientResult<RawResponse> {
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .text()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}
