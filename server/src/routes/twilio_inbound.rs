//! Twilio's inbound SMS webhook (`POST /api/v1/webhooks/twilio/{slug}/sms`): opt-out and
//! opt-in keywords. The request must carry a valid `X-Twilio-Signature` made with the
//! practice's auth token; otherwise 403 and nothing changes.

use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiPath;
use crate::notify::enqueue::channel_transport;
use crate::notify::transport::TransportConfig;
use crate::state::AppState;
use crate::store::messaging;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use slotwise_shared::error::{ErrorBody, ErrorCode};
use slotwise_shared::messages::Channel;

/// Replies that opt a number out (Twilio's standard opt-out keywords).
pub const OPT_OUT_KEYWORDS: &[&str] = &["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
/// Replies that opt a number back in.
pub const OPT_IN_KEYWORDS: &[&str] = &["START", "UNSTOP", "YES"];

/// Twilio's request signature: HMAC-SHA1 of the full URL followed by every POST parameter's
/// name and value, sorted by name, keyed with the auth token, in base64.
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut data = url.to_string();
    for (name, value) in sorted {
        data.push_str(name);
        data.push_str(value);
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
        "The request signature does not match.",
    )
}

/// The form Twilio posts for an inbound SMS, as far as the handler reads it; Twilio sends more
/// parameters (`To`, `MessageSid`, ...), and every one counts for the signature. The handler
/// reads the raw body; this type only documents it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct TwilioInboundSms {
    /// The sender's phone number.
    #[schema(rename = "From", example = "+14155100123")]
    from: String,
    /// The message text: an opt-out (`STOP`, `STOPALL`, `UNSUBSCRIBE`, `CANCEL`, `END`, `QUIT`)
    /// or opt-in (`START`, `UNSTOP`, `YES`) keyword changes the sender's SMS consent; any other
    /// text changes nothing.
    #[schema(rename = "Body", example = "STOP")]
    body: String,
}

/// Handler: applies STOP/START and answers empty TwiML.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/twilio/{slug}/sms",
    operation_id = "inbound_twilio_sms",
    tag = "webhooks",
    summary = "Twilio's inbound SMS webhook: opt-out and opt-in keywords",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("X-Twilio-Signature" = String, Header, description = "Twilio's signature of the public \
            URL and the form parameters, made with the practice's Twilio auth token"),
    ),
    request_body(content = TwilioInboundSms, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Empty TwiML (`<Response></Response>`)",
            content_type = "text/xml; charset=utf-8", body = String),
        (status = 400, description = "The body is not a form (`bad_request`)", body = ErrorBody),
        (status = 403, description = "Missing or wrong `X-Twilio-Signature`, or the practice's SMS does not go through Twilio (`forbidden`); nothing changes", body = ErrorBody),
        (status = 404, description = "Unknown practice", body = ErrorBody),
    ),
)]
pub async fn inbound_sms(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let given = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(forbidden)?;
    let catalog = state.catalog(&slug).await?;
    let practice_id = catalog.practice.id;
    let mut conn = state.db.read.acquire().await?;
    let transport = channel_transport(&mut conn, practice_id, Channel::Sms).await?;
    drop(conn);
    // A practice whose SMS does not go through Twilio has no token to sign with: the same
    // 403 as a wrong signature, so the answer does not tell how the practice sends SMS.
    let Ok(TransportConfig::Twilio(twilio)) = transport else {
        return Err(forbidden());
    };
    let params: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| ApiError::bad_request("The body is not a form."))?;
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let url = format!("{}{path}", state.public_url());
    let expected = twilio_signature(&twilio.auth_token, &url, &params);
    // Constant-time comparison: the signature must not leak byte by byte.
    let matches = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !matches {
        tracing::warn!(practice = %slug, "Twilio webhook with a wrong signature");
        return Err(forbidden());
    }
    let field = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let keyword = field("Body").to_ascii_uppercase();
    // Twilio sends E.164 already; anything else is kept as sent.
    let from = crate::phone::to_e164(&field("From"), "").unwrap_or_else(|_| field("From"));
    let opt_out = OPT_OUT_KEYWORDS.contains(&keyword.as_str());
    let opt_in = OPT_IN_KEYWORDS.contains(&keyword.as_str());
    if (opt_out || opt_in) && !from.is_empty() {
        let now = now_seconds();
        state
            .db
            .write(write_unit!(|conn| {
                if opt_out {
                    messaging::suppress(conn, practice_id, "sms", &from, "replied STOP", now)
                        .await?;
                    crate::automations::opt_out(conn, practice_id, &from, now).await?;
                } else {
                    messaging::unsuppress(conn, practice_id, "sms", &from).await?;
                    crate::automations::opt_in(conn, practice_id, &from).await?;
                }
                Ok(WriteOutcome::Commit(()))
            }))
            .await?;
        tracing::info!(practice = %slug, opt_out, "SMS opt-out keyword");
    }
    Ok((
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::twilio_signature;

    #[test]
    fn signature_matches_twilio_documented_example() {
        // The example from Twilio's "Webhooks security" documentation.
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            twilio_signature(
                "12345",
                "https://mycompany.com/myapp.php?foo=1&bar=2",
                &params
            ),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
    }
}
