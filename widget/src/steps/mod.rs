//! One module per step of the booking flow. The steps after the time are in the full module
//! only (feature `later-steps`).

mod choices;
#[cfg(feature = "later-steps")]
mod details;
#[cfg(feature = "later-steps")]
mod done;
#[cfg(feature = "later-steps")]
mod field;
#[cfg(feature = "later-steps")]
mod known_patient;
#[cfg(feature = "later-steps")]
mod lookup;
#[cfg(feature = "later-steps")]
pub(crate) mod request;
#[cfg(feature = "later-steps")]
mod review;
mod time;

pub use choices::{InsuranceStep, LocationStep, PatientTypeStep, ProviderStep, ReasonStep};
#[cfg(feature = "later-steps")]
pub use details::DetailsStep;
#[cfg(feature = "later-steps")]
pub use done::DoneStep;
#[cfg(feature = "later-steps")]
pub use review::ReviewStep;
pub use time::TimeStep;
