//! A FHIR R4 server as the schedule of record: busy `Slot`s and `Appointment`s are searched,
//! bookings are created as `Appointment`s (conditionally, so a retry never books twice), and
//! cancelled or moved there (`update`).

mod update;

use super::PracticeSystem;
use super::{OutsideAppointment, OutsideBusy, OutsideMove, OutsideRef, PmsError, PmsFuture};
use crate::outbound;
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use slotwise_shared::model::ProviderId;

/// Pages of a search followed at most (each up to `_count` entries).
const MAX_PAGES: usize = 20;
const BAD_BASE: &str = "The practice system's address is not valid.";
const FHIR_JSON: &str = "application/fhir+json";

/// A FHIR R4 server.
pub struct FhirServer {
    http: reqwest::Client,
    base: String,
    token: String,
    identifier_system: String,
    allow_private: bool,
}

impl FhirServer {
    /// A server at `base` (e.g. `https://ehr.example/fhir`), with an optional bearer token.
    pub fn new(
        http: reqwest::Client,
        base: &str,
        token: &str,
        public_url: &str,
        allow_private: bool,
    ) -> Self {
        FhirServer {
            http,
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            identifier_system: identifier_system(public_url),
            allow_private,
        }
    }

    /// Sends a request to `url`, which must be on the configured server's origin (paging links
    /// come from the other side and may point anywhere) and, unless allowed, public. The
    /// bearer token goes only there. Failures are categories, never socket text.
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<(StatusCode, Option<String>, Value), PmsError> {
        let target = outbound::check_url(url, self.allow_private)
            .map_err(|why| PmsError::Down(why.to_string()))?;
        let base = reqwest::Url::parse(&self.base).map_err(|_| PmsError::Down(BAD_BASE.into()))?;
        if target.origin() != base.origin() {
            return Err(PmsError::Down(
                "The practice system pointed to another server; it was not followed.".into(),
            ));
        }
        let mut req = self
            .http
            .request(method, target)
            .header("Accept", FHIR_JSON);
        if !self.token.is_empty() {
            req = req.bearer_auth(&self.token);
        }
        let res = build(req).send().await.map_err(|e| {
            PmsError::Down(format!("The practice system {}.", outbound::describe(&e)))
        })?;
        let status = res.status();
        let location = res
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = outbound::read_body(res).await.ok_or_else(|| {
            PmsError::Down("The practice system's answer was too long or broke off.".into())
        })?;
        let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Ok((status, location, body))
    }

    /// Every resource of a search, following `next` links.
    async fn search(&self, first: String) -> Result<Vec<Value>, PmsError> {
        let mut resources = Vec::new();
        let mut url = Some(first);
        for _ in 0..MAX_PAGES {
            let Some(current) = url.take() else { break };
            let (status, _, body) = self.send(reqwest::Method::GET, &current, |r| r).await?;
            if status.is_success() && !body.is_object() {
                return Err(PmsError::Down(
                    "The practice system's answer was not FHIR JSON.".into(),
                ));
            }
            if !status.is_success() {
                return Err(classify(status, &body));
            }
            if let Some(entries) = body["entry"].as_array() {
                resources.extend(entries.iter().map(|e| e["resource"].clone()));
            }
            url = body["link"].as_array().and_then(|links| {
                links
                    .iter()
                    .find(|l| l["relation"] == "next")
                    .and_then(|l| l["url"].as_str())
                    .map(str::to_string)
            });
        }
        Ok(resources)
    }

    fn ours(&self, resource: &Value) -> bool {
        resource["identifier"].as_array().is_some_and(|ids| {
            ids.iter()
                .any(|i| i["system"] == self.identifier_system.as_str())
        })
    }
}

/// The identifier system of this server's bookings.
pub fn identifier_system(public_url: &str) -> String {
    format!("{}/fhir/booking-id", public_url.trim_end_matches('/'))
}

fn instant(seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_string()
}

fn seconds_of(value: &Value) -> Option<i64> {
    value
        .as_str()?
        .parse::<Timestamp>()
        .ok()
        .map(|t| t.as_second())
}

/// What a refusal means: a taken time, trouble on their side, or a refusal of the request.
fn classify(status: StatusCode, body: &Value) -> PmsError {
    let diagnostics = body["issue"]
        .as_array()
        .and_then(|issues| issues.first())
        .map(|i| {
            let text = i["diagnostics"].as_str().unwrap_or_default();
            (
                i["code"].as_str().unwrap_or_default().to_string(),
                text.to_string(),
            )
        })
        .unwrap_or_default();
    let detail = if diagnostics.1.is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        format!("HTTP {}: {}", status.as_u16(), diagnostics.1)
    };
    if status == StatusCode::CONFLICT
        || status == StatusCode::PRECONDITION_FAILED
        || matches!(diagnostics.0.as_str(), "conflict" | "duplicate")
    {
        PmsError::Conflict(detail)
    } else if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        PmsError::Down(detail)
    } else {
        PmsError::Rejected(detail)
    }
}

impl PracticeSystem for FhirServer {
    fn busy<'a>(
        &'a self,
        providers: &'a [(ProviderId, String)],
        from: i64,
        to: i64,
    ) -> PmsFuture<'a, Vec<OutsideBusy>> {
        Box::pin(async move {
            let (from_s, to_s) = (instant(from), instant(to));
            let mut busy = Vec::new();
            for (provider, practitioner) in providers {
                let who = urlencoding::encode(practitioner);
                let slots = self
                    .search(format!(
                        "{}/Slot?schedule.actor=Practitioner/{who}&status=busy,busy-unavailable,busy-tentative&start=ge{from_s}&start=lt{to_s}&_count=200",
                        self.base
                    ))
                    .await?;
                let appointments = self
                    .search(format!(
                        "{}/Appointment?practitioner=Practitioner/{who}&date=ge{from_s}&date=lt{to_s}&status=proposed,pending,booked,arrived,fulfilled,checked-in&_count=200",
                        self.base
                    ))
                    .await?;
                // Ours are tagged: they block here already, unless a change of them is not yet
                // taken there (the sync decides, against the recorded changes).
                let tagged = slots
                    .iter()
                    .map(|r| (r, None))
                    .chain(appointments.iter().map(|a| {
                        let ours = self
                            .ours(a)
                            .then(|| a["id"].as_str().unwrap_or_default().to_string());
                        (a, ours)
                    }));
                busy.extend(tagged.filter_map(|(r, ours)| {
                    let (s, e) = (seconds_of(&r["start"])?, seconds_of(&r["end"])?);
                    (s < e).then_some(OutsideBusy {
                        span: (*provider, s, e),
                        ours,
                    })
                }));
            }
            Ok(busy)
        })
    }

    fn book<'a>(&'a self, a: &'a OutsideAppointment) -> PmsFuture<'a, String> {
        Box::pin(async move {
            let resource = json!({
                "resourceType": "Appointment",
                "identifier": [{ "system": self.identifier_system, "value": a.identifier }],
                "status": "booked",
                "description": a.description,
                "start": instant(a.start),
                "end": instant(a.end),
                "minutesDuration": (a.end - a.start) / 60,
                "comment": a.comment,
                "participant": [
                    {
                        "actor": {
                            "reference": format!("Practitioner/{}", a.practitioner),
                            "display": a.practitioner_name
                        },
                        "required": "required",
                        "status": "accepted"
                    },
                    {
                        "actor": { "display": a.patient_name },
                        "required": "required",
                        "status": "accepted"
                    }
                ]
            });
            let url = format!("{}/Appointment", self.base);
            let condition = format!("identifier={}|{}", self.identifier_system, a.identifier);
            let (status, location, body) = self
                .send(reqwest::Method::POST, &url, |r| {
                    r.header("Content-Type", FHIR_JSON)
                        .header("If-None-Exist", condition)
                        .json(&resource)
                })
                .await?;
            if !status.is_success() {
                return Err(classify(status, &body));
            }
            let id = body["id"].as_str().map(str::to_string).or_else(|| {
                // `Location: [base]/Appointment/{id}/_history/{vid}`
                let loc = location?;
                let after = loc.split("Appointment/").nth(1)?;
                after.split('/').next().map(str::to_string)
            });
            Ok(id.unwrap_or_default())
        })
    }

    fn cancel<'a>(&'a self, at: &'a OutsideRef) -> PmsFuture<'a, ()> {
        Box::pin(self.update(at, None))
    }

    fn reschedule<'a>(&'a self, at: &'a OutsideRef, to: &'a OutsideMove) -> PmsFuture<'a, ()> {
        Box::pin(self.update(at, Some(to)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_told_apart() {
        let conflict = json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "conflict", "diagnostics": "slot taken"}]});
        assert!(matches!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, &conflict),
            PmsError::Conflict(_)
        ));
        assert!(matches!(
            classify(StatusCode::CONFLICT, &Value::Null),
            PmsError::Conflict(_)
        ));
        assert!(matches!(
            classify(StatusCode::SERVICE_UNAVAILABLE, &Value::Null),
            PmsError::Down(_)
        ));
        let invalid = json!({"issue": [{"code": "invalid", "diagnostics": "bad practitioner"}]});
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, &invalid),
            PmsError::Rejected("HTTP 400: bad practitioner".into())
        );
    }

    #[test]
    fn instants_round_trip() {
        let s = instant(1_790_000_000);
        assert!(s.ends_with('Z'));
        assert_eq!(seconds_of(&json!(s)), Some(1_790_000_000));
        assert_eq!(
            seconds_of(&json!("2026-11-23T09:00:00-05:00")),
            Some(1_795_442_400)
        );
    }
}
