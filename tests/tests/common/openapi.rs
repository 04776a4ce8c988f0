//! The server's generated OpenAPI document, read the way the API tests walk it.

use super::TestApp;
use serde_json::Value;
use slotwise_shared::admin::StaffRole;

/// `GET /api/v1/openapi.json` of the test server.
pub async fn document(app: &TestApp) -> Value {
    reqwest::get(format!("{}/api/v1/openapi.json", app.server.url()))
        .await
        .expect("openapi")
        .json()
        .await
        .expect("openapi json")
}

/// One documented operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Upper case, as sent.
    pub method: String,
    /// With `{id}`-style parameters.
    pub path: String,
    /// The JSON request body's schema name, if any.
    pub request: Option<String>,
    /// The lowest role allowed (the security requirement's scope).
    pub role: StaffRole,
}

/// Every operation that needs credentials, with the role it documents.
pub fn admin_operations(doc: &Value) -> Vec<Operation> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(role) = op["security"][0]["bearerAuth"][0].as_str() else {
                continue;
            };
            let request = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .and_then(|r| r.rsplit('/').next())
                .map(str::to_string);
            found.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                request,
                role: StaffRole::parse(role)
                    .unwrap_or_else(|| panic!("role {role} of {method} {path}")),
            });
        }
    }
    assert!(found.len() > 40, "admin operations were read: {found:?}");
    found
}
