//! Recall rules: who is due for their next visit and when, the personal link that books it,
//! and each rule's numbers (due, sent, opened, booked). Admins and owners change the rules;
//! the front desk sees them and their numbers.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::labels::channel_label;
use crate::loading::{resource, Loaded};
use crate::setup::setup_read;
use crate::ui::{number, options, Check, Empty, Field, Select, TextArea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::automations::{Audience, RecallRuleInput, RecallRuleView};
use slotwise_shared::error::FieldErrors;
use slotwise_shared::messages::Channel;
use slotwise_shared::model::ReasonId;

const AUDIENCES: [(&str, &str); 3] = [
    ("all", "Everyone"),
    ("adults", "Adults (18 and over)"),
    ("children", "Children (under 18)"),
];
const DEFAULT_MESSAGE: &str = "it's time for your next {{ service }} at {{ clinic_name }}.";
const MESSAGE_HINT: &str = "Your words become the {{ message }} of the Recall template (Message \
    templates), which as shipped greets the patient by first name and ends with their booking \
    link. Tags: {{ patient_first_name }}, {{ service }} (the visit the link books), \
    {{ clinic_name }}, {{ clinic_phone }}, {{ booking_link }}.";

fn audience_label(a: Audience) -> &'static str {
    AUDIENCES
        .iter()
        .find(|(k, _)| *k == a.as_str())
        .map(|(_, l)| *l)
        .unwrap_or("Everyone")
}

fn reason_name(ctx: Ctx, id: ReasonId) -> String {
    ctx.setup.with(|s| {
        s.as_ref()
            .and_then(|s| s.reasons.iter().find(|r| r.id == id.0))
            .map(|r| r.input.name.clone())
            .unwrap_or_else(|| format!("Reason {id}"))
    })
}

/// The recall screen.
#[component]
pub fn Recall() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rules = resource(
        ctx,
        |api| async move { Ok(api.recall_rules().await?.rules) },
    );
    let setup = setup_read();
    // `Some(None)`: a new rule; `Some(Some(id))`: editing one.
    let editing = RwSignal::new(None::<Option<i64>>);
    let admin = ctx.is_admin();
    let delete = move |rule: RecallRuleView| {
        if !confirm(&format!(
            "Delete the recall rule \u{201c}{}\u{201d}? Links already sent keep working; no new ones are sent.",
            rule.input.name
        )) {
            return;
        }
        spawn_local(async move {
            match ctx.api().delete_recall_rule(rule.id).await {
                Ok(()) => {
                    ctx.ok("Recall rule deleted.");
                    if editing.try_get_untracked() == Some(Some(Some(rule.id))) {
                        editing.try_set(None);
                    }
                    rules.refetch();
                }
                Err(e) => ctx.fail(&e),
            }
        });
    };
    view! {
        <h1>"Recall"</h1>
        <p class="lead">"Bring patients back when their next visit is due. Each rule waits a number of days after a \
            completed visit, then sends the patient a personal link that books their next visit in a few taps."</p>
        {admin.then(|| view! {
            <div class="actions">
                <button data-testid="recall-add" on:click=move |_| editing.set(Some(None))>"Add a recall rule"</button>
            </div>
        })}
        <Loaded resource=rules let:list>{if list.is_empty() {
            view! {
                <Empty title="No recall rules yet"
                    next=if admin { "Add a rule, e.g. a hygiene visit every 182 days (six months)." } else { "An admin or owner adds recall rules." } />
            }.into_any()
        } else {
            view! {
                <table class="list" data-testid="recall-rules">
                    <caption class="visually-hidden">"Recall rules and their numbers"</caption>
                    <thead><tr>
                        <th scope="col">"Rule"</th>
                        <th scope="col">"After"</th>
                        <th scope="col">"Wait"</th>
                        <th scope="col">"Books"</th>
                        <th scope="col">"Sent by"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col" class="num">"Due"</th>
                        <th scope="col" class="num">"Sent"</th>
                        <th scope="col" class="num">"Opened"</th>
                        <th scope="col" class="num">"Booked"</th>
                        {admin.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr></thead>
                    <tbody>{list.into_iter().map(|r| {
                        let id = r.id;
                        let name = r.input.name.clone();
                        let for_delete = r.clone();
                        let i = &r.input;
                        let after = i.after_reason.map(|a| reason_name(ctx, a)).unwrap_or_else(|| "Any completed visit".into());
                        let channel = i.channel.map(channel_label).unwrap_or("Every channel");
                        view! {
                            <tr data-testid=format!("recall-rule-{id}") class=if i.active { "" } else { "inactive" }>
                                <th scope="row">{i.name.clone()}{(!i.active).then_some(" (paused)")}</th>
                                <td>{after}</td>
                                <td>{format!("{} days", i.interval_days)}</td>
                                <td>{reason_name(ctx, i.book_reason)}</td>
                                <td>{channel}</td>
                                <td>{audience_label(i.audience)}</td>
                                <td class="num" data-stat="due">{r.stats.due}</td>
                                <td class="num" data-stat="sent">{r.stats.sent}</td>
                                <td class="num" data-stat="opened">{r.stats.opened}</td>
                                <td class="num" data-stat="booked">{r.stats.booked}</td>
                                {admin.then(|| view! {
                                    <td class="row-actions">
                                        <button class="link" data-testid=format!("recall-edit-{id}")
                                            aria-label=format!("Edit {name}") on:click=move |_| editing.set(Some(Some(id)))>"Edit"</button>
                                        <button class="link danger" data-testid=format!("recall-delete-{id}")
                                            aria-label=format!("Delete {name}") on:click=move |_| delete(for_delete.clone())>"Delete"</button>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
                <p class="hint">"Due: patients due now and not messaged yet (the next run sends to them). \
                    Sent, opened and booked count the personal links."</p>
            }.into_any()
        }}</Loaded>
        {move || editing.get().map(|which| {
            let existing = which.and_then(|id| rules.with_untracked(|r| {
                r.as_ref().and_then(|r| r.as_ref().ok()).and_then(|l| l.iter().find(|x| x.id == id).cloned())
            }));
            let on_saved = move || { editing.set(None); rules.refetch(); };
            // The editor's reason lists come from the practice setup: wait for it.
            view! {
                <Loaded resource=setup loading="Loading the practice's reasons…" let:_read>
                    <RuleEditor existing=existing.clone() on_close=move || editing.set(None) on_saved />
                </Loaded>
            }
        })}
    }
}

fn blank(ctx: Ctx) -> RecallRuleInput {
    let first_reason = ctx.setup.with_untracked(|s| {
        s.as_ref().and_then(|s| {
            s.reasons
                .iter()
                .find(|r| r.input.active)
                .or(s.reasons.first())
                .map(|r| ReasonId(r.id))
        })
    });
    RecallRuleInput {
        name: String::new(),
        after_reason: None,
        interval_days: 182,
        book_reason: first_reason.unwrap_or(ReasonId(0)),
        channel: None,
        message: DEFAULT_MESSAGE.to_string(),
        audience: Audience::All,
        active: true,
    }
}

#[component]
fn RuleEditor(
    existing: Option<RecallRuleView>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = existing.as_ref().map(|r| r.id);
    let r = existing.map(|r| r.input).unwrap_or_else(|| blank(ctx));
    let errors = RwSignal::new(FieldErrors::new());
    let saving = RwSignal::new(false);
    let name = RwSignal::new(r.name.clone());
    let after = RwSignal::new(r.after_reason.map(|a| a.to_string()).unwrap_or_default());
    let interval = RwSignal::new(r.interval_days.to_string());
    let book = RwSignal::new(if r.book_reason.0 > 0 {
        r.book_reason.to_string()
    } else {
        String::new()
    });
    let channel = RwSignal::new(
        r.channel
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
    );
    let message = RwSignal::new(r.message.clone());
    let audience = RwSignal::new(r.audience.as_str().to_string());
    let active = RwSignal::new(r.active);
    let reasons: Vec<(String, String)> = ctx.setup.with_untracked(|s| {
        s.as_ref()
            .map(|s| {
                s.reasons
                    .iter()
                    .map(|r| {
                        let hidden = if r.input.active { "" } else { " (hidden)" };
                        (r.id.to_string(), format!("{}{hidden}", r.input.name))
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let mut after_options = vec![(String::new(), "Any completed visit".to_string())];
    after_options.extend(reasons.iter().cloned());
    let mut book_options = vec![(String::new(), "Choose a visit".to_string())];
    book_options.extend(reasons);
    let mut channel_options = vec![(String::new(), "Every channel the practice uses".to_string())];
    channel_options.extend(
        Channel::ALL
            .into_iter()
            .map(|c| (c.as_str().to_string(), channel_label(c).to_string())),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(book_reason) = book.get_untracked().parse::<i64>() else {
            errors.set(FieldErrors::from([(
                "book_reason".to_string(),
                "Choose the visit the link books.".to_string(),
            )]));
            return;
        };
        let input = RecallRuleInput {
            name: name.get_untracked(),
            after_reason: after.get_untracked().parse().ok().map(ReasonId),
            interval_days: number(&interval.get_untracked()),
            book_reason: ReasonId(book_reason),
            channel: Channel::parse(&channel.get_untracked()),
            message: message.get_untracked(),
            audience: Audience::parse(&audience.get_untracked()),
            active: active.get_untracked(),
        };
        saving.set(true);
        spawn_local(async move {
            let api = ctx.api();
            let answer = match id {
                Some(id) => api.update_recall_rule(id, &input).await,
                None => api.add_recall_rule(&input).await,
            };
            match answer {
                Ok(_) => {
                    ctx.ok(if input.active {
                        "Recall rule saved; patients who are due get their link on the next run."
                    } else {
                        "Recall rule saved (paused: nothing is sent)."
                    });
                    on_saved();
                }
                Err(e) => {
                    errors.try_set(fields_of(&e));
                    saving.try_set(false);
                    ctx.fail(&e);
                }
            }
        });
    };
    view! {
        <section class="card editor" aria-labelledby="edit-recall" data-testid="recall-editor">
            <div class="card-head">
                <h2 id="edit-recall">{if id.is_some() { "Edit recall rule" } else { "New recall rule" }}</h2>
                <button class="secondary" on:click=move |_| on_close()>"Close"</button>
            </div>
            <form on:submit=save class="grid">
                <Field label="Name" name="name" id="recall-name" value=name errors=errors hint="e.g. Hygiene recall" />
                <Select label="After a completed" name="after_reason" id="recall-after-reason" value=after options=after_options errors=errors />
                <Field label="Wait (days after that visit)" name="interval_days" id="recall-interval" value=interval errors=errors
                    kind="number" hint="182 = about six months; 365 = a year" />
                <Select label="The link books" name="book_reason" id="recall-book-reason" value=book options=book_options errors=errors />
                <Select label="Send by" name="channel" id="recall-channel" value=channel options=channel_options errors=errors />
                <Select label="Who" name="audience" id="recall-audience" value=audience options=options(&AUDIENCES) errors=errors />
                <TextArea label="Message" name="message" id="recall-message" value=message errors=errors rows=4 hint=MESSAGE_HINT />
                <Check label="Active (sends to patients as they become due)" name="active" id="recall-active" value=active />
                <div class="actions">
                    <button type="submit" data-testid="recall-save" disabled=move || saving.get()
                        aria-busy=move || saving.get().to_string()>
                        {move || if saving.get() { "Saving…" } else { "Save rule" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
