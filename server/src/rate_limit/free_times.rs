//! A per-client budget of free-times queries (`GET slots`). Each query that misses the answer
//! cache reads the database and runs the slot engine, and each distinct query may be kept in
//! the cache, so one client sweeping every date and reason could cost every patient. The budget
//! is generous (600 a minute by default, bursts of the same size): a patient browsing weeks
//! makes a few dozen. Past it the client gets 429 with our JSON error body and a Retry-After
//! header saying when its next query is allowed; other clients are not affected.

use super::{client_addr, peer_of, ClientAddr};
use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use slotwise_shared::error::ErrorCode;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Free-times queries per client address, and how to find the client's address.
#[derive(Clone)]
pub struct SlotsLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    trust_forwarded_for: bool,
}

impl SlotsLimiter {
    /// `per_minute` queries per client address (bursts of the same size; 0 disables it).
    pub fn new(per_minute: u32, trust_forwarded_for: bool) -> Self {
        SlotsLimiter {
            limiter: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
            trust_forwarded_for,
        }
    }

    /// Counts a query of `client`: `Err` with the wait until the next one is allowed when the
    /// client is over its budget.
    pub fn check(&self, client: ClientAddr) -> Result<(), Duration> {
        match &self.limiter {
            None => Ok(()),
            Some(l) => l
                .check_key(&client.0)
                .map_err(|not_until| not_until.wait_time_from(l.clock().now())),
        }
    }

    /// Drops the state of clients that have been quiet (called periodically).
    pub fn forget_quiet_clients(&self) {
        if let Some(l) = &self.limiter {
            l.retain_recent();
        }
    }
}

/// Middleware: rejects a free-times query of a client over its budget.
pub async fn limit_slot_queries(
    State(limiter): State<SlotsLimiter>,
    request: Request,
    next: Next,
) -> Response {
    let peer = peer_of(&request);
    let client = client_addr(peer, request.headers(), limiter.trust_forwarded_for);
    match limiter.check(client) {
        Ok(()) => next.run(request).await,
        Err(wait) => too_many(wait),
    }
}

/// 429 with our error body; Retry-After in whole seconds, rounded up.
fn too_many(wait: Duration) -> Response {
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        "api.limit.searches",
    )
    .into_response();
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_budget_and_zero_turns_it_off() {
        let limiter = SlotsLimiter::new(3, false);
        let (a, b) = (
            ClientAddr(IpAddr::from([192, 0, 2, 1])),
            ClientAddr(IpAddr::from([192, 0, 2, 2])),
        );
        for _ in 0..3 {
            assert!(limiter.check(a).is_ok());
        }
        let wait = limiter.check(a).expect_err("over budget");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(limiter.check(b).is_ok());
        let off = SlotsLimiter::new(0, false);
        assert!((0..10_000).all(|_| off.check(a).is_ok()));
    }

    #[test]
    fn retry_after_is_rounded_up_to_a_whole_second() {
        let response = too_many(Duration::from_millis(100));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
            Some("1")
        );
        let response = too_many(Duration::from_millis(2100));
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
            Some("3")
        );
    }
}
