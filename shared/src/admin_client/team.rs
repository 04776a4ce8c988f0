//! The admin client's calls about who may use the admin API: disabling and enabling staff
//! accounts, and the practice's API keys.

use super::{AdminClient, Empty};
use crate::admin::StaffView;
use crate::client::ClientResult;
use crate::paths::admin as p;
use crate::team::{ApiKeyView, CreatedApiKey, NewApiKey};

impl AdminClient {
    /// HTTP POST /api/v1/admin/staff/{id}/disable
    pub async fn disable_staff(&self, id: i64) -> ClientResult<Vec<StaffView>> {
        self.call("POST", &p::staff_action(id, "disable"), Some(&Empty {}))
            .await
    }

    /// HTTP POST /api/v1/admin/staff/{id}/enable
    pub async fn enable_staff(&self, id: i64) -> ClientResult<Vec<StaffView>> {
        self.call("POST", &p::staff_action(id, "enable"), Some(&Empty {}))
            .await
    }

    /// HTTP GET /api/v1/admin/api-keys
    pub async fn api_keys(&self) -> ClientResult<Vec<ApiKeyView>> {
        self.get(p::API_KEYS).await
    }

    /// HTTP POST /api/v1/admin/api-keys
    pub async fn create_api_key(&self, key: &NewApiKey) -> ClientResult<CreatedApiKey> {
        self.call("POST", p::API_KEYS, Some(key)).await
    }

    /// HTTP DELETE /api/v1/admin/api-keys/{id}
    pub async fn revoke_api_key(&self, id: i64) -> ClientResult<Vec<ApiKeyView>> {
        self.call::<Empty, _>("DELETE", &p::api_key(id), None).await
    }
}
