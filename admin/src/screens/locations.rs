//! Locations and rooms, a section of the Providers screen: where providers work, and the
//! rooms (operatories) reasons for visit can require.

use crate::ctx::Ctx;
use crate::ui::Field;
use leptos::prelude::*;
use slotwise_shared::admin::{LocationInput, OperatoryInput};
use slotwise_shared::error::FieldErrors;

/// The locations and rooms section.
#[component]
pub fn Locations() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let errors = RwSignal::new(FieldErrors::new());
    let room_errors = RwSignal::new(FieldErrors::new());
    let (name, address, timezone) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (room_location, room_name, room_kind) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let add_location = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = LocationInput {
            name: name.get_untracked(),
            address: address.get_untracked(),
            timezone: timezone.get_untracked(),
        };
        let api = ctx.api();
        ctx.change_setup(errors, "Location added.", async move {
            api.add_location(&input).await
        });
    };
    let add_room = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let location_id = room_location.get_untracked().parse().unwrap_or_else(|_| {
            ctx.setup.with_untracked(|s| {
                s.as_ref()
                    .and_then(|s| s.locations.first().map(|l| l.id))
                    .unwrap_or(0)
            })
        });
        let input = OperatoryInput {
            location_id,
            name: room_name.get_untracked(),
            kind: room_kind.get_untracked(),
        };
        let api = ctx.api();
        ctx.change_setup(room_errors, "Room added.", async move {
            api.add_operatory(&input).await
        });
    };
    view! {
        <section class="card" aria-labelledby="locations">
            <h2 id="locations">"Locations and rooms"</h2>
            <ul>
                {move || ctx.setup.get().map(|s| s.locations.into_iter().map(|l| view! {
                    <li><strong>{l.name}</strong>" — "{l.address}" ("{l.timezone}")"
                        <span class="muted">{format!(" · rooms: {}", if l.operatories.is_empty() { "none".to_string() } else {
                            l.operatories.iter().map(|o| format!("{} ({})", o.name, o.kind)).collect::<Vec<_>>().join(", ")
                        })}</span></li>
                }).collect_view())}
            </ul>
            <form on:submit=add_location class="grid compact">
                <Field label="Location name" name="name" value=name errors=errors />
                <Field label="Address" name="address" value=address errors=errors />
                <Field label="Time zone (empty = the practice's)" name="timezone" value=timezone errors=errors />
                <div class="actions"><button type="submit">"Add location"</button></div>
            </form>
            <form on:submit=add_room class="grid compact">
                <div class="field">
                    <label for="room-location">"Location"</label>
                    <select id="room-location" prop:value=move || room_location.get()
                        on:change=move |ev| room_location.set(event_target_value(&ev))>
                        {move || ctx.setup.get().map(|s| s.locations.into_iter().map(|l| view! {
                            <option value=l.id.to_string()>{l.name}</option>
                        }).collect_view())}
                    </select>
                </div>
                <Field label="Room or chair" name="name" value=room_name errors=room_errors />
                <Field label="Kind" name="kind" value=room_kind errors=room_errors hint="Reasons can require a kind, e.g. hygiene" />
                <div class="actions"><button type="submit">"Add room"</button></div>
            </form>
        </section>
    }
}
