//! One module per console screen.

pub mod api_keys;
pub mod appointments;
pub mod booking_queue;
pub mod broadcast_history;
pub mod broadcasts;
pub mod dashboard;
pub mod failed_messages;
pub mod follow_ups;
pub mod insurance;
pub mod locations;
pub mod login;
pub mod practice_system;
pub mod procedure_templates;
pub mod procedures;
pub mod providers;
pub mod reasons;
pub mod recall;
pub mod schedule;
pub mod schedule_book;
pub mod start_procedure;
pub mod team;
pub mod templates;
pub mod waitlist;
pub mod widget_settings;
