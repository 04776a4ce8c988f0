//! The admin client's calls about the waitlist: entries by status, adding a patient, taking
//! one off.

use super::AdminClient;
use crate::client::ClientResult;
use crate::paths::admin as p;
use crate::waitlist::{WaitlistAdd, WaitlistEntryView, WaitlistList};

impl AdminClient {
    /// HTTP GET /api/v1/admin/waitlist?status=
    pub async fn waitlist(&self, status: &str) -> ClientResult<WaitlistList> {
        self.get(&format!(
            "{}?status={}",
            p::WAITLIST,
            urlencoding::encode(status)
        ))
        .await
    }

    /// HTTP POST /api/v1/admin/waitlist
    pub async fn add_to_waitlist(&self, add: &WaitlistAdd) -> ClientResult<WaitlistEntryView> {
        self.call("POST", p::WAITLIST, Some(add)).await
    }

    /// HTTP POST /api/v1/admin/waitlist/{id}/remove
    pub async fn remove_from_waitlist(&self, id: i64) -> ClientResult<WaitlistEntryView> {
        self.call("POST", &p::waitlist_remove(id), Some(&super::Empty {}))
            .await
    }
}
