//! The FHIR double's reads and updates of one Appointment, following the REST API:
//! `GET [base]/Appointment/{id}` and `PUT [base]/Appointment/{id}` (the whole resource; with
//! `If-Match: W/"version"` a stale version answers 412; each update bumps `meta.versionId`).
//! Both answer 503 while the double is down.

use super::fhir_double::{gate, outcome, practitioner_of, seconds, Inner};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// Whether an Appointment carries the identifier `system|value`.
pub fn has_identifier(resource: &Value, token: &str) -> bool {
    resource["identifier"].as_array().is_some_and(|ids| {
        ids.iter().any(|i| {
            format!(
                "{}|{}",
                i["system"].as_str().unwrap_or_default(),
                i["value"].as_str().unwrap_or_default()
            ) == token
        })
    })
}

fn not_found(id: &str) -> Response {
    outcome(
        StatusCode::NOT_FOUND,
        "not-found",
        &format!("Appointment/{id} is not known"),
    )
}

/// `GET [base]/Appointment/{id}`.
pub(super) async fn read(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = gate(&inner, false).await {
        return r;
    }
    let guard = inner.lock().expect("lock");
    match guard.appointments.iter().find(|a| a["id"] == id.as_str()) {
        Some(found) => Json(found.clone()).into_response(),
        None => not_found(&id),
    }
}

/// `PUT [base]/Appointment/{id}`: replaces the resource (update only, no create).
pub(super) async fn update(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(mut resource): Json<Value>,
) -> Response {
    if let Some(r) = gate(&inner, false).await {
        return r;
    }
    if resource["resourceType"] != "Appointment" || resource["id"] != id.as_str() {
        return outcome(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Expected the Appointment with the id of the URL",
        );
    }
    if seconds(&resource["start"]).is_none()
        || seconds(&resource["end"]).is_none()
        || practitioner_of(&resource).is_none()
    {
        return outcome(
            StatusCode::BAD_REQUEST,
            "required",
            "start, end and a Practitioner participant are required",
        );
    }
    let mut guard = inner.lock().expect("lock");
    let Some(stored) = guard
        .appointments
        .iter_mut()
        .find(|a| a["id"] == id.as_str())
    else {
        return not_found(&id);
    };
    let version: u64 = stored["meta"]["versionId"]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    if let Some(wanted) = headers.get("if-match").and_then(|v| v.to_str().ok()) {
        if wanted != format!("W/\"{version}\"") {
            return outcome(
                StatusCode::PRECONDITION_FAILED,
                "conflict",
                "The Appointment was changed meanwhile",
            );
        }
    }
    resource["meta"] = json!({ "versionId": (version + 1).to_string() });
    *stored = resource.clone();
    (
        StatusCode::OK,
        [("ETag", format!("W/\"{}\"", version + 1))],
        Json(resource),
    )
        .into_response()
}
