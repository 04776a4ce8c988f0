//! The OpenAPI 3.1 document of the admin API, served at `/api/v1/openapi.json`. It is built
//! from [`ENDPOINTS`], which the API tests walk: every documented endpoint is checked for
//! sign-in, CSRF and cross-practice access.

use axum::Json;
use serde_json::{json, Map, Value};

/// One documented endpoint.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    pub method: &'static str,
    /// With `{id}`-style parameters.
    pub path: &'static str,
    pub summary: &'static str,
    /// Lowest role allowed: `front_desk`, `admin` or `owner`.
    pub role: &'static str,
    /// Name of the JSON request body type in `slotwise_shared`, if any.
    pub request: Option<&'static str>,
    /// Name of the answer type (`slotwise_shared`), `csv`, or `none` (204).
    pub response: &'static str,
}

const fn e(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    role: &'static str,
    request: Option<&'static str>,
    response: &'static str,
) -> Endpoint {
    Endpoint {
        method,
        path,
        summary,
        role,
        request,
        response,
    }
}

/// Every admin endpoint (sign-in excepted: `POST /api/v1/admin/session` takes a
/// `LoginRequest` and answers a `SessionView` with the session cookie).
pub const ENDPOINTS: &[Endpoint] = &[
    e(
        "GET",
        "/api/v1/admin/session",
        "Who is signed in, with the CSRF token",
        "front_desk",
        None,
        "SessionView",
    ),
    e(
        "DELETE",
        "/api/v1/admin/session",
        "Sign out",
        "front_desk",
        None,
        "none",
    ),
    e(
        "GET",
        "/api/v1/admin/practice",
        "Practice settings",
        "front_desk",
        None,
        "PracticeView",
    ),
    e(
        "PUT",
        "/api/v1/admin/practice",
        "Save practice settings (branding, widget)",
        "admin",
        Some("PracticeSettings"),
        "PracticeView",
    ),
    e(
        "GET",
        "/api/v1/admin/setup",
        "Locations, providers, reasons and carriers",
        "front_desk",
        None,
        "SetupView",
    ),
    e(
        "POST",
        "/api/v1/admin/locations",
        "Add a location",
        "admin",
        Some("LocationInput"),
        "SetupView",
    ),
    e(
        "POST",
        "/api/v1/admin/operatories",
        "Add a room or chair",
        "admin",
        Some("OperatoryInput"),
        "SetupView",
    ),
    e(
        "POST",
        "/api/v1/admin/providers",
        "Add a provider",
        "admin",
        Some("ProviderInput"),
        "SetupView",
    ),
    e(
        "PUT",
        "/api/v1/admin/providers/{id}",
        "Change a provider",
        "admin",
        Some("ProviderInput"),
        "SetupView",
    ),
    e(
        "PUT",
        "/api/v1/admin/providers/{id}/hours",
        "Replace a provider's weekly hours",
        "admin",
        Some("HoursUpdate"),
        "SetupView",
    ),
    e(
        "POST",
        "/api/v1/admin/providers/{id}/time-off",
        "Add time off",
        "admin",
        Some("TimeOffInput"),
        "SetupView",
    ),
    e(
        "DELETE",
        "/api/v1/admin/time-off/{id}",
        "Remove time off",
        "admin",
        None,
        "SetupView",
    ),
    e(
        "POST",
        "/api/v1/admin/reasons",
        "Add a reason for visit",
        "admin",
        Some("ReasonInput"),
        "SetupView",
    ),
    e(
        "PUT",
        "/api/v1/admin/reasons/{id}",
        "Change a reason for visit",
        "admin",
        Some("ReasonInput"),
        "SetupView",
    ),
    e(
        "POST",
        "/api/v1/admin/insurance",
        "Add an accepted carrier",
        "admin",
        Some("CarrierInput"),
        "SetupView",
    ),
    e(
        "PUT",
        "/api/v1/admin/insurance/{id}",
        "Change a carrier",
        "admin",
        Some("CarrierInput"),
        "SetupView",
    ),
    e(
        "DELETE",
        "/api/v1/admin/insurance/{id}",
        "Remove a carrier no booking names",
        "admin",
        None,
        "SetupView",
    ),
    e(
        "GET",
        "/api/v1/admin/appointments",
        "Search and filter appointments",
        "front_desk",
        None,
        "AppointmentList",
    ),
    e(
        "GET",
        "/api/v1/admin/appointments.csv",
        "Appointments as CSV",
        "front_desk",
        None,
        "csv",
    ),
    e(
        "POST",
        "/api/v1/admin/appointments/{id}/{action}",
        "Confirm, cancel, complete or mark no-show",
        "front_desk",
        None,
        "AppointmentItem",
    ),
    e(
        "POST",
        "/api/v1/admin/appointments/{id}/reschedule",
        "Move into a held time",
        "front_desk",
        Some("StaffReschedule"),
        "AppointmentItem",
    ),
    e(
        "GET",
        "/api/v1/admin/booking-queue",
        "Booking queue by status",
        "front_desk",
        None,
        "QueueList",
    ),
    e(
        "POST",
        "/api/v1/admin/booking-queue/{id}/complete",
        "Mark booked; confirms the patient",
        "front_desk",
        Some("QueueCompletion"),
        "QueueEntryView",
    ),
    e(
        "POST",
        "/api/v1/admin/booking-queue/{id}/cancel",
        "Close a pending entry",
        "front_desk",
        None,
        "QueueEntryView",
    ),
    e(
        "GET",
        "/api/v1/admin/pms",
        "The practice-management connection and its health",
        "front_desk",
        None,
        "PmsView",
    ),
    e(
        "PUT",
        "/api/v1/admin/pms",
        "Choose the schedule of record: built in, or a FHIR R4 server",
        "admin",
        Some("PmsSettings"),
        "PmsView",
    ),
    e(
        "GET",
        "/api/v1/admin/recall-rules",
        "Recall rules with their numbers (due, sent, opened, booked)",
        "front_desk",
        None,
        "RecallRuleList",
    ),
    e(
        "POST",
        "/api/v1/admin/recall-rules",
        "Add a recall rule",
        "admin",
        Some("RecallRuleInput"),
        "RecallRuleView",
    ),
    e(
        "PUT",
        "/api/v1/admin/recall-rules/{id}",
        "Change a recall rule",
        "admin",
        Some("RecallRuleInput"),
        "RecallRuleView",
    ),
    e(
        "DELETE",
        "/api/v1/admin/recall-rules/{id}",
        "Stop and remove a recall rule (its links keep working)",
        "admin",
        None,
        "none",
    ),
    e(
        "GET",
        "/api/v1/admin/automations/settings",
        "No-show follow-ups, feedback and broadcast pace",
        "front_desk",
        None,
        "AutomationSettings",
    ),
    e(
        "PUT",
        "/api/v1/admin/automations/settings",
        "Change the follow-up settings",
        "admin",
        Some("AutomationSettings"),
        "AutomationSettings",
    ),
    e(
        "GET",
        "/api/v1/admin/automations/stats",
        "What the automations did in a period: no-shows recovered, recall bookings, ratings",
        "front_desk",
        None,
        "AutomationStats",
    ),
    e(
        "PUT",
        "/api/v1/admin/patients/{id}/automations",
        "Pause or resume a patient's automated messages",
        "front_desk",
        Some("AutomationPause"),
        "AutomationPause",
    ),
    e(
        "POST",
        "/api/v1/admin/broadcasts/preview",
        "Who a broadcast would reach (exact count) and sample messages",
        "front_desk",
        Some("BroadcastRequest"),
        "BroadcastPreview",
    ),
    e(
        "POST",
        "/api/v1/admin/broadcasts",
        "Send a broadcast through the outbox",
        "front_desk",
        Some("BroadcastRequest"),
        "BroadcastView",
    ),
    e(
        "GET",
        "/api/v1/admin/broadcasts",
        "Sent broadcasts",
        "front_desk",
        None,
        "BroadcastList",
    ),
    e(
        "GET",
        "/api/v1/admin/broadcasts/{id}",
        "One broadcast and who was sent what",
        "front_desk",
        None,
        "BroadcastDetail",
    ),
    e(
        "GET",
        "/api/v1/admin/dashboard",
        "Bookings of a period, for charts",
        "front_desk",
        None,
        "Dashboard",
    ),
    e(
        "GET",
        "/api/v1/admin/templates",
        "Message templates and tags",
        "front_desk",
        None,
        "TemplateList",
    ),
    e(
        "PUT",
        "/api/v1/admin/templates/{event}/{channel}",
        "Save a template",
        "admin",
        Some("TemplateUpdate"),
        "TemplateView",
    ),
    e(
        "DELETE",
        "/api/v1/admin/templates/{event}/{channel}",
        "Back to the default wording",
        "admin",
        None,
        "none",
    ),
    e(
        "POST",
        "/api/v1/admin/templates/{event}/{channel}/preview",
        "Render with sample values",
        "front_desk",
        Some("TemplateUpdate"),
        "TemplatePreview",
    ),
    e(
        "GET",
        "/api/v1/admin/messages",
        "Messages (status=dead: failed)",
        "front_desk",
        None,
        "MessageList",
    ),
    e(
        "POST",
        "/api/v1/admin/messages/{id}/resend",
        "Send a message again",
        "front_desk",
        None,
        "MessageView",
    ),
    e(
        "PUT",
        "/api/v1/admin/patients/{id}/contact",
        "Correct a patient's phone or email",
        "front_desk",
        Some("ContactUpdate"),
        "ContactUpdate",
    ),
    e(
        "GET",
        "/api/v1/admin/messaging",
        "Channels and reminder times",
        "front_desk",
        None,
        "MessagingSettings",
    ),
    e(
        "PUT",
        "/api/v1/admin/messaging/channels/{channel}",
        "Configure a channel",
        "admin",
        Some("ChannelSettingsUpdate"),
        "MessagingSettings",
    ),
    e(
        "PUT",
        "/api/v1/admin/messaging/reminders",
        "Reminder times",
        "admin",
        Some("ReminderOffsets"),
        "MessagingSettings",
    ),
    e(
        "GET",
        "/api/v1/admin/staff",
        "Staff accounts",
        "admin",
        None,
        "StaffView[]",
    ),
    e(
        "POST",
        "/api/v1/admin/staff",
        "Add a staff account",
        "owner",
        Some("NewStaff"),
        "StaffView[]",
    ),
    e(
        "POST",
        "/api/v1/admin/staff/{id}/disable",
        "Disable an account (it cannot sign in; its sessions end at once)",
        "admin",
        None,
        "StaffView[]",
    ),
    e(
        "POST",
        "/api/v1/admin/staff/{id}/enable",
        "Enable a disabled account",
        "admin",
        None,
        "StaffView[]",
    ),
    e(
        "GET",
        "/api/v1/admin/api-keys",
        "The practice's live API keys (never the keys themselves)",
        "admin",
        None,
        "ApiKeyView[]",
    ),
    e(
        "POST",
        "/api/v1/admin/api-keys",
        "Make an API key with a role (the key is shown once)",
        "owner",
        Some("NewApiKey"),
        "CreatedApiKey",
    ),
    e(
        "DELETE",
        "/api/v1/admin/api-keys/{id}",
        "Revoke an API key",
        "admin",
        None,
        "ApiKeyView[]",
    ),
    e(
        "GET",
        "/api/v1/admin/audit",
        "Audit log (newest 500)",
        "admin",
        None,
        "AuditList",
    ),
];

fn schema_ref(name: &str) -> Value {
    match name.strip_suffix("[]") {
        Some(item) => {
            json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } })
        }
        None => json!({ "$ref": format!("#/components/schemas/{name}") }),
    }
}

fn operation(ep: &Endpoint) -> Value {
    let mut op = Map::new();
    op.insert("summary".into(), json!(ep.summary));
    op.insert("x-minimum-role".into(), json!(ep.role));
    let params: Vec<Value> = ep
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    if !params.is_empty() {
        op.insert("parameters".into(), json!(params));
    }
    if let Some(req) = ep.request {
        op.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": schema_ref(req) } } }),
        );
    }
    let ok = match ep.response {
        "none" => json!({ "204": { "description": "Done" } }),
        "csv" => json!({ "200": { "description": "CSV file", "content": { "text/csv": {} } } }),
        name => {
            json!({ "200": { "description": "OK", "content": { "application/json": { "schema": schema_ref(name) } } } })
        }
    };
    let mut responses = ok.as_object().cloned().unwrap_or_default();
    for (code, text) in [
        ("401", "Not signed in"),
        ("403", "Missing CSRF token, or the role may not do this"),
        ("404", "Not found in the caller's practice"),
        ("422", "Invalid input: `fields` names each problem"),
    ] {
        responses.insert(code.into(), json!({ "description": text, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } }));
    }
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let login = json!({ "post": {
        "summary": "Sign in (sets the HttpOnly session cookie)",
        "security": [],
        "requestBody": { "required": true, "content": { "application/json": { "schema": schema_ref("LoginRequest") } } },
        "responses": {
            "200": { "description": "Signed in", "content": { "application/json": { "schema": schema_ref("SessionView") } } },
            "401": { "description": "Wrong email or password" },
            "429": { "description": "Too many attempts, or the account is locked" },
            "503": { "description": "Too many sign-ins being checked at once; try again shortly" }
        }
    }});
    paths.insert("/api/v1/admin/session".into(), login);
    for ep in ENDPOINTS {
        let entry = paths
            .entry(ep.path.to_string())
            .or_insert_with(|| json!({}));
        if let Some(map) = entry.as_object_mut() {
            map.insert(ep.method.to_lowercase(), operation(ep));
        }
    }
    let mut schemas = Map::new();
    for ep in ENDPOINTS {
        for name in [ep.request.unwrap_or("none"), ep.response] {
            let name = name.trim_end_matches("[]");
            if !matches!(name, "none" | "csv") {
                schemas.insert(
                    name.into(),
                    json!({ "type": "object", "description": format!("`slotwise_shared` type {name} (see docs/api.md)") }),
                );
            }
        }
    }
    for name in ["LoginRequest", "SessionView", "ErrorBody"] {
        schemas.insert(
            name.into(),
            json!({ "type": "object", "description": format!("`slotwise_shared` type {name}") }),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Slotwise admin API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The staff console's API. Sign in with POST /api/v1/admin/session (cookie session; send the returned csrf_token as X-CSRF-Token on every change) or send a practice API key as `Authorization: Bearer <key>`. The practice always comes from the credentials; other practices' ids answer 404."
        },
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": super::session_cookie::SESSION_COOKIE },
                "apiKey": { "type": "http", "scheme": "bearer" }
            },
            "schemas": schemas
        },
        "security": [{ "session": [] }, { "apiKey": [] }],
        "paths": paths
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn serve() -> Json<Value> {
    Json(document())
}
