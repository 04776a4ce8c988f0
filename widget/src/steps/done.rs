//! The confirmation: what was booked, the practice's words, calendar and manage links, the
//! intake form for new patients — or, when the practice's system could not take the booking
//! yet, word that the team has the details and will confirm.

use crate::ctx::Ctx;
use crate::frame::StepFrame;
use leptos::prelude::*;

/// The last step.
#[component]
pub fn DoneStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        if let Some(queued) = ctx.queued.get() {
            return view! {
                <StepFrame title="We have your request">
                    <p class="sw-note" role="status" data-testid="queued">{queued.message.clone()}</p>
                    <p class="sw-note">"Questions? Call " <a href=format!("tel:{}", queued.practice_phone)>{queued.practice_phone.clone()}</a> "."</p>
                </StepFrame>
            }
            .into_any();
        }
        ctx.booking
            .get()
            .map(|created| {
                let intake = created.intake_url.clone();
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
                        {intake.map(|url| view! {
                            <p class="sw-note">
                                "New to us? Save time at your visit: "
                                <a href=url target="_blank" rel="noopener" data-testid="intake-link">"fill in the intake form"</a> "."
                            </p>
                        })}
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
                .into_any()
            })
            .unwrap_or_else(|| ().into_any())
    }
}
