//! Holding a procedure's whole chain while the patient finishes: every step is held in one
//! unit under the database's overlap rule, or none is.

use super::availability::slot_option;
use super::chain_search::{checked_chain, first_range, search, ChainTarget};
use super::chain_target::chain_target;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::store::appointments::NewHold;
use crate::store::db::Db;
use crate::store::procedure_chains::{insert_chain_hold, release_chain as release, NewChainHold};
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, looks_like_token, new_token};
use crate::write_unit;
use jiff::Timestamp;
use slotwise_shared::chains::local_date;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::ProcedureTemplateId;
use slotwise_shared::procedures::{ChainHoldRequest, ChainHoldResponse, ChainOption};
use slotwise_shared::slots::blocked_span;

/// How many other chains a conflict offers.
const ALTERNATIVE_CHAINS: usize = 3;

/// Holds every step of the chain the patient picked, or answers 409 with other chains.
pub async fn hold_chain(
    db: &Db,
    catalog: &Catalog,
    req: &ChainHoldRequest,
) -> DomainResult<ChainHoldResponse> {
    let target = chain_target(db, catalog, req.procedure, req.link.as_deref()).await?;
    let template = &target.template;
    let language = lang::choose(req.lang.as_deref(), None, &catalog.practice.default_lang);
    if req.steps.len() != template.input.steps.len() {
        return Err(DomainError::field(
            "steps",
            &language.say("api.procedure.steps", &[]),
        ));
    }
    let now = now_seconds();
    let first = req.steps.first().map_or(now, |s| s.start.as_second());
    if first <= now {
        return Err(DomainError::field(
            "steps",
            &language.say("api.hold.past", &[]),
        ));
    }
    let Some((engine, chain)) = checked_chain(db, catalog, &target, &req.steps, now).await? else {
        return Err(taken(db, catalog, &target, first, now, language).await?);
    };
    let token = new_token();
    let token_hash = hash_token(&token);
    let expires_at = now + i64::from(catalog.practice.hold_minutes) * 60;
    let holds = chain
        .slots
        .iter()
        .zip(&engine.steps)
        .zip(&template.input.steps)
        .enumerate()
        .map(|(k, ((slot, step), input))| NewHold {
            practice_id: catalog.practice.id,
            provider_id: slot.provider,
            location_id: slot.location,
            reason_id: input.reason,
            operatory_kind: catalog
                .reason(input.reason)
                .and_then(|r| r.operatory_kind.clone()),
            starts_at: slot.start,
            ends_at: slot.end,
            block: blocked_span(slot.start, &step.timing),
            token_hash: format!("{token_hash}.{}", k + 1),
            expires_at,
            now,
        })
        .collect();
    let hold = NewChainHold {
        practice_id: catalog.practice.id,
        template_id: template.id,
        name: template.input.name.clone(),
        steps: template.input.steps.clone(),
        holds,
        token_hash,
        expires_at,
        now,
        continues: target.continues.map(|c| (c.record, c.from)),
    };
    // The database has the last word: a step taken meanwhile undoes the whole chain.
    if insert_chain_hold(db, &hold).await?.is_none() {
        return Err(taken(db, catalog, &target, first, now, language).await?);
    }
    Ok(ChainHoldResponse {
        hold_token: token,
        expires_at: Timestamp::from_second(expires_at).map_err(DomainError::internal)?,
        steps: chain
            .slots
            .iter()
            .map(|s| slot_option(catalog, s, language))
            .collect(),
    })
}

/// The 409 answer: other chains from the picked first step's day on.
async fn taken(
    db: &Db,
    catalog: &Catalog,
    target: &ChainTarget,
    first: i64,
    now: i64,
    language: &Language,
) -> DomainResult<DomainError> {
    Ok(DomainError::ChainTaken(
        other_chains(db, catalog, target, first, now, language).await?,
    ))
}

/// A few chains whose first step is on `from`'s day or within the week after.
pub async fn other_chains(
    db: &Db,
    catalog: &Catalog,
    target: &ChainTarget,
    from: i64,
    now: i64,
    language: &Language,
) -> DomainResult<Vec<ChainOption>> {
    let from = target.window.map_or(from, |w| from.max(w.start));
    let day = local_date(&catalog.practice.tz, from.max(now))
        .ok_or_else(|| DomainError::internal("date out of range"))?;
    let Some(range) = first_range(catalog, day, 7) else {
        return Ok(Vec::new());
    };
    search(
        db,
        catalog,
        target,
        range,
        now,
        ALTERNATIVE_CHAINS,
        language,
    )
    .await
}

/// [`other_chains`] for the chain a booking request was for: the template's, or the rest of
/// the procedure its personal link books (none when neither can be booked any more).
pub async fn other_chains_for(
    db: &Db,
    catalog: &Catalog,
    template: ProcedureTemplateId,
    link: Option<&str>,
    from: i64,
    language: &Language,
) -> DomainResult<Vec<ChainOption>> {
    match chain_target(db, catalog, template, link).await {
        Ok(target) => other_chains(db, catalog, &target, from, now_seconds(), language).await,
        Err(_) => Ok(Vec::new()),
    }
}

/// Gives a held chain back so all its times are free again; 404 when no live chain hold has
/// this token.
pub async fn release_chain(db: &Db, catalog: &Catalog, token: &str) -> DomainResult<()> {
    if !looks_like_token(token) {
        return Err(DomainError::NotFound("hold"));
    }
    let practice_id = catalog.practice.id;
    let hash = hash_token(token);
    let now = now_seconds();
    let released = db
        .write(write_unit!(|conn| {
            Ok(WriteOutcome::Commit(
                release(conn, practice_id, &hash, now).await?,
            ))
        }))
        .await?;
    if released == 0 {
        return Err(DomainError::NotFound("hold"));
    }
    Ok(())
}
