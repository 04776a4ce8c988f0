//! What staff do to one appointment, from the appointment list and from the day view: confirm,
//! complete, no-show and cancel (asked first; the patient is told), with the answer shown; and
//! the confirmation policy's badge.

use crate::ctx::{confirm, Ctx};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::{AppointmentAction, AppointmentItem};

/// The statuses staff filter by and see, with their labels.
pub const STATUSES: [(&str, &str); 6] = [
    ("", "Any status"),
    ("booked", "Booked"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("no_show", "No-show"),
];

/// The label of a status.
pub fn status_label(s: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, l)| *l)
        .unwrap_or("Other")
}

/// Whether the appointment can still be confirmed, completed, moved or cancelled.
pub fn is_open(item: &AppointmentItem) -> bool {
    matches!(item.status.as_str(), "booked" | "confirmed")
}

/// Takes `action` (asking first for a cancel) and hands the appointment as it is now to `done`.
pub fn act_on(
    ctx: Ctx,
    item: AppointmentItem,
    action: AppointmentAction,
    done: impl Fn(AppointmentItem) + 'static,
) {
    if action == AppointmentAction::Cancel
        && !confirm(&format!(
            "Cancel {}'s appointment on {}? The patient is told.",
            item.patient_name, item.when_label
        ))
    {
        return;
    }
    spawn_local(async move {
        match ctx.api().appointment_action(item.id, action).await {
            Ok(updated) => {
                ctx.ok(format!(
                    "{} is now {}.",
                    updated.patient_name,
                    status_label(&updated.status).to_lowercase()
                ));
                done(updated);
            }
            Err(e) => ctx.fail(&e),
        }
    });
}

/// What the confirmation policy says of an appointment: nothing, "Must confirm" or "Not
/// confirmed in time" (call the patient).
#[component]
pub fn ConfirmationBadge(confirmation: String) -> impl IntoView {
    match confirmation.as_str() {
        "asked" => Some(view! {
            " "<span class="badge paused" data-testid="confirmation" title="The patient's no-shows ask them to confirm by a deadline">"Must confirm"</span>
        }),
        "missed" => Some(view! {
            " "<span class="badge no_show" data-testid="confirmation" title="The confirmation deadline passed: call the patient">"Not confirmed in time"</span>
        }),
        _ => None,
    }
}
