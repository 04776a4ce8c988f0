//! Per-client rate limit for the routes that create things (holds, bookings): 429 with our
//! JSON error body and a Retry-After header.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use slotwise_shared::error::ErrorCode;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// A keyed limiter: each client address gets its own budget per minute.
#[derive(Clone)]
pub struct CreateLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
}

impl CreateLimiter {
    /// `per_minute` requests per client address, with bursts of the same size; 0 disables it.
    pub fn new(per_minute: u32) -> Self {
        CreateLimiter {
            limiter: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
        }
    }

    /// Drops the state of clients that have been quiet (called periodically).
    pub fn forget_quiet_clients(&self) {
        if let Some(l) = &self.limiter {
            l.retain_recent();
        }
    }

    fn allows(&self, ip: IpAddr) -> bool {
        self.limiter
            .as_ref()
            .is_none_or(|l| l.check_key(&ip).is_ok())
    }
}

/// Middleware: rejects a client over its budget.
pub async fn limit_creates(
    State(limiter): State<CreateLimiter>,
    request: Request,
    next: Next,
) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if request.method() == axum::http::Method::POST && !limiter.allows(ip) {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many attempts in a short time. Please wait a moment and try again.",
        )
        .into_response();
    }
    next.run(request).await
}
