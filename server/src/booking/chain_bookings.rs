//! Booking a procedure's held chain, idempotently: every step becomes the patient's booking in
//! one unit, or none does.

use super::booking_ctx::{Answered, BookingCtx, CHAIN_SCOPE};
use super::bookings::{check_against_catalog, replay, BookingOutcome};
use super::chain_holds::other_chains_for;
use super::chain_target::linked_procedure;
use super::chain_unit::{attempt, ChainAttempt, ChainBooking};
use super::outside_chain::{cancel_written, write_chain, OutsideChain};
use crate::domain_error::{DomainError, DomainResult};
use crate::patients::plan::{resolve, PatientPlan};
use crate::store::idempotency;
use crate::store::procedure_chains::find_chain_by_token;
use crate::tokens::hash_token;
use crate::tokens::hex;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use slotwise_shared::api::BookingRequest;
use slotwise_shared::lang;
use slotwise_shared::model::{PatientId, ProcedureId};
use slotwise_shared::validate::check_booking;

/// Books every step of the held chain `req.hold_token` names. A replay answers as the first
/// request did; a chain whose hold ran out answers 410 with other chains.
pub async fn book_chain(
    ctx: &BookingCtx<'_>,
    key: &str,
    req: &BookingRequest,
) -> DomainResult<BookingOutcome> {
    let (db, catalog) = (ctx.db, ctx.catalog);
    let request_hash = hex(&Sha256::digest(
        serde_json::to_vec(req).map_err(DomainError::internal)?,
    ));
    let mut read = db.read.acquire().await?;
    let earlier = idempotency::find(&mut read, catalog.practice.id, CHAIN_SCOPE, key).await?;
    drop(read);
    if let Some(stored) = earlier {
        return replay(Answered::Earlier(stored), &request_hash);
    }
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    let today = Timestamp::now()
        .to_zoned(catalog.practice.tz.clone())
        .date();
    check_booking(req, today, &catalog.practice.country)
        .map_err(|f| DomainError::Invalid(lang::render_fields(language, f)))?;
    check_against_catalog(catalog, req, false, language)?;
    let plan = resolve(db, catalog, req)
        .await
        .map_err(|e| e.in_language(language))?;
    let written = match write_chain(ctx, key, &request_hash, req, &plan).await? {
        OutsideChain::Answer(answered) => return replay(answered, &request_hash),
        OutsideChain::Written(written) => written,
        OutsideChain::NotNeeded => Vec::new(),
    };
    let continues = continuation(ctx, req, &plan).await?;
    let booking = ChainBooking {
        catalog,
        public_url: ctx.public_url,
        key,
        request_hash: &request_hash,
        req,
        plan: &plan,
        written: &written,
        continues,
    };
    let mut ended = None;
    for _ in 0..3 {
        match attempt(db, &booking).await {
            Ok(ChainAttempt::Raced) => continue,
            other => {
                ended = Some(other);
                break;
            }
        }
    }
    if !written.is_empty() && !matches!(ended, Some(Ok(ChainAttempt::Respond(_)))) {
        // Not booked here after all: neither there.
        if let Some(system) = ctx.pms.outside_system(db, catalog.practice.id).await? {
            cancel_written(system.as_ref(), &written, &catalog.practice.slug).await;
        }
    }
    match ended {
        Some(answered) => match answered? {
            ChainAttempt::Respond(r) => replay(r, &request_hash),
            ChainAttempt::Expired(template, first_start) => {
                let link = req.link.as_deref();
                let chains =
                    other_chains_for(db, catalog, template, link, first_start, language).await?;
                Err(DomainError::ChainExpired(chains))
            }
            ChainAttempt::Raced => Err(DomainError::conflict("api.conflict.in_progress")),
        },
        None => Err(DomainError::conflict("api.conflict.in_progress")),
    }
}

/// For a chain held through a personal procedure link: the patient's procedure it books the
/// rest of and the step it starts at, once the link is checked again (still unused, for this
/// procedure, and the booking is for the link's patient). `None` for a new procedure.
async fn continuation(
    ctx: &BookingCtx<'_>,
    req: &BookingRequest,
    plan: &PatientPlan,
) -> DomainResult<Option<(ProcedureId, i64)>> {
    let (db, catalog) = (ctx.db, ctx.catalog);
    let mut read = db.read.acquire().await?;
    let found =
        find_chain_by_token(&mut read, catalog.practice.id, &hash_token(&req.hold_token)).await?;
    drop(read);
    let Some((held, _)) = found else {
        return Ok(None);
    };
    let (Some(parent), Some(from)) = (held.continues_id, held.from_position) else {
        return Ok(None);
    };
    let link = req.link.as_deref().ok_or(DomainError::NotFound("link"))?;
    let (_, record, _) = linked_procedure(db, catalog, link).await?;
    if record.id != parent || plan.existing_id() != Some(PatientId(record.patient_id)) {
        return Err(DomainError::NotFound("link"));
    }
    Ok(Some((ProcedureId(parent), from)))
}
