//! Horizontal bar charts drawn as SVG, with the numbers in a table for screen readers.

use leptos::prelude::*;
use slotwise_shared::admin::Count;

const ROW: f64 = 26.0;
const LABEL_WIDTH: f64 = 130.0;
const BAR_WIDTH: f64 = 200.0;

/// One chart.
#[component]
pub fn BarChart(
    #[prop(into)] title: String,
    data: Vec<Count>,
    /// What an empty chart says (default: no bookings in this period).
    #[prop(optional, into)]
    empty: Option<String>,
) -> impl IntoView {
    let empty_text = empty.unwrap_or_else(|| "No bookings in this period.".to_string());
    let max = data.iter().map(|c| c.count).max().unwrap_or(0).max(1) as f64;
    let height = (data.len().max(1) as f64) * ROW + 4.0;
    let width = LABEL_WIDTH + BAR_WIDTH + 50.0;
    let bars = data.iter().enumerate().map(|(i, c)| {
        let y = i as f64 * ROW + 2.0;
        let w = (c.count as f64 / max * BAR_WIDTH).max(2.0);
        let mut label = c.label.replace('_', " ");
        if label.chars().count() > 18 {
            label = format!("{}…", label.chars().take(17).collect::<String>());
        }
        view! {
            <g>
                <text x="0" y=y + 17.0 class="chart-label">{label}</text>
                <rect x=LABEL_WIDTH y=y + 4.0 width=w height=ROW - 8.0 rx="3" class="chart-bar" />
                <text x=LABEL_WIDTH + w + 6.0 y=y + 17.0 class="chart-value">{c.count}</text>
            </g>
        }
    }).collect_view();
    let empty = data.is_empty();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            {if empty {
                view! { <p class="muted">{empty_text}</p> }.into_any()
            } else {
                view! {
                    <svg role="img" aria-label=title viewBox=format!("0 0 {width} {height}") width="100%">{bars}</svg>
                    <table class="visually-hidden">
                        <tbody>{data.into_iter().map(|c| view! { <tr><th>{c.label}</th><td>{c.count}</td></tr> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </figure>
    }
}
