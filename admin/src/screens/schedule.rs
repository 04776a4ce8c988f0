//! The day and week view: a column per provider and day, rows in the practice's time, with
//! open hours, time off (shaded), appointments (coloured by status; click for their actions)
//! and free time (click to book a patient there or offer it to the waitlist). It reloads every
//! 30 seconds, so bookings made meanwhile appear.

use crate::appointment_actions::{act_on, is_open, status_label, ConfirmationBadge};
use crate::ctx::Ctx;
use crate::loading::{resource, Fetched, Loaded};
use crate::screens::appointments::Reschedule;
use crate::screens::schedule_book::FreeTimePanel;
use crate::ui::Empty;
use leptos::prelude::*;
use slotwise_shared::admin::{AppointmentAction, AppointmentItem};
use slotwise_shared::day_view::{DayColumn, DayView, DayViewQuery, FreeTime, Minutes};
use std::time::Duration;

/// Height of one minute on the grid, in pixels.
const PX_PER_MINUTE: f64 = 1.6;
/// How often the view reloads.
const RELOAD_EVERY: Duration = Duration::from_secs(30);

/// What a click on the grid opened.
#[derive(Clone, Debug, PartialEq)]
enum Picked {
    Appointment(AppointmentItem),
    Free(DayColumn, FreeTime),
}

fn place(at: Minutes, rows: Minutes) -> String {
    let top = f64::from(at.start_min.saturating_sub(rows.start_min)) * PX_PER_MINUTE;
    let height = f64::from(at.end_min.saturating_sub(at.start_min)) * PX_PER_MINUTE;
    format!("top:{top}px;height:{}px", height.max(14.0))
}

fn hour_label(minute: u16) -> String {
    let h = minute / 60;
    match h {
        0 | 24 => "12 AM".into(),
        12 => "12 PM".into(),
        h if h < 12 => format!("{h} AM"),
        h => format!("{} PM", h - 12),
    }
}

/// `date` moved by `days` (the same date when it does not parse).
fn shift(date: &str, days: i64) -> String {
    slotwise_shared::wire_time::parse_date(date)
        .and_then(|d| d.checked_add(jiff::Span::new().days(days)).ok())
        .map_or_else(|| date.to_string(), |d| d.to_string())
}

/// The schedule screen.
#[component]
pub fn Schedule() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let date = RwSignal::new(String::new());
    let week = RwSignal::new(false);
    let location = RwSignal::new(String::new());
    let provider = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<Picked>);
    let moving = RwSignal::new(None::<AppointmentItem>);
    let view_data = resource(ctx, move |api| {
        let q = DayViewQuery {
            date: date.get(),
            days: Some(if week.get() { 7 } else { 1 }),
            location_id: location.get().parse().ok(),
            provider_id: provider.get().parse().ok(),
        };
        async move { api.day_view(&q).await }
    });
    let reload = move || view_data.refetch();
    if let Ok(timer) = set_interval_with_handle(reload, RELOAD_EVERY) {
        on_cleanup(move || timer.clear());
    }
    // The first day shown: the one asked for, or today as the server answered.
    let first_day = |asked: String, loaded: Option<Fetched<DayView>>| {
        if asked.is_empty() {
            loaded
                .and_then(|r| r.ok())
                .map(|v| v.from.to_string())
                .unwrap_or_default()
        } else {
            asked
        }
    };
    let shown = move || first_day(date.get(), view_data.get());
    let step = move |sign: i64| {
        let from = first_day(date.get_untracked(), view_data.get_untracked());
        if !from.is_empty() {
            date.set(shift(
                &from,
                sign * if week.get_untracked() { 7 } else { 1 },
            ));
        }
    };
    let choices = move |providers: bool| {
        let mut list = vec![(
            String::new(),
            if providers {
                "All providers"
            } else {
                "All locations"
            }
            .to_string(),
        )];
        ctx.setup.with(|setup| {
            if let Some(s) = setup {
                if providers {
                    list.extend(
                        s.providers
                            .iter()
                            .map(|p| (p.id.to_string(), p.name.clone())),
                    );
                } else {
                    list.extend(
                        s.locations
                            .iter()
                            .map(|l| (l.id.to_string(), l.name.clone())),
                    );
                }
            }
        });
        list
    };
    let act = move |item: AppointmentItem, action: AppointmentAction| {
        act_on(ctx, item, action, move |_| {
            picked.set(None);
            reload();
        });
    };
    view! {
        <h1>"Schedule"</h1>
        <div class="filters schedule-bar" role="group" aria-label="Which days">
            <div class="field">
                <label for="schedule-date">"Date"</label>
                <input id="schedule-date" type="date" prop:value=shown
                    on:change=move |ev| date.set(event_target_value(&ev)) />
            </div>
            <div class="actions">
                <button class="secondary" on:click=move |_| step(-1)
                    aria-label=move || if week.get() { "Previous week" } else { "Previous day" }>"‹"</button>
                <button class="secondary" on:click=move |_| date.set(String::new())>"Today"</button>
                <button class="secondary" on:click=move |_| step(1)
                    aria-label=move || if week.get() { "Next week" } else { "Next day" }>"›"</button>
            </div>
            <div class="field">
                <label for="schedule-span">"Show"</label>
                <select id="schedule-span" on:change=move |ev| week.set(event_target_value(&ev) == "week")>
                    <option value="day" selected=move || !week.get()>"Day"</option>
                    <option value="week" selected=move || week.get()>"Week"</option>
                </select>
            </div>
            <div class="field">
                <label for="schedule-location">"Location"</label>
                <select id="schedule-location" on:change=move |ev| location.set(event_target_value(&ev))>
                    {move || choices(false).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="schedule-provider">"Provider"</label>
                <select id="schedule-provider" on:change=move |ev| provider.set(event_target_value(&ev))>
                    {move || choices(true).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <ul class="legend" aria-label="Colours">
            <li><span class="swatch appt booked"></span>"Booked"</li>
            <li><span class="swatch appt confirmed"></span>"Confirmed"</li>
            <li><span class="swatch appt completed"></span>"Completed"</li>
            <li><span class="swatch appt no_show"></span>"No-show"</li>
            <li><span class="swatch free"></span>"Free"</li>
            <li><span class="swatch off"></span>"Time off / closed"</li>
        </ul>
        {move || moving.get().map(|item| {
            let done = move |updated: Option<AppointmentItem>| {
                moving.set(None);
                if updated.is_some() { reload(); }
            };
            view! { <Reschedule item on_done=done /> }
        })}
        {move || picked.get().map(|p| match p {
            Picked::Appointment(item) => view! {
                <AppointmentPanel item on_close=move || picked.set(None)
                    on_action=act on_move=move |item| { picked.set(None); moving.set(Some(item)); } />
            }.into_any(),
            Picked::Free(column, free) => view! {
                <FreeTimePanel column free on_close=move || picked.set(None)
                    on_booked=move || { picked.set(None); reload(); } />
            }.into_any(),
        })}
        <Loaded resource=view_data let:day>{
            if day.columns.is_empty() {
                view! { <Empty title="Nobody works here on these days" next="Choose another date or location, or set providers' hours under Providers." /> }.into_any()
            } else {
                view! { <Grid day picked /> }.into_any()
            }
        }</Loaded>
    }
}

#[component]
fn Grid(day: DayView, picked: RwSignal<Option<Picked>>) -> impl IntoView {
    let rows = day.rows;
    let height = f64::from(rows.end_min - rows.start_min) * PX_PER_MINUTE;
    let hours: Vec<u16> = (rows.start_min / 60..=rows.end_min / 60)
        .map(|h| h * 60)
        .collect();
    let columns = day.columns.len();
    view! {
        {day.truncated.then(|| view! {
            <p class="notice" role="status">"This view shows the first 500 appointments; choose one provider or one day to see them all."</p>
        })}
        <div class="day-grid" data-testid="day-grid"
            style=format!("--columns:{columns}")>
            <div class="hours" aria-hidden="true">
                <div class="column-head"></div>
                <div class="column-body" style=format!("height:{height}px")>
                    {hours.into_iter().map(|m| view! {
                        <span class="hour" style=format!("top:{}px", f64::from(m.saturating_sub(rows.start_min)) * PX_PER_MINUTE)>{hour_label(m)}</span>
                    }).collect_view()}
                </div>
            </div>
            {day.columns.into_iter().map(|c| view! { <Column column=c rows height picked /> }).collect_view()}
        </div>
    }
}

#[component]
fn Column(
    column: DayColumn,
    rows: Minutes,
    height: f64,
    picked: RwSignal<Option<Picked>>,
) -> impl IntoView {
    let title = format!("{}, {}", column.provider_name, column.day_label);
    let name = column.provider_name.clone();
    let free_column = column.clone();
    view! {
        <section class="day-column" aria-label=title.clone() data-provider=column.provider_id.0.to_string()
            data-date=column.date.to_string()>
            <h2 class="column-head">{column.provider_name.clone()}<span class="hint">{column.day_label.clone()}</span></h2>
            <div class="column-body closed" style=format!("height:{height}px")>
                {column.open.iter().map(|&m| view! { <div class="open" style=place(m, rows)></div> }).collect_view()}
                {column.time_off.iter().map(|t| view! {
                    <div class="off" style=place(t.at, rows) title=t.label.clone()><span>{t.label.clone()}</span></div>
                }).collect_view()}
                {column.free.into_iter().filter(|f| f.ahead).map(|f| {
                    let unseen = format!(" {} with {name}", f.label);
                    let (c, f2) = (free_column.clone(), f.clone());
                    view! {
                        <button class="free" style=place(f.at, rows) data-testid="free-time"
                            on:click=move |_| picked.set(Some(Picked::Free(c.clone(), f2.clone())))>
                            <span>"Free"</span>
                            <span class="visually-hidden">{unseen}</span>
                        </button>
                    }
                }).collect_view()}
                {column.appointments.into_iter().map(|p| {
                    let a = p.appointment;
                    // The visible words name the button; the rest is read after them.
                    let unseen = match a.confirmation.as_str() {
                        "missed" => format!(", {}, not confirmed in time", status_label(&a.status)),
                        _ => format!(", {}", status_label(&a.status)),
                    };
                    let time = a.when_label.rsplit(", ").next().unwrap_or_default().to_string();
                    let item = a.clone();
                    view! {
                        <button class=format!("appt {} {}", a.status, a.confirmation) style=place(p.at, rows)
                            data-reference=a.reference.clone()
                            on:click=move |_| picked.set(Some(Picked::Appointment(item.clone())))>
                            <strong>{time}" "{a.patient_name.clone()}</strong>
                            <span>{a.reason_name.clone()}</span>
                            <span class="visually-hidden">{unseen}</span>
                        </button>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn AppointmentPanel(
    item: AppointmentItem,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    on_action: impl Fn(AppointmentItem, AppointmentAction) + Copy + Send + Sync + 'static,
    on_move: impl Fn(AppointmentItem) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let open = is_open(&item);
    let button = move |label: &'static str, action: AppointmentAction, item: AppointmentItem| {
        let class = if action == AppointmentAction::Cancel {
            "link danger"
        } else {
            "link"
        };
        view! { <button class=class on:click=move |_| on_action(item.clone(), action)>{label}</button> }
    };
    let moved = item.clone();
    let heading = NodeRef::<leptos::html::H2>::new();
    crate::ui::focus_when_drawn(heading);
    view! {
        <section class="card side-panel" role="dialog" aria-labelledby="picked-appointment" data-testid="appointment-panel">
            <div class="card-head">
                <h2 id="picked-appointment" tabindex="-1" node_ref=heading>{item.patient_name.clone()}</h2>
                <button class="secondary" on:click=move |_| on_close()>"Close"</button>
            </div>
            <p>{format!("{} with {}", item.reason_name, item.provider_name)}<br />{item.when_label.clone()}</p>
            <p><span class=format!("badge {}", item.status)>{status_label(&item.status)}</span>
                <ConfirmationBadge confirmation=item.confirmation.clone() />
                " "<span class="muted">{item.phone.clone()}" · "{item.reference.clone()}</span></p>
            <div class="row-actions">
                {(item.status == "booked").then(|| button("Confirm", AppointmentAction::Confirm, item.clone()))}
                {open.then(|| view! {
                    {button("Completed", AppointmentAction::Complete, item.clone())}
                    {button("No-show", AppointmentAction::NoShow, item.clone())}
                    <button class="link" data-action="reschedule" on:click=move |_| on_move(moved.clone())>"Reschedule"</button>
                    {button("Cancel", AppointmentAction::Cancel, item.clone())}
                })}
            </div>
        </section>
    }
}
