//! Native transport of the typed client (reqwest), plus raw requests for tests that send what
//! no typed method would.

use crate::client::{ApiClient, ClientError, ClientResult};

/// Sends requests with a shared reqwest client.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
}

/// A raw answer, for tests that send what no typed method would.
#[derive(Clone, Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

fn transport_error(e: impl ToString) -> ClientError {
    ClientError::Transport(e.to_string())
}

impl Transport {
    async fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> ClientResult<reqwest::Response> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(transport_error)?;
        let mut request = self.http.request(method, url);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        request.send().await.map_err(transport_error)
    }

    /// One request; the status and the body bytes.
    pub(crate) async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> ClientResult<(u16, Vec<u8>)> {
        let (status, bytes, _) = self.send_keeping_cookie(method, url, headers, body).await?;
        Ok((status, bytes))
    }

    /// One request; the status, the body bytes and the first `name=value` the server set as
    /// a cookie (browsers keep cookies themselves; native callers pass them back).
    pub(crate) async fn send_keeping_cookie(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> ClientResult<(u16, Vec<u8>, Option<String>)> {
        let response = self.request(method, url, headers, body).await?;
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get(reqwest::header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let bytes = response.bytes().await.map_err(transport_error)?;
        Ok((status, bytes.to_vec(), cookie))
    }
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
            transport: Transport { http },
            language: None,
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
        let url = format!("{}{path}", self.base);
        let response = self.transport.request(method, &url, headers, body).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.map_err(transport_error)?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}
