//! Providers: details, weekly hours, time off (the locations and rooms below them are in
//! `locations.rs`).

use crate::ctx::{confirm, Ctx};
use crate::loading::Loaded;
use crate::screens::locations::Locations;
use crate::setup::setup_read;
use crate::ui::{Check, Empty, Field, TextArea};
use leptos::prelude::*;
use slotwise_shared::admin::{HoursRow, HoursUpdate, ProviderInput, ProviderView, TimeOffInput};
use slotwise_shared::error::FieldErrors;

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The providers screen.
#[component]
pub fn Providers() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let selected = RwSignal::new(None::<i64>);
    view! {
        <h1>"Providers"</h1>
        <p class="lead">"Who patients can book, when they work and when they are away."</p>
        <Loaded resource=setup_read() let:_read>{move || match ctx.setup.get() {
            None => ().into_any(),
            Some(setup) if setup.providers.is_empty() => view! {
                <Empty title="No providers yet" next="Add the first provider below, then set their weekly hours." />
            }.into_any(),
            Some(setup) => view! {
                <table class="list">
                    <thead><tr><th>"Name"</th><th>"Role"</th><th>"Bookable"</th><th>"Hours"</th><th></th></tr></thead>
                    <tbody>
                        {setup.providers.into_iter().map(|p| {
                            let id = p.id;
                            let days = p.hours.len();
                            view! {
                                <tr>
                                    <td>{p.name.clone()}</td>
                                    <td>{p.role.clone()}</td>
                                    <td>{if p.bookable { "Yes" } else { "No" }}</td>
                                    <td>{format!("{days} window{}", if days == 1 { "" } else { "s" })}</td>
                                    <td><button class="secondary" on:click=move |_| selected.set(Some(id))
                                        aria-label=format!("Edit {}", p.name)>"Edit"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}</Loaded>
        {move || selected.get().and_then(|id| {
            ctx.setup.with_untracked(|s| s.as_ref().and_then(|s| s.providers.iter().find(|p| p.id == id).cloned()))
        }).map(|p| view! { <ProviderEditor provider=p on_close=move || selected.set(None) /> })}
        <AddProvider />
        <Locations />
    }
}

#[component]
fn AddProvider() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let (name, role, bio, photo) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let bookable = RwSignal::new(true);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ProviderInput {
            name: name.get_untracked(),
            role: role.get_untracked(),
            bio: bio.get_untracked(),
            photo_url: Some(photo.get_untracked()).filter(|p| !p.trim().is_empty()),
            bookable: bookable.get_untracked(),
            external_id: String::new(),
        };
        let api = ctx.api();
        let clear = move || {
            for field in [name, role, bio, photo] {
                field.set(String::new());
            }
        };
        ctx.change_setup_and(
            errors,
            "Provider added. Set their weekly hours next.",
            async move { api.add_provider(&input).await },
            clear,
        );
    };
    view! {
        <section class="card" aria-labelledby="add-provider">
            <h2 id="add-provider">"Add a provider"</h2>
            <form on:submit=submit class="grid">
                <Field label="Name" name="name" value=name errors=errors />
                <Field label="Role" name="role" value=role errors=errors hint="e.g. Dentist, Hygienist" />
                <Field label="Photo URL" name="photo_url" value=photo errors=errors kind="url" />
                <TextArea label="Bio" name="bio" value=bio errors=errors />
                <Check label="Patients can book online" name="bookable" value=bookable />
                <div class="actions"><button type="submit">"Add provider"</button></div>
            </form>
        </section>
    }
}

/// One weekly window being edited.
#[derive(Clone, Copy)]
struct HoursEdit {
    weekday: RwSignal<String>,
    location: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

impl HoursEdit {
    fn of(h: &HoursRow) -> Self {
        HoursEdit {
            weekday: RwSignal::new(h.weekday.to_string()),
            location: RwSignal::new(h.location_id.to_string()),
            start: RwSignal::new(h.start.clone()),
            end: RwSignal::new(h.end.clone()),
        }
    }
    fn row(&self) -> HoursRow {
        HoursRow {
            weekday: self.weekday.get_untracked().parse().unwrap_or(1),
            location_id: self.location.get_untracked().parse().unwrap_or(0),
            start: self.start.get_untracked(),
            end: self.end.get_untracked(),
        }
    }
}

#[component]
fn ProviderEditor(
    provider: ProviderView,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = provider.id;
    let errors = RwSignal::new(FieldErrors::new());
    let name = RwSignal::new(provider.name.clone());
    let role = RwSignal::new(provider.role.clone());
    let bio = RwSignal::new(provider.bio.clone());
    let photo = RwSignal::new(provider.photo_url.clone().unwrap_or_default());
    let bookable = RwSignal::new(provider.bookable);
    let external_id = RwSignal::new(provider.external_id.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ProviderInput {
            name: name.get_untracked(),
            role: role.get_untracked(),
            bio: bio.get_untracked(),
            photo_url: Some(photo.get_untracked()).filter(|p| !p.trim().is_empty()),
            bookable: bookable.get_untracked(),
            external_id: external_id.get_untracked(),
        };
        let api = ctx.api();
        ctx.change_setup(errors, "Provider saved.", async move {
            api.update_provider(id, &input).await
        });
    };
    let locations = ctx
        .setup
        .with_untracked(|s| s.as_ref().map(|s| s.locations.clone()).unwrap_or_default());
    let first_location = locations.first().map(|l| l.id).unwrap_or(0);
    let rows = RwSignal::new(provider.hours.iter().map(HoursEdit::of).collect::<Vec<_>>());
    let hours_errors = RwSignal::new(FieldErrors::new());
    let add_row = move |_| {
        rows.update(|r| {
            r.push(HoursEdit::of(&HoursRow {
                weekday: 1,
                location_id: first_location,
                start: "09:00".into(),
                end: "17:00".into(),
            }))
        })
    };
    let save_hours = move |_| {
        let update = HoursUpdate {
            hours: rows.with_untracked(|r| r.iter().map(HoursEdit::row).collect()),
        };
        let api = ctx.api();
        ctx.change_setup(hours_errors, "Weekly hours saved.", async move {
            api.set_hours(id, &update).await
        });
    };
    let locations_for_rows = StoredValue::new(locations);
    view! {
        <section class="card editor" aria-labelledby="edit-provider">
            <div class="card-head">
                <h2 id="edit-provider">{format!("Edit {}", provider.name)}</h2>
                <button class="secondary" on:click=move |_| on_close()>"Close"</button>
            </div>
            <form on:submit=save class="grid">
                <Field label="Name" name="name" value=name errors=errors />
                <Field label="Role" name="role" value=role errors=errors />
                <Field label="Photo URL" name="photo_url" value=photo errors=errors kind="url" />
                <Field label="Practitioner id in your practice system (FHIR; optional)" name="external_id" value=external_id errors=errors />
                <TextArea label="Bio" name="bio" value=bio errors=errors />
                <Check label="Patients can book online" name="bookable" value=bookable />
                <div class="actions"><button type="submit">"Save details"</button></div>
            </form>
            <h3>"Weekly hours"</h3>
            {move || rows.with(|r| r.is_empty()).then(|| view! {
                <Empty title="No working hours" next="Add the days and times this provider works; patients only see times inside them." />
            })}
            <div class="hours">
                {move || rows.get().into_iter().enumerate().map(|(i, row)| {
                    let error = move || hours_errors.with(|e| {
                        ["start", "end", "weekday", "location_id"].iter()
                            .find_map(|f| e.get(&format!("hours[{i}].{f}")).cloned())
                    });
                    view! {
                        <div class="hours-row" role="group" aria-label=format!("Working window {}", i + 1)>
                            <select aria-label="Day" prop:value=move || row.weekday.get()
                                on:change=move |ev| row.weekday.set(event_target_value(&ev))>
                                {DAYS.iter().enumerate().map(|(d, name)| view! {
                                    <option value=(d + 1).to_string() selected=row.weekday.get_untracked() == (d + 1).to_string()>{*name}</option>
                                }).collect_view()}
                            </select>
                            <select aria-label="Location" on:change=move |ev| row.location.set(event_target_value(&ev))>
                                {locations_for_rows.get_value().into_iter().map(|l| view! {
                                    <option value=l.id.to_string() selected=row.location.get_untracked() == l.id.to_string()>{l.name}</option>
                                }).collect_view()}
                            </select>
                            <input type="time" aria-label="Starts" prop:value=move || row.start.get()
                                on:input=move |ev| row.start.set(event_target_value(&ev)) />
                            <input type="time" aria-label="Ends" prop:value=move || row.end.get()
                                on:input=move |ev| row.end.set(event_target_value(&ev)) />
                            <button class="link" on:click=move |_| rows.update(|r| { r.remove(i); })
                                aria-label=format!("Remove working window {}", i + 1)>"Remove"</button>
                            <span class="field-error" role="alert">{error}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
            <div class="actions">
                <button class="secondary" on:click=add_row>"Add working hours"</button>
                <button on:click=save_hours>"Save weekly hours"</button>
            </div>
            <TimeOff provider=provider />
        </section>
    }
}

#[component]
fn TimeOff(provider: ProviderView) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = provider.id;
    let errors = RwSignal::new(FieldErrors::new());
    let (start_date, start_time, end_date, end_time, note) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = TimeOffInput {
            start_date: start_date.get_untracked(),
            start_time: start_time.get_untracked(),
            end_date: if end_date.get_untracked().is_empty() {
                start_date.get_untracked()
            } else {
                end_date.get_untracked()
            },
            end_time: end_time.get_untracked(),
            note: note.get_untracked(),
        };
        let api = ctx.api();
        let clear = move || {
            for field in [start_date, start_time, end_date, end_time, note] {
                field.try_set(String::new());
            }
        };
        ctx.change_setup_and(
            errors,
            "Time off added; those times are no longer offered.",
            async move { api.add_time_off(id, &input).await },
            clear,
        );
    };
    let blocks = move || {
        ctx.setup.with(|s| {
            s.as_ref()
                .and_then(|s| {
                    s.providers
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| p.time_off.clone())
                })
                .unwrap_or_default()
        })
    };
    view! {
        <h3>"Time off and block-offs"</h3>
        {move || {
            let list = blocks();
            if list.is_empty() {
                view! { <p class="muted">"No time off planned."</p> }.into_any()
            } else {
                view! {
                    <ul class="time-off">
                        {list.into_iter().map(|b| {
                            let block = b.id;
                            let remove = move |_| {
                                if confirm("Remove this time off? Patients will be able to book these times again.") {
                                    let api = ctx.api();
                                    ctx.change_setup(errors, "Time off removed.", async move { api.delete_time_off(block).await });
                                }
                            };
                            view! {
                                <li>{b.label.clone()}{(!b.note.is_empty()).then(|| format!(" — {}", b.note))}
                                    <button class="link danger" on:click=remove>"Remove"</button></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        <form on:submit=add class="grid compact">
            <Field label="From (date)" name="start_date" value=start_date errors=errors kind="date" />
            <Field label="From (time, empty = whole day)" name="start_time" value=start_time errors=errors kind="time" />
            <Field label="Until (date)" name="end_date" value=end_date errors=errors kind="date" />
            <Field label="Until (time, empty = whole day)" name="end_time" value=end_time errors=errors kind="time" />
            <Field label="Note (staff only)" name="note" value=note errors=errors />
            <div class="actions"><button type="submit">"Add time off"</button></div>
        </form>
    }
}
