//! Slotwise shared crate: the types that travel between server, widget and console, the pure
//! domain rules (slot engine, input validation, time labels) and the typed API client.
//!
//! Nothing here performs I/O or reads the clock: the current time is always a parameter, so the
//! same code runs natively and in the browser (wasm32).

pub mod api;
pub mod calendar;
#[cfg(feature = "native-client")]
pub mod client;
pub mod error;
pub mod labels;
pub mod model;
pub mod paths;
pub mod practice;
pub mod schedule;
pub mod slots;
pub mod validate;
