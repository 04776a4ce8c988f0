//! Slotwise shared crate: the types that travel between server, widget and console, the pure
//! domain rules (slot engine, input validation, time labels) and the typed API client.
//!
//! Nothing here performs I/O or reads the clock: the current time is always a parameter, so the
//! same code runs natively and in the browser (wasm32).

pub mod admin;
#[cfg(any(
    all(feature = "native-client", not(target_arch = "wasm32")),
    all(feature = "web-client", target_arch = "wasm32")
))]
pub mod admin_client;
pub mod api;
pub mod automations;
pub mod booking_flow;
pub mod calendar;
pub mod chains;
#[cfg(any(
    all(feature = "native-client", not(target_arch = "wasm32")),
    all(feature = "web-client", target_arch = "wasm32")
))]
pub mod client;
pub mod day_view;
pub mod error;
pub mod labels;
pub mod lang;
pub mod messages;
pub mod model;
#[cfg(feature = "openapi")]
pub mod openapi_schemas;
pub mod paths;
pub mod patients;
pub mod practice;
pub mod procedures;
pub mod schedule;
pub mod slots;
pub mod team;
#[cfg(all(feature = "native-client", not(target_arch = "wasm32")))]
mod transport_native;
#[cfg(all(feature = "web-client", target_arch = "wasm32"))]
mod transport_web;
pub mod validate;
pub mod waitlist;
pub mod wire_time;
pub mod zone_names;
