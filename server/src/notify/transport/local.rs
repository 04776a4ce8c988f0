//! The local transport (default for demos and development, and for every practice that has
//! not set up SMS or email): nothing leaves the machine. The message is kept in the outbox,
//! where staff see it. The log gets the message's id, event and channel — never its text,
//! which names the patient and carries their links and codes — unless the operator asks for
//! the text (`--log-local-message-text`, as the demo does so its codes can be read).

use super::{Delivery, Outgoing, Transport};
use crate::store::write_batch::BoxFuture;

/// Records instead of sending.
pub struct LocalTransport {
    /// Print the message's text to the log too.
    pub log_text: bool,
}

impl Transport for LocalTransport {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Delivery> {
        Box::pin(async move {
            if self.log_text {
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
            } else {
                tracing::info!(
                    message = msg.id,
                    event = msg.event.as_str(),
                    "local transport: kept in the outbox, not sent to anyone"
                );
            }
            Delivery::Sent(format!("local-{}", msg.id))
        })
    }
}
