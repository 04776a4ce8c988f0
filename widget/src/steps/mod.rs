//! One module per step of the booking flow.

mod choices;
mod details;
mod done;
mod lookup;
mod request;
mod review;
mod time;

pub use choices::{InsuranceStep, PatientTypeStep, ProviderStep, ReasonStep};
pub use details::DetailsStep;
pub use done::DoneStep;
pub use review::ReviewStep;
pub use time::TimeStep;
