//! The admin client's calls about how messages go out: the practice's channels.

use super::AdminClient;
use crate::client::ClientResult;
use crate::messages::MessagingSettings;
use crate::paths::admin as p;

impl AdminClient {
    /// HTTP GET /api/v1/admin/messaging
    pub async fn messaging(&self) -> ClientResult<MessagingSettings> {
        self.get(p::MESSAGING).await
    }
}
