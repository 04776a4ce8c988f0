//! Cancelling and moving an Appointment Slotwise wrote: found by our identifier
//! (`GET [base]/Appointment?identifier=system|value`, or read by id when the identifier is not
//! known), changed, and written back whole (`PUT [base]/Appointment/{id}`, with `If-Match` on
//! its version when the server gives one, so a change made there meanwhile is not overwritten:
//! a 412 is a conflict, tried again later on a fresh read).

use super::{classify, instant, FhirServer, FHIR_JSON};
use crate::pms::{OutsideMove, OutsideRef, PmsError};
use reqwest::Method;
use serde_json::{json, Value};

impl FhirServer {
    /// Cancels the appointment (`to` is `None`) or moves it to `to`.
    pub(super) async fn update(
        &self,
        at: &OutsideRef,
        to: Option<&OutsideMove>,
    ) -> Result<(), PmsError> {
        let mut resource = self.find(at).await?;
        let id = resource["id"]
            .as_str()
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| PmsError::Rejected("The Appointment there has no id.".into()))?;
        match to {
            None if resource["status"] == "cancelled" => return Ok(()),
            None => resource["status"] = json!("cancelled"),
            Some(to) => apply_move(&mut resource, to),
        }
        let version = resource["meta"]["versionId"].as_str().map(str::to_string);
        let url = format!("{}/Appointment/{}", self.base, urlencoding::encode(&id));
        let (status, _, body) = self
            .send(Method::PUT, &url, |r| {
                let r = r.header("Content-Type", FHIR_JSON).json(&resource);
                match version {
                    Some(v) => r.header("If-Match", format!("W/\"{v}\"")),
                    None => r,
                }
            })
            .await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(classify(status, &body))
        }
    }

    /// The Appointment as the server holds it now.
    async fn find(&self, at: &OutsideRef) -> Result<Value, PmsError> {
        if !at.identifier.is_empty() {
            let token = format!("{}|{}", self.identifier_system, at.identifier);
            let found = self
                .search(format!(
                    "{}/Appointment?identifier={}",
                    self.base,
                    urlencoding::encode(&token)
                ))
                .await?;
            // Only the one with our identifier (a server may ignore an unknown parameter).
            if let Some(hit) = found
                .into_iter()
                .find(|a| self.has_identifier(a, &at.identifier))
            {
                return Ok(hit);
            }
        }
        if at.id.is_empty() {
            return Err(PmsError::Rejected(
                "The appointment was not found in the practice system.".into(),
            ));
        }
        let url = format!("{}/Appointment/{}", self.base, urlencoding::encode(&at.id));
        let (status, _, body) = self.send(Method::GET, &url, |r| r).await?;
        if !status.is_success() {
            return Err(classify(status, &body));
        }
        if body["resourceType"] != "Appointment" {
            return Err(PmsError::Down(
                "The practice system's answer was not a FHIR Appointment.".into(),
            ));
        }
        Ok(body)
    }

    fn has_identifier(&self, resource: &Value, value: &str) -> bool {
        resource["identifier"].as_array().is_some_and(|ids| {
            ids.iter()
                .any(|i| i["system"] == self.identifier_system.as_str() && i["value"] == value)
        })
    }
}

/// The new start, end, length and practitioner; other participants (the patient) are kept.
fn apply_move(resource: &mut Value, to: &OutsideMove) {
    resource["start"] = json!(instant(to.start));
    resource["end"] = json!(instant(to.end));
    resource["minutesDuration"] = json!((to.end - to.start) / 60);
    let actor = json!({
        "reference": format!("Practitioner/{}", to.practitioner),
        "display": to.practitioner_name
    });
    let is_practitioner = |p: &Value| {
        p["actor"]["reference"]
            .as_str()
            .is_some_and(|r| r.starts_with("Practitioner/"))
    };
    match resource["participant"].as_array_mut() {
        Some(list) => match list.iter_mut().find(|p| is_practitioner(p)) {
            Some(p) => p["actor"] = actor,
            None => {
                list.push(json!({ "actor": actor, "required": "required", "status": "accepted" }))
            }
        },
        None => {
            resource["participant"] =
                json!([{ "actor": actor, "required": "required", "status": "accepted" }]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_changes_the_time_and_the_practitioner_only() {
        let mut a = json!({
            "status": "booked",
            "participant": [
                { "actor": { "reference": "Practitioner/old", "display": "Old" } },
                { "actor": { "display": "Ana Lima" } }
            ]
        });
        let to = OutsideMove {
            practitioner: "new".into(),
            practitioner_name: "New".into(),
            start: 1_790_000_000,
            end: 1_790_001_800,
        };
        apply_move(&mut a, &to);
        assert_eq!(a["minutesDuration"], 30);
        assert_eq!(
            a["participant"][0]["actor"]["reference"],
            "Practitioner/new"
        );
        assert_eq!(a["participant"][1]["actor"]["display"], "Ana Lima");
        assert_eq!(a["status"], "booked");
    }
}
