//! Browser transport of the typed client: the page's own `fetch`, in CORS mode.

use crate::client::{ApiClient, ClientError, ClientResult};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, Request, RequestInit, RequestMode, Response};

/// A request that has not answered by then is given up, so the widget never waits forever.
const TIMEOUT_MS: u32 = 20_000;

/// Sends requests with `window.fetch`.
#[derive(Clone, Debug, Default)]
pub struct Transport;

fn transport_error(e: JsValue) -> ClientError {
    // Browsers give fetch failures no detail on purpose (CORS, offline); say what is likely.
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "network error".to_string());
    ClientError::Transport(detail)
}

impl Transport {
    /// One request; the status and the body bytes.
    pub(crate) async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> ClientResult<(u16, Vec<u8>)> {
        let init = RequestInit::new();
        init.set_method(method);
        init.set_mode(RequestMode::Cors);
        init.set_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)));
        let request_headers = Headers::new().map_err(transport_error)?;
        for (k, v) in headers {
            request_headers.set(k, v).map_err(transport_error)?;
        }
        init.set_headers(&request_headers);
        if let Some(body) = body {
            init.set_body(&JsValue::from_str(&body));
        }
        let request = Request::new_with_str_and_init(url, &init).map_err(transport_error)?;
        let window = web_sys::window()
            .ok_or_else(|| ClientError::Transport("no window to fetch from".to_string()))?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(transport_error)?
            .dyn_into()
            .map_err(transport_error)?;
        let status = response.status();
        let text = JsFuture::from(response.text().map_err(transport_error)?)
            .await
            .map_err(transport_error)?;
        Ok((status, text.as_string().unwrap_or_default().into_bytes()))
    }

    /// Like `send`; the browser keeps cookies itself, so none is returned.
    pub(crate) async fn send_keeping_cookie(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> ClientResult<(u16, Vec<u8>, Option<String>)> {
        let (status, bytes) = self.send(method, url, headers, body).await?;
        Ok((status, bytes, None))
    }
}

impl ApiClient {
    /// A client for `base` (e.g. `https://book.example.com`).
    pub fn new(base: impl Into<String>) -> Self {
        ApiClient {
            base: base.into().trim_end_matches('/').to_string(),
            transport: Transport,
            language: None,
        }
    }
}
