//! What a change to one step's appointment means for its procedure: a step cancelled, or moved
//! outside its day window (or pushing the next step out of its own), flags the steps after it
//! for the team instead of silently breaking the chain. Runs inside the change's own unit of
//! writes.

use super::records::{step_state, window};
use crate::store::procedure_records::{flag_steps, procedure_of_appointment, steps_of, StepRow};
use jiff::tz::TimeZone;
use slotwise_shared::chains::local_date;
use slotwise_shared::procedures::StepState;
use sqlx::AnyConnection;

/// Whether `later` starts within its window after `earlier` (true when either has no date).
fn keeps_window(tz: &TimeZone, earlier: &StepRow, later: &StepRow) -> bool {
    let live = |s: &StepRow| {
        matches!(
            step_state(s.status.as_deref()),
            StepState::Booked | StepState::Completed
        )
    };
    let (Some(before), Some(after)) = (
        earlier.starts_at.filter(|_| live(earlier)),
        later.starts_at.filter(|_| live(later)),
    ) else {
        return true;
    };
    let Some((from, to)) = window(tz, before, (later.gap_min_days, later.gap_max_days)) else {
        return true;
    };
    local_date(tz, after).is_some_and(|date| from <= date && date <= to)
}

/// The positions to flag after the step at `index` changed.
pub fn positions_to_flag(tz: &TimeZone, steps: &[StepRow], index: usize) -> Vec<i64> {
    let Some(step) = steps.get(index) else {
        return Vec::new();
    };
    let later = || steps[index + 1..].iter().map(|s| s.position);
    if step_state(step.status.as_deref()) == StepState::Cancelled {
        return later().collect();
    }
    let own = index
        .checked_sub(1)
        .and_then(|j| steps.get(j))
        .is_none_or(|previous| keeps_window(tz, previous, step));
    let next = steps
        .get(index + 1)
        .is_none_or(|next| keeps_window(tz, step, next));
    if !own {
        std::iter::once(step.position).chain(later()).collect()
    } else if !next {
        later().collect()
    } else {
        Vec::new()
    }
}

/// After appointment `appointment_id` was cancelled or moved: flags the steps of its procedure
/// that need the team's attention (nothing when it is not a procedure's step).
pub async fn after_step_change(
    conn: &mut AnyConnection,
    tz: &TimeZone,
    appointment_id: i64,
) -> Result<(), sqlx::Error> {
    let Some(procedure) = procedure_of_appointment(conn, appointment_id).await? else {
        return Ok(());
    };
    let steps = steps_of(conn, procedure).await?;
    let Some(index) = steps
        .iter()
        .position(|s| s.appointment_id == Some(appointment_id))
    else {
        return Ok(());
    };
    let positions = positions_to_flag(tz, &steps, index);
    if !positions.is_empty() {
        flag_steps(conn, procedure, &positions).await?;
    }
    Ok(())
}
