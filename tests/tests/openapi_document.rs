//! The generated OpenAPI document describes every operation completely: unique operation ids,
//! every path parameter, a success answer, error answers as `ErrorBody`, a role on every admin
//! operation and none on public ones, and no reference that points nowhere. (That each route
//! has a description is structural: the router is built from the annotations.)

use crate::common;
use crate::db_test;

use serde_json::Value;
use std::collections::BTreeSet;

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

db_test! {
    async fn the_generated_document_describes_every_operation_completely(app) {
        let doc = common::openapi::document(app).await;
        assert_eq!(doc["openapi"], "3.1.0");
        let mut ids = BTreeSet::new();
        let mut count = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            let params: Vec<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            for (method, op) in item.as_object().expect("path item") {
                count += 1;
                let label = format!("{method} {path}");
                let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{label}: operationId"));
                assert!(ids.insert(id.to_string()), "{label}: operationId {id} used twice");
                assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{label}: summary");
                for name in &params {
                    let described = op["parameters"].as_array().is_some_and(|ps| {
                        ps.iter().any(|p| p["in"] == "path" && p["name"] == *name && p["required"] == true)
                    });
                    assert!(described, "{label}: path parameter {name} undescribed");
                }
                let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{label}: responses"));
                assert!(responses.keys().any(|s| s.starts_with('2')), "{label}: no success answer");
                assert!(!responses.contains_key("default"), "{label}: a default answer hides which statuses it has");
                for (status, answer) in responses.iter().filter(|(s, _)| !s.starts_with('2') && !s.starts_with('3')) {
                    let answer = match answer["$ref"].as_str() {
                        Some(r) => resolve(&doc, r).unwrap_or_else(|| panic!("{label} {status}: {r}")),
                        None => answer,
                    };
                    let schema = &answer["content"]["application/json"]["schema"];
                    let html = answer["content"]["text/html; charset=utf-8"].is_object() || answer["content"]["text/html"].is_object();
                    assert!(
                        schema["$ref"] == "#/components/schemas/ErrorBody" || html,
                        "{label} {status}: errors answer ErrorBody: {answer}"
                    );
                }
                let role = op["security"][0]["bearerAuth"][0].as_str();
                let sign_in = method == "post" && path == "/api/v1/admin/session";
                if path.starts_with("/api/v1/admin/") && !sign_in {
                    assert!(matches!(role, Some("front_desk" | "admin" | "owner")), "{label}: role {role:?}");
                    assert!(responses.contains_key("401") && responses.contains_key("403"), "{label}: 401/403");
                    let session = &op["security"][1];
                    assert_eq!(session["sessionCookie"][0].as_str(), role, "{label}: the session alternative");
                    assert_eq!(session.get("csrfToken").is_some(), method != "get", "{label}: CSRF on changes only");
                } else {
                    assert!(op.get("security").is_none() || op["security"] == serde_json::json!([]), "{label}: public");
                }
                if op.get("requestBody").is_some() {
                    for status in ["400", "413", "415", "422"] {
                        assert!(responses.contains_key(status), "{label}: {status} for a body");
                    }
                }
            }
        }
        assert!(count >= 75, "only {count} operations");
        for required in ["get_free_times", "create_hold", "create_booking", "cancel_booking", "inbound_twilio_sms", "sign_in"] {
            assert!(ids.contains(required), "{required} missing: {ids:?}");
        }
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in all {
            assert!(resolve(&doc, &r).is_some(), "{r} points nowhere");
        }
        // The rate limits' 429 is documented where the limits apply.
        assert!(doc["paths"]["/api/v1/practices/{slug}/holds"]["post"]["responses"]["429"].is_object());
        assert!(doc["paths"]["/api/v1/practices/{slug}/slots"]["get"]["responses"]["429"].is_object());
    }
}
