//! One module per step of the booking flow.

mod choices;
mod details;
mod done;
mod known_patient;
mod lookup;
mod request;
mod review;
mod time;

pub use choices::{InsuranceStep, LocationStep, PatientTypeStep, ProviderStep, ReasonStep};
pub use details::{member_id_missing, DetailsStep};
pub use done::DoneStep;
pub use review::ReviewStep;
pub use time::TimeStep;
