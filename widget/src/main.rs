//! Slotwise patient booking widget. `public/embed.js` imports this module, gives each embed a
//! Shadow DOM root and calls [`mount`]; everything the patient sees is rendered here.

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod ctx;
#[cfg(target_arch = "wasm32")]
mod frame;
#[cfg(target_arch = "wasm32")]
mod hold;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod manage;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(target_arch = "wasm32")]
mod personal_link;
#[cfg(target_arch = "wasm32")]
mod steps;
#[cfg(target_arch = "wasm32")]
mod time_picker;

/// Mounting is driven by the loader through [`app::mount`]; there is nothing to start.
fn main() {}
