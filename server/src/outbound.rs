//! Calls to services staff point the server at (a FHIR server, Twilio, WhatsApp, an SMTP
//! server): staff input is hostile input, so these reach only public addresses unless the
//! operator allows private ones (`--allow-private-outbound`), follow no redirects, take bounded
//! time and bounded bodies, and describe failures to staff as categories, never as socket text
//! (which would tell an open internal port from a closed one).

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Longest answer body read from an outside service.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Whether an address is on the public internet: not loopback, private, link-local (cloud
/// metadata lives there), shared, documentation, benchmarking, multicast or reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [hi, lo] = [s[6], s[7]];
        return is_public_v4(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        ));
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[0..6] == [0, 0, 0, 0, 0, 0])
}

/// Why a destination is refused, in words for the staff member who typed it.
pub const NOT_PUBLIC: &str =
    "This address is not on the public internet; the server only connects to public services.";

/// Checks an `http(s)` address staff typed: its form, and, when it names an IP address, that
/// the address is public (names are checked when they are looked up, by [`client`]'s
/// resolver, and at save by [`check_host`]). Returns the parsed URL.
pub fn check_url(url: &str, allow_private: bool) -> Result<reqwest::Url, &'static str> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|_| "Enter a full address, like https://example.com.")?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("The address must start with https:// (or http://).");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("Put credentials in their own fields, not in the address.");
    }
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("The address needs a host name.")?;
    if !allow_private {
        let refused = match host.trim_matches(['[', ']']).parse::<IpAddr>() {
            Ok(ip) => !is_public(ip),
            Err(_) => is_local_name(host),
        };
        if refused {
            return Err(NOT_PUBLIC);
        }
    }
    Ok(parsed)
}

/// Names that always mean this machine or its network.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.ends_with(".local")
        || name.ends_with(".internal")
}

/// Looks `host` up (bounded in time) and refuses it unless every address is public. Used when
/// staff save a destination and before an SMTP connection.
pub async fn check_host(host: &str, port: u16, allow_private: bool) -> Result<(), &'static str> {
    if allow_private {
        return Ok(());
    }
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return if is_public(ip) {
            Ok(())
        } else {
            Err(NOT_PUBLIC)
        };
    }
    if is_local_name(host) {
        return Err(NOT_PUBLIC);
    }
    let lookup = tokio::net::lookup_host((host, port));
    let addrs: Vec<SocketAddr> = tokio::time::timeout(Duration::from_secs(5), lookup)
        .await
        .map_err(|_| "This host name could not be looked up.")?
        .map_err(|_| "This host name could not be looked up.")?
        .collect();
    if addrs.is_empty() {
        return Err("This host name could not be looked up.");
    }
    if addrs.iter().all(|a| is_public(a.ip())) {
        Ok(())
    } else {
        Err(NOT_PUBLIC)
    }
}

/// A service's base address as staff typed it: its form ([`check_url`]) and, looked up,
/// that its host is public ([`check_host`]).
pub async fn check_service_url(
    url: &str,
    allow_private: bool,
) -> Result<reqwest::Url, &'static str> {
    let parsed = check_url(url, allow_private)?;
    let host = parsed.host_str().unwrap_or_default().to_string();
    let port = parsed.port_or_known_default().unwrap_or(443);
    check_host(&host, port, allow_private).await?;
    Ok(parsed)
}

/// Whether two addresses have the same scheme, host and port (a secret entered for one is
/// not sent to the other).
pub fn same_origin(a: &str, b: &str) -> bool {
    match (reqwest::Url::parse(a.trim()), reqwest::Url::parse(b.trim())) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// Resolves names to their public addresses only, at connection time (so a name that
/// changes to a private address after it was saved cannot be used either).
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            if is_local_name(&host) {
                return Err(NOT_PUBLIC.into());
            }
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(NOT_PUBLIC.into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// An HTTP client for outside services: no redirects, no proxy from the environment, the
/// given time bounds, and (unless private addresses are allowed) public addresses only.
pub fn client(
    timeout: Duration,
    connect_timeout: Duration,
    allow_private: bool,
) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("Slotwise/", env!("CARGO_PKG_VERSION")));
    if allow_private {
        builder.build()
    } else {
        builder.dns_resolver(Arc::new(PublicOnly)).build()
    }
}

/// Refuses a request to a literal private IP address before it is sent (names are refused by
/// the client's resolver).
pub fn guard(url: &str, allow_private: bool) -> Result<(), &'static str> {
    check_url(url, allow_private).map(drop)
}

/// Reads an answer's body, at most [`MAX_BODY_BYTES`]; `None` when it is longer or breaks off.
pub async fn read_body(response: reqwest::Response) -> Option<Vec<u8>> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return None;
    }
    let mut response = response;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.ok()? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body)
}

/// What staff are told of a request that got no answer: one category whatever the socket
/// said (refused, reset, closed, not HTTP), apart from a timeout and a refused address.
pub fn describe(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        "did not answer in time"
    } else if format!("{err:?}").contains(NOT_PUBLIC) {
        "is not on the public internet"
    } else {
        "could not be reached"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_reserved_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip.parse().expect("ip")), "{ip}");
        }
    }

    #[test]
    fn addresses_staff_type_are_checked_for_form_and_place() {
        assert!(check_url("https://ehr.example.com/fhir", false).is_ok());
        assert_eq!(check_url("http://127.0.0.1:5432", false), Err(NOT_PUBLIC));
        assert_eq!(
            check_url("http://169.254.169.254/latest/meta-data", false),
            Err(NOT_PUBLIC)
        );
        assert_eq!(check_url("http://[::1]:8080/", false), Err(NOT_PUBLIC));
        assert_eq!(check_url("http://localhost/", false), Err(NOT_PUBLIC));
        assert!(check_url("http://127.0.0.1:5432", true).is_ok());
        assert!(check_url("ftp://example.com", true).is_err());
        assert!(check_url("https://user:pw@example.com", true).is_err());
        assert!(check_url("not a url", true).is_err());
    }

    #[tokio::test]
    async fn names_that_resolve_to_private_addresses_are_refused() {
        assert_eq!(check_host("localhost", 25, false).await, Err(NOT_PUBLIC));
        assert_eq!(check_host("127.0.0.1", 25, false).await, Err(NOT_PUBLIC));
        assert!(check_host("localhost", 25, true).await.is_ok());
    }

    /// A loopback server: `/moved` redirects to `/target` (counting visits there), `/big`
    /// answers one byte over the cap without a length, `/small` a short body.
    async fn test_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        use axum::response::IntoResponse;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let visits = Arc::new(AtomicUsize::new(0));
        let counted = visits.clone();
        let app = axum::Router::new()
            .route(
                "/moved",
                axum::routing::get(|| async {
                    (
                        axum::http::StatusCode::FOUND,
                        [(axum::http::header::LOCATION, "/target")],
                    )
                        .into_response()
                }),
            )
            .route(
                "/target",
                axum::routing::get(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                    async { "followed" }
                }),
            )
            .route(
                "/big",
                axum::routing::get(|| async {
                    let chunks = (0..=MAX_BODY_BYTES / 65_536).map(|_| {
                        Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'x'; 65_536]))
                    });
                    axum::body::Body::from_stream(futures::stream::iter(chunks))
                }),
            )
            .route("/small", axum::routing::get(|| async { "ok" }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), visits)
    }

    #[tokio::test]
    async fn redirects_are_not_followed_and_bodies_are_capped() {
        let (base, visits) = test_server().await;
        let http = client(Duration::from_secs(5), Duration::from_secs(2), true).expect("client");
        let moved = http
            .get(format!("{base}/moved"))
            .send()
            .await
            .expect("answer");
        assert_eq!(moved.status(), 302);
        assert_eq!(
            visits.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "not followed"
        );
        let big = http
            .get(format!("{base}/big"))
            .send()
            .await
            .expect("answer");
        assert_eq!(read_body(big).await, None, "over the cap");
        let small = http
            .get(format!("{base}/small"))
            .send()
            .await
            .expect("answer");
        assert_eq!(read_body(small).await.as_deref(), Some(&b"ok"[..]));
    }

    #[tokio::test]
    async fn staff_are_told_a_category_not_the_socket_error() {
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind")
            .local_addr()
            .expect("addr");
        let http = client(Duration::from_secs(5), Duration::from_secs(2), true).expect("client");
        let err = http
            .get(format!("http://{closed}/"))
            .send()
            .await
            .expect_err("nothing listens");
        assert_eq!(describe(&err), "could not be reached");
        let refused = client(Duration::from_secs(5), Duration::from_secs(2), false)
            .expect("client")
            .get(format!("http://localhost:{}/", closed.port()))
            .send()
            .await
            .expect_err("private");
        assert_eq!(describe(&refused), "is not on the public internet");
    }
}
