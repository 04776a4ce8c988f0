//! Chains of free times for a procedure template: the catalog's hours and the store's busy
//! time → the chain engine (`slotwise_shared::chains`), and its answers labelled for patients.

use super::availability::{room_limits, slot_option};
use crate::catalog::Catalog;
use crate::domain_error::{DomainError, DomainResult};
use crate::store;
use crate::store::db::Db;
use jiff::civil::Date;
use slotwise_shared::chains::{
    chain_holds, find_chains, step_alternatives, Chain, ChainRequest, ChainStep,
};
use slotwise_shared::lang::Language;
use slotwise_shared::model::{PatientId, ProcedureId, ProviderId};
use slotwise_shared::procedures::{
    ChainOption, ChainStepChoice, ProcedureStepInput, ProcedureTemplateView,
};
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::{
    free_slots_in_rooms, start_of_local_day, RoomLimits, Slot, SlotRequest,
};

const DAY: i64 = 86_400;
/// The most candidate checks one search may make: bounds a request's work whatever the
/// schedules (a 4-step search over 180 days with 10 providers needs far fewer).
const MAX_WORK: usize = 200_000;
/// At most this many days of first-step times in one search.
pub const MAX_SEARCH_DAYS: u16 = 14;

/// What a chain search covers: the steps to book and, per step, the one provider it must be
/// with (a visit booked already fixes the provider of a later "same provider" step; the
/// patient may also pick the first step's provider).
#[derive(Clone, Debug)]
pub struct ChainTarget {
    pub template: ProcedureTemplateView,
    /// One per step (missing: any provider of the step's reason).
    pub pins: Vec<Option<ProviderId>>,
    /// The first step's allowed starts (a personal link's window); `None`: any.
    pub window: Option<Span>,
    /// The patient's procedure whose remaining steps these are (`None`: a new procedure).
    pub continues: Option<Continues>,
}

/// The rest of a patient's procedure, booked through their personal link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Continues {
    pub record: ProcedureId,
    /// The position (from 1) in the procedure of the first step booked.
    pub from: usize,
    pub patient: PatientId,
}

impl ChainTarget {
    /// A template booked whole, as the widget offers it.
    pub fn whole(template: ProcedureTemplateView) -> Self {
        ChainTarget {
            template,
            pins: Vec::new(),
            window: None,
            continues: None,
        }
    }

    /// The same target with the first step only with `provider`, when given.
    pub fn first_with(&self, provider: Option<ProviderId>) -> Self {
        let mut pinned = self.clone();
        if let Some(provider) = provider {
            if pinned.pins.is_empty() {
                pinned.pins.push(None);
            }
            pinned.pins[0] = Some(provider);
        }
        pinned
    }

    /// Whether a first step starting at `start` keeps the target's window.
    pub fn admits_first(&self, start: i64) -> bool {
        self.window
            .is_none_or(|w| w.start <= start && start < w.end)
    }

    /// `range` narrowed to the window (`None` when they do not meet).
    pub fn narrow(&self, range: Span) -> Option<Span> {
        match self.window {
            None => Some(range),
            Some(w) => {
                let (start, end) = (range.start.max(w.start), range.end.min(w.end));
                (start < end).then(|| Span::new(start, end))
            }
        }
    }
}

/// A template's steps as the engine needs them, with busy time from the store.
pub struct EngineSteps {
    pub steps: Vec<ChainStep>,
    /// The instant a chain starting in the searched range can reach at the latest.
    pub reach: Span,
}

/// Builds the engine's steps of the target for first steps inside `first_range`.
pub async fn engine_steps(
    db: &Db,
    catalog: &Catalog,
    target: &ChainTarget,
    first_range: Span,
    now: i64,
) -> DomainResult<EngineSteps> {
    let template = &target.template;
    let later_days: i64 = template
        .input
        .steps
        .iter()
        .skip(1)
        .map(|s| i64::from(s.gap_max_days) + 2)
        .sum();
    let reach = Span::new(
        first_range.start - DAY,
        first_range.end + (later_days + 1) * DAY,
    );
    let mut providers: Vec<ProviderId> = Vec::new();
    for step in &template.input.steps {
        let reason = reason_of(catalog, step)?;
        providers.extend(reason.provider_ids.iter().copied());
    }
    providers.sort();
    providers.dedup();
    let busy =
        store::appointments::busy_spans(db, catalog.practice.id, &providers, reach, now).await?;
    let mut steps = Vec::with_capacity(template.input.steps.len());
    let mut gaps_so_far = 0_i64;
    let window_days = target.window.map_or(0, |w| (w.end - now).max(0) / DAY + 1);
    for (k, step) in template.input.steps.iter().enumerate() {
        let reason = reason_of(catalog, step)?;
        let schedules = reason
            .provider_ids
            .iter()
            .filter(|p| {
                target
                    .pins
                    .get(k)
                    .copied()
                    .flatten()
                    .is_none_or(|only| only == **p)
            })
            .map(|&p| {
                let mut s = catalog.schedule(p);
                s.busy = busy.get(&p).cloned().unwrap_or_default();
                s
            })
            .collect();
        let rooms = match &reason.operatory_kind {
            None => RoomLimits::default(),
            Some(kind) => room_limits(db, catalog, kind, reach, now).await?,
        };
        let mut timing = reason.timing;
        // A personal link's window is booked whatever the reason's own horizon.
        let first = i64::from(template_first_horizon(catalog, template)?).max(window_days);
        if k == 0 {
            timing.horizon_days = u32::try_from(first).unwrap_or(u32::MAX);
        } else {
            // A later step's date comes from the chain, not from how far ahead the reason may
            // be booked on its own.
            gaps_so_far += i64::from(step.gap_max_days) + 2;
            timing.horizon_days = u32::try_from(first + gaps_so_far).unwrap_or(u32::MAX);
        }
        steps.push(ChainStep {
            schedules,
            rooms,
            timing,
            gap_days: if k == 0 {
                (0, 0)
            } else {
                (step.gap_min_days, step.gap_max_days.max(step.gap_min_days))
            },
            same_provider_as: step
                .same_provider_as
                .and_then(|p| usize::from(p).checked_sub(1))
                .filter(|&j| j < k),
        });
    }
    Ok(EngineSteps { steps, reach })
}

fn template_first_horizon(
    catalog: &Catalog,
    template: &ProcedureTemplateView,
) -> DomainResult<u32> {
    let first = template
        .input
        .steps
        .first()
        .ok_or(DomainError::NotFound("procedure"))?;
    Ok(reason_of(catalog, first)?.timing.horizon_days)
}

fn reason_of<'a>(
    catalog: &'a Catalog,
    step: &ProcedureStepInput,
) -> DomainResult<&'a slotwise_shared::practice::Reason> {
    catalog
        .reason(step.reason)
        .ok_or(DomainError::NotFound("procedure"))
}

/// The span of first-step starts from `from`, `days` local days long.
pub fn first_range(catalog: &Catalog, from: Date, days: u16) -> Option<Span> {
    let tz = &catalog.practice.tz;
    let end = from
        .checked_add(jiff::Span::new().days(i64::from(days.clamp(1, MAX_SEARCH_DAYS))))
        .ok()?;
    Some(Span::new(
        start_of_local_day(tz, from)?,
        start_of_local_day(tz, end)?,
    ))
}

fn request(catalog: &Catalog, first_range: Span, now: i64, max_chains: usize) -> ChainRequest {
    ChainRequest {
        now,
        first_range,
        tz: catalog.practice.tz.clone(),
        max_chains,
        max_work: MAX_WORK,
    }
}

/// Up to `max_chains` chains whose first step starts in `range`, labelled in `language`.
#[allow(clippy::too_many_arguments)]
pub async fn search(
    db: &Db,
    catalog: &Catalog,
    target: &ChainTarget,
    range: Span,
    now: i64,
    max_chains: usize,
    language: &Language,
) -> DomainResult<Vec<ChainOption>> {
    let Some(range) = target.narrow(range) else {
        return Ok(Vec::new());
    };
    let engine = engine_steps(db, catalog, target, range, now).await?;
    let req = request(catalog, range, now, max_chains);
    // CPU-bound (bounded by the template's limits and MAX_WORK): off the async threads.
    let zones = catalog.zones.clone();
    let chains = tokio::task::spawn_blocking(move || find_chains(&engine.steps, &zones, &req))
        .await
        .map_err(DomainError::internal)?;
    Ok(chains
        .iter()
        .map(|c| chain_option(catalog, c, language))
        .collect())
}

/// A chain as the API shows it.
pub fn chain_option(catalog: &Catalog, chain: &Chain, language: &Language) -> ChainOption {
    let first = chain
        .slots
        .first()
        .and_then(|s| jiff::Timestamp::from_second(s.start).ok())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ChainOption {
        day_label: slotwise_shared::labels::day_label_in(language, first, &catalog.practice.tz),
        steps: chain
            .slots
            .iter()
            .map(|s| slot_option(catalog, s, language))
            .collect(),
    }
}

/// The chain the patient picked, checked against today's free times: each step a free time of
/// its provider (with a room when it needs one) and every rule of the chain kept. `None` when
/// any part of it no longer holds.
pub async fn checked_chain(
    db: &Db,
    catalog: &Catalog,
    target: &ChainTarget,
    choices: &[ChainStepChoice],
    now: i64,
) -> DomainResult<Option<(EngineSteps, Chain)>> {
    let Some(first) = choices.first() else {
        return Ok(None);
    };
    let start = first.start.as_second();
    if choices.len() != target.template.input.steps.len() || !target.admits_first(start) {
        return Ok(None);
    }
    let engine = engine_steps(db, catalog, target, Span::new(start, start + 1), now).await?;
    let mut slots = Vec::with_capacity(choices.len());
    for (step, choice) in engine.steps.iter().zip(choices) {
        let start = choice.start.as_second();
        let schedules: Vec<_> = step
            .schedules
            .iter()
            .filter(|s| s.provider == choice.provider)
            .cloned()
            .collect();
        let req = SlotRequest {
            timing: step.timing,
            now,
            range: Span::new(start, start + 1),
            max_per_provider: 1,
        };
        let free = free_slots_in_rooms(&schedules, &catalog.zones, &req, &step.rooms);
        match free.into_iter().find(|s| s.start == start) {
            Some(slot) => slots.push(slot),
            None => return Ok(None),
        }
    }
    if !chain_holds(&engine.steps, &catalog.practice.tz, &slots) {
        return Ok(None);
    }
    Ok(Some((engine, Chain { slots })))
}

/// The times step `index` (from 0) of the chain may move to while the others stay, earliest
/// first: `None` when the chain itself no longer holds.
pub async fn step_times(
    db: &Db,
    catalog: &Catalog,
    target: &ChainTarget,
    choices: &[ChainStepChoice],
    index: usize,
    now: i64,
    limit: usize,
) -> DomainResult<Option<Vec<Slot>>> {
    let Some((_, chain)) = checked_chain(db, catalog, target, choices, now).await? else {
        return Ok(None);
    };
    // The moving step may fall anywhere from the first step's day on, so the search covers
    // the chain's whole reach from there.
    let first = chain.slots.first().map_or(now, |s| s.start);
    let range = Span::new(first, first + 1);
    let wide = if index == 0 {
        first_range(catalog, local_day(catalog, first), MAX_SEARCH_DAYS)
            .and_then(|wide| target.narrow(wide))
            .unwrap_or(range)
    } else {
        range
    };
    let engine = engine_steps(db, catalog, target, wide, now).await?;
    let req = request(catalog, wide, now, 1);
    let zones = catalog.zones.clone();
    let times = tokio::task::spawn_blocking(move || {
        step_alternatives(&engine.steps, &zones, &req, &chain, index, limit)
    })
    .await
    .map_err(DomainError::internal)?;
    Ok(Some(times))
}

fn local_day(catalog: &Catalog, at: i64) -> Date {
    slotwise_shared::chains::local_date(&catalog.practice.tz, at)
        .unwrap_or_else(|| jiff::civil::date(1970, 1, 1))
}
