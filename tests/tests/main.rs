//! The integration tests, linked into one binary: the API against a real server on
//! 127.0.0.1:0 (each case on SQLite and on PostgreSQL), the widget and the console in real
//! headless Chromium, the `slotwise` command line and a crash of the server process, and the
//! server's layering. `common` holds the harness and the loopback doubles of outside services.

mod common;

mod abuse_limits;
mod admin_api;
mod architecture;
mod automations;
mod bad_input;
mod booking_api;
mod booking_policies;
mod command_line;
mod confirmation_policy;
mod console_automations;
mod console_browser;
mod console_languages;
mod console_procedures;
mod console_schedule;
mod console_waitlist;
mod crash_durability;
mod day_view_api;
mod fhir_changes;
mod group_commit;
mod languages;
mod locations;
mod log_privacy;
mod message_languages;
mod messages;
mod no_double_booking;
mod openapi_document;
mod outbox_faults;
mod patients_api;
mod phones;
mod practice_system;
mod procedure_links;
mod procedure_messages;
mod procedures_api;
mod procedures_fhir;
mod queue_completion;
mod staff_access;
mod storage_and_demo;
mod trust;
mod waitlist_api;
mod waitlist_refill;
mod widget_booking;
mod widget_embedding;
mod widget_first_question;
mod widget_keyboard;
mod widget_links;
mod widget_locations;
mod widget_modules;
mod widget_offer;
mod widget_patients;
mod widget_procedures;
mod widget_spanish;
mod widget_waitlist;
