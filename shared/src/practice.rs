//! A practice and its bookable world — locations, rooms (operatories), providers with their
//! hours, reasons for visit, insurance carriers — as one value. Pure data: the server loads it
//! from the database, the slot engine and the booking rules read it.

use crate::model::{
    CarrierId, Eligibility, LocationId, PracticeId, ProviderId, ReasonId, ReasonTiming,
};
use crate::schedule::{DateOverride, ProviderSchedule, WeeklyHours};
use crate::slots::LocationZones;
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// The tenant.
#[derive(Clone, Debug)]
pub struct Practice {
    pub id: PracticeId,
    pub slug: String,
    pub name: String,
    pub phone: String,
    pub timezone: String,
    pub tz: TimeZone,
    pub accent_color: String,
    pub logo_url: Option<String>,
    pub hold_minutes: u32,
    pub existing_patients_only: bool,
    /// Patients may choose "Any location" for a reason offered at several.
    pub any_location: bool,
    /// The language patients read when they choose none (a code of `shared/lang`).
    pub default_lang: String,
    pub confirmation_text: String,
    pub out_of_network_text: String,
    pub allowed_origins: Vec<String>,
    pub kind: crate::patients::PracticeKind,
    /// The intake form new patients are sent to; empty when the practice has none.
    pub intake_url: String,
    /// The country (ISO 3166-1 alpha-2, e.g. `US`) whose national phone numbers patients may
    /// type; empty when none is known (patients then type the country code).
    pub country: String,
}

/// A practice location.
#[derive(Clone, Debug)]
pub struct Location {
    pub id: LocationId,
    pub name: String,
    pub address: String,
    pub timezone: String,
    pub tz: TimeZone,
}

/// A provider.
#[derive(Clone, Debug)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub role: String,
    pub bio: String,
    pub photo_url: Option<String>,
    pub bookable: bool,
}

/// A reason for visit with its rules.
#[derive(Clone, Debug)]
pub struct Reason {
    pub id: ReasonId,
    pub name: String,
    pub description: String,
    pub timing: ReasonTiming,
    pub eligibility: Eligibility,
    pub operatory_kind: Option<String>,
    pub active: bool,
    /// Linked providers that are bookable, in display order.
    pub provider_ids: Vec<ProviderId>,
    /// When a patient may still cancel or move a booking online.
    pub policy: ChangePolicy,
}

/// A reason's booking policy for patients' own changes (staff are not bound by it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangePolicy {
    /// Hours before the visit from which the patient calls instead (0: none).
    pub late_cancel_hours: u32,
    /// Minutes after booking during which the patient may change it anyway (0: none).
    pub grace_minutes: u32,
}

impl ChangePolicy {
    /// Whether a patient may no longer change, on `now`, a visit starting at `start` that was
    /// booked at `booked_at` (all UTC seconds).
    pub fn too_late(&self, start: i64, booked_at: i64, now: i64) -> bool {
        let late =
            self.late_cancel_hours > 0 && start - now < i64::from(self.late_cancel_hours) * 3600;
        let in_grace =
            self.grace_minutes > 0 && now - booked_at < i64::from(self.grace_minutes) * 60;
        late && !in_grace
    }
}

/// A room or chair, of a kind some reasons need.
#[derive(Clone, Debug)]
pub struct Operatory {
    pub id: i64,
    pub location: LocationId,
    pub kind: String,
}

/// An accepted insurance carrier.
#[derive(Clone, Debug)]
pub struct Carrier {
    pub id: CarrierId,
    pub name: String,
    pub member_id_required: bool,
}

/// Everything about one practice that availability and booking read.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub practice: Practice,
    pub locations: Vec<Location>,
    pub providers: Vec<Provider>,
    pub reasons: Vec<Reason>,
    pub carriers: Vec<Carrier>,
    pub operatories: Vec<Operatory>,
    pub weekly_hours: HashMap<ProviderId, Vec<WeeklyHours>>,
    pub overrides: HashMap<ProviderId, Vec<DateOverride>>,
    pub zones: LocationZones,
}

impl Catalog {
    /// An active reason.
    pub fn reason(&self, id: ReasonId) -> Option<&Reason> {
        self.reasons.iter().find(|r| r.id == id && r.active)
    }

    /// A provider.
    pub fn provider(&self, id: ProviderId) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// A location.
    pub fn location(&self, id: LocationId) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    /// A carrier.
    pub fn carrier(&self, id: CarrierId) -> Option<&Carrier> {
        self.carriers.iter().find(|c| c.id == id)
    }

    /// Where a provider works (weekly or dated hours), in the practice's order of locations.
    pub fn provider_locations(&self, provider: ProviderId) -> Vec<LocationId> {
        let weekly = self
            .weekly_hours
            .get(&provider)
            .into_iter()
            .flatten()
            .map(|h| h.location);
        let dated = self
            .overrides
            .get(&provider)
            .into_iter()
            .flatten()
            .flat_map(|day| day.windows.iter().map(|w| w.location));
        let used: Vec<LocationId> = weekly.chain(dated).collect();
        self.locations
            .iter()
            .map(|l| l.id)
            .filter(|id| used.contains(id))
            .collect()
    }

    /// Where a reason can be booked: the locations of its providers that have a room of the
    /// kind it needs (when it needs one), in the practice's order.
    pub fn reason_locations(&self, reason: &Reason) -> Vec<LocationId> {
        let staffed: Vec<LocationId> = reason
            .provider_ids
            .iter()
            .flat_map(|&p| self.provider_locations(p))
            .collect();
        self.locations
            .iter()
            .map(|l| l.id)
            .filter(|id| staffed.contains(id))
            .filter(|id| {
                reason.operatory_kind.as_ref().is_none_or(|kind| {
                    self.operatories
                        .iter()
                        .any(|o| o.location == *id && &o.kind == kind)
                })
            })
            .collect()
    }

    /// A provider's working hours, with no busy time yet.
    pub fn schedule(&self, provider: ProviderId) -> ProviderSchedule {
        ProviderSchedule {
            provider,
            weekly: self
                .weekly_hours
                .get(&provider)
                .cloned()
                .unwrap_or_default(),
            overrides: self.overrides.get(&provider).cloned().unwrap_or_default(),
            busy: Vec::new(),
        }
    }
}
