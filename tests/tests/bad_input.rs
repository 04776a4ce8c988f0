//! Malformed and hostile requests get the right 4xx with our JSON error body, and change
//! nothing — on SQLite and on PostgreSQL.

use crate::common;
use crate::db_test;

use common::{booking_request, TestApp};
use slotwise_shared::api::ProviderChoice;
use slotwise_shared::error::{ErrorBody, ErrorCode};
use slotwise_shared::paths;

struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
    status: u16,
    code: ErrorCode,
    field: Option<&'static str>,
}

fn json() -> Vec<(&'static str, String)> {
    vec![("content-type", "application/json".to_string())]
}

fn json_with_key() -> Vec<(&'static str, String)> {
    vec![
        ("content-type", "application/json".to_string()),
        ("idempotency-key", "bad-input".to_string()),
    ]
}

async fn cases(app: &TestApp) -> Vec<Case> {
    let reason = app.reason("Checkup");
    let provider = app.provider("Dr. Maya Patel");
    let slot = app
        .free_slots(reason, ProviderChoice::Id(provider))
        .await
        .remove(0);
    let start = slot.start;
    let hold = |r: serde_json::Value| Some(r.to_string());
    let other_reason = app.other.reasons["Checkup"];
    let booking = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = serde_json::to_value(booking_request("x".repeat(43).as_str())).expect("json");
        edit(&mut v);
        Some(v.to_string())
    };
    let holds = paths::holds("demo");
    let bookings = paths::bookings("demo");
    let c = |name, method, path: &str, headers, body, status, code, field| Case {
        name,
        method,
        path: path.to_string(),
        headers,
        body,
        status,
        code,
        field,
    };
    vec![
        c(
            "broken json",
            "POST",
            &holds,
            json(),
            Some("{\"reason\": ".into()),
            400,
            ErrorCode::MalformedJson,
            None,
        ),
        c(
            "wrong types",
            "POST",
            &holds,
            json(),
            hold(serde_json::json!({"reason": "one", "provider": provider, "start": start})),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "missing fields",
            "POST",
            &holds,
            json(),
            hold(serde_json::json!({"reason": reason})),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "not a time",
            "POST",
            &holds,
            json(),
            hold(
                serde_json::json!({"reason": reason, "provider": provider, "start": "tomorrow at nine"}),
            ),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "no content type",
            "POST",
            &holds,
            vec![],
            hold(serde_json::json!({"reason": reason, "provider": provider, "start": start})),
            415,
            ErrorCode::UnsupportedMediaType,
            None,
        ),
        c(
            "huge body",
            "POST",
            &holds,
            json(),
            Some(format!("{{\"reason\": \"{}\"}}", "a".repeat(20_000))),
            413,
            ErrorCode::PayloadTooLarge,
            None,
        ),
        c(
            "past start",
            "POST",
            &holds,
            json(),
            hold(
                serde_json::json!({"reason": reason, "provider": provider, "start": "2020-01-06T14:00:00Z"}),
            ),
            422,
            ErrorCode::ValidationFailed,
            Some("start"),
        ),
        c(
            "unknown reason",
            "POST",
            &holds,
            json(),
            hold(serde_json::json!({"reason": 999_999, "provider": provider, "start": start})),
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "another practice's reason",
            "POST",
            &holds,
            json(),
            hold(serde_json::json!({"reason": other_reason, "provider": provider, "start": start})),
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "misaligned start",
            "POST",
            &holds,
            json(),
            hold(
                serde_json::json!({"reason": reason, "provider": provider, "start": jiff::Timestamp::from_second(start.as_second() + 420).expect("ts")}),
            ),
            409,
            ErrorCode::SlotUnavailable,
            None,
        ),
        c(
            "far future start",
            "POST",
            &holds,
            json(),
            hold(
                serde_json::json!({"reason": reason, "provider": provider, "start": "2099-01-05T14:00:00Z"}),
            ),
            409,
            ErrorCode::SlotUnavailable,
            None,
        ),
        c(
            "huge id",
            "POST",
            &holds,
            json(),
            hold(serde_json::json!({"reason": 1e300, "provider": provider, "start": start})),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "no idempotency key",
            "POST",
            &bookings,
            json(),
            booking(&|_| {}),
            400,
            ErrorCode::BadRequest,
            None,
        ),
        c(
            "unknown hold",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|_| {}),
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "bad phone",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient"]["phone"] = "555-0100".into()),
            422,
            ErrorCode::ValidationFailed,
            Some("patient.phone"),
        ),
        c(
            "bad email",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient"]["email"] = "ana at example".into()),
            422,
            ErrorCode::ValidationFailed,
            Some("patient.email"),
        ),
        c(
            "future birth",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient"]["date_of_birth"] = "2999-01-01".into()),
            422,
            ErrorCode::ValidationFailed,
            Some("patient.date_of_birth"),
        ),
        c(
            "ancient birth",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient"]["date_of_birth"] = "1700-01-01".into()),
            422,
            ErrorCode::ValidationFailed,
            Some("patient.date_of_birth"),
        ),
        c(
            "markup name",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient"]["first_name"] = "<script>alert(1)</script>".into()),
            422,
            ErrorCode::ValidationFailed,
            Some("patient.first_name"),
        ),
        c(
            "long name",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient"]["last_name"] = "a".repeat(5000).into()),
            422,
            ErrorCode::ValidationFailed,
            Some("patient.last_name"),
        ),
        c(
            "long notes",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["notes"] = "a".repeat(5000).into()),
            422,
            ErrorCode::ValidationFailed,
            Some("notes"),
        ),
        c(
            "unknown carrier",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| {
                v["insurance"] = serde_json::json!({"kind": "carrier", "carrier": 424242})
            }),
            422,
            ErrorCode::ValidationFailed,
            Some("insurance.carrier"),
        ),
        c(
            "unknown patient type",
            "POST",
            &bookings,
            json_with_key(),
            booking(&|v| v["patient_type"] = "alien".into()),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "array body",
            "POST",
            &bookings,
            json_with_key(),
            Some("[1,2,3]".into()),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "unknown practice",
            "GET",
            &paths::booking_config("nobody-here"),
            vec![],
            None,
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "hostile slug",
            "GET",
            "/api/v1/practices/..%2F..%2Fetc/booking-config",
            vec![],
            None,
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "slots without reason",
            "GET",
            &paths::slots("demo"),
            vec![],
            None,
            422,
            ErrorCode::ValidationFailed,
            Some("reason"),
        ),
        c(
            "slots bad days",
            "GET",
            &format!("{}?reason={reason}&days=400", paths::slots("demo")),
            vec![],
            None,
            422,
            ErrorCode::ValidationFailed,
            Some("days"),
        ),
        c(
            "slots bad date",
            "GET",
            &format!("{}?reason={reason}&from=someday", paths::slots("demo")),
            vec![],
            None,
            422,
            ErrorCode::ValidationFailed,
            Some("from"),
        ),
        c(
            "slots bad provider",
            "GET",
            &format!("{}?reason={reason}&provider=dr-who", paths::slots("demo")),
            vec![],
            None,
            422,
            ErrorCode::ValidationFailed,
            Some("provider"),
        ),
        c(
            "unknown booking",
            "GET",
            &paths::booking("demo", &"A".repeat(43)),
            vec![],
            None,
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "malformed token",
            "GET",
            &paths::booking("demo", "%3Cscript%3E"),
            vec![],
            None,
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "cancel unknown",
            "POST",
            &paths::cancel("demo", &"B".repeat(43)),
            json(),
            Some("{}".into()),
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "reschedule wrong shape",
            "POST",
            &paths::reschedule("demo", &"B".repeat(43)),
            json(),
            Some("{\"hold\": 1}".into()),
            422,
            ErrorCode::InvalidBody,
            None,
        ),
        c(
            "unknown route",
            "GET",
            "/api/v1/nothing",
            vec![],
            None,
            404,
            ErrorCode::NotFound,
            None,
        ),
        c(
            "wrong method",
            "DELETE",
            &holds,
            vec![],
            None,
            405,
            ErrorCode::BadRequest,
            None,
        ),
    ]
}

db_test! {
    async fn malformed_and_hostile_requests_get_the_right_4xx_and_change_nothing(app) {
        let tables = ["appointments", "patients", "idempotency_keys"];
        let mut before = Vec::new();
        for t in tables {
            before.push(app.count(t).await);
        }
        let mut failures = Vec::new();
        for case in cases(app).await {
            let headers: Vec<(&str, &str)> = case.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = app.client.raw(case.method, &case.path, &headers, case.body.clone()).await.expect("request");
            let body: Result<ErrorBody, _> = serde_json::from_str(&response.body);
            let ok = match &body {
                Ok(b) => {
                    response.status == case.status
                        && b.code == case.code
                        && case.field.is_none_or(|f| b.fields.as_ref().is_some_and(|fs| fs.contains_key(f)))
                }
                Err(_) => false,
            };
            if !ok {
                failures.push(format!("{}: got {} {}", case.name, response.status, response.body.chars().take(300).collect::<String>()));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        let mut after = Vec::new();
        for t in tables {
            after.push(app.count(t).await);
        }
        assert_eq!(before, after, "nothing written by bad requests");
    }
}

db_test! {
    async fn a_whole_number_written_with_a_fraction_is_the_integer_json_schema_says_it_is(app) {
        let reason = app.reason("Checkup");
        let provider = app.provider("Dr. Maya Patel");
        let slot = app.free_slots(reason, ProviderChoice::Id(provider)).await.remove(0);
        let start = serde_json::to_value(slot.start).expect("start");
        let holds = paths::holds("demo");
        let json = [("content-type", "application/json")];
        let with = |reason: String, provider: String| Some(format!(r#"{{"reason": {reason}, "provider": {provider}, "start": {start}}}"#));
        let id = |n: i64| format!("{n}.0");
        let whole = app.client.raw("POST", &holds, &json, with(id(reason.0), id(provider.0))).await.expect("hold");
        assert_eq!(whole.status, 201, "{}", whole.body);
        let half = app.client.raw("POST", &holds, &json, with(format!("{}.5", reason.0), provider.0.to_string())).await.expect("hold");
        assert_eq!(half.status, 422, "{}", half.body);
        let body: ErrorBody = serde_json::from_str(&half.body).expect("error body");
        assert_eq!(body.code, ErrorCode::InvalidBody);
    }
}
