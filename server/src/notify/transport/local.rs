//! The local transport (default for demos and development): nothing leaves the machine. The
//! message is kept in the outbox, where staff see it, and printed to the log.

use super::{Delivery, Outgoing, Transport};
use crate::store::write_batch::BoxFuture;

/// Records instead of sending.
pub struct LocalTransport;

impl Transport for LocalTransport {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Delivery> {
        Box::pin(async move {
            tracing::info!(
                message = msg.id,
                event = msg.event.as_str(),
                "local transport (not sent to anyone):\n{}{}",
                if msg.subject.is_empty() {
                    String::new()
                } else {
                    format!("Subject: {}\n", msg.subject)
                },
                msg.text
            );
            Delivery::Sent(format!("local-{}", msg.id))
        })
    }
}
