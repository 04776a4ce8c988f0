//! Procedures: treatments of several visits over time (consultation → surgery → crown →
//! follow-up), booked as one chain. The templates staff define, what the widget offers, the
//! chains the search finds, a chain's hold and booking, and each patient's procedure record.

use crate::api::{BookingView, SlotOption};
use crate::model::{PatientId, ProcedureId, ProcedureTemplateId, ProviderId, ReasonId};
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// At most this many steps in a procedure.
pub const MAX_STEPS: usize = 8;
/// The widest gap between two steps, in days (two years).
pub const MAX_GAP_DAYS: u16 = 730;

/// One step of a procedure template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureStepInput {
    /// The visit: its duration, buffers, providers and room apply.
    pub reason: ReasonId,
    /// Days after the previous step's date: at least this many (ignored for the first step).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 730))]
    pub gap_min_days: u16,
    /// …and at most this many.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 730))]
    pub gap_max_days: u16,
    /// With the same provider as this earlier step (its position, from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 7))]
    pub same_provider_as: Option<u8>,
}

/// `POST`/`PUT procedure-templates`: a treatment's steps in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureTemplateInput {
    /// E.g. "Dental implant".
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// What the patient reads about it in the widget.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: String,
    /// The steps, first to last (1 to 8).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 8))]
    pub steps: Vec<ProcedureStepInput>,
    /// Patients may book the whole procedure online.
    pub bookable_online: bool,
    /// Inactive templates start no new procedures.
    pub active: bool,
}

/// A procedure template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureTemplateView {
    pub id: ProcedureTemplateId,
    #[serde(flatten)]
    pub input: ProcedureTemplateInput,
}

/// `GET procedure-templates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureTemplateList {
    pub templates: Vec<ProcedureTemplateView>,
}

/// One step of a procedure, as the patient reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureStepOffer {
    pub reason: ReasonId,
    pub name: String,
    pub duration_min: u32,
    pub gap_min_days: u16,
    pub gap_max_days: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_provider_as: Option<u8>,
}

/// What a personal procedure link books: the rest of the patient's procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureContinuation {
    /// The patient's procedure.
    pub record: ProcedureId,
    /// Its template (the chain calls name it, with the link).
    pub template: ProcedureTemplateId,
    pub name: String,
    /// The first visit the link books (its position, from 1).
    pub from_step: u8,
    /// The visits it books, in order; the first one's gap counts from the last dated visit.
    pub steps: Vec<ProcedureStepOffer>,
    /// The first local day the first of them may fall on.
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub window_from: Date,
    /// The last local day it may fall on.
    #[serde(with = "crate::wire_time::date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub window_to: Date,
}

/// A procedure patients may book online.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureOffer {
    pub id: ProcedureTemplateId,
    pub name: String,
    pub description: String,
    pub steps: Vec<ProcedureStepOffer>,
}

/// `GET procedures`: what the widget offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureOffers {
    pub procedures: Vec<ProcedureOffer>,
}

/// A chain of free times: one per step, in step order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainOption {
    /// The first visit's day, e.g. `Monday, December 14`.
    pub day_label: String,
    pub steps: Vec<SlotOption>,
}

/// `GET procedures/{id}/chains`: one chain per free time of the first step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainList {
    pub chains: Vec<ChainOption>,
}

/// One step's time in a chain the patient picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainStepChoice {
    pub provider: ProviderId,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
}

/// `POST procedures/{id}/step-times`: where one step of a chain may move, the others staying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepTimesRequest {
    /// The chain as it stands, one time per step.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 8))]
    pub steps: Vec<ChainStepChoice>,
    /// The step to move (its position, from 1).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 8))]
    pub step: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
    /// A personal procedure link's token: the chain is the rest of that patient's procedure
    /// (its remaining visits, the first within its window after the last dated visit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub link: Option<String>,
}

/// The times one step may move to, earliest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepTimes {
    pub times: Vec<SlotOption>,
}

/// `POST procedure-holds`: hold every step of a chain, or none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainHoldRequest {
    pub procedure: ProcedureTemplateId,
    /// One time per step, in step order.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 8))]
    pub steps: Vec<ChainStepChoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 35))]
    pub lang: Option<String>,
    /// A personal procedure link's token: the chain is the rest of that patient's procedure
    /// (its remaining visits, the first within its window after the last dated visit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub link: Option<String>,
}

/// A held chain: every step is the patient's until `expires_at`. Book it with
/// `POST procedure-bookings`, passing `hold_token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainHoldResponse {
    pub hold_token: String,
    #[serde(with = "crate::wire_time::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    pub steps: Vec<SlotOption>,
}

/// One booked step of a procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookedStep {
    pub booking: BookingView,
    /// Secret that manages this step; only ever in the patient's own links.
    pub manage_token: String,
}

/// `201` answer to `POST procedure-bookings`: every step, booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureBooked {
    pub procedure: ProcedureId,
    pub name: String,
    pub steps: Vec<BookedStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake_url: Option<String>,
}

/// Where one step of a patient's procedure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    ToBook,
    Booked,
    Completed,
    Cancelled,
    NoShow,
}

impl StepState {
    /// The state's name on the wire and in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::ToBook => "to_book",
            StepState::Booked => "booked",
            StepState::Completed => "completed",
            StepState::Cancelled => "cancelled",
            StepState::NoShow => "no_show",
        }
    }
}

/// Where a patient's procedure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProcedureState {
    Active,
    Completed,
    Cancelled,
}

impl ProcedureState {
    /// The state's name on the wire, in the database and in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcedureState::Active => "active",
            ProcedureState::Completed => "completed",
            ProcedureState::Cancelled => "cancelled",
        }
    }

    /// The state a stored name stands for.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Completed, Self::Cancelled]
            .into_iter()
            .find(|state| state.as_str() == s)
    }
}

/// One step of a patient's procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureStepView {
    /// From 1.
    pub position: u8,
    pub reason: ReasonId,
    pub reason_name: String,
    pub state: StepState,
    /// The step's appointment, once booked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub start: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderId>,
    /// The local dates this step may fall on, once the step before has a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub window_from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub window_to: Option<Date>,
    /// Needs the team's attention: a step before it moved outside its window or was cancelled.
    pub flagged: bool,
    /// Nothing is booked and its window is passing (or has passed).
    pub overdue: bool,
}

/// A patient's procedure and its progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureView {
    pub id: ProcedureId,
    pub template: ProcedureTemplateId,
    pub name: String,
    pub patient: PatientId,
    pub patient_name: String,
    pub state: ProcedureState,
    pub steps: Vec<ProcedureStepView>,
    /// Steps completed, of `steps.len()`.
    pub completed: u8,
    /// The first step not completed or cancelled (its position), while active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<u8>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: Timestamp,
}

/// `GET admin/procedures`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureList {
    pub procedures: Vec<ProcedureView>,
}

/// `POST admin/procedures`: staff start a procedure for a patient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcedureStart {
    pub patient: PatientId,
    pub template: ProcedureTemplateId,
    /// An appointment the patient already has that is the procedure's first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_appointment: Option<i64>,
}

/// Which procedures `GET admin/procedures` lists (every filter optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<ProcedureTemplateId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ProcedureState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient: Option<PatientId>,
}

impl ProcedureFilter {
    /// The filter as a query string (without `?`).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.template {
            parts.push(format!("template={t}"));
        }
        if let Some(p) = self.provider {
            parts.push(format!("provider={p}"));
        }
        if let Some(s) = self.state {
            parts.push(format!("state={}", s.as_str()));
        }
        if let Some(p) = self.patient {
            parts.push(format!("patient={p}"));
        }
        parts.join("&")
    }
}
