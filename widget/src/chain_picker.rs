//! Picking the times of a procedure of several visits: the first visit's times by day, with
//! the later visits proposed to fit each one's window; any later visit can be changed to
//! another time that keeps the chain; then every visit is held at once (or none is).

use crate::ctx::{Ctx, Held};
use crate::host;
use jiff::civil::Date;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{HoldResponse, SlotOption};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::procedures::{
    ChainHoldRequest, ChainOption, ChainStepChoice, ProcedureOffer, StepTimesRequest,
};

/// Days of first visits asked for at a time.
const DAYS_PER_PAGE: u16 = 7;

#[derive(Clone, Debug, PartialEq)]
enum Chains {
    Loading,
    Ready(Vec<ChainOption>),
    Failed(String),
}

fn choices(steps: &[SlotOption]) -> Vec<ChainStepChoice> {
    steps
        .iter()
        .map(|s| ChainStepChoice {
            provider: s.provider,
            start: s.start,
        })
        .collect()
}

/// The chain picker for the chosen procedure.
#[component]
pub fn ChainPicker(offer: ProcedureOffer) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = RwSignal::new(Chains::Loading);
    let from = RwSignal::new(None::<Date>);
    let day = RwSignal::new(None::<Date>);
    // The chain proposed for the first visit the patient picked (later visits changeable).
    let proposal = RwSignal::new(None::<Vec<SlotOption>>);
    // The visit being changed (from 0) and its other times.
    let changing = RwSignal::new(None::<(usize, Vec<SlotOption>)>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let id = offer.id;
    let names: Vec<String> = offer.steps.iter().map(|s| s.name.clone()).collect();
    let names = StoredValue::new(names);
    let slug = ctx.with_config(|c| c.practice.slug.clone());
    let slug = StoredValue::new(slug);
    // Answers that arrive after a newer question (another page, another first visit) are
    // left unread.
    let asked = StoredValue::new(0_u32);
    let next_question = move || {
        let n = asked.get_value().wrapping_add(1);
        asked.set_value(n);
        n
    };
    let latest = move |n: u32| asked.try_get_value() == Some(n);
    // Through a personal procedure link: the rest of the patient's own procedure.
    let link = ctx
        .procedure_link
        .get_untracked()
        .filter(|(template, _, _)| *template == id)
        .map(|(_, token, _)| token);
    let link = StoredValue::new(link);

    // Also called when an answer arrives: the picker may have left the page meanwhile.
    let show = move |chains: Vec<ChainOption>| {
        day.try_set(chains.first().and_then(|c| c.steps.first()).map(|s| s.date));
        proposal.try_set(None);
        changing.try_set(None);
        state.try_set(Chains::Ready(chains));
    };
    let load = move |start: Option<Date>| {
        state.set(Chains::Loading);
        let client = ctx.client.get_value();
        let lang = ctx.lang();
        let practice = slug.get_value();
        let question = next_question();
        spawn_local(async move {
            let answer = client
                .procedure_chains(
                    &practice,
                    id,
                    start,
                    DAYS_PER_PAGE,
                    Some(&lang),
                    link.get_value().as_deref(),
                )
                .await;
            if !latest(question) {
                return;
            }
            match answer {
                Ok(list) => {
                    show(list.chains);
                    request_animation_frame(|| host::mark("slotwise:times-visible"));
                }
                Err(error) => {
                    state.try_set(Chains::Failed(ctx.error_text(&error)));
                }
            }
        });
    };
    load(None);
    let page = move |forward: bool| {
        let shown = from.get_untracked();
        let base = shown.unwrap_or_else(host::today);
        let days = jiff::Span::new().days(i64::from(DAYS_PER_PAGE));
        let next = if forward {
            base.checked_add(days).ok()
        } else {
            base.checked_sub(days).ok()
        };
        from.set(next);
        load(next);
    };

    let change = move |index: usize| {
        let Some(steps) = proposal.get_untracked() else {
            return;
        };
        let client = ctx.client.get_value();
        let request = StepTimesRequest {
            steps: choices(&steps),
            step: u8::try_from(index + 1).unwrap_or(u8::MAX),
            lang: Some(ctx.lang()),
            link: link.get_value(),
        };
        let practice = slug.get_value();
        let question = next_question();
        spawn_local(async move {
            let answer = client.procedure_step_times(&practice, id, &request).await;
            if !latest(question) {
                return;
            }
            match answer {
                Ok(found) => {
                    let others = found
                        .times
                        .into_iter()
                        .filter(|t| {
                            steps
                                .get(index)
                                .is_none_or(|s| s.start != t.start || s.provider != t.provider)
                        })
                        .collect();
                    changing.try_set(Some((index, others)));
                }
                Err(error) => {
                    problem.try_set(Some(ctx.error_text(&error)));
                }
            }
        });
    };

    let hold = move |_| {
        let Some(steps) = proposal.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let client = ctx.client.get_value();
        let request = ChainHoldRequest {
            procedure: id,
            steps: choices(&steps),
            lang: Some(ctx.lang()),
            link: link.get_value(),
        };
        let hold_minutes = ctx.with_config(|c| c.settings.hold_minutes);
        let practice = slug.get_value();
        spawn_local(async move {
            match client.hold_procedure(&practice, &request).await {
                Ok(held) => {
                    let deadline_ms = host::now_ms() + f64::from(hold_minutes) * 60_000.0 - 5_000.0;
                    let previous = ctx
                        .held
                        .with_untracked(|h| h.as_ref().map(|h| h.hold.hold_token.clone()));
                    let previous_chain = ctx.chain.with_untracked(Option::is_some);
                    if let Some(previous) = previous {
                        let client = client.clone();
                        let practice = practice.clone();
                        spawn_local(async move {
                            let _ = if previous_chain {
                                client.release_procedure_hold(&practice, &previous).await
                            } else {
                                client.release_hold(&practice, &previous).await
                            };
                        });
                    }
                    let first = held.steps.first().cloned();
                    ctx.chain.set(Some(held.steps.clone()));
                    if let Some(slot) = first {
                        ctx.held.set(Some(Held {
                            hold: HoldResponse {
                                hold_token: held.hold_token,
                                expires_at: held.expires_at,
                                slot,
                            },
                            deadline_ms,
                        }));
                    }
                    let known = ctx.skips_details();
                    ctx.update_flow(|f, _| {
                        if known {
                            f.details_entered();
                        } else {
                            f.time_held();
                        }
                    });
                }
                Err(error) => {
                    let body = error.body();
                    match body.filter(|b| b.code == ErrorCode::SlotUnavailable) {
                        Some(b) => {
                            let others = b.chains.clone().unwrap_or_default();
                            show(others);
                            problem.try_set(Some(ctx.t("widget.chain.taken")));
                        }
                        None => {
                            problem.try_set(Some(ctx.error_text(&error)));
                        }
                    }
                }
            }
            busy.try_set(false);
        });
    };

    let provider_name = move |slot: &SlotOption| {
        ctx.with_config(|c| {
            c.providers
                .iter()
                .find(|p| p.id == slot.provider)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    let visit_label = move |k: usize| {
        let name = names.with_value(|n| n.get(k).cloned().unwrap_or_default());
        ctx.tf(
            "widget.chain.visit",
            &[("n", &ctx.visit_number(k).to_string()), ("name", &name)],
        )
    };

    let proposal_view = move || {
        proposal.get().map(|steps| {
            let count = steps.len();
            let rows = steps
                .iter()
                .enumerate()
                .map(|(k, slot)| {
                    let with = ctx.tf("widget.chain.with", &[("provider", &provider_name(slot))]);
                    let change_button = (k > 0).then(|| {
                        let label = ctx.tf("widget.chain.change_label", &[("n", &(k + 1).to_string())]);
                        view! {
                            <button type="button" class="sw-link" aria-label=label data-action=format!("change-visit-{}", k + 1)
                                on:click=move |_| change(k)>{ctx.t("widget.chain.change")}</button>
                        }
                    });
                    view! {
                        <li data-testid=format!("chain-visit-{}", k + 1)>
                            <span class="sw-chain-visit">{visit_label(k)}</span>
                            <span>{slot.full_label.clone()} " · " {with}</span>
                            {change_button}
                        </li>
                    }
                })
                .collect_view();
            let others = move || {
                changing.get().map(|(k, times)| {
                    let heading = ctx.tf("widget.chain.other_times", &[("n", &(k + 1).to_string())]);
                    let empty = times.is_empty();
                    view! {
                        <div class="sw-callout" role="group" aria-label=heading.clone() data-testid="chain-other-times">
                            <p>{heading.clone()}</p>
                            {empty.then(|| view! { <p>{ctx.t("widget.chain.no_other_times")}</p> })}
                            <div class="sw-times">
                                {times.into_iter().map(|t| {
                                    let label = t.full_label.clone();
                                    view! {
                                        <button type="button" class="sw-time" aria-label=label.clone()
                                            on:click=move |_| {
                                                let t = t.clone();
                                                proposal.update(|p| if let Some(p) = p { if let Some(slot) = p.get_mut(k) { *slot = t; } });
                                                changing.set(None);
                                            }>{label.clone()}</button>
                                    }
                                }).collect_view()}
                            </div>
                        </div>
                    }
                })
            };
            view! {
                <div class="sw-chain" data-testid="chain-proposal">
                    <ol class="sw-chain-visits">{rows}</ol>
                    {others}
                    <button type="button" class="sw-primary sw-wide" data-action="hold-chain"
                        disabled=move || busy.get() aria-busy=move || busy.get().to_string() on:click=hold>
                        {ctx.tf("widget.chain.hold", &[("count", &count.to_string())])}
                    </button>
                </div>
            }
        })
    };

    let body = move || {
        match state.get() {
        Chains::Loading => view! {
            <div class="sw-loading" role="status"><span class="sw-spinner"></span>{ctx.t("widget.chain.finding")}</div>
        }
        .into_any(),
        Chains::Failed(message) => view! {
            <div class="sw-callout" role="alert">
                <p>{message}</p>
                <button type="button" class="sw-secondary" on:click=move |_| load(from.get_untracked())>{ctx.t("widget.try_again")}</button>
            </div>
        }
        .into_any(),
        Chains::Ready(chains) => {
            let mut days: Vec<(Date, String)> = Vec::new();
            for c in &chains {
                if let Some(first) = c.steps.first() {
                    if days.last().is_none_or(|(d, _)| *d != first.date) {
                        days.push((first.date, c.day_label.clone()));
                    }
                }
            }
            let strip = days
                .into_iter()
                .map(|(date, label)| {
                    let (weekday, rest) = label.split_once(", ").unwrap_or((&label, ""));
                    let weekday: String = weekday.chars().take(3).collect();
                    let rest = rest.to_string();
                    view! {
                        <button type="button" class="sw-day"
                            aria-pressed=move || (day.get() == Some(date)).to_string()
                            on:click=move |_| { day.set(Some(date)); proposal.set(None); changing.set(None); }>
                            <span class="sw-day-name">{weekday}</span>
                            " "
                            <span class="sw-day-date">{rest}</span>
                        </button>
                    }
                })
                .collect_view();
            let chains_for_day = chains.clone();
            let times = move || {
                let shown = day.get();
                chains_for_day
                    .iter()
                    .filter(|c| c.steps.first().map(|s| s.date) == shown)
                    .map(|c| {
                        let first = c.steps[0].clone();
                        let steps = c.steps.clone();
                        let mine = first.clone();
                        let picked = move || {
                            proposal.with(|p| p.as_ref().and_then(|p| p.first()).is_some_and(|s| s.start == mine.start && s.provider == mine.provider))
                        };
                        view! {
                            <button type="button" class="sw-time" aria-label=first.full_label.clone()
                                aria-pressed=move || picked().to_string()
                                on:click=move |_| { next_question(); proposal.set(Some(steps.clone())); changing.set(None); problem.set(None); }>
                                {first.label.clone()}
                            </button>
                        }
                    })
                    .collect_view()
            };
            let none = chains.is_empty();
            view! {
                {none.then(|| view! { <p class="sw-note" role="status">{ctx.t("widget.chain.none")}</p> })}
                <div class="sw-days" role="group">{strip}</div>
                <div class="sw-times" data-testid="chain-first-times">{times}</div>
                {proposal_view}
            }
            .into_any()
        }
    }
    };

    view! {
        <p class="sw-lead">{ctx.t("widget.chain.lead")}</p>
        {move || problem.get().map(|p| view! { <p class="sw-error" role="alert">{p}</p> })}
        {body}
        <div class="sw-row">
            <Show when=move || from.get().is_some()>
                <button type="button" class="sw-secondary" on:click=move |_| page(false)>{ctx.t("widget.chain.earlier")}</button>
            </Show>
            <button type="button" class="sw-secondary" data-action="later-dates" on:click=move |_| page(true)>{ctx.t("widget.chain.later")}</button>
        </div>
    }
}
