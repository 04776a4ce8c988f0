//! Slotwise API server: availability, holds, bookings and the practice data behind them.
//!
//! `routes` holds one router per area, `store` all SQL, `booking` the rules that combine the
//! two (slot search, holds, bookings), `startup` wires them into a running server.

pub mod admin_assets;
pub mod api_keys;
pub mod appointment_view;
pub mod automations;
pub mod booking;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod day_view;
pub mod demo;
pub mod domain_error;
pub mod error;
pub mod extract;
pub mod html;
pub mod jobs;
pub mod notify;
pub mod outbound;
pub mod patients;
pub mod phone;
pub mod pms;
pub mod practices;
pub mod procedures;
pub mod rate_limit;
pub mod routes;
pub mod staff;
pub mod startup;
pub mod state;
pub mod store;
pub mod tokens;
pub mod waitlist;
pub mod widget_assets;
