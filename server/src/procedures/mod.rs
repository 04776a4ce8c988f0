//! Patients' procedures after booking: each record's progress as staff read it, what a
//! change to one step's appointment means for the steps after it, and the message when a
//! next visit's window opens with nothing booked.

pub mod flags;
pub mod records;
pub mod step_due;
