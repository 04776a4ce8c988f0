//! Patients: the returning-patient lookup with one-time codes, households, and working out who
//! a booking is for.

pub mod codes;
pub mod plan;
