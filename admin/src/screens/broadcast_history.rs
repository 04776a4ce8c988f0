//! Broadcasts already sent: how many patients and messages, how many were delivered, and for
//! one of them, who it went to and how each message went.

use crate::ctx::Ctx;
use crate::labels::channel_label;
use crate::loading::{resource, Fetched, Loaded};
use crate::ui::{local_time, Empty};
use leptos::prelude::*;
use slotwise_shared::automations::BroadcastView;

fn status_label(s: &str) -> &'static str {
    match s {
        "queued" => "Waiting",
        "sending" => "Sending",
        "sent" => "Sent",
        "failed" => "Retrying",
        "dead" => "Not delivered",
        "cancelled" => "Cancelled",
        "suppressed" => "Opted out",
        _ => "Other",
    }
}

fn status_class(s: &str) -> &'static str {
    match s {
        "sent" => "badge completed",
        "dead" | "suppressed" | "cancelled" => "badge cancelled",
        _ => "badge",
    }
}

fn period(b: &BroadcastView) -> String {
    if b.filter.from == b.filter.to {
        b.filter.from.clone()
    } else {
        format!("{} to {}", b.filter.from, b.filter.to)
    }
}

/// The read of the history (the screen reads it again after sending).
pub fn history(ctx: Ctx) -> LocalResource<Fetched<Vec<BroadcastView>>> {
    resource(
        ctx,
        |api| async move { Ok(api.broadcasts().await?.broadcasts) },
    )
}

/// The history, as read by `list` (see [`history`]).
#[component]
pub fn History(list: LocalResource<Fetched<Vec<BroadcastView>>>) -> impl IntoView {
    let open = RwSignal::new(None::<i64>);
    view! {
        <section aria-labelledby="history-title">
            <div class="card-head">
                <h2 id="history-title">"Sent broadcasts"</h2>
                <button class="secondary" data-testid="broadcast-refresh" on:click=move |_| list.refetch()>"Refresh"</button>
            </div>
            <Loaded resource=list let:l>{if l.is_empty() {
                view! {
                    <div data-testid="broadcast-history">
                        <Empty title="No broadcasts yet" next="Broadcasts you send are listed here with how many were delivered." />
                    </div>
                }.into_any()
            } else {
                view! {
                    <table class="list" data-testid="broadcast-history">
                        <caption class="visually-hidden">"Sent broadcasts"</caption>
                        <thead><tr>
                            <th scope="col">"Sent at"</th>
                            <th scope="col">"Message"</th>
                            <th scope="col">"Appointments"</th>
                            <th scope="col">"By"</th>
                            <th scope="col" class="num">"Patients"</th>
                            <th scope="col" class="num">"Messages"</th>
                            <th scope="col" class="num">"Delivered"</th>
                            <th scope="col" class="num">"Not sent"</th>
                            <th scope="col"><span class="visually-hidden">"Recipients"</span></th>
                        </tr></thead>
                        <tbody>{l.into_iter().map(|b| {
                            let id = b.id;
                            let label = b.template.label();
                            view! {
                                <tr data-testid=format!("broadcast-{id}")>
                                    <td>{local_time(b.created_at)}</td>
                                    <th scope="row">{label}</th>
                                    <td>{period(&b)}</td>
                                    <td>{b.created_by.clone()}</td>
                                    <td class="num" data-stat="recipients">{b.recipients}</td>
                                    <td class="num" data-stat="messages">{b.messages}</td>
                                    <td class="num" data-stat="sent">{b.sent}</td>
                                    <td class="num" data-stat="not_sent">{b.not_sent}</td>
                                    <td>
                                        <button class="link" data-testid=format!("broadcast-open-{id}")
                                            aria-expanded=move || (open.get() == Some(id)).to_string()
                                            aria-label=format!("Recipients of the {label} sent {}", local_time(b.created_at))
                                            on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                                            {move || if open.get() == Some(id) { "Hide recipients" } else { "Recipients" }}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}</Loaded>
            {move || open.get().map(|id| view! { <Detail id on_close=move || open.set(None) /> })}
        </section>
    }
}

#[component]
fn Detail(id: i64, on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let detail = resource(ctx, move |api| async move { api.broadcast(id).await });
    view! {
        <section class="card" aria-labelledby="broadcast-detail-title" data-testid="broadcast-detail">
            <Loaded resource=detail loading="Loading recipients…" let:d>{
                let b = d.broadcast;
                view! {
                    <div class="card-head">
                        <h2 id="broadcast-detail-title">{format!("{} · {}", b.template.label(), local_time(b.created_at))}</h2>
                        <button class="secondary" on:click=move |_| on_close()>"Close"</button>
                    </div>
                    <p class="muted">{format!("Appointments {} · sent by {}", period(&b), b.created_by)}</p>
                    {(!b.note.is_empty()).then(|| view! { <pre class="message">{b.note.clone()}</pre> })}
                    {if d.recipients.is_empty() {
                        view! { <p class="muted">"Nobody was sent this broadcast."</p> }.into_any()
                    } else {
                        view! {
                            <table class="list" data-testid="broadcast-recipients">
                                <caption class="visually-hidden">"Recipients"</caption>
                                <thead><tr>
                                    <th scope="col">"Patient"</th>
                                    <th scope="col">"Appointment"</th>
                                    <th scope="col">"Channel"</th>
                                    <th scope="col">"Sent to"</th>
                                    <th scope="col">"Status"</th>
                                </tr></thead>
                                <tbody>{d.recipients.into_iter().map(|r| view! {
                                    <tr data-appointment=r.appointment_id>
                                        <th scope="row">{r.patient_name}</th>
                                        <td>{r.when}</td>
                                        <td>{channel_label(r.channel)}</td>
                                        <td>{r.recipient}</td>
                                        <td><span class=status_class(&r.status) data-status=r.status.clone()>{status_label(&r.status)}</span></td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }}
                }
            }</Loaded>
        </section>
    }
}
