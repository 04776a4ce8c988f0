//! A patient's procedure as staff read it: each step's state, its day window once the step
//! before has a date, whether it is overdue, and the procedure's progress.

use crate::catalog::Catalog;
use crate::store::procedure_records::{RecordRow, StepRow};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use slotwise_shared::chains::local_date;
use slotwise_shared::model::{PatientId, ProcedureId, ProcedureTemplateId, ProviderId, ReasonId};
use slotwise_shared::procedures::{ProcedureState, ProcedureStepView, ProcedureView, StepState};

/// A step with nothing booked is overdue when fewer than this many days of its window are
/// left (or the window has passed).
pub const OVERDUE_NOTICE_DAYS: i64 = 7;

/// The state of a step from its appointment's status (none: not booked).
pub fn step_state(status: Option<&str>) -> StepState {
    match status {
        Some("booked" | "confirmed") => StepState::Booked,
        Some("completed") => StepState::Completed,
        Some("cancelled") => StepState::Cancelled,
        Some("no_show") => StepState::NoShow,
        _ => StepState::ToBook,
    }
}

/// The local dates a step may fall on after a step that starts at `previous_start`.
pub fn window(tz: &TimeZone, previous_start: i64, gap: (i64, i64)) -> Option<(Date, Date)> {
    let date = local_date(tz, previous_start)?;
    let from = date.checked_add(jiff::Span::new().days(gap.0)).ok()?;
    let to = date
        .checked_add(jiff::Span::new().days(gap.1.max(gap.0)))
        .ok()?;
    Some((from, to))
}

/// The start of a step that has a date: booked or done.
fn dated(step: &StepRow) -> Option<i64> {
    match step_state(step.status.as_deref()) {
        StepState::Booked | StepState::Completed => step.starts_at,
        _ => None,
    }
}

/// The record as staff read it on `today` (the practice's local date).
pub fn view(
    catalog: &Catalog,
    record: &RecordRow,
    steps: &[&StepRow],
    today: Date,
) -> ProcedureView {
    let tz = &catalog.practice.tz;
    let cancelled = record.status == "cancelled";
    let mut views: Vec<ProcedureStepView> = Vec::with_capacity(steps.len());
    for (k, step) in steps.iter().enumerate() {
        let state = step_state(step.status.as_deref());
        let (window_from, window_to) = match k.checked_sub(1).and_then(|j| steps.get(j)) {
            Some(previous) => dated(previous)
                .and_then(|start| window(tz, start, (step.gap_min_days, step.gap_max_days)))
                .map_or((None, None), |(from, to)| (Some(from), Some(to))),
            None => (None, None),
        };
        let overdue = !cancelled
            && state == StepState::ToBook
            && window_to.is_some_and(|to| {
                today
                    .until(to)
                    .map(|span| i64::from(span.get_days()))
                    .is_ok_and(|left| left < OVERDUE_NOTICE_DAYS)
            });
        views.push(ProcedureStepView {
            position: u8::try_from(step.position).unwrap_or(u8::MAX),
            reason: ReasonId(step.reason_id),
            reason_name: catalog
                .reasons
                .iter()
                .find(|r| r.id.0 == step.reason_id)
                .map_or_else(String::new, |r| r.name.clone()),
            state,
            appointment: step.appointment_id.filter(|_| state != StepState::ToBook),
            start: step
                .starts_at
                .filter(|_| state != StepState::ToBook)
                .and_then(|s| Timestamp::from_second(s).ok()),
            provider: step
                .provider_id
                .filter(|_| state != StepState::ToBook)
                .map(ProviderId),
            window_from,
            window_to,
            flagged: step.flagged != 0 && !cancelled,
            overdue,
        });
    }
    let completed = views
        .iter()
        .filter(|s| s.state == StepState::Completed)
        .count();
    let state = if cancelled {
        ProcedureState::Cancelled
    } else if completed == views.len() {
        ProcedureState::Completed
    } else {
        ProcedureState::Active
    };
    let next_step = (state == ProcedureState::Active)
        .then(|| {
            views
                .iter()
                .find(|s| !matches!(s.state, StepState::Completed | StepState::Cancelled))
                .map(|s| s.position)
        })
        .flatten();
    ProcedureView {
        id: ProcedureId(record.id),
        template: ProcedureTemplateId(record.template_id),
        name: record.name.clone(),
        patient: PatientId(record.patient_id),
        patient_name: format!("{} {}", record.first_name, record.last_name),
        state,
        steps: views,
        completed: u8::try_from(completed).unwrap_or(u8::MAX),
        next_step,
        started_at: Timestamp::from_second(record.created_at).unwrap_or(Timestamp::UNIX_EPOCH),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_local_days_across_the_clock_change() {
        let tz = TimeZone::get("America/New_York").expect("zone");
        // Saturday 7 March 2026, 9:00 EST; the clocks go forward the next night.
        let start = jiff::civil::date(2026, 3, 7)
            .at(9, 0, 0, 0)
            .to_zoned(tz.clone())
            .expect("zoned")
            .timestamp()
            .as_second();
        let (from, to) = window(&tz, start, (7, 21)).expect("window");
        assert_eq!(from, jiff::civil::date(2026, 3, 14));
        assert_eq!(to, jiff::civil::date(2026, 3, 28));
        // A window whose latest day comes before its earliest is read as one day.
        let (from, to) = window(&tz, start, (7, 3)).expect("window");
        assert_eq!(from, to);
    }

    #[test]
    fn a_step_is_only_to_book_without_a_live_appointment() {
        assert_eq!(step_state(None), StepState::ToBook);
        assert_eq!(step_state(Some("expired")), StepState::ToBook);
        assert_eq!(step_state(Some("held")), StepState::ToBook);
        assert_eq!(step_state(Some("confirmed")), StepState::Booked);
        assert_eq!(step_state(Some("no_show")), StepState::NoShow);
    }
}
