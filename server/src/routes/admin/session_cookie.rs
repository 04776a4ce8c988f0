//! The staff session cookie: an unguessable token in an HttpOnly, Secure, SameSite=Strict cookie (only
//! its hash is stored) and a CSRF token every change must send back in `X-CSRF-Token`.

use axum::http::{header, HeaderMap, HeaderValue};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "slotwise_staff";
/// Header that carries the CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts after signing in.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// The session token of a request's cookies.
pub fn token_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` that starts a session.
pub fn set_cookie(token: &str) -> HeaderValue {
    cookie_header(&format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={SESSION_SECONDS}; HttpOnly; Secure; SameSite=Strict"
    ))
}

/// `Set-Cookie` that ends a session in the browser.
pub fn clear_cookie() -> HeaderValue {
    cookie_header(&format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"
    ))
}

fn cookie_header(value: &str) -> HeaderValue {
    // Tokens are URL-safe base64 and the rest is fixed ASCII: always a valid header value.
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether the request's CSRF header matches the session's token (in constant time).
pub fn csrf_matches(headers: &HeaderMap, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sent| sent.as_bytes().ct_eq(expected.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others_and_is_strict() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; slotwise_staff=abc_DEF; b=2"),
        );
        assert_eq!(token_of(&headers).as_deref(), Some("abc_DEF"));
        let cookie = set_cookie("abc")
            .to_str()
            .map(str::to_string)
            .unwrap_or_default();
        for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
    }

    #[test]
    fn csrf_needs_the_exact_token() {
        let mut headers = HeaderMap::new();
        assert!(!csrf_matches(&headers, "tok"));
        headers.insert(CSRF_HEADER, HeaderValue::from_static("tok"));
        assert!(csrf_matches(&headers, "tok"));
        assert!(!csrf_matches(&headers, "tok2"));
    }
}
