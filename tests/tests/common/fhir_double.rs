//! A loopback FHIR R4 server for the resources Slotwise uses, following the REST API:
//! `GET [base]/Slot?schedule.actor=Practitioner/{id}&status=…&start=ge…&start=lt…`,
//! `GET [base]/Appointment?practitioner=Practitioner/{id}&date=ge…&date=lt…&status=…` (searchset
//! Bundles, paged with `next` links; also `identifier=system|value`), `POST [base]/Appointment`
//! (201 with `Location`; conditional create with `If-None-Exist: identifier=system|value`; 409
//! OperationOutcome when the practitioner is already booked then), and reading and updating
//! one Appointment (`GET`/`PUT [base]/Appointment/{id}`, in `fhir_update`). It can be switched
//! down (503, to everything), slow, or to reject new Appointments.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Up,
    /// 503 with an OperationOutcome, to everything.
    Down,
    /// Answers after this long (longer than the client waits).
    Slow(Duration),
    /// Refuses new Appointments with 422 (`business-rule`), searches still work.
    Reject,
}

#[derive(Default)]
pub(super) struct Inner {
    mode: Option<Mode>,
    slots: Vec<Value>,
    pub(super) appointments: Vec<Value>,
    next_id: u64,
    page_size: usize,
    /// Where search paging links point instead of this server (a hostile or misconfigured
    /// system sending the client elsewhere).
    foreign_links: Option<String>,
}

/// The running double.
#[derive(Clone)]
pub struct FhirDouble {
    /// The FHIR base URL (`http://127.0.0.1:port/fhir`).
    pub base_url: String,
    inner: Arc<Mutex<Inner>>,
}

fn instant(seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .expect("instant")
        .to_string()
}

pub(super) fn seconds(v: &Value) -> Option<i64> {
    v.as_str()?.parse::<Timestamp>().ok().map(|t| t.as_second())
}

pub(super) fn outcome(status: StatusCode, code: &str, text: &str) -> Response {
    (
        status,
        [("Content-Type", "application/fhir+json")],
        Json(json!({
            "resourceType": "OperationOutcome",
            "issue": [{ "severity": "error", "code": code, "diagnostics": text }]
        })),
    )
        .into_response()
}

impl FhirDouble {
    /// Starts on a free loopback port, up, with no busy time.
    pub async fn start() -> FhirDouble {
        let inner = Arc::new(Mutex::new(Inner {
            mode: Some(Mode::Up),
            page_size: 2,
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/fhir/Slot", get(search_slots))
            .route(
                "/fhir/Appointment",
                get(search_appointments).post(create_appointment),
            )
            .route(
                "/fhir/Appointment/{id}",
                get(super::fhir_update::read).put(super::fhir_update::update),
            )
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FhirDouble {
            base_url: format!("http://{addr}/fhir"),
            inner,
        }
    }

    /// Makes search paging links point at another server's base URL.
    pub fn point_links_to(&self, base: &str) {
        self.inner.lock().expect("lock").foreign_links = Some(base.to_string());
    }

    /// Switches how it answers.
    pub fn set_mode(&self, mode: Mode) {
        self.inner.lock().expect("lock").mode = Some(mode);
    }

    /// A busy Slot of a practitioner (the practice's own system booked that time).
    pub fn add_busy_slot(&self, practitioner: &str, start: i64, end: i64) {
        let mut inner = self.inner.lock().expect("lock");
        inner.next_id += 1;
        let id = format!("slot-{}", inner.next_id);
        inner.slots.push(json!({
            "resourceType": "Slot",
            "id": id,
            "schedule": { "reference": format!("Schedule/{practitioner}") },
            "_actor": practitioner,
            "status": "busy",
            "start": instant(start),
            "end": instant(end)
        }));
    }

    /// An Appointment booked in the practice system itself (at the front desk).
    pub fn add_front_desk_appointment(&self, practitioner: &str, start: i64, end: i64) {
        let resource = json!({
            "resourceType": "Appointment",
            "status": "booked",
            "description": "Booked at the front desk",
            "start": instant(start),
            "end": instant(end),
            "participant": [{ "actor": { "reference": format!("Practitioner/{practitioner}") }, "status": "accepted" }]
        });
        store(&mut self.inner.lock().expect("lock"), resource);
    }

    /// Cancels in the practice system every Appointment starting at `start` (the front desk
    /// cancelled it there).
    pub fn cancel_appointments_at(&self, start: i64) {
        let at = instant(start);
        for a in self.inner.lock().expect("lock").appointments.iter_mut() {
            if a["start"] == at {
                a["status"] = json!("cancelled");
            }
        }
    }

    /// Every Appointment it holds.
    pub fn appointments(&self) -> Vec<Value> {
        self.inner.lock().expect("lock").appointments.clone()
    }
}

fn store(inner: &mut Inner, mut resource: Value) -> Value {
    inner.next_id += 1;
    resource["id"] = json!(format!("appt-{}", inner.next_id));
    resource["meta"] = json!({ "versionId": "1" });
    inner.appointments.push(resource.clone());
    resource
}

/// Waits or fails as the mode says; `None` to go on.
pub(super) async fn gate(inner: &Arc<Mutex<Inner>>, creating: bool) -> Option<Response> {
    let mode = inner.lock().expect("lock").mode.unwrap_or(Mode::Up);
    match mode {
        Mode::Up => None,
        Mode::Down => Some(outcome(
            StatusCode::SERVICE_UNAVAILABLE,
            "transient",
            "The server is down for maintenance",
        )),
        Mode::Slow(wait) => {
            tokio::time::sleep(wait).await;
            None
        }
        Mode::Reject if creating => Some(outcome(
            StatusCode::UNPROCESSABLE_ENTITY,
            "business-rule",
            "Online bookings are not accepted for this schedule",
        )),
        Mode::Reject => None,
    }
}

type Params = Vec<(String, String)>;

fn values<'a>(params: &'a Params, name: &str) -> Vec<&'a str> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Whether an instant passes `ge…`/`lt…` date parameters.
fn in_range(at: i64, bounds: &[&str]) -> bool {
    bounds.iter().all(|b| {
        let (op, value) = b.split_at(2.min(b.len()));
        let Some(v) = seconds(&json!(value)) else {
            return false;
        };
        match op {
            "ge" => at >= v,
            "gt" => at > v,
            "lt" => at < v,
            "le" => at <= v,
            _ => false,
        }
    })
}

fn bundle(params: &Params, matches: Vec<Value>, page_size: usize, path: &str) -> Response {
    let offset: usize = values(params, "_offset")
        .first()
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let page: Vec<Value> = matches
        .iter()
        .skip(offset)
        .take(page_size)
        .cloned()
        .collect();
    let mut links = vec![json!({ "relation": "self", "url": path })];
    if offset + page_size < matches.len() {
        let mut next: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "_offset")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        next.push(format!("_offset={}", offset + page_size));
        links.push(json!({ "relation": "next", "url": format!("{path}?{}", next.join("&")) }));
    }
    Json(json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "total": matches.len(),
        "link": links,
        "entry": page.into_iter().map(|r| json!({ "resource": r, "search": { "mode": "match" } })).collect::<Vec<_>>()
    }))
    .into_response()
}

/// The base URL of paging links: this server's, unless told to point elsewhere.
fn link_base(inner: &Inner, headers: &HeaderMap) -> String {
    inner
        .foreign_links
        .clone()
        .unwrap_or_else(|| base_of(headers))
}

fn base_of(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}/fhir")
}

async fn search_slots(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if let Some(r) = gate(&inner, false).await {
        return r;
    }
    let actor = values(&params, "schedule.actor")
        .first()
        .map(|a| a.trim_start_matches("Practitioner/").to_string());
    let statuses: Vec<&str> = values(&params, "status")
        .iter()
        .flat_map(|s| s.split(','))
        .collect();
    let starts = values(&params, "start");
    let guard = inner.lock().expect("lock");
    let matches = guard
        .slots
        .iter()
        .filter(|s| actor.as_deref().is_none_or(|a| s["_actor"] == a))
        .filter(|s| statuses.is_empty() || statuses.iter().any(|st| s["status"] == *st))
        .filter(|s| seconds(&s["start"]).is_some_and(|at| in_range(at, &starts)))
        .cloned()
        .collect();
    bundle(
        &params,
        matches,
        guard.page_size,
        &format!("{}/Slot", link_base(&guard, &headers)),
    )
}

pub(super) fn practitioner_of(a: &Value) -> Option<String> {
    a["participant"].as_array()?.iter().find_map(|p| {
        p["actor"]["reference"]
            .as_str()
            .and_then(|r| r.strip_prefix("Practitioner/"))
            .map(str::to_string)
    })
}

async fn search_appointments(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    if let Some(r) = gate(&inner, false).await {
        return r;
    }
    let who = values(&params, "practitioner")
        .first()
        .map(|a| a.trim_start_matches("Practitioner/").to_string());
    let statuses: Vec<&str> = values(&params, "status")
        .iter()
        .flat_map(|s| s.split(','))
        .collect();
    let dates = values(&params, "date");
    let identifier = values(&params, "identifier").first().map(|i| i.to_string());
    let guard = inner.lock().expect("lock");
    let matches = guard
        .appointments
        .iter()
        .filter(|a| {
            identifier
                .as_deref()
                .is_none_or(|token| super::fhir_update::has_identifier(a, token))
        })
        .filter(|a| who.is_none() || practitioner_of(a) == who)
        .filter(|a| statuses.is_empty() || statuses.iter().any(|st| a["status"] == *st))
        .filter(|a| seconds(&a["start"]).is_some_and(|at| in_range(at, &dates)))
        .cloned()
        .collect();
    bundle(
        &params,
        matches,
        guard.page_size,
        &format!("{}/Appointment", link_base(&guard, &headers)),
    )
}

async fn create_appointment(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(resource): Json<Value>,
) -> Response {
    if let Some(r) = gate(&inner, true).await {
        return r;
    }
    if resource["resourceType"] != "Appointment" {
        return outcome(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Expected an Appointment",
        );
    }
    let (Some(start), Some(end), Some(who)) = (
        seconds(&resource["start"]),
        seconds(&resource["end"]),
        practitioner_of(&resource),
    ) else {
        return outcome(
            StatusCode::BAD_REQUEST,
            "required",
            "start, end and a Practitioner participant are required",
        );
    };
    let mut guard = inner.lock().expect("lock");
    // Conditional create: an Appointment with this identifier already exists → 200 with it.
    if let Some(cond) = headers
        .get("if-none-exist")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("identifier="))
    {
        let existing = guard
            .appointments
            .iter()
            .find(|a| super::fhir_update::has_identifier(a, cond));
        if let Some(found) = existing {
            return (StatusCode::OK, Json(found.clone())).into_response();
        }
    }
    let taken = guard.appointments.iter().any(|a| {
        a["status"] == "booked"
            && practitioner_of(a).as_deref() == Some(who.as_str())
            && seconds(&a["start"]).is_some_and(|s| s < end)
            && seconds(&a["end"]).is_some_and(|e| e > start)
    }) || guard.slots.iter().any(|s| {
        s["_actor"] == who.as_str()
            && seconds(&s["start"]).is_some_and(|st| st < end)
            && seconds(&s["end"]).is_some_and(|e| e > start)
    });
    if taken {
        return outcome(
            StatusCode::CONFLICT,
            "conflict",
            "The practitioner is already booked at that time",
        );
    }
    let created = store(&mut guard, resource);
    let id = created["id"].as_str().unwrap_or_default().to_string();
    (
        StatusCode::CREATED,
        [(
            "Location",
            format!("{}/Appointment/{id}/_history/1", base_of(&headers)),
        )],
        Json(created),
    )
        .into_response()
}
