//! What the setup handlers of named things (providers, reasons, carriers, locations) share:
//! each kind's table and words, the checks every change of one makes (is it ours, is the name
//! free, is a linked row ours), the audit target, and answering with the fresh setup lists. A
//! handler says only what differs: its input, its writes.

use super::change::{apply, Changed};
use super::views::setup_view;
use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::setup;
use crate::store::write_batch::BoxFuture;
use axum::Json;
use slotwise_shared::admin::SetupView;
use slotwise_shared::model::{CarrierId, LocationId, PracticeId, ProviderId, ReasonId};
use sqlx::AnyConnection;
use std::fmt::Display;
use std::marker::PhantomData;

/// A kind of named setup row, whose rows are named by ids of type `Id`.
pub struct Kind<Id> {
    /// Its table (a fixed name, never input).
    pub table: &'static str,
    /// What staff call one, in "No such …" answers and audit targets.
    pub noun: &'static str,
    /// The field error when another row of the practice has the name.
    pub name_taken: &'static str,
    /// The id type, so a provider's id cannot be checked as a reason's.
    pub id: PhantomData<Id>,
}

pub const PROVIDER: Kind<ProviderId> = Kind {
    table: "providers",
    noun: "provider",
    name_taken: "A provider has this name already.",
    id: PhantomData,
};
pub const REASON: Kind<ReasonId> = Kind {
    table: "reasons",
    noun: "reason",
    name_taken: "A reason has this name already.",
    id: PhantomData,
};
pub const CARRIER: Kind<CarrierId> = Kind {
    table: "insurance_carriers",
    noun: "carrier",
    name_taken: "This carrier is on the list already.",
    id: PhantomData,
};
pub const LOCATION: Kind<LocationId> = Kind {
    table: "locations",
    noun: "location",
    name_taken: "A location has this name already.",
    id: PhantomData,
};

impl<Id: Copy + Into<i64> + Display> Kind<Id> {
    /// Why the row `id` (`None`: a new one) may not take `name`: it is not the practice's
    /// (404), or another of the practice's has the name (422).
    pub async fn refusal(
        &self,
        conn: &mut AnyConnection,
        practice_id: PracticeId,
        id: Option<Id>,
        name: &str,
    ) -> Result<Option<ApiError>, sqlx::Error> {
        let id = id.map(Into::into);
        if let Some(id) = id {
            if !setup::owns(conn, self.table, practice_id, id).await? {
                return Ok(Some(ApiError::not_found(self.noun)));
            }
        }
        let taken = setup::name_taken(conn, self.table, practice_id, name, id.unwrap_or(0)).await?;
        Ok(taken.then(|| ApiError::field("name", self.name_taken)))
    }

    /// A 404 when the row `id` is not the practice's.
    pub async fn not_ours(
        &self,
        conn: &mut AnyConnection,
        practice_id: PracticeId,
        id: Id,
    ) -> Result<Option<ApiError>, sqlx::Error> {
        let ours = setup::owns(conn, self.table, practice_id, id.into()).await?;
        Ok((!ours).then(|| ApiError::not_found(self.noun)))
    }

    /// A field error when an id named in `field` is not one of the practice's rows.
    pub async fn foreign(
        &self,
        conn: &mut AnyConnection,
        practice_id: PracticeId,
        ids: &[Id],
        field: &str,
    ) -> Result<Option<ApiError>, sqlx::Error> {
        for id in ids {
            if !setup::owns(conn, self.table, practice_id, (*id).into()).await? {
                let message = format!("Choose one of your {}s.", self.noun);
                return Ok(Some(ApiError::field(field, &message)));
            }
        }
        Ok(None)
    }

    /// The audit line's target for the row `id` (ids, never names).
    pub fn target(&self, id: Id) -> String {
        format!("{} {id}", self.noun)
    }
}

/// Runs a setup change with its audit line and answers the practice's setup lists.
pub async fn change_setup<F>(
    state: &AppState,
    auth: &PracticeAuth,
    action: &'static str,
    work: F,
) -> ApiResult<Json<SetupView>>
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<Changed<()>, sqlx::Error>>
        + Send
        + 'static,
{
    apply(state, auth, action, work).await?;
    Ok(Json(setup_view(state, auth).await?))
}

/// Returns the refusal, if any, from a setup change's writes (rolling them back).
macro_rules! refuse_if {
    ($refusal:expr) => {
        if let Some(why) = $refusal {
            return $crate::routes::admin::change::refuse(why);
        }
    };
}
pub(crate) use refuse_if;
