//! Slotwise patient booking widget. `public/embed.js` imports this module, gives each embed a
//! Shadow DOM root and calls [`mount`]; everything the patient sees is rendered here.
//! Built twice: with every step (feature `later-steps`, the default) and as the first-steps
//! module the loader starts with, which leaves out what only the later steps use.
#![cfg_attr(not(feature = "later-steps"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(all(target_arch = "wasm32", feature = "later-steps"))]
mod chain_picker;
#[cfg(target_arch = "wasm32")]
mod ctx;
#[cfg(target_arch = "wasm32")]
mod current_step;
#[cfg(target_arch = "wasm32")]
mod frame;
#[cfg(target_arch = "wasm32")]
mod hold;
#[cfg(all(target_arch = "wasm32", feature = "later-steps"))]
mod hold_banner;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod language_switch;
#[cfg(all(target_arch = "wasm32", feature = "later-steps"))]
mod manage;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(all(target_arch = "wasm32", feature = "later-steps"))]
mod personal_link;
#[cfg(target_arch = "wasm32")]
mod resume;
#[cfg(target_arch = "wasm32")]
mod steps;
#[cfg(target_arch = "wasm32")]
mod time_picker;
#[cfg(all(target_arch = "wasm32", feature = "later-steps"))]
mod waitlist_form;

/// Mounting is driven by the loader through [`app::mount`]; there is nothing to start.
fn main() {}
