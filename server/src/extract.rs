//! Request extractors whose rejections are our JSON error body, never axum's plain text.

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use slotwise_shared::error::ErrorCode;

/// Largest accepted request body. No valid request comes near it.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// JSON body: 400 for broken JSON, 422 for the wrong shape, 413/415 as usual. A whole number
/// written with a fraction (`3.0`) is the integer JSON Schema says it is.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(mut value) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(json_rejection)?;
        whole_numbers_as_integers(&mut value);
        serde_json::from_value(value).map(ApiJson).map_err(|err| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidBody,
                // serde's message names the field and the expected type; it never holds more
                // than the caller sent.
                format!("The request body has the wrong shape: {err}"),
            )
        })
    }
}

/// Rewrites numbers like `3.0` as `3` (within `i64`), so integer fields take them.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                let whole = f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64;
                if whole {
                    *n = serde_json::Number::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonSyntaxError(_) => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            "The request body is not valid JSON.",
        ),
        JsonRejection::JsonDataError(err) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidBody,
            format!("The request body has the wrong shape: {}", err.body_text()),
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Send the body as application/json.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "The request body is too large.",
        ),
        other => ApiError::bad_request(format!(
            "The request body could not be read ({}).",
            other.status()
        )),
    }
}

/// The `Idempotency-Key` header: 1 to 128 visible ASCII characters.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::bad_request("Idempotency-Key must be 1 to 128 visible ASCII characters.")
        })?;
    Ok(Some(key.to_string()))
}

/// The Idempotency-Key a booking must carry (400 without one), so a retried booking is made
/// once.
pub fn booking_key(headers: &HeaderMap) -> Result<String, ApiError> {
    idempotency_key(headers)?.ok_or_else(|| {
        ApiError::bad_request(
            "Send an Idempotency-Key header so a retried booking is never made twice.",
        )
    })
}

/// Path parameters; a malformed one is a 404 (nothing of that name exists), as JSON.
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_| ApiError::not_found("page"))
    }
}

/// Query parameters; a malformed one (a number that is not one, an unknown value of a closed
/// set) is a 400 with our JSON body naming it, never axum's plain-text answer.
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| ApiQuery(v))
            .map_err(|e| {
                ApiError::bad_request(format!(
                    "The query parameters are not valid: {}",
                    e.body_text()
                ))
            })
    }
}

/// The languages a page's visitor asks for: `?lang=` and the browser's `Accept-Language`
/// (each read up to a bound), to be weighed against the practice's default (see
/// `slotwise_shared::lang::choose`).
pub struct PageLanguage {
    explicit: Option<String>,
    accept: Option<String>,
}

impl PageLanguage {
    /// The language to write the page in.
    pub fn choose(&self, practice_default: &str) -> &'static slotwise_shared::lang::Language {
        slotwise_shared::lang::choose(
            self.explicit.as_deref(),
            self.accept.as_deref(),
            practice_default,
        )
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let explicit = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|pair| pair.strip_prefix("lang="))
                .map(|v| v.chars().take(35).collect())
        });
        let accept = parts
            .headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(256).collect());
        Ok(PageLanguage { explicit, accept })
    }
}
