//! Wire types of who may use a practice's admin API besides its enabled accounts: the
//! practice's API keys (listed without the key, created with a role, revoked). Disabling an
//! account is `POST staff/{id}/disable` and answers the `StaffView` list.

use crate::admin::StaffRole;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A live API key as its practice sees it; the key itself is shown once, when made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyView {
    pub id: i64,
    /// What the key is for ("front desk tablet", "reporting").
    pub label: String,
    /// What the key may do, as a staff member of this role.
    pub role: StaffRole,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// When it was last used, to within a few minutes; `None` if never.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_used_at: Option<Timestamp>,
}

/// `POST api-keys`: a new key (owners only).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiKey {
    /// 1–100 characters.
    #[cfg_attr(
        feature = "openapi",
        // Not only white space (Unicode `White_Space`, which the server trims).
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "[^\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
        )
    )]
    pub label: String,
    pub role: StaffRole,
}

/// The answer to `POST api-keys`: the key, shown this once (only its hash is kept), and the
/// practice's live keys.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    pub key: String,
    pub keys: Vec<ApiKeyView>,
}
