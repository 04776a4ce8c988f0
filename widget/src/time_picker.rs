//! Picking a time: a strip of days, the free times of the chosen day, "next available" when a
//! stretch has none, more days on request; with several locations and none chosen, the times
//! of a day are grouped by location. Used by the booking flow and by rescheduling.

use crate::ctx::Ctx;
use crate::host;
use crate::options::Offered;
use jiff::civil::Date;
use leptos::callback::Callback;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::api::{ProviderChoice, SlotDay, SlotOption, SlotsParams};
use slotwise_shared::model::{LocationId, PatientType, ReasonId};

/// Whose free times to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeQuery {
    pub reason: ReasonId,
    pub provider: ProviderChoice,
    pub patient: Option<PatientType>,
    /// Only times at this location; every location of the reason when `None`.
    pub location: Option<LocationId>,
}

/// Days asked for per request.
const DAYS_PER_PAGE: u32 = 7;

#[derive(Clone, Debug, PartialEq)]
enum Days {
    Loading,
    Ready {
        days: Vec<SlotDay>,
        next_available: Option<SlotOption>,
    },
    Failed(String),
}

fn first_day_with_times(days: &[SlotDay]) -> Option<Date> {
    days.iter().find(|d| !d.slots.is_empty()).map(|d| d.date)
}

/// Days and their free times; `on_pick` gets the chosen time (time buttons are disabled while
/// `busy`). With a waitlist offer (`offered`), the days start at the offered one and its time
/// is marked, or the patient is told it was just taken.
#[component]
pub fn TimePicker(
    query: TimeQuery,
    busy: RwSignal<bool>,
    on_pick: Callback<SlotOption>,
    #[prop(default = None)] offered: Option<Offered>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = RwSignal::new(Days::Loading);
    let selected = RwSignal::new(None::<Date>);
    let loading_more = RwSignal::new(false);
    let marked = StoredValue::new(false);
    // The offered time as found in the first answer: `Some(label)` free, `None` taken.
    let offer_found = RwSignal::new(None::<Option<String>>);
    let offered_start = offered.map(|o| o.start);

    // Loads days starting at `from` (today when None); `append` keeps the days already shown.
    let load = move |from: Option<Date>, append: bool| {
        let params = SlotsParams {
            reason: query.reason,
            provider: query.provider,
            patient: query.patient,
            location: query.location,
            from,
            days: Some(DAYS_PER_PAGE),
            lang: Some(ctx.lang()),
        };
        let slug = ctx.with_config(|c| c.practice.slug.clone());
        let client = ctx.client.get_value();
        if append {
            loading_more.set(true);
        } else {
            state.set(Days::Loading);
        }
        spawn_local(async move {
            let answer = client.slots(&slug, &params).await;
            // The patient may have left this step while the answer was on its way: then its
            // signals are gone and there is nothing to update.
            let Some(shown) = state.try_get_untracked() else {
                return;
            };
            match answer {
                Ok(answer) => {
                    let mut days = match (append, shown) {
                        (true, Days::Ready { days, .. }) => days,
                        _ => Vec::new(),
                    };
                    days.extend(answer.days);
                    let keep = append && selected.try_get_untracked().flatten().is_some();
                    if !keep {
                        selected.set(first_day_with_times(&days));
                    }
                    if let (Some(offer), false) = (offered, append) {
                        let found = days.iter().flat_map(|d| &d.slots).find(|s| {
                            s.start.as_second() == offer.start && s.provider.0 == offer.provider
                        });
                        if let Some(slot) = found {
                            selected.set(Some(slot.date));
                        }
                        offer_found.set(Some(found.map(|s| s.full_label.clone())));
                    }
                    state.set(Days::Ready {
                        days,
                        next_available: answer.next_available,
                    });
                    if marked.try_get_value() == Some(false) {
                        marked.set_value(true);
                        // After the browser has painted the times.
                        request_animation_frame(|| host::mark("slotwise:times-visible"));
                    }
                }
                Err(error) => state.set(Days::Failed(ctx.error_text(&error))),
            }
            loading_more.set(false);
        });
    };
    load(offered.map(|o| o.day), false);

    let more_days = move |_| {
        let next = state.with_untracked(|s| match s {
            Days::Ready { days, .. } => days.last().and_then(|d| d.date.tomorrow().ok()),
            _ => None,
        });
        if next.is_some() {
            load(next, true);
        }
    };

    let body = move || {
        match state.get() {
        Days::Loading => view! {
            <div class="sw-loading" role="status"><span class="sw-spinner"></span>{ctx.t("widget.time.finding")}</div>
        }
        .into_any(),
        Days::Failed(message) => view! {
            <div class="sw-callout" role="alert">
                <p>{message}</p>
                <button type="button" class="sw-secondary" on:click=move |_| load(None, false)>{ctx.t("widget.try_again")}</button>
            </div>
        }
        .into_any(),
        Days::Ready { days, next_available } => {
            let any_times = days.iter().any(|d| !d.slots.is_empty());
            let strip = days
                .iter()
                .map(|day| {
                    let date = day.date;
                    let count = day.slots.len();
                    let (weekday, rest) = day.label.split_once(", ").unwrap_or((&day.label, ""));
                    let weekday = weekday.chars().take(3).collect::<String>();
                    let rest = rest.to_string();
                    // The name is the visible text plus the count, so speech input can say
                    // what is shown (WCAG 2.5.3, label in name).
                    let free = ctx.tf("widget.time.day_free", &[("count", &count.to_string())]);
                    view! {
                        <button type="button" class="sw-day" data-date=date.to_string()
                            disabled=count == 0
                            aria-pressed=move || (selected.get() == Some(date)).to_string()
                            on:click=move |_| selected.set(Some(date))>
                            <span class="sw-day-name">{weekday}</span>
                            " "
                            <span class="sw-day-date">{rest}</span>
                            <span class="sw-visually-hidden">{free}</span>
                        </button>
                    }
                })
                .collect_view();
            let day_times = days.clone();
            let times = move || {
                let date = selected.get()?;
                let day = day_times.iter().find(|d| d.date == date)?.clone();
                let places = places_of(ctx, query.location, &day.slots);
                let groups = places
                    .into_iter()
                    .map(|(place, slots)| {
                        let heading = place.clone().map(|p| view! { <h4 class="sw-place">{p}</h4> });
                        view! {
                            {heading}
                            <div class="sw-times" role="group" aria-label=place>
                                {slots.into_iter().map(|time| {
                                    let offered = offered_start == Some(time.start.as_second());
                                    view! { <TimeButton time busy on_pick offered /> }
                                }).collect_view()}
                            </div>
                        }
                    })
                    .collect_view();
                Some(view! {
                    <h3 class="sw-subtitle">{day.label.clone()}</h3>
                    {groups}
                })
            };
            let jump = (!any_times).then_some(next_available).flatten().map(|next| {
                let date = next.date;
                view! {
                    <div class="sw-callout">
                        <p>{ctx.t("widget.time.none")}</p>
                        <button type="button" class="sw-primary" data-action="next-available"
                            on:click=move |_| load(Some(date), false)>
                            {ctx.tf("widget.time.next", &[("time", &next.full_label)])}
                        </button>
                    </div>
                }
            });
            let offer_note = offer_found.get().map(|found| match found {
                Some(label) => view! {
                    <p class="sw-note" data-testid="offer-open">{ctx.tf("widget.time.offered", &[("time", &label)])}</p>
                }
                .into_any(),
                None => view! {
                    <p class="sw-callout" role="status" data-testid="offer-taken">{ctx.t("widget.time.offer_taken")}</p>
                }
                .into_any(),
            });
            view! {
                {offer_note}
                <div class="sw-days" role="group" aria-label=ctx.t("widget.time.days")>{strip}</div>
                {jump}
                {times}
                <button type="button" class="sw-link" data-action="more-days"
                    disabled=move || loading_more.get() on:click=more_days>
                    {move || if loading_more.get() { ctx.t("widget.time.loading_more") } else { ctx.t("widget.time.more") }}
                </button>
            }
            .into_any()
        }
    }
    };

    body
}

/// The times of a day in groups by location, each named, when the patient did not choose a
/// location and the times are at more than one; otherwise one unnamed group.
fn places_of(
    ctx: Ctx,
    chosen: Option<LocationId>,
    slots: &[SlotOption],
) -> Vec<(Option<String>, Vec<SlotOption>)> {
    let several = slots.iter().any(|s| s.location != slots[0].location);
    if chosen.is_some() || !several {
        return vec![(None, slots.to_vec())];
    }
    ctx.with_config(|c| {
        c.locations
            .iter()
            .map(|l| {
                let here: Vec<SlotOption> = slots
                    .iter()
                    .filter(|s| s.location == l.id)
                    .cloned()
                    .collect();
                (Some(l.name.clone()), here)
            })
            .filter(|(_, here)| !here.is_empty())
            .collect()
    })
}

/// One free time; its name is the full date and time (`offered`: a waitlist offer's time,
/// marked).
#[component]
fn TimeButton(
    time: SlotOption,
    busy: RwSignal<bool>,
    on_pick: Callback<SlotOption>,
    offered: bool,
) -> impl IntoView {
    let full = time.full_label.clone();
    let short = time.label.clone();
    let class = if offered {
        "sw-time sw-offered"
    } else {
        "sw-time"
    };
    view! {
        <button type="button" class=class aria-label=full
            data-start=time.start.to_string() data-provider=time.provider.to_string()
            data-location=time.location.to_string()
            disabled=move || busy.get()
            on:click=move |_| on_pick.run(time.clone())>
            {short}
        </button>
    }
}
