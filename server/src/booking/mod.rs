//! The booking rules that combine the slot engine with the store: free times, holds,
//! bookings and changes by manage token.

pub mod availability;
pub mod booking_ctx;
mod booking_unit;
pub mod bookings;
pub mod chain_bookings;
pub mod chain_holds;
pub mod chain_search;
pub mod chain_target;
mod chain_unit;
pub mod confirmation;
pub mod holds;
pub mod manage;
pub mod outside;
pub mod outside_chain;
pub mod outside_changes;
pub mod outside_queue;
pub mod procedure_links;
pub mod procedure_offers;
pub mod queue_chain_completion;
pub mod queue_completion;
mod queue_entries;
pub mod refill;
pub mod slots_cache;
pub mod staff_actions;
