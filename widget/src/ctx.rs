//! The state of one widget, shared by its steps through Leptos context. Every field is a
//! reactive handle, so the context is `Copy` and closures capture it freely.

use crate::host;
use crate::options::WidgetOptions;
use leptos::prelude::*;
use slotwise_shared::api::{
    BookingConfig, BookingCreated, HoldResponse, InsuranceChoice, SlotOption,
};
use slotwise_shared::booking_flow::{Flow, Step};
use slotwise_shared::client::{ApiClient, ClientError};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::model::PatientId;
use slotwise_shared::model::ProcedureTemplateId;
use slotwise_shared::patients::{Queued, VerifiedHousehold};
use slotwise_shared::procedures::{ProcedureBooked, ProcedureOffer};
use web_sys::Element;

/// A time held for this patient.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Held {
    pub hold: HoldResponse,
    /// When the hold runs out, on the browser's clock (set from the practice's hold length
    /// when the hold was answered, so a wrong device clock does not matter).
    pub deadline_ms: f64,
}

/// Other times the API offered when the chosen one was gone.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternatives {
    pub message: String,
    pub options: Vec<SlotOption>,
}

/// What the patient typed on the details step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DetailsForm {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub member_id: String,
    pub notes: String,
    /// Veterinary practices: the pet the visit is for.
    pub pet_name: String,
    pub species: String,
}

/// A returning patient who proved their phone or email with a one-time code.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub household: VerifiedHousehold,
    /// The member the visit is for; `None` while choosing, or for someone new.
    pub member: Option<PatientId>,
    /// Someone new in the household: the details form is filled in.
    pub someone_new: bool,
}

impl Verified {
    /// `First Last` of the chosen member.
    pub fn member_name(&self) -> Option<String> {
        let id = self.member?;
        self.household
            .members
            .iter()
            .find(|m| m.id == id)
            .map(|m| format!("{} {}", m.first_name, m.last_name))
    }
}

/// One widget's state.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub client: StoredValue<ApiClient>,
    pub config: StoredValue<BookingConfig>,
    pub options: StoredValue<WidgetOptions>,
    pub host: StoredValue<Element, LocalStorage>,
    pub flow: RwSignal<Flow>,
    pub held: RwSignal<Option<Held>>,
    pub details: RwSignal<DetailsForm>,
    pub field_errors: RwSignal<FieldErrors>,
    pub alternatives: RwSignal<Option<Alternatives>>,
    pub booking: RwSignal<Option<BookingCreated>>,
    /// The procedure of several visits the patient chose (its visits' names and windows).
    pub procedure: RwSignal<Option<ProcedureOffer>>,
    /// Every visit of the held chain, in order (the first is `held`'s slot).
    pub chain: RwSignal<Option<Vec<SlotOption>>>,
    /// The procedure, once every visit is booked.
    pub procedure_booked: RwSignal<Option<ProcedureBooked>>,
    /// A verified returning patient, once the lookup succeeded.
    pub verified: RwSignal<Option<Verified>>,
    /// The token of the personal link the patient came through, once it opened.
    pub link: RwSignal<Option<String>>,
    /// A personal procedure link's procedure template, token and first visit left: the chains
    /// of that procedure are the rest of the patient's own.
    pub procedure_link: RwSignal<Option<(ProcedureTemplateId, String, u8)>>,
    /// The booking waits for the practice's team (its system could not take it yet).
    pub queued: RwSignal<Option<Queued>>,
    /// The browser clock, ticking once a second (for the hold countdown).
    pub now_ms: RwSignal<f64>,
    /// The code of the language the widget is in; changes when the patient switches.
    pub language: RwSignal<String>,
    /// Focus follows the steps only after the patient has started; never on page load.
    pub patient_started: RwSignal<bool>,
    /// The loader's hand-over to the full module (first-steps module only).
    pub hand_off: StoredValue<Option<js_sys::Function>, LocalStorage>,
}

impl Ctx {
    /// The number in the procedure of a chain's visit `k` (from 0): through a procedure link
    /// the chain is the rest of the procedure, so it counts on from the visits before.
    pub fn visit_number(&self, k: usize) -> usize {
        let procedure = self.flow.with_untracked(|f| f.procedure);
        let before = self.procedure_link.with_untracked(|l| {
            l.as_ref()
                .filter(|(template, _, _)| Some(*template) == procedure)
                .map_or(0, |(_, _, from)| usize::from(*from).saturating_sub(1))
        });
        k + 1 + before
    }

    /// Reads the practice settings.
    pub fn with_config<R>(&self, f: impl FnOnce(&BookingConfig) -> R) -> R {
        self.config.with_value(f)
    }

    /// The widget's words for `key` in the patient's language (`booking-config`'s `texts`; the
    /// key itself if the server sent none).
    pub fn t(&self, key: &str) -> String {
        self.with_config(|c| c.texts.get(key).cloned())
            .unwrap_or_else(|| key.to_string())
    }

    /// Words for a stored message: a rule's key from `shared::validate` (in the patient's
    /// language), or the server's words as they came.
    pub fn message(&self, stored: &str) -> String {
        slotwise_shared::lang::render_with(stored, |key| {
            self.with_config(|c| c.texts.get(key).cloned())
        })
    }

    /// The patient chose another language: the practice's settings in it replace the old ones,
    /// the server is asked in it from now on, and the step re-renders in it (choices, a held
    /// time and what was typed stay). Focus stays on the switch.
    pub fn switch_language(&self, config: BookingConfig) {
        let code = config.lang.clone();
        self.client.update_value(|c| c.set_language(&code));
        self.config.set_value(config);
        self.alternatives.set(None);
        let started = self.patient_started.get_untracked();
        self.patient_started.set(false);
        self.language.set(code);
        let patient_started = self.patient_started;
        set_timeout(
            move || patient_started.set(started),
            std::time::Duration::ZERO,
        );
    }

    /// The code of the language the widget is in (`en`), for `lang` attributes and the API.
    pub fn lang(&self) -> String {
        self.with_config(|c| c.lang.clone())
    }

    /// [`Ctx::t`] with its `{placeholders}` filled in.
    pub fn tf(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.t(key);
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// A patient known from their personal link goes from the time straight to the review,
    /// unless the practice still needs their insurance member ID.
    pub fn skips_details(&self) -> bool {
        self.link.with_untracked(Option::is_some)
            && self
                .verified
                .with_untracked(|v| v.as_ref().is_some_and(|v| v.member.is_some()))
            && !self.member_id_missing()
    }

    /// Whether the chosen carrier needs the patient's member ID.
    pub fn needs_member_id(&self) -> bool {
        self.flow.with_untracked(|f| match &f.insurance {
            Some(InsuranceChoice::Carrier { carrier, .. }) => self.with_config(|c| {
                c.carriers
                    .iter()
                    .any(|k| k.id == *carrier && k.member_id_required)
            }),
            _ => false,
        })
    }

    /// Whether a personal link brought the member ID with the insurance.
    pub fn member_id_on_link(&self) -> bool {
        self.flow.with_untracked(|f| {
            matches!(&f.insurance, Some(InsuranceChoice::Carrier { member_id: Some(m), .. }) if !m.trim().is_empty())
        })
    }

    /// The carrier needs a member ID and the booking has none yet.
    pub fn member_id_missing(&self) -> bool {
        self.needs_member_id()
            && !self.member_id_on_link()
            && self
                .details
                .with_untracked(|d| d.member_id.trim().is_empty())
    }

    /// Changes the flow (a patient action) and tells the host page the new step.
    pub fn update_flow(&self, change: impl FnOnce(&mut Flow, &BookingConfig)) {
        self.patient_started.set(true);
        let before = self.flow.with_untracked(|f| f.step);
        let config = self.config;
        self.flow
            .update(|flow| config.with_value(|c| change(flow, c)));
        let after = self.flow.with_untracked(|f| f.step);
        if after != before {
            // Alternatives and the waitlist form belong to the step that offered them.
            self.alternatives.set(None);
            self.flow.update(|f| f.waitlist = false);
            self.emit_step(after);
        }
    }

    /// One step back. A patient known from their personal link went from the time straight to
    /// the review, so Back from the review returns to the times.
    pub fn go_back(&self) {
        let to_time = self.flow.with_untracked(|f| f.step == Step::Review) && self.skips_details();
        self.update_flow(|f, c| {
            if to_time {
                f.step = Step::Time;
            } else {
                f.back(c);
            }
        });
    }

    /// `slotwise:step` with the step's name only.
    pub fn emit_step(&self, step: Step) {
        self.host
            .with_value(|h| host::emit(h, "step", "step", step.as_str()));
    }

    /// Words for a failed call: the API's own message, or how to reach the practice.
    pub fn error_text(&self, error: &ClientError) -> String {
        let phone = self.with_config(|c| c.practice.phone.clone());
        match error {
            ClientError::Api { body, .. } => body.message.clone(),
            ClientError::Transport(_) => self.tf("widget.error.offline", &[("phone", &phone)]),
            ClientError::Decode { .. } => self.tf("widget.error.ours", &[("phone", &phone)]),
        }
    }
}
