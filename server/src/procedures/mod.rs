//! Patients' procedures after booking: each record's progress as staff read it, and what a
//! change to one step's appointment means for the steps after it.

pub mod flags;
pub mod records;
