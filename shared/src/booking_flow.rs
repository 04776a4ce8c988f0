//! The patient's booking steps and what each one offers: the widget's state machine, kept pure
//! so it is tested natively and any front end (widget, staff console) can reuse it.

use crate::api::{
    BookingConfig, InsuranceChoice, LocationInfo, ProviderChoice, ProviderInfo, ReasonInfo,
};
use crate::model::{LocationId, PatientType, ProcedureTemplateId, ReasonId};
use crate::procedures::ProcedureOffer;
use serde::{Deserialize, Serialize};

/// One screen of the booking flow, in the order a patient meets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    PatientType,
    Reason,
    Location,
    Provider,
    Insurance,
    Time,
    Details,
    Review,
    Done,
}

impl Step {
    /// Every step, in order.
    pub const ORDER: [Step; 9] = [
        Step::PatientType,
        Step::Reason,
        Step::Location,
        Step::Provider,
        Step::Insurance,
        Step::Time,
        Step::Details,
        Step::Review,
        Step::Done,
    ];

    /// Stable name, as sent in the host page's `slotwise:step` event.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::PatientType => "patient_type",
            Step::Reason => "reason",
            Step::Location => "location",
            Step::Provider => "provider",
            Step::Insurance => "insurance",
            Step::Time => "time",
            Step::Details => "details",
            Step::Review => "review",
            Step::Done => "done",
        }
    }

    fn previous(self) -> Step {
        let i = Step::ORDER.iter().position(|s| *s == self).unwrap_or(0);
        Step::ORDER[i.saturating_sub(1)]
    }
}

/// Choices made before the widget opened: data attributes, URL parameters, personal links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefill {
    pub patient_type: Option<PatientType>,
    /// A reason id or the slug of its name (`cleaning`, `new-patient-exam-cleaning`).
    pub reason: Option<String>,
    /// A location id, the slug of its name (`riverside`), or `any`.
    pub location: Option<String>,
    /// A provider id, the slug of a name, or `any`.
    pub provider: Option<String>,
    /// `self-pay`, or a carrier id or the slug of its name (`delta-dental`).
    pub insurance: Option<String>,
}

/// Where the patient is in the flow and what they chose so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub step: Step,
    pub patient_type: Option<PatientType>,
    pub reason: Option<ReasonId>,
    pub location: Option<LocationChoice>,
    pub provider: Option<ProviderChoice>,
    pub insurance: Option<InsuranceChoice>,
    /// A procedure of several visits, booked as one chain (its first visit is `reason`).
    #[serde(default)]
    pub procedure: Option<ProcedureTemplateId>,
    /// On the time step, no time suits: the patient asks to be told when one opens (the
    /// waitlist form). Any change of step ends it.
    #[serde(default)]
    pub waitlist: bool,
}

/// Where the patient wants to be seen: one location, or whichever has the first free time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LocationChoice {
    Any,
    Id(LocationId),
}

impl LocationChoice {
    /// The location to filter free times by (none: every location of the reason).
    pub fn id(self) -> Option<LocationId> {
        match self {
            LocationChoice::Any => None,
            LocationChoice::Id(id) => Some(id),
        }
    }
}

/// `Dr. Maya Patel` → `dr-maya-patel`: the form of names used in links.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Reasons a patient of this type may book online (and that someone can see them for). None
/// for new patients at a practice that books existing patients only.
pub fn eligible_reasons(config: &BookingConfig, patient: PatientType) -> Vec<&ReasonInfo> {
    if config.settings.existing_patients_only && patient == PatientType::New {
        return Vec::new();
    }
    config
        .reasons
        .iter()
        .filter(|r| r.eligibility.admits(patient) && !providers_for(config, r.id).is_empty())
        .collect()
}

/// Providers who see patients for this reason.
pub fn providers_for(config: &BookingConfig, reason: ReasonId) -> Vec<&ProviderInfo> {
    let Some(r) = config.reasons.iter().find(|r| r.id == reason) else {
        return Vec::new();
    };
    config
        .providers
        .iter()
        .filter(|p| r.provider_ids.contains(&p.id))
        .collect()
}

/// Whether a patient of this type (not known yet: either) may book every visit of a procedure.
pub fn procedure_fits(
    config: &BookingConfig,
    patient: Option<PatientType>,
    offer: &ProcedureOffer,
) -> bool {
    let Some(patient) = patient else {
        return false;
    };
    let eligible = eligible_reasons(config, patient);
    !offer.steps.is_empty()
        && offer
            .steps
            .iter()
            .all(|s| eligible.iter().any(|r| r.id == s.reason))
}

/// The locations where a reason is offered, in the practice's order.
pub fn locations_for(config: &BookingConfig, reason: ReasonId) -> Vec<&LocationInfo> {
    let Some(r) = config.reasons.iter().find(|r| r.id == reason) else {
        return Vec::new();
    };
    config
        .locations
        .iter()
        .filter(|l| r.location_ids.contains(&l.id))
        .collect()
}

/// The location a reason leaves no choice about: its only one (or any, when it names none).
fn settled_location(config: &BookingConfig, reason: ReasonId) -> Option<LocationChoice> {
    match locations_for(config, reason).as_slice() {
        [] => Some(LocationChoice::Any),
        [only] => Some(LocationChoice::Id(only.id)),
        _ => None,
    }
}

/// Whether a patient who chose this reason may pick this location.
fn location_fits(config: &BookingConfig, reason: ReasonId, choice: LocationChoice) -> bool {
    let here = locations_for(config, reason);
    match choice {
        LocationChoice::Any => config.settings.any_location || here.len() <= 1,
        LocationChoice::Id(id) => here.iter().any(|l| l.id == id),
    }
}

fn find_location(config: &BookingConfig, reason: ReasonId, key: &str) -> Option<LocationChoice> {
    let key = key.trim();
    let choice = if key.eq_ignore_ascii_case("any") {
        LocationChoice::Any
    } else {
        let l = config
            .locations
            .iter()
            .find(|l| l.id.to_string() == key || slugify(&l.name) == slugify(key))?;
        LocationChoice::Id(l.id)
    };
    location_fits(config, reason, choice).then_some(choice)
}

/// Whether a provider works at the chosen location (any location: everyone does; a provider
/// whose locations are not known is not ruled out).
fn works_at(provider: &ProviderInfo, location: Option<LocationChoice>) -> bool {
    match location {
        Some(LocationChoice::Id(id)) => {
            provider.location_ids.is_empty() || provider.location_ids.contains(&id)
        }
        _ => true,
    }
}

/// A reason by id or by the slug of its name.
pub fn find_reason<'a>(config: &'a BookingConfig, key: &str) -> Option<&'a ReasonInfo> {
    let key = key.trim();
    config
        .reasons
        .iter()
        .find(|r| r.id.to_string() == key || slugify(&r.name) == slugify(key))
}

fn find_provider(
    config: &BookingConfig,
    reason: ReasonId,
    location: Option<LocationChoice>,
    key: &str,
) -> Option<ProviderChoice> {
    let key = key.trim();
    if key.eq_ignore_ascii_case("any") {
        return Some(ProviderChoice::Any);
    }
    providers_for(config, reason)
        .into_iter()
        .filter(|p| works_at(p, location))
        .find(|p| p.id.to_string() == key || slugify(&p.name) == slugify(key))
        .map(|p| ProviderChoice::Id(p.id))
}

fn find_insurance(config: &BookingConfig, key: &str) -> Option<InsuranceChoice> {
    let key = key.trim();
    if slugify(key) == "self-pay" {
        return Some(InsuranceChoice::SelfPay);
    }
    config
        .carriers
        .iter()
        .find(|c| c.id.to_string() == key || slugify(&c.name) == slugify(key))
        .map(|c| InsuranceChoice::Carrier {
            carrier: c.id,
            member_id: None,
        })
}

impl Flow {
    /// The flow at its first open step, with what the prefill could settle already settled.
    /// Prefilled values that do not fit the practice (unknown, or not for this patient type) are
    /// ignored, so a stale link still leads to a working widget.
    pub fn start(config: &BookingConfig, prefill: &Prefill) -> Flow {
        let mut flow = Flow {
            step: Step::PatientType,
            patient_type: prefill.patient_type,
            reason: None,
            location: None,
            provider: None,
            insurance: None,
            procedure: None,
            waitlist: false,
        };
        if let Some(reason) = prefill
            .reason
            .as_deref()
            .and_then(|k| find_reason(config, k))
        {
            // A reason only one kind of patient may book tells which kind this patient is.
            let implied = match reason.eligibility {
                crate::model::Eligibility::New => Some(PatientType::New),
                crate::model::Eligibility::Returning => Some(PatientType::Returning),
                crate::model::Eligibility::Both => None,
            };
            let patient = flow.patient_type.or(implied);
            let fits = patient.is_none_or(|p| {
                eligible_reasons(config, p)
                    .iter()
                    .any(|r| r.id == reason.id)
            });
            if fits && !providers_for(config, reason.id).is_empty() {
                flow.patient_type = patient;
                flow.reason = Some(reason.id);
            }
        }
        if let Some(reason) = flow.reason {
            flow.location = settled_location(config, reason).or_else(|| {
                let key = prefill.location.as_deref()?;
                find_location(config, reason, key)
            });
        }
        if let (Some(reason), Some(key)) = (flow.reason, prefill.provider.as_deref()) {
            flow.provider = find_provider(config, reason, flow.location, key);
        }
        flow.insurance = prefill
            .insurance
            .as_deref()
            .and_then(|k| find_insurance(config, k));
        flow.step = flow.first_open_step();
        flow
    }

    /// The first step still to be answered (choices already made, e.g. prefilled, are skipped).
    fn first_open_step(&self) -> Step {
        if self.patient_type.is_none() {
            Step::PatientType
        } else if self.reason.is_none() {
            Step::Reason
        } else if self.location.is_none() {
            Step::Location
        } else if self.provider.is_none() {
            Step::Provider
        } else if self.insurance.is_none() {
            Step::Insurance
        } else {
            Step::Time
        }
    }

    /// New or returning; a reason the new type may not book is dropped.
    pub fn choose_patient_type(&mut self, config: &BookingConfig, patient: PatientType) {
        self.patient_type = Some(patient);
        let still_fits = self
            .reason
            .is_some_and(|id| eligible_reasons(config, patient).iter().any(|r| r.id == id));
        if !still_fits || self.procedure.is_some() {
            self.reason = None;
            self.location = None;
            self.provider = None;
            self.procedure = None;
        }
        self.step = self.first_open_step();
    }

    /// A procedure of several visits; refused (false) unless this patient may book every one
    /// of its visits. Its times are chains found across every location and provider, so the
    /// location and provider steps are passed over.
    pub fn choose_procedure(&mut self, config: &BookingConfig, offer: &ProcedureOffer) -> bool {
        if !procedure_fits(config, self.patient_type, offer) {
            return false;
        }
        let Some(first) = offer.steps.first() else {
            return false;
        };
        self.procedure = Some(offer.id);
        self.reason = Some(first.reason);
        self.location = Some(LocationChoice::Any);
        self.provider = Some(ProviderChoice::Any);
        self.step = self.first_open_step();
        true
    }

    /// A reason for visit; refused (false) if this patient may not book it.
    pub fn choose_reason(&mut self, config: &BookingConfig, reason: ReasonId) -> bool {
        let Some(patient) = self.patient_type else {
            return false;
        };
        if !eligible_reasons(config, patient)
            .iter()
            .any(|r| r.id == reason)
        {
            return false;
        }
        if self.reason != Some(reason) {
            let keeps_location = self
                .location
                .is_some_and(|l| location_fits(config, reason, l));
            if !keeps_location {
                self.location = None;
            }
            let keeps_provider = match self.provider {
                Some(ProviderChoice::Id(id)) => providers_for(config, reason)
                    .iter()
                    .any(|p| p.id == id && works_at(p, self.location)),
                _ => false,
            };
            if !keeps_provider {
                self.provider = None;
            }
        }
        self.reason = Some(reason);
        self.procedure = None;
        if let Some(settled) = settled_location(config, reason) {
            self.location = Some(settled);
        }
        self.step = self.first_open_step();
        true
    }

    /// Where to be seen; refused (false) for a location the reason is not offered at (or
    /// "any" where the practice does not allow it). A provider who does not work there is
    /// dropped.
    pub fn choose_location(&mut self, config: &BookingConfig, choice: LocationChoice) -> bool {
        let Some(reason) = self.reason else {
            return false;
        };
        if !location_fits(config, reason, choice) {
            return false;
        }
        self.location = Some(choice);
        if let Some(ProviderChoice::Id(id)) = self.provider {
            if !self.providers(config).iter().any(|p| p.id == id) {
                self.provider = None;
            }
        }
        self.step = self.first_open_step();
        true
    }

    /// The locations this flow's reason offers (empty before a reason is chosen).
    pub fn locations<'c>(&self, config: &'c BookingConfig) -> Vec<&'c LocationInfo> {
        self.reason
            .map(|r| locations_for(config, r))
            .unwrap_or_default()
    }

    /// The providers who see patients for the chosen reason at the chosen location.
    pub fn providers<'c>(&self, config: &'c BookingConfig) -> Vec<&'c ProviderInfo> {
        let Some(reason) = self.reason else {
            return Vec::new();
        };
        providers_for(config, reason)
            .into_iter()
            .filter(|p| works_at(p, self.location))
            .collect()
    }

    /// A provider (or the first available); refused (false) if they do not see this reason
    /// at the chosen location.
    pub fn choose_provider(&mut self, config: &BookingConfig, choice: ProviderChoice) -> bool {
        let here = self.providers(config);
        let linked = match choice {
            ProviderChoice::Any => !here.is_empty(),
            ProviderChoice::Id(id) => here.iter().any(|p| p.id == id),
        };
        if linked {
            self.provider = Some(choice);
            self.step = self.first_open_step();
        }
        linked
    }

    /// How the visit is paid; refused (false) for a carrier the practice does not accept.
    pub fn choose_insurance(&mut self, config: &BookingConfig, choice: InsuranceChoice) -> bool {
        if let InsuranceChoice::Carrier { carrier, .. } = &choice {
            if !config.carriers.iter().any(|c| c.id == *carrier) {
                return false;
            }
        }
        self.insurance = Some(choice);
        self.step = self.first_open_step();
        true
    }

    /// A time is held: on to the patient's details.
    pub fn time_held(&mut self) {
        self.step = Step::Details;
    }

    /// Details pass the shared rules: on to the review.
    pub fn details_entered(&mut self) {
        self.step = Step::Review;
    }

    /// The booking exists.
    pub fn booked(&mut self) {
        self.step = Step::Done;
    }

    /// Whether this step shows a Back button.
    pub fn can_go_back(&self) -> bool {
        !matches!(self.step, Step::PatientType | Step::Done)
    }

    /// One step back, choices kept (a prefilled step is shown so it can be changed). The
    /// location step is passed over when the reason is offered at one location only.
    pub fn back(&mut self, config: &BookingConfig) {
        if self.can_go_back() {
            self.step = self.step.previous();
            let no_choice = self
                .reason
                .is_none_or(|r| settled_location(config, r).is_some());
            if self.step == Step::Location && no_choice {
                self.step = self.step.previous();
            }
            if self.procedure.is_some() && matches!(self.step, Step::Provider | Step::Location) {
                self.step = Step::Reason;
            }
        }
    }
}

#[cfg(test)]
mod tests;
