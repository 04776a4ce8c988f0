//! The dashboard: bookings of a chosen period as charts.

use crate::charts::BarChart;
use crate::ctx::Ctx;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::Dashboard;

/// The dashboard screen.
#[component]
pub fn DashboardScreen() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let data = RwSignal::new(None::<Dashboard>);
    let load = move || {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        spawn_local(async move {
            match ctx.api().dashboard(&f, &t).await {
                Ok(d) => {
                    from.set(d.from.clone());
                    to.set(d.to.clone());
                    data.set(Some(d));
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    load();
    view! {
        <h1>"Dashboard"</h1>
        <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(); }>
            <div class="field"><label for="d-from">"From"</label>
                <input id="d-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) /></div>
            <div class="field"><label for="d-to">"To"</label>
                <input id="d-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) /></div>
            <div class="actions"><button type="submit">"Show"</button></div>
        </form>
        {move || data.get().map(|d| view! {
            <p class="total">{format!("{} booking{} made from {} to {}", d.total, if d.total == 1 { "" } else { "s" }, d.from, d.to)}</p>
            <div class="charts">
                <BarChart title="By status" data=d.by_status />
                <BarChart title="New vs returning" data=d.new_vs_returning />
                <BarChart title="Booked through" data=d.by_source />
                <BarChart title="Referring sites" data=d.referrers />
                <BarChart title="Campaigns (utm_source)" data=d.utm_sources />
                <BarChart title="Busiest hours" data=d.busiest_hours />
            </div>
        })}
    }
}
