//! The OpenAPI 3.1 document of the whole HTTP API, served at `/api/v1/openapi.json`.
//!
//! It is generated, never written by hand: each handler carries its `#[utoipa::path]` (path,
//! parameters, body, answers, lowest role) and every wire type derives its JSON Schema, and the
//! router is built with `utoipa_axum::routes!`, which takes the route from the same annotation —
//! a route cannot exist without its description. [`complete`] then adds what operations share
//! because the same layer answers it: the extractors' 400/413/415/422, the admin layer's
//! 401/403 and its two ways in, and the rate limits' 429.

use super::admin::session_cookie::{CSRF_HEADER, SESSION_COOKIE};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};
use slotwise_shared::error::{ErrorBody, ErrorCode};
use std::collections::BTreeSet;
use std::sync::Arc;
use utoipa::OpenApi;

/// The parts of the document no handler owns.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Slotwise API",
        description = "Online appointment booking for clinics. Public endpoints under \
            `/api/v1/practices/{slug}/` serve the booking widget and integrators (no credentials); \
            a booking is managed with its token. The admin API under `/api/v1/admin/` takes a \
            practice API key (`Authorization: Bearer <key>`) or a staff session cookie with \
            `X-CSRF-Token` on every change; the practice always comes from the credentials and \
            other practices' ids answer 404. Every error is `ErrorBody` JSON."
    ),
    components(schemas(ErrorBody, ErrorCode)),
    tags(
        (name = "booking", description = "Free times, holds and bookings (the widget's API)"),
        (name = "patients", description = "Returning patients: look-up and one-time codes"),
        (name = "manage", description = "A booking managed with its token"),
        (name = "admin", description = "The staff console's and integrations' API"),
        (name = "webhooks", description = "Calls from messaging providers"),
        (name = "pages", description = "HTML pages for patients"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

/// The finished document, shared by the route that serves it.
#[derive(Clone)]
pub struct ApiDocument(pub Arc<Value>);

/// `GET /api/v1/openapi.json`.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "get_openapi_document",
    tag = "meta",
    summary = "This OpenAPI 3.1 document",
    responses((status = 200, description = "The document", body = Object)),
)]
pub async fn serve(Extension(document): Extension<ApiDocument>) -> Json<Value> {
    Json(document.0.as_ref().clone())
}

/// An operation: method (lower case) and path.
pub type OperationKey = (String, String);

/// Every operation of a (partial) document, to mark those under a shared layer.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> BTreeSet<OperationKey> {
    let Ok(Value::Object(paths)) = serde_json::to_value(&doc.paths) else {
        return BTreeSet::new();
    };
    let mut found = BTreeSet::new();
    for (path, item) in paths
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&paths)
    {
        if let Some(item) = item.as_object() {
            for method in item.keys().filter(|m| is_method(m)) {
                found.insert((method.clone(), path.clone()));
            }
        }
    }
    found
}

fn is_method(name: &str) -> bool {
    matches!(name, "get" | "put" | "post" | "delete" | "patch")
}

/// Shared answers, referenced from operations as `#/components/responses/{name}`.
const SHARED_RESPONSES: &[(&str, &str)] = &[
    (
        "BadRequest",
        "Malformed JSON (`malformed_json`) or a missing or malformed parameter or header (`bad_request`)",
    ),
    ("Unauthorized", "No valid API key or staff session (`unauthorized`)"),
    (
        "Forbidden",
        "A change without the session's CSRF token, or a role that may not do this (`forbidden`)",
    ),
    ("NotFound", "Nothing of that name in this practice (`not_found`)"),
    ("PayloadTooLarge", "The body is larger than 16 KiB (`payload_too_large`)"),
    (
        "UnsupportedMediaType",
        "The body is not `application/json` (`unsupported_media_type`)",
    ),
    (
        "UnprocessableEntity",
        "A body of the wrong shape (`invalid_body`) or values that break a rule (`validation_failed`, see `fields`)",
    ),
    ("TooManyRequests", "Too many requests from this client; try again shortly (`rate_limited`)"),
];

/// Adds the shared answers, the admin security alternatives and the components they use.
pub fn complete(doc: utoipa::openapi::OpenApi, rate_limited: &BTreeSet<OperationKey>) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_else(|_| json!({}));
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut().filter(|(m, _)| is_method(m)) {
                let limited = rate_limited.contains(&(method.clone(), path.clone()));
                complete_operation(method, path, op, limited);
            }
        }
    }
    let components = doc
        .as_object_mut()
        .map(|d| d.entry("components").or_insert_with(|| json!({})));
    if let Some(Value::Object(components)) = components {
        let responses = SHARED_RESPONSES
            .iter()
            .map(|(name, text)| ((*name).to_string(), error_response(text)))
            .collect::<Map<_, _>>();
        components.insert("responses".into(), Value::Object(responses));
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            list_language_codes(schemas);
        }
        components.insert(
            "securitySchemes".into(),
            json!({
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A practice API key; its role is the requirement's scope (front_desk < admin < owner)."
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": SESSION_COOKIE,
                    "description": "A staff session from POST /api/v1/admin/session; the staff member's role is the requirement's scope."
                },
                "csrfToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": CSRF_HEADER,
                    "description": "The session's `csrf_token`, required with the session cookie on every change."
                }
            }),
        );
    }
    doc
}

/// Properties that must name a language there is a file for: their `enum` is the codes of
/// `shared/lang` (or `null`), so a new language file needs no change here.
const LANGUAGE_CODE_PROPERTIES: &[(&str, &str)] = &[("PatientLanguage", "lang")];

fn list_language_codes(schemas: &mut Map<String, Value>) {
    let mut codes: Vec<Value> = slotwise_shared::lang::LANGUAGES
        .iter()
        .map(|l| Value::from(l.code))
        .collect();
    codes.push(Value::Null);
    for (schema, property) in LANGUAGE_CODE_PROPERTIES {
        if let Some(Value::Object(p)) = schemas
            .get_mut(*schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|props| props.get_mut(*property))
        {
            p.insert("enum".into(), Value::Array(codes.clone()));
        }
    }
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } }
    })
}

fn complete_operation(method: &str, path: &str, op: &mut Value, limited: bool) {
    let has_body = op.get("requestBody").is_some();
    let has_query_or_header = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| {
            ps.iter().any(|p| {
                matches!(
                    p.get("in").and_then(Value::as_str),
                    Some("query" | "header")
                )
            })
        });
    let role = op
        .get("security")
        .and_then(Value::as_array)
        .and_then(|reqs| reqs.first())
        .and_then(|req| req.get("bearerAuth"))
        .cloned();
    let mut shared = Vec::new();
    if has_body || has_query_or_header {
        shared.push(("400", "BadRequest"));
    }
    if role.is_some() {
        shared.push(("401", "Unauthorized"));
        shared.push(("403", "Forbidden"));
    }
    if path.contains('{') {
        shared.push(("404", "NotFound"));
    }
    if has_body {
        shared.push(("413", "PayloadTooLarge"));
        shared.push(("415", "UnsupportedMediaType"));
        shared.push(("422", "UnprocessableEntity"));
    }
    if limited {
        shared.push(("429", "TooManyRequests"));
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, name) in shared {
            responses
                .entry(status)
                .or_insert_with(|| json!({ "$ref": format!("#/components/responses/{name}") }));
        }
    }
    if let (Some(role), Some(op)) = (role, op.as_object_mut()) {
        let mut session = json!({ "sessionCookie": role.clone() });
        if method != "get" {
            session["csrfToken"] = json!([]);
        }
        op.insert("security".into(), json!([{ "bearerAuth": role }, session]));
    }
}
