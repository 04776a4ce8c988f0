//! All SQL lives under here, one file per area. Every query is scoped by practice.

pub mod appointments;
pub mod catalog;
pub mod idempotency;
pub mod messaging;
pub mod outbox;
pub mod seed;

/// Blocking statuses as an SQL list, matching `AppointmentStatus::BLOCKING`.
pub const BLOCKING_SQL: &str = "('held', 'booked', 'confirmed')";
