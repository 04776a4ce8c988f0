//! Messages to patients: the transactional outbox (queued with the change that causes them),
//! per-practice templates and channels, the delivery worker, and opt-outs.

pub mod appointment_messages;
pub mod backoff;
pub mod context;
pub mod default_templates;
pub mod delivery;
pub mod enqueue;
pub mod template_engine;
pub mod templates;
pub mod transport;
pub mod worker;
