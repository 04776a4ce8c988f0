//! Widget settings (branding, allowed websites, hold time, confirmation text, existing
//! patients only) and the embed code generator with a live preview.

use crate::ctx::{copy, fields_of, Ctx};
use crate::loading::{resource, Loaded};
use crate::ui::{number, Check, Field, TextArea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::PracticeSettings;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::patients::PracticeKind;

/// The widget screen.
#[component]
pub fn WidgetSettings() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let practice = resource(ctx, |api| async move { api.practice().await });
    view! {
        <h1>"Widget & embed code"</h1>
        <p class="lead">"How the booking widget looks and behaves on your website."</p>
        <Loaded resource=practice let:p>
            <SettingsForm settings=p.settings />
            <EmbedCode slug=p.slug />
        </Loaded>
    }
}

#[component]
fn SettingsForm(settings: PracticeSettings) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let name = RwSignal::new(settings.name.clone());
    let phone = RwSignal::new(settings.phone.clone());
    let color = RwSignal::new(settings.accent_color.clone());
    let logo = RwSignal::new(settings.logo_url.clone().unwrap_or_default());
    let origins = RwSignal::new(settings.allowed_origins.join("\n"));
    let confirmation = RwSignal::new(settings.confirmation_text.clone());
    let hold = RwSignal::new(settings.hold_minutes.to_string());
    let expiry = RwSignal::new(settings.queue_expiry_hours.to_string());
    let wave_size = RwSignal::new(settings.waitlist_wave_size.to_string());
    let wave_minutes = RwSignal::new(settings.waitlist_wave_minutes.to_string());
    let confirm_no_shows = RwSignal::new(settings.confirm_no_shows.to_string());
    let confirm_months = RwSignal::new(settings.confirm_months.to_string());
    let confirm_hours = RwSignal::new(settings.confirm_hours.to_string());
    let confirm_release = RwSignal::new(settings.confirm_release);
    let existing_only = RwSignal::new(settings.existing_patients_only);
    let out_of_network = settings.out_of_network_text.clone();
    let kind = RwSignal::new(settings.kind.as_str().to_string());
    let intake = RwSignal::new(settings.intake_url.clone());
    let country = RwSignal::new(settings.country.clone());
    let any_location = RwSignal::new(settings.any_location);
    let default_lang = RwSignal::new(settings.default_lang.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = PracticeSettings {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            accent_color: color.get_untracked(),
            logo_url: Some(logo.get_untracked()).filter(|l| !l.trim().is_empty()),
            hold_minutes: number(&hold.get_untracked()),
            existing_patients_only: existing_only.get_untracked(),
            confirmation_text: confirmation.get_untracked(),
            out_of_network_text: out_of_network.clone(),
            allowed_origins: origins
                .get_untracked()
                .lines()
                .map(str::to_string)
                .filter(|o| !o.trim().is_empty())
                .collect(),
            queue_expiry_hours: number(&expiry.get_untracked()),
            kind: PracticeKind::parse(&kind.get_untracked()),
            intake_url: intake.get_untracked().trim().to_string(),
            country: country.get_untracked().trim().to_uppercase(),
            any_location: any_location.get_untracked(),
            default_lang: default_lang.get_untracked(),
            waitlist_wave_size: number(&wave_size.get_untracked()),
            waitlist_wave_minutes: number(&wave_minutes.get_untracked()),
            confirm_no_shows: number(&confirm_no_shows.get_untracked()),
            confirm_months: number(&confirm_months.get_untracked()),
            confirm_hours: number(&confirm_hours.get_untracked()),
            confirm_release: confirm_release.get_untracked(),
        };
        spawn_local(async move {
            match ctx.api().save_practice(&s).await {
                Ok(saved) => {
                    ctx.session.update(|session| {
                        if let Some(session) = session {
                            session.practice_name = saved.settings.name.clone();
                        }
                    });
                    errors.set(FieldErrors::new());
                    ctx.ok("Widget settings saved; patients see them within seconds.");
                }
                Err(e) => {
                    errors.set(fields_of(&e));
                    ctx.fail(&e);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="branding">
            <h2 id="branding">"Settings"</h2>
            <form on:submit=save class="grid">
                <Field label="Practice name" name="name" value=name errors=errors />
                <Field label="Phone shown to patients" name="phone" value=phone errors=errors kind="tel" />
                <Field label="Country of patients' phone numbers (two letters, e.g. US; empty: the country of the practice's phone)" name="country" value=country errors=errors />
                <Field label="Accent colour" name="accent_color" value=color errors=errors kind="color" />
                <Field label="Logo URL" name="logo_url" value=logo errors=errors kind="url" />
                <TextArea label="Websites allowed to embed the widget (one origin per line, e.g. https://www.example-dental.com)" name="allowed_origins" value=origins errors=errors />
                <TextArea label="Confirmation screen text" name="confirmation_text" value=confirmation errors=errors />
                <Field label="Hold a chosen time for (minutes)" name="hold_minutes" value=hold errors=errors kind="number" />
                <Field label="Booking-queue entries expire after (hours)" name="queue_expiry_hours" value=expiry errors=errors kind="number" />
                <Field label="Offer a freed time to this many waitlist patients at a time" name="waitlist_wave_size" value=wave_size errors=errors kind="number" />
                <Field label="Minutes between waves of waitlist offers" name="waitlist_wave_minutes" value=wave_minutes errors=errors kind="number" />
                <Field label="Patients with this many no-shows must confirm their bookings (0: nobody)" name="confirm_no_shows" value=confirm_no_shows errors=errors kind="number" />
                <Field label="No-shows counted over the last (months)" name="confirm_months" value=confirm_months errors=errors kind="number" />
                <Field label="They confirm by (hours before the visit)" name="confirm_hours" value=confirm_hours errors=errors kind="number" />
                <Check label="Unconfirmed at the deadline: cancel it, tell the patient and offer the time to the waitlist (otherwise the team is alerted)" name="confirm_release" value=confirm_release />
                <Check label="Existing patients only (new patients send a request)" name="existing_patients_only" value=existing_only />
                <Check label="Patients may choose \"Any location\" when a reason is offered at several" name="any_location" value=any_location />
                <div class="field">
                    <label for="practice-kind">"Kind of practice"</label>
                    <select id="practice-kind" name="kind" prop:value=move || kind.get()
                        on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="dental">"Dental"</option>
                        <option value="medical">"Medical"</option>
                        <option value="veterinary">"Veterinary (patients are pets)"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="practice-lang">"Patients' language when they choose none"</label>
                    <select id="practice-lang" name="default_lang" prop:value=move || default_lang.get()
                        on:change=move |ev| default_lang.set(event_target_value(&ev))>
                        {slotwise_shared::lang::LANGUAGES.iter().map(|l| view! {
                            <option value=l.code>{l.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label="Intake form for new patients (https://…, optional)" name="intake_url" value=intake errors=errors kind="url" />
                <div class="actions"><button type="submit">"Save settings"</button></div>
            </form>
        </section>
    }
}

/// The script tag and target a practice pastes, for one mode.
pub fn embed_code(origin: &str, slug: &str, mode: &str, label: &str, reason: &str) -> String {
    let mut target = String::from("<div data-slotwise");
    if mode != "inline" {
        target.push_str(&format!(" data-mode=\"{mode}\""));
        if !label.trim().is_empty() {
            target.push_str(&format!(
                " data-label=\"{}\"",
                label.trim().replace('"', "&quot;")
            ));
        }
    }
    if !reason.is_empty() {
        target.push_str(&format!(" data-reason=\"{reason}\""));
    }
    target.push_str("></div>");
    format!("<script src=\"{origin}/embed.js\" data-practice=\"{slug}\" async></script>\n{target}")
}

#[component]
fn EmbedCode(slug: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let mode = RwSignal::new(String::from("inline"));
    let label = RwSignal::new(String::from("Book an appointment"));
    let reason = RwSignal::new(String::new());
    let slug = StoredValue::new(slug);
    let origin = StoredValue::new(origin);
    let code = move || {
        embed_code(
            &origin.get_value(),
            &slug.get_value(),
            &mode.get(),
            &label.get(),
            &reason.get(),
        )
    };
    let preview_src = move || {
        format!(
            "/admin/embed-preview?practice={}&mode={}&label={}&reason={}",
            urlencoding::encode(&slug.get_value()),
            urlencoding::encode(&mode.get()),
            urlencoding::encode(&label.get()),
            urlencoding::encode(&reason.get())
        )
    };
    let no_errors = RwSignal::new(FieldErrors::new());
    view! {
        <section class="card" aria-labelledby="embed">
            <h2 id="embed">"Embed code"</h2>
            <div class="grid compact">
                <fieldset class="field">
                    <legend>"Style"</legend>
                    {[("inline", "Inline on the page"), ("popup", "Button that opens the widget"), ("badge", "Floating badge")].into_iter().map(|(v, l)| view! {
                        <label class="check"><input type="radio" name="embed-mode" value=v
                            prop:checked=move || mode.get() == v on:change=move |_| mode.set(v.to_string()) />{l}</label>
                    }).collect_view()}
                </fieldset>
                <Field label="Button text" name="label" value=label errors=no_errors />
                <div class="field">
                    <label for="embed-reason">"Start with a reason (optional)"</label>
                    <select id="embed-reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                        <option value="">"Let the patient choose"</option>
                        {move || ctx.setup.get().map(|s| s.reasons.into_iter().map(|r| view! {
                            <option value=r.id.to_string()>{r.input.name}</option>
                        }).collect_view())}
                    </select>
                </div>
            </div>
            <label for="embed-code">"Paste this into your website"</label>
            <textarea id="embed-code" class="code" readonly rows=3 prop:value=code></textarea>
            <div class="actions">
                <button on:click=move |_| { copy(&code()); ctx.ok("Embed code copied."); }>"Copy code"</button>
            </div>
            <h3>"Live preview"</h3>
            <iframe class="embed-preview" title="Preview of the embedded widget" src=preview_src></iframe>
        </section>
    }
}
