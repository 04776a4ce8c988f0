//! Which chain a patient is booking: a procedure offered online, whole; or, through a personal
//! procedure link, the rest of their own procedure — the visits from the first one not booked
//! to the last, the first of them inside its window after the last dated visit, and a "same
//! provider" step whose provider is already known kept with that provider.

use super::chain_search::{ChainTarget, Continues};
use super::procedure_offers::offered_template;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::procedures::records::{step_state, window};
use crate::store::db::Db;
use crate::store::procedure_links::link_by_token;
use crate::store::procedure_records::{record, steps_of, RecordRow, StepRow};
use crate::tokens::hash_token;
use jiff::civil::Date;
use slotwise_shared::chains::local_date;
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::{PatientId, ProcedureId, ProcedureTemplateId, ProviderId, ReasonId};
use slotwise_shared::procedures::{
    ProcedureStepInput, ProcedureTemplateInput, ProcedureTemplateView, StepState,
};
use slotwise_shared::schedule::Span;
use slotwise_shared::slots::start_of_local_day;

/// A window that has passed opens again from today for at least this many days.
const REOPENED_WINDOW_DAYS: i64 = 14;

/// The chain a request books: the template offered online, or the rest of the procedure the
/// personal link `link` is for (which must be a procedure of `template`).
pub async fn chain_target(
    db: &Db,
    catalog: &Catalog,
    template: ProcedureTemplateId,
    link: Option<&str>,
) -> DomainResult<ChainTarget> {
    let Some(token) = link else {
        return Ok(ChainTarget::whole(
            offered_template(db, catalog, template).await?,
        ));
    };
    let (_, record, steps) = linked_procedure(db, catalog, token).await?;
    if record.template_id != template.0 {
        return Err(DomainError::NotFound("procedure"));
    }
    match rest_of(catalog, &record, &steps, now_seconds())? {
        Rest::Book(target) => Ok(target),
        Rest::Nothing | Rest::LaterBooked(_) => Err(link_gone("api.link.used")),
    }
}

/// 410 for a link that can no longer book.
pub fn link_gone(key: &str) -> DomainError {
    DomainError::Expired {
        code: ErrorCode::LinkExpired,
        message: key.into(),
    }
}

/// The live procedure link `token` points at: its id, its procedure (active, the link's
/// patient's) and the procedure's steps. 404 for an unknown link, 410 for one used, expired or whose
/// procedure ended.
pub async fn linked_procedure(
    db: &Db,
    catalog: &Catalog,
    token: &str,
) -> DomainResult<(i64, RecordRow, Vec<StepRow>)> {
    if token.len() > 200 {
        return Err(DomainError::NotFound("link"));
    }
    let practice_id = catalog.practice.id;
    let mut read = db.read.acquire().await?;
    let link = link_by_token(&mut read, practice_id, &hash_token(token))
        .await?
        .ok_or(DomainError::NotFound("link"))?;
    if link.used_at.is_some() {
        return Err(link_gone("api.link.used"));
    }
    if link.expires_at <= now_seconds() {
        return Err(link_gone("api.link.expired"));
    }
    let procedure = ProcedureId(link.procedure_id);
    let found = record(&mut read, practice_id, procedure)
        .await?
        .filter(|r| r.status == "active" && r.patient_id == link.patient_id.0)
        .ok_or_else(|| link_gone("api.link.gone"))?;
    let steps = steps_of(&mut read, procedure).await?;
    Ok((link.id, found, steps))
}

/// What is left of a procedure to book.
pub enum Rest {
    /// These visits, as a chain target.
    Book(ChainTarget),
    /// Every visit is booked or done.
    Nothing,
    /// A visit after the first one not booked is still booked (its position): the rest is
    /// not one chain until it is cancelled or moved.
    LaterBooked(i64),
}

fn dated(step: &StepRow) -> bool {
    matches!(
        step_state(step.status.as_deref()),
        StepState::Booked | StepState::Completed
    )
}

/// The rest of `record` on `now`: the visits from the first one not booked on.
pub fn rest_of(
    catalog: &Catalog,
    record: &RecordRow,
    steps: &[StepRow],
    now: i64,
) -> DomainResult<Rest> {
    let Some(first) = steps.iter().position(|s| !dated(s)) else {
        return Ok(Rest::Nothing);
    };
    if let Some(later) = steps[first..].iter().find(|s| dated(s)) {
        return Ok(Rest::LaterBooked(later.position));
    }
    let tz = &catalog.practice.tz;
    let today = local_date(tz, now).ok_or_else(|| DomainError::internal("date out of range"))?;
    let rest = &steps[first..];
    let opening = rest.first().ok_or(DomainError::NotFound("procedure"))?;
    let reason = catalog
        .reason(ReasonId(opening.reason_id))
        .ok_or(DomainError::NotFound("procedure"))?;
    // The first visit's days: its window after the visit before it, else the reason's horizon.
    let (from, to) = match first.checked_sub(1).and_then(|j| steps.get(j)) {
        Some(previous) => previous
            .starts_at
            .and_then(|start| window(tz, start, (opening.gap_min_days, opening.gap_max_days)))
            .ok_or_else(|| DomainError::internal("a dated visit without a date"))?,
        None => (
            today,
            add_days(today, i64::from(reason.timing.horizon_days))?,
        ),
    };
    let (from, to) = if to < today {
        let length = i64::from((to - from).get_days()).max(REOPENED_WINDOW_DAYS);
        (today, add_days(today, length)?)
    } else {
        (from.max(today), to)
    };
    let window = Span::new(
        start_of_local_day(tz, from).ok_or_else(|| DomainError::internal("no such day"))?,
        start_of_local_day(tz, add_days(to, 1)?)
            .ok_or_else(|| DomainError::internal("no such day"))?,
    );
    let from_position = usize::try_from(opening.position).unwrap_or(1);
    let mut inputs = Vec::with_capacity(rest.len());
    let mut pins = Vec::with_capacity(rest.len());
    for (k, step) in rest.iter().enumerate() {
        // A "same provider" step refers to a step of the rest, or to one already dated.
        let same = step.same_provider_as.unwrap_or(0);
        let within = same >= opening.position;
        pins.push(match step.same_provider_as {
            Some(j) if !within => steps
                .iter()
                .find(|s| s.position == j)
                .and_then(|s| s.provider_id)
                .map(ProviderId),
            _ => None,
        });
        inputs.push(ProcedureStepInput {
            reason: ReasonId(step.reason_id),
            gap_min_days: if k == 0 { 0 } else { gap(step.gap_min_days) },
            gap_max_days: if k == 0 { 0 } else { gap(step.gap_max_days) },
            same_provider_as: within
                .then(|| u8::try_from(same - opening.position + 1).ok())
                .flatten(),
        });
    }
    let template = ProcedureTemplateView {
        id: ProcedureTemplateId(record.template_id),
        input: ProcedureTemplateInput {
            name: record.name.clone(),
            description: String::new(),
            steps: inputs,
            bookable_online: true,
            active: true,
        },
    };
    Ok(Rest::Book(ChainTarget {
        template,
        pins,
        window: Some(window),
        continues: Some(Continues {
            record: ProcedureId(record.id),
            from: from_position,
            patient: PatientId(record.patient_id),
        }),
    }))
}

fn gap(days: i64) -> u16 {
    u16::try_from(days.clamp(0, i64::from(u16::MAX))).unwrap_or(0)
}

fn add_days(date: Date, days: i64) -> DomainResult<Date> {
    date.checked_add(jiff::Span::new().days(days))
        .map_err(DomainError::internal)
}
