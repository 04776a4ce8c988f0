//! Message templates: every event and channel in each language patients read, the tags they
//! may use, a live preview with sample values in that language, save and back-to-default.

use crate::ctx::{confirm, fields_of, Ctx};
use crate::labels::{channel_label, event_group, event_label, EVENT_GROUPS};
use crate::loading::{resource, Loaded};
use crate::ui::{Field, TextArea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::lang::LANGUAGES;
use slotwise_shared::messages::{Channel, TemplateUpdate, TemplateView};

fn key(t: &TemplateView) -> String {
    format!("{}/{}", t.event.as_str(), t.channel.as_str())
}

/// The templates screen.
#[component]
pub fn Templates() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let list = resource(ctx, |api| async move { api.templates().await });
    let chosen = RwSignal::new(String::from("confirmation/sms"));
    let language = RwSignal::new(String::from(LANGUAGES[0].code));
    // Read again after a save or a reset, so the list marks the template "(edited)" or not.
    let reload = move || list.refetch();
    view! {
        <h1>"Message templates"</h1>
        <p class="lead">"What patients receive by text, WhatsApp and email. Tags in double braces are filled in for each patient."</p>
        <Loaded resource=list let:l>{
            let current = l
                .templates
                .iter()
                .find(|t| key(t) == chosen.get() && t.lang == language.get())
                .cloned();
            let tags = l.tags.clone();
            view! {
                <div class="field">
                    <label for="template-language">"Language"</label>
                    <select id="template-language" on:change=move |ev| language.set(event_target_value(&ev))>
                        {LANGUAGES.iter().map(|l| view! {
                            <option value=l.code selected=l.code == language.get_untracked()>{l.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="template-choice">"Template"</label>
                    <select id="template-choice" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {EVENT_GROUPS.into_iter().map(|group| {
                            let options = l.templates.iter().filter(|t| event_group(t.event) == group && t.lang == language.get_untracked()).map(|t| {
                                let k = key(t);
                                let label = format!("{} · {}{}", event_label(t.event), channel_label(t.channel), if t.customised { " (edited)" } else { "" });
                                view! { <option value=k.clone() selected=k == chosen.get_untracked()>{label}</option> }
                            }).collect_view();
                            view! { <optgroup label=group>{options}</optgroup> }
                        }).collect_view()}
                    </select>
                </div>
                {current.map(|t| view! { <Editor template=t tags on_saved=reload /> })}
            }
        }</Loaded>
    }
}

#[component]
fn Editor(
    template: TemplateView,
    tags: Vec<slotwise_shared::messages::TagInfo>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (event, channel) = (template.event.as_str(), template.channel.as_str());
    let lang = StoredValue::new(template.lang.clone());
    let is_email = template.channel == Channel::Email;
    let subject = RwSignal::new(template.subject.clone());
    let body = RwSignal::new(template.body.clone());
    let errors = RwSignal::new(FieldErrors::new());
    // Read again as the text changes; a text that cannot be filled in shows why under its
    // field, and the preview of the last text that could stays. Previewing renders staff's
    // text, so it takes the role saving does: the front desk reads the wording only.
    let admin = ctx.is_admin();
    let answer = admin.then(|| {
        resource(ctx, move |api| {
            let update = TemplateUpdate {
                subject: subject.get(),
                body: body.get(),
            };
            let lang = lang.get_value();
            async move { api.preview_template((event, channel, &lang), &update).await }
        })
    });
    Effect::new(move || {
        if let Some(answer) = answer {
            answer.with(|a| match a {
                Some(Ok(_)) => errors.set(FieldErrors::new()),
                Some(Err(e)) => errors.set(fields_of(e)),
                None => {}
            })
        }
    });
    let preview = Memo::new(move |shown: Option<&Option<(String, String)>>| {
        answer.and_then(|answer| {
            answer.with(|a| match a {
                Some(Ok(p)) => Some((p.subject.clone(), p.body.clone())),
                _ => shown.cloned().flatten(),
            })
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let update = TemplateUpdate {
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        };
        let lang = lang.get_value();
        spawn_local(async move {
            match ctx
                .api()
                .save_template((event, channel, &lang), &update)
                .await
            {
                Ok(_) => {
                    ctx.ok("Template saved.");
                    on_saved();
                }
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    let reset = move |_| {
        if confirm("Go back to the default wording? Your text for this template is removed.") {
            let lang = lang.get_value();
            spawn_local(async move {
                match ctx.api().reset_template((event, channel, &lang)).await {
                    Ok(()) => {
                        ctx.ok("Back to the default wording.");
                        on_saved();
                    }
                    Err(e) => ctx.fail(&e),
                }
            });
        }
    };
    view! {
        <div class="two-col">
            <form on:submit=save class="card">
                {is_email.then(|| view! { <Field label="Subject" name="subject" value=subject errors=errors /> })}
                <TextArea label="Text" name="body" value=body errors=errors rows=10 />
                <div class="actions">
                    <button type="submit">"Save template"</button>
                    {template.customised.then(|| view! { <button type="button" class="secondary" on:click=reset>"Use the default"</button> })}
                </div>
                <h3>"Tags"</h3>
                <ul class="tags">
                    {tags.into_iter().map(|t| {
                        let tag = format!("{{{{ {} }}}}", t.name);
                        let insert = tag.clone();
                        view! {
                            <li><button type="button" class="link" on:click=move |_| body.update(|b| { b.push(' '); b.push_str(&insert); })>
                                <code>{tag}</code></button>" — "{t.description}</li>
                        }
                    }).collect_view()}
                </ul>
            </form>
            <section class="card preview" aria-live="polite" aria-labelledby="preview-title">
                <h3 id="preview-title">"Preview with sample values"</h3>
                {(!admin).then(|| view! { <p>"A practice admin or owner can preview and change templates."</p> })}
                {move || preview.get().map(|(s, b)| view! {
                    {(!s.is_empty()).then(|| view! { <p><strong>{s}</strong></p> })}
                    <pre class="message">{b}</pre>
                })}
            </section>
        </div>
    }
}
