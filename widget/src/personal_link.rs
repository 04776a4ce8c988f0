//! Personal booking links (recall, no-show rebooking and procedure links): the widget opens the
//! link, greets the patient it was sent to and starts at the times for the visit it books (for a
//! procedure link, the chains of the rest of the procedure); a link that expired,
//! was used or is unknown leads to the ordinary booking flow instead.

use crate::ctx::{Ctx, Verified};
use crate::current_step::CurrentStep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::automations::{LinkKind, OpenedLink};
use slotwise_shared::booking_flow::{Flow, Prefill, Step};
use slotwise_shared::client::ClientError;
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::PatientType;
use slotwise_shared::procedures::ProcedureOffer;

/// "Welcome back, Ana" and what the link is for.
#[derive(Clone)]
struct Greeting {
    hello: String,
    line: Option<String>,
}

#[derive(Clone)]
enum State {
    Opening,
    Open(Greeting),
    /// Expired, already used or unknown.
    Gone {
        heading: String,
        message: String,
    },
    /// The link could not be opened (connection, server).
    Failed(String),
    /// The ordinary booking flow, without the link.
    Ordinary,
}

fn greeting(ctx: Ctx, opened: &OpenedLink) -> Greeting {
    let member = opened
        .household
        .members
        .iter()
        .find(|m| m.id == opened.member);
    let contact = opened.household.contact_first_name.trim();
    let name = match member {
        Some(m) if contact.is_empty() => m.first_name.trim(),
        _ => contact,
    };
    let hello = if name.is_empty() {
        ctx.t("widget.link.hello")
    } else {
        ctx.tf("widget.link.hello_name", &[("name", name)])
    };
    // A parent books for a child, an owner for a pet.
    let other = match member {
        Some(m) if !contact.is_empty() && m.first_name.trim() != contact => {
            Some(m.first_name.trim().to_string())
        }
        _ => None,
    };
    let reason = ctx.with_config(|c| {
        c.reasons
            .iter()
            .find(|r| r.id == opened.reason)
            .map(|r| r.name.clone())
    });
    // A procedure link books the rest of the procedure: it is named instead of one visit.
    let reason = match &opened.procedure {
        Some(rest) => Some(rest.name.clone()),
        None => reason,
    };
    let line = reason.map(|reason| {
        let key = match (opened.kind, other.is_some()) {
            (LinkKind::Procedure, false) => "widget.link.procedure_own",
            (LinkKind::Procedure, true) => "widget.link.procedure_other",
            (LinkKind::Recall, false) => "widget.link.recall_own",
            (LinkKind::Recall, true) => "widget.link.recall_other",
            (LinkKind::Rebooking, false) => "widget.link.rebook_own",
            (LinkKind::Rebooking, true) => "widget.link.rebook_other",
        };
        let name = other.clone().unwrap_or_default();
        ctx.tf(key, &[("name", &name), ("reason", &reason)])
    });
    Greeting { hello, line }
}

/// The patient is known: the flow starts at the times for the link's visit, with whoever is
/// free first and the insurance the practice has on file (without one, the insurance question
/// comes first).
fn start_from_link(ctx: Ctx, token: String, opened: OpenedLink) -> Greeting {
    let greeting = greeting(ctx, &opened);
    let OpenedLink {
        reason,
        member,
        household,
        insurance,
        procedure,
        ..
    } = opened;
    let prefill = Prefill {
        patient_type: Some(PatientType::Returning),
        reason: Some(reason.to_string()),
        location: Some("any".to_string()),
        provider: Some("any".to_string()),
        insurance: None,
    };
    // A procedure link starts at the chains of the rest of the patient's procedure.
    let rest = procedure.map(|rest| {
        let offer = ProcedureOffer {
            id: rest.template,
            name: rest.name,
            description: String::new(),
            steps: rest.steps,
        };
        (offer, token.clone(), rest.from_step)
    });
    let flow = ctx.with_config(|c| {
        let mut flow = Flow::start(c, &prefill);
        if let Some((offer, _, _)) = &rest {
            flow.choose_procedure(c, offer);
        }
        if let Some(choice) = insurance {
            flow.choose_insurance(c, choice);
        }
        flow
    });
    if let Some((offer, token, from)) = rest {
        ctx.procedure_link.set(Some((offer.id, token, from)));
        ctx.procedure.set(Some(offer));
    }
    ctx.verified.set(Some(Verified {
        household,
        member: Some(member),
        someone_new: false,
    }));
    ctx.link.set(Some(token));
    ctx.flow.set(flow);
    greeting
}

/// What an error answer means for the link, if it is gone for good.
fn gone(ctx: Ctx, error: &ClientError) -> Option<State> {
    let expired =
        error.status() == Some(410) || error.body().map(|b| b.code) == Some(ErrorCode::LinkExpired);
    if expired {
        let message = error
            .body()
            .map(|b| b.message.clone())
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| ctx.t("widget.link.unusable"));
        // The server's words say which; the heading follows them.
        let heading = if message.contains("already") || message.contains("Already") {
            ctx.t("widget.link.used")
        } else {
            ctx.t("widget.link.expired")
        };
        return Some(State::Gone { heading, message });
    }
    (error.status() == Some(404)).then(|| State::Gone {
        heading: ctx.t("widget.link.broken"),
        message: ctx.t("widget.link.incomplete"),
    })
}

/// The greeting above the steps before the review (the review says who the visit is for).
#[component]
fn LinkGreeting(greeting: Greeting) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let shown = move || {
        ctx.flow
            .with(|f| !matches!(f.step, Step::Details | Step::Review | Step::Done))
    };
    let Greeting { hello, line } = greeting;
    view! {
        <Show when=shown>
            <div class="sw-greeting" data-testid="link-greeting">
                <p class="sw-greeting-hello">{hello.clone()}</p>
                {line.clone().map(|l| view! { <p>{l}</p> })}
            </div>
        </Show>
    }
}

/// Opens the personal link `token` and shows what it leads to.
#[component]
pub fn PersonalLink(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = RwSignal::new(State::Opening);
    let token = StoredValue::new(token);
    let phone = ctx.with_config(|c| c.practice.phone.clone());
    let open = move || {
        state.set(State::Opening);
        let slug = ctx.with_config(|c| c.practice.slug.clone());
        let client = ctx.client.get_value();
        spawn_local(async move {
            let answer = client.open_link(&slug, &token.get_value()).await;
            state.set(match answer {
                Ok(opened) => State::Open(start_from_link(ctx, token.get_value(), opened)),
                Err(error) => {
                    gone(ctx, &error).unwrap_or_else(|| State::Failed(ctx.error_text(&error)))
                }
            });
        });
    };
    open();
    let book_without_link = move |_| {
        ctx.patient_started.set(true);
        let flow = ctx
            .options
            .with_value(|o| ctx.with_config(|c| Flow::start(c, &o.prefill())));
        ctx.flow.set(flow);
        state.set(State::Ordinary);
    };
    move || {
        match state.get() {
            State::Opening => view! {
                <div class="sw-loading" role="status" data-testid="link-loading">
                    <span class="sw-spinner"></span>{ctx.t("widget.link.opening")}
                </div>
            }
            .into_any(),
            State::Open(greeting) => view! {
                <LinkGreeting greeting />
                <CurrentStep />
            }
            .into_any(),
            State::Ordinary => view! { <CurrentStep /> }.into_any(),
            State::Gone { heading, message } => view! {
                <section class="sw-step" data-testid="link-expired">
                    <div class="sw-step-head">
                        <h2 class="sw-title" tabindex="-1">{heading}</h2>
                        <p class="sw-lead">{message}</p>
                    </div>
                    <p class="sw-note">{ctx.t("widget.link.still_book")}</p>
                    <button type="button" class="sw-primary sw-wide" data-action="book-without-link"
                        on:click=book_without_link>
                        {ctx.t("widget.link.book")}
                    </button>
                    <p class="sw-note">{ctx.t("widget.link.or_call")} <a href=format!("tel:{phone}")>{phone.clone()}</a> "."</p>
                </section>
            }
            .into_any(),
            State::Failed(message) => view! {
                <section class="sw-step" data-testid="link-failed">
                    <div class="sw-step-head">
                        <h2 class="sw-title" tabindex="-1">{ctx.t("widget.link.failed")}</h2>
                    </div>
                    <p class="sw-error" role="alert">{message}</p>
                    <div class="sw-row">
                        <button type="button" class="sw-primary" data-action="retry-link" on:click=move |_| open()>
                            {ctx.t("widget.link.retry")}
                        </button>
                        <button type="button" class="sw-secondary" data-action="book-without-link"
                            on:click=book_without_link>
                            {ctx.t("widget.link.book")}
                        </button>
                    </div>
                </section>
            }
            .into_any(),
        }
    }
}
