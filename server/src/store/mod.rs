//! All SQL lives under here: the connection (`db`, with group commit in `write_batch`) and one
//! file of queries per area. Every query is scoped by practice.

pub mod api_keys;
pub mod appointment_search;
pub mod appointments;
pub mod automations;
pub mod booking_queue;
pub mod broadcasts;
pub mod catalog;
pub mod confirmations;
pub mod day_view;
pub mod db;
pub mod demo_seed;
pub mod idempotency;
pub mod messaging;
pub mod outbox;
pub mod outside_changes;
pub mod patients;
pub mod pms;
pub mod practices;
pub mod procedure_chains;
pub mod procedure_links;
pub mod procedure_records;
pub mod procedure_templates;
pub mod queued_procedures;
pub mod recall;
pub mod refill;
pub mod seed;
pub mod setup;
pub mod staff;
pub mod team;
pub mod waitlist;
pub mod write_batch;

/// Fixed names (events, statuses; never user input) as an SQL list: `'a', 'b'`.
pub fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Blocking statuses as an SQL list, matching `AppointmentStatus::BLOCKING`.
pub const BLOCKING_SQL: &str = "('held', 'booked', 'confirmed')";
