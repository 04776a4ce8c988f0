//! Limits on the routes that create things (holds, bookings), per client address: a request
//! rate, and a cap on the holds one client keeps at once (so nobody can sit on a practice's
//! calendar); and a generous rate of free-times queries ([`free_times`]). All answer 429 with
//! our JSON error body and a Retry-After header.
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

pub mod free_times;

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

    /// Reserves one of the client's hold places until `expires_at`, or answers 429 when all
    /// are taken. Checking and reserving happen under one lock, so parallel requests cannot
    /// slip past the cap. Give the place back with [`release_hold`](Self::release_hold) if the
    /// hold is not made, or once it became a booking.
    pub fn reserve_hold(
        &self,
        client: ClientAddr,
        now: i64,
        expires_at: i64,
    ) -> Result<(), ApiError> {
        if self.max_live_holds == 0 {
            return Ok(());
        }
        let mut holds = self
            .live_holds
            .lock()
            .map_err(|_| ApiError::internal("hold cap lock poisoned"))?;
        let mine = holds.entry(client.0).or_default();
        mine.retain(|at| *at > now);
        if mine.len() >= self.max_live_holds {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "api.limit.holds",
            ));
        }
        mine.push(expires_at);
        Ok(())
    }

    /// Gives back one hold place of the client (the one that runs out last).
    pub fn release_hold(&self, client: ClientAddr) {
        if self.max_live_holds == 0 {
            return;
        }
        if let Ok(mut holds) = self.live_holds.lock() {
            if let Some(mine) = holds.get_mut(&client.0) {
                if let Some(last) = mine
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, at)| **at)
                    .map(|(i, _)| i)
                {
                    mine.swap_remove(last);
                }
            }
        }
    }

    /// The client's address: the peer, or the one a trusted proxy reported.
    ///
    /// The trusted proxy's entry is the last one of the last header line (earlier ones come
    /// from the client and prove nothing). IPv6 clients count per /64 network, since one
    /// household can use any address of its /64.
    fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> ClientAddr {
        client_addr(peer, headers, self.trust_forwarded_for)
    }
}

/// The client's address: the peer, or (with `trust_forwarded_for`) the one a trusted proxy
/// reported; see [`CreateLimiter`] for the rules.
fn client_addr(peer: Option<IpAddr>, headers: &HeaderMap, trust_forwarded_for: bool) -> ClientAddr {
    let forwarded = if trust_forwarded_for {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|list| list.rsplit(',').next())
            .and_then(|last| parse_forwarded_addr(last.trim()))
    } else {
        None
    };
    let ip = forwarded.or(peer).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    ClientAddr(network_of(ip))
}

/// Sign-in attempts per client address (on top of the per-account lockout), so nobody can
/// try passwords across many accounts quickly.
#[derive(Clone)]
pub struct LoginLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl LoginLimiter {
    /// `per_minute` attempts per client address (bursts of the same size).
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        LoginLimiter {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(n))),
        }
    }

    /// Counts an attempt; `false` when the client is over its rate.
    pub fn allows(&self, client: ClientAddr) -> bool {
        self.limiter.check_key(&client.0).is_ok()
    }

    /// Drops the state of clients that have been quiet (called periodically).
    pub fn forget_quiet_clients(&self) {
        self.limiter.retain_recent();
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `::1` or `[::1]:5678`.
fn parse_forwarded_addr(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    entry.parse::<SocketAddr>().ok().map(|s| s.ip())
}

/// The key a client is counted under: IPv4 as is, IPv6 by its /64 network.
fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
            }
        },
    }
}

/// The address the connection came from (before any forwarding header).
pub fn peer_of(request: &Request) -> Option<std::net::IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Middleware: attributes the request to a client and rejects a client over its rate.
pub async fn limit_creates(
    State(limiter): State<CreateLimiter>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = peer_of(&request);
    let client = limiter.client(peer, request.headers());
    request.extensions_mut().insert(client);
    if request.method() == axum::http::Method::POST && !limiter.allows(client.0) {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "api.limit.attempts",
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_entries_may_carry_ports_and_ipv6_counts_per_network() {
        assert_eq!(
            parse_forwarded_addr("203.0.113.7:4711"),
            Some(IpAddr::from([203, 0, 113, 7]))
        );
        assert_eq!(
            parse_forwarded_addr("[2001:db8::1]:443"),
            "2001:db8::1".parse().ok()
        );
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        assert_eq!(network_of(a), network_of(b));
    }

    #[test]
    fn the_cap_counts_parallel_reservations_and_released_places() {
        let limiter = CreateLimiter::new(0, 2, false);
        let me = ClientAddr(IpAddr::from([192, 0, 2, 1]));
        assert!(limiter.reserve_hold(me, 0, 600).is_ok());
        assert!(limiter.reserve_hold(me, 0, 600).is_ok());
        assert!(limiter.reserve_hold(me, 0, 600).is_err());
        limiter.release_hold(me);
        assert!(limiter.reserve_hold(me, 0, 600).is_ok());
        assert!(
            limiter.reserve_hold(me, 601, 1200).is_ok(),
            "expired places free up"
        );
    }
}
