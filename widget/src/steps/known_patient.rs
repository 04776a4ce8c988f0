//! The details step of a patient known from their personal link: who the visit is for (the
//! contact details are on file), and the insurance member ID when the practice still needs it.
//! Nothing to look up and no code to ask for.

use super::field::Field;
use crate::ctx::{Ctx, Verified};
use leptos::prelude::*;

/// Who the visit is for, and Continue.
#[component]
pub fn KnownPatient() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = ctx
        .verified
        .with_untracked(|v| v.as_ref().and_then(Verified::member_name))
        .unwrap_or_default();
    // Asked when the link did not bring it, or when the practice turned the one it had down.
    let ask_member_id = (ctx.needs_member_id() && !ctx.member_id_on_link())
        || ctx
            .field_errors
            .with_untracked(|e| e.contains_key("insurance.member_id"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let missing = ask_member_id
            && ctx
                .details
                .with_untracked(|d| d.member_id.trim().is_empty());
        let mut errors = slotwise_shared::error::FieldErrors::new();
        if missing {
            errors.insert(
                "insurance.member_id".to_string(),
                ctx.t("widget.details.member_id_missing"),
            );
        }
        ctx.field_errors.set(errors);
        if !missing {
            ctx.update_flow(|f, _| f.details_entered());
        }
    };
    view! {
        <form class="sw-form" novalidate on:submit=submit data-testid="known-patient">
            <p class="sw-lead">{ctx.t("widget.details.booking_for")} <strong>{name}</strong> "."</p>
            {ask_member_id.then(|| view! {
                <Field name="insurance.member_id" label=ctx.t("widget.details.member_id") kind="text" autocomplete="off"
                    get=|d| &d.member_id set=|d, v| d.member_id = v />
            })}
            <button type="submit" class="sw-primary sw-wide">{ctx.t("widget.continue")}</button>
        </form>
    }
}
