//! The first step of booking a procedure at a practice whose schedule of record is outside
//! Slotwise: every visit of the held chain is written there while the chain's hold keeps the
//! times here. All or none holds there too: when a visit is refused as taken, the visits
//! already written are cancelled there and the patient gets other chains (409); when the system
//! is down or refuses, they are cancelled and the whole chain waits in the booking queue as one
//! entry for the team (202).

use super::booking_ctx::{Answered, BookingCtx, CHAIN_SCOPE};
use super::chain_holds::other_chains_for;
use super::outside_queue::{outside_appointment, queue_booking, write, QueueBooking};
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::patients::plan::PatientPlan;
use crate::pms::{OutsideRef, PmsError, PracticeSystem};
use crate::store::appointments::AppointmentRow;
use crate::store::pms as store;
use crate::store::procedure_chains::{extend_chain_hold, find_chain_by_token};
use crate::tokens::hash_token;
use slotwise_shared::api::BookingRequest;
use slotwise_shared::lang;
use slotwise_shared::model::{ProcedureId, ProcedureTemplateId};

/// Where one visit was written in the practice system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenStep {
    /// Its id there.
    pub id: String,
    /// The identifier value it was written under.
    pub identifier: String,
}

/// How the outside step of a procedure booking ended.
pub enum OutsideChain {
    /// Slotwise is the schedule of record (or the chain's hold is not live: booking says so).
    NotNeeded,
    /// Every visit is written there, in step order.
    Written(Vec<WrittenStep>),
    /// The answer to send (the chain was queued, by this request or an earlier one).
    Answer(Answered),
}

/// Writes every visit of the held chain to the practice's outside system, if it has one.
pub async fn write_chain(
    ctx: &BookingCtx<'_>,
    key: &str,
    request_hash: &str,
    req: &BookingRequest,
    plan: &PatientPlan,
) -> DomainResult<OutsideChain> {
    let (db, catalog) = (ctx.db, ctx.catalog);
    let practice_id = catalog.practice.id;
    let Some(system) = ctx.pms.outside_system(db, practice_id).await? else {
        return Ok(OutsideChain::NotNeeded);
    };
    let mut read = db.read.acquire().await?;
    let found = find_chain_by_token(&mut read, practice_id, &hash_token(&req.hold_token)).await?;
    drop(read);
    let (held, rows) = found.ok_or(DomainError::NotFound("hold"))?;
    let now = now_seconds();
    // Whatever the booking step would refuse is refused before anything is written there.
    let live = held.status == "held"
        && held.hold_expires_at.is_some_and(|at| at > now)
        && rows.iter().all(|r| r.status == "held");
    let eligible = rows.iter().all(|r| {
        catalog
            .reason(r.reason_id)
            .is_some_and(|reason| reason.eligibility.admits(req.patient_type))
    });
    if !live || !eligible || rows.is_empty() {
        return Ok(OutsideChain::NotNeeded);
    }
    // Every write may take the whole timeout: the hold outlives them all.
    let calls = i64::try_from(rows.len()).unwrap_or(8);
    let per_call = i64::try_from(ctx.pms.timeout.as_secs()).unwrap_or(60);
    extend_chain_hold(db, ProcedureId(held.id), now + calls * per_call + 60).await?;
    let mut written = Vec::with_capacity(rows.len());
    for row in &rows {
        let identifier = format!("appointment-{}", row.id);
        let appointment = outside_appointment(
            db,
            catalog,
            row,
            plan,
            &req.patient,
            req.patient_type,
            &identifier,
        )
        .await?;
        let failed = match write(db, practice_id, system.as_ref(), &appointment, now).await? {
            Ok(id) => {
                written.push(WrittenStep { id, identifier });
                continue;
            }
            Err(failed) => failed,
        };
        // All or none there too: what was written for this chain is taken back.
        cancel_written(system.as_ref(), &written, &catalog.practice.slug).await;
        return match failed {
            PmsError::Conflict(detail) => {
                tracing::info!(practice = %catalog.practice.slug, %detail, "practice system: a procedure visit's time is taken");
                let first_start = rows.first().map_or(row.starts_at, |r| r.starts_at);
                let template = ProcedureTemplateId(held.template_id);
                taken_there(ctx, req, row, template, first_start).await
            }
            err => {
                tracing::warn!(practice = %catalog.practice.slug, error = %err.describe(), "practice system unavailable: procedure queued");
                let first = rows.first().unwrap_or(row);
                let queued = QueueBooking {
                    catalog,
                    hold: first,
                    procedure: Some(ProcedureId(held.id)),
                    plan,
                    req,
                    external_key: String::new(),
                    key: key.to_string(),
                    scope: CHAIN_SCOPE,
                    request_hash: request_hash.to_string(),
                };
                Ok(OutsideChain::Answer(queue_booking(db, queued, now).await?))
            }
        };
    }
    Ok(OutsideChain::Written(written))
}

/// Cancels the visits written there for a chain that is not booked after all. A cancel that
/// fails is said in the log by identifier (no patient detail): the next sync shows the time as
/// busy until the front desk removes it.
pub async fn cancel_written(system: &dyn PracticeSystem, written: &[WrittenStep], slug: &str) {
    for step in written {
        let at = OutsideRef {
            id: step.id.clone(),
            identifier: step.identifier.clone(),
        };
        if let Err(err) = system.cancel(&at).await {
            tracing::warn!(practice = %slug, identifier = %step.identifier, error = %err.describe(), "practice system: a procedure visit written there could not be taken back");
        }
    }
}

/// The visit's time is taken there: it counts as busy here until the next sync, the chain's
/// hold is given back, and the patient gets other chains.
async fn taken_there(
    ctx: &BookingCtx<'_>,
    req: &BookingRequest,
    row: &AppointmentRow,
    template: ProcedureTemplateId,
    first_start: i64,
) -> DomainResult<OutsideChain> {
    let (db, catalog) = (ctx.db, ctx.catalog);
    store::add_busy(
        db,
        catalog.practice.id,
        row.provider_id,
        row.block_start,
        row.block_end,
    )
    .await?;
    let _ = super::chain_holds::release_chain(db, catalog, &req.hold_token).await;
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let link = req.link.as_deref();
    let chains = other_chains_for(db, catalog, template, link, first_start, language).await?;
    Err(DomainError::ChainTaken(chains))
}
