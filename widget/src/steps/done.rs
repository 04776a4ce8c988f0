//! The confirmation: what was booked, the practice's words, calendar and manage links.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use leptos::prelude::*;

/// The last step.
#[component]
pub fn DoneStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.booking.get().map(|created| {
            let b = created.booking;
            view! {
                <StepFrame title="You're booked">
                    <div class="sw-confirmed" data-testid="confirmation">
                        <p class="sw-when">{b.when_label.clone()}</p>
                        <p>{b.reason.name.clone()} " with " {b.provider.name.clone()}</p>
                        <p>{b.location.name.clone()} ", " {b.location.address.clone()}</p>
                        <p class="sw-reference">"Reference " <strong data-testid="reference">{b.reference.clone()}</strong></p>
                    </div>
                    {(!b.confirmation_text.is_empty()).then(|| view! { <p class="sw-note">{b.confirmation_text.clone()}</p> })}
                    <div class="sw-row">
                        <a class="sw-secondary" href=b.calendar.ics_url.clone() download="appointment.ics">"Add to calendar (.ics)"</a>
                        <a class="sw-secondary" href=b.calendar.google_url.clone() target="_blank" rel="noopener">"Add to Google Calendar"</a>
                    </div>
                    <p class="sw-note">
                        "Need to change it? "
                        <a href=b.manage_url.clone() target="_blank" rel="noopener" data-testid="manage-link">"Move or cancel it online"</a>
                        " or call " {b.practice_phone.clone()} "."
                    </p>
                </StepFrame>
            }
        })
    }
}
