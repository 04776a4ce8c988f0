//! The dashboard: bookings of a chosen period as charts, times freed and refilled from the
//! waitlist, procedures started in it and how far they got, and what the automations did in
//! the same period (no-shows recovered, recall bookings, patient ratings).

use crate::charts::BarChart;
use crate::ctx::Ctx;
use crate::loading::{resource, Loaded};
use crate::ui::local_time;
use leptos::prelude::*;
use slotwise_shared::admin::Count;
use slotwise_shared::admin::ProcedureStats;
use slotwise_shared::admin::WaitlistStats;
use slotwise_shared::automations::AutomationStats;

/// The dashboard screen.
#[component]
pub fn DashboardScreen() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    // The period is read untracked: "Show" reads the dashboard again, typing a date does not.
    let data = resource(ctx, move |api| {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        async move {
            let d = api.dashboard(&f, &t).await?;
            // The period as the server settled it (empty dates mean the last 30 days).
            from.try_set(d.from.clone());
            to.try_set(d.to.clone());
            Ok(d)
        }
    });
    view! {
        <h1>"Dashboard"</h1>
        <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); data.refetch(); }>
            <div class="field"><label for="d-from">"From"</label>
                <input id="d-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) /></div>
            <div class="field"><label for="d-to">"To"</label>
                <input id="d-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) /></div>
            <div class="actions"><button type="submit">"Show"</button></div>
        </form>
        <Loaded resource=data let:d>
            <p class="total">{format!("{} booking{} made from {} to {}", d.total, if d.total == 1 { "" } else { "s" }, d.from, d.to)}</p>
            <div class="charts">
                <BarChart title="By status" data=d.by_status />
                <BarChart title="New vs returning" data=d.new_vs_returning />
                <BarChart title="Booked through" data=d.by_source />
                <BarChart title="Referring sites" data=d.referrers />
                <BarChart title="Campaigns (utm_source)" data=d.utm_sources />
                <BarChart title="Busiest hours" data=d.busiest_hours />
            </div>
            <ProceduresSection stats=d.procedures />
            <WaitlistSection stats=d.waitlist />
            <Automations from=d.from to=d.to />
        </Loaded>
    }
}

/// What the automations did in the period of the bookings above; read for each period shown.
#[component]
fn Automations(from: String, to: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stats = resource(ctx, move |api| {
        let (from, to) = (from.clone(), to.clone());
        async move { api.automation_stats(&from, &to).await }
    });
    view! {
        <section class="automations" aria-labelledby="automations-title">
            <h2 id="automations-title">"Automations"</h2>
            <Loaded resource=stats let:a>
                <AutomationsSection stats=a />
            </Loaded>
        </section>
    }
}

fn stars(rating: u8) -> String {
    let r = rating.min(5) as usize;
    format!("{}{}", "★".repeat(r), "☆".repeat(5 - r))
}

#[component]
fn AutomationsSection(stats: AutomationStats) -> impl IntoView {
    let a = stats;
    let ratings = if a.feedback_count == 0 {
        Vec::new()
    } else {
        // Best first, like a review site.
        (1..=5)
            .rev()
            .map(|n| Count {
                label: if n == 1 {
                    "1 star".into()
                } else {
                    format!("{n} stars")
                },
                count: a.feedback_by_rating.get(n - 1).copied().unwrap_or(0),
            })
            .collect()
    };
    let average = a
        .feedback_average
        .map(|v| format!("{v:.1}"))
        .unwrap_or_else(|| "–".into());
    let recovered_share = (a.no_shows > 0).then(|| {
        format!(
            "{}% of no-shows booked again",
            a.recovered * 100 / a.no_shows
        )
    });
    view! {
        <div class="stats">
            <div class="stat">
                <span class="stat-label">"No-shows"</span>
                <span class="stat-value" data-testid="no-shows">{a.no_shows}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Recovered (booked again)"</span>
                <span class="stat-value" data-testid="recovered-no-shows">{a.recovered}</span>
                {recovered_share.map(|s| view! { <span class="hint">{s}</span> })}
            </div>
            <div class="stat">
                <span class="stat-label">"Bookings from recall links"</span>
                <span class="stat-value" data-testid="recall-bookings">{a.recall_bookings}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Ratings"</span>
                <span class="stat-value" data-testid="feedback-count">{a.feedback_count}</span>
            </div>
            <div class="stat">
                <span class="stat-label">"Average rating"</span>
                <span class="stat-value"><span data-testid="feedback-average">{average}</span>
                    {a.feedback_average.is_some().then_some(" / 5")}</span>
            </div>
        </div>
        <div class="charts">
            <BarChart title="Ratings" data=ratings empty="No ratings in this period." />
            <section class="chart" aria-labelledby="comments-title">
                <h3 id="comments-title" class="chart-title">"Recent comments"</h3>
                {if a.recent_feedback.is_empty() {
                    view! { <p class="muted">"No comments in this period."</p> }.into_any()
                } else {
                    view! {
                        <ul class="feedback" data-testid="recent-feedback">
                            {a.recent_feedback.into_iter().map(|f| view! {
                                <li>
                                    <span class="stars" role="img" aria-label=format!("{} out of 5", f.rating)>{stars(f.rating)}</span>
                                    " "{f.comment}
                                    <br /><span class="muted">{format!("{} · {} · {}", f.service, f.provider, local_time(f.at))}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

/// Times freed in the period and how the waitlist refilled them.
#[component]
fn WaitlistSection(stats: WaitlistStats) -> impl IntoView {
    let hours = stats
        .hours_to_refill
        .map_or_else(|| "—".to_string(), |h| format!("{h:.1} h"));
    let offers = stats
        .offers_per_refill
        .map_or_else(|| "—".to_string(), |o| format!("{o:.1}"));
    view! {
        <section class="automations" aria-labelledby="waitlist-title">
            <h2 id="waitlist-title">"Waitlist refills"</h2>
            <div class="stats">
                <div class="stat">
                    <span class="stat-label">"Times freed"</span>
                    <span class="stat-value" data-testid="waitlist-freed">{stats.freed}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">"Refilled from the waitlist"</span>
                    <span class="stat-value" data-testid="waitlist-refilled">{stats.refilled}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">"From freed to booked again"</span>
                    <span class="stat-value" data-testid="waitlist-hours">{hours}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">"Offers per refill"</span>
                    <span class="stat-value" data-testid="waitlist-offers">{offers}</span>
                </div>
            </div>
        </section>
    }
}

/// Procedures started in the period: how many, done, cancelled, and visits done by number
/// (the drop-off between visits).
#[component]
fn ProceduresSection(stats: ProcedureStats) -> impl IntoView {
    view! {
        <section class="automations" aria-labelledby="procedures-title">
            <h2 id="procedures-title">"Procedures"</h2>
            <div class="stats">
                <div class="stat">
                    <span class="stat-label">"Started"</span>
                    <span class="stat-value" data-testid="procedures-started">{stats.started}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">"Every visit done"</span>
                    <span class="stat-value" data-testid="procedures-completed">{stats.completed}</span>
                </div>
                <div class="stat">
                    <span class="stat-label">"Cancelled"</span>
                    <span class="stat-value" data-testid="procedures-cancelled">{stats.cancelled}</span>
                </div>
            </div>
            <div class="charts">
                <BarChart title="Visits done, by visit" data=stats.visits_done
                    empty="No procedure visits done yet for procedures started in this period." />
            </div>
        </section>
    }
}
