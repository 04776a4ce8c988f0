//! Limits on the routes that create things (holds, bookings), per client address: a request
//! rate, and a cap on the holds one client keeps at once (so nobody can sit on a practice's
//! calendar). Both answer 429 with our JSON error body and a Retry-After header.
//!
//! The client address is the TCP peer, or — behind a trusted reverse proxy — the address that
//! proxy appended to `X-Forwarded-For`. Limits are per server instance.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use slotwise_shared::error::ErrorCode;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

/// The address a request is attributed to, placed in the request's extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

/// Rate limit, live-hold cap and how to find the client's address.
#[derive(Clone)]
pub struct CreateLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    trust_forwarded_for: bool,
    max_live_holds: usize,
    live_holds: Arc<Mutex<HashMap<IpAddr, Vec<i64>>>>,
}

impl CreateLimiter {
    /// `per_minute` requests per client address (bursts of the same size; 0 disables it),
    /// at most `max_live_holds` unexpired holds per client (0 disables it).
    pub fn new(per_minute: u32, max_live_holds: u32, trust_forwarded_for: bool) -> Self {
        CreateLimiter {
            limiter: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
            trust_forwarded_for,
            max_live_holds: max_live_holds as usize,
            live_holds: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Drops the state of clients that have been quiet (called periodically).
    pub fn forget_quiet_clients(&self, now: i64) {
        if let Some(l) = &self.limiter {
            l.retain_recent();
        }
        if let Ok(mut holds) = self.live_holds.lock() {
            holds.retain(|_, expiries| {
                expiries.retain(|at| *at > now);
                !expiries.is_empty()
            });
        }
    }

    fn allows(&self, ip: IpAddr) -> bool {
        self.limiter
            .as_ref()
            .is_none_or(|l| l.check_key(&ip).is_ok())
    }

    /// Whether the client may take one more hold now.
    pub fn may_hold(&self, client: ClientAddr, now: i64) -> Result<(), ApiError> {
        if self.max_live_holds == 0 {
            return Ok(());
        }
        let live = self
            .live_holds
            .lock()
            .map(|h| {
                h.get(&client.0)
                    .map_or(0, |e| e.iter().filter(|at| **at > now).count())
            })
            .unwrap_or(0);
        if live >= self.max_live_holds {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "You are already holding several times. Finish a booking, or wait a few minutes for the holds to run out.",
            ));
        }
        Ok(())
    }

    /// Records a hold the client now has, until it expires.
    pub fn held(&self, client: ClientAddr, expires_at: i64) {
        if self.max_live_holds == 0 {
            return;
        }
        if let Ok(mut holds) = self.live_holds.lock() {
            holds.entry(client.0).or_default().push(expires_at);
        }
    }

    /// The client's address: the peer, or the one a trusted proxy reported.
    fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> ClientAddr {
        let forwarded = self
            .trust_forwarded_for
            .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|list| list.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        ClientAddr(forwarded.or(peer).unwrap_or(IpAddr::from([0, 0, 0, 0])))
    }
}

/// Middleware: attributes the request to a client and rejects a client over its rate.
pub async fn limit_creates(
    State(limiter): State<CreateLimiter>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = limiter.client(peer, request.headers());
    request.extensions_mut().insert(client);
    if request.method() == axum::http::Method::POST && !limiter.allows(client.0) {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many attempts in a short time. Please wait a moment and try again.",
        )
        .into_response();
    }
    next.run(request).await
}
