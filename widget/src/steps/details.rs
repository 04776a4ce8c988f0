//! The patient's details, checked as they go with the same rules the server enforces.

use super::field::Field;
use super::known_patient::KnownPatient;
use super::lookup::ReturningLookup;
use crate::ctx::Ctx;
use crate::frame::StepFrame;
use crate::hold_banner::HoldBanner;
use crate::host;
use leptos::prelude::*;
use slotwise_shared::api::{BookingRequest, InsuranceChoice, PatientDetails};
use slotwise_shared::model::PatientType;
use slotwise_shared::patients::{PetDetails, PracticeKind, VerifiedPatient};
use slotwise_shared::validate::check_booking;
use wasm_bindgen::JsCast;

/// The booking request the form and the earlier steps add up to.
pub fn booking_request(ctx: Ctx) -> Option<BookingRequest> {
    let hold_token = ctx
        .held
        .with_untracked(|h| h.as_ref().map(|h| h.hold.hold_token.clone()))?;
    let (patient_type, insurance) = ctx
        .flow
        .with_untracked(|f| (f.patient_type, f.insurance.clone()));
    let form = ctx.details.get_untracked();
    let vet = ctx.with_config(|c| c.settings.practice_kind == PracticeKind::Veterinary);
    let verified = ctx.verified.get_untracked().map(|v| VerifiedPatient {
        session: v.household.patient_session,
        member: v.member,
    });
    let insurance = match insurance? {
        // The member ID typed on the details step, else the one a personal link brought.
        InsuranceChoice::Carrier { carrier, member_id } => InsuranceChoice::Carrier {
            carrier,
            member_id: Some(form.member_id.trim().to_string())
                .filter(|m| !m.is_empty())
                .or(member_id.filter(|m| !m.trim().is_empty())),
        },
        InsuranceChoice::SelfPay => InsuranceChoice::SelfPay,
    };
    Some(BookingRequest {
        hold_token,
        patient_type: patient_type?,
        patient: PatientDetails {
            first_name: form.first_name.trim().to_string(),
            last_name: form.last_name.trim().to_string(),
            date_of_birth: form.date_of_birth.trim().to_string(),
            phone: form.phone.trim().to_string(),
            email: form.email.trim().to_string(),
            pet: vet.then(|| PetDetails {
                name: form.pet_name.trim().to_string(),
                species: form.species.trim().to_string(),
            }),
        },
        insurance,
        notes: Some(form.notes.trim().to_string()).filter(|n| !n.is_empty()),
        referral: ctx.options.with_value(|o| o.referral()),
        verified,
        link: ctx.link.get_untracked(),
        lang: Some(ctx.lang()),
    })
}

/// The details step: a returning patient looks themselves up first; everyone else (and
/// someone new in a verified household) fills in the form; a patient known from their personal
/// link only confirms who the visit is for.
#[component]
pub fn DetailsStep() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let known = ctx.link.with_untracked(Option::is_some)
        && ctx
            .verified
            .with_untracked(|v| v.as_ref().is_some_and(|v| v.member.is_some()));
    let returning = ctx
        .flow
        .with_untracked(|f| f.patient_type == Some(PatientType::Returning));
    let someone_new = ctx
        .verified
        .with_untracked(|v| v.as_ref().is_some_and(|v| v.someone_new));
    let show_form = RwSignal::new(!returning || someone_new);
    // Each part has its own heading, which takes focus when it opens.
    move || {
        if known {
            view! {
                <StepFrame title=ctx.t("widget.details.title") lead=ctx.t("widget.details.on_file")>
                    <HoldBanner />
                    <KnownPatient />
                </StepFrame>
            }
            .into_any()
        } else if show_form.get() {
            view! {
                <StepFrame title=ctx.t("widget.details.title") lead=ctx.t("widget.details.use")>
                    <HoldBanner />
                    <PatientForm />
                </StepFrame>
            }
            .into_any()
        } else {
            view! {
                <StepFrame title=ctx.t("widget.lookup.title") lead=ctx.t("widget.details.use")>
                    <HoldBanner />
                    <ReturningLookup show_form />
                </StepFrame>
            }
            .into_any()
        }
    }
}

/// What to type in a phone field: any form of a number of the practice's country, or, when it
/// has none, the international form.
pub(super) fn phone_hint(ctx: Ctx) -> String {
    if ctx.with_config(|c| c.settings.phone_country.is_empty()) {
        ctx.t("widget.details.phone_hint_international")
    } else {
        ctx.t("widget.details.phone_hint_national")
    }
}

/// The details form (and the pet's, at a veterinary practice).
#[component]
fn PatientForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let vet = ctx.with_config(|c| c.settings.practice_kind == PracticeKind::Veterinary);
    let needs_member_id = ctx.needs_member_id();
    let phone_hint = phone_hint(ctx);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(request) = booking_request(ctx) else {
            return;
        };
        let country = ctx.with_config(|c| c.settings.phone_country.clone());
        let mut errors = match check_booking(&request, host::today(), &country) {
            Ok(()) => Default::default(),
            Err(errors) => errors,
        };
        if needs_member_id
            && ctx
                .details
                .with_untracked(|d| d.member_id.trim().is_empty())
        {
            errors.insert(
                "insurance.member_id".to_string(),
                ctx.t("widget.details.member_id_missing"),
            );
        }
        let ok = errors.is_empty();
        ctx.field_errors.set(errors);
        if ok {
            ctx.update_flow(|f, _| f.details_entered());
        } else {
            // Once the errors are on screen, take the patient to the first one.
            request_animation_frame(move || {
                let first = form
                    .get_untracked()
                    .and_then(|f| f.query_selector("[aria-invalid='true']").ok().flatten())
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(input) = first {
                    let _ = input.focus();
                }
            });
        }
    };
    let (first_label, last_label, birth_label) = if vet {
        (
            ctx.t("widget.details.owner_first_name"),
            ctx.t("widget.details.owner_last_name"),
            ctx.t("widget.details.pet_birth"),
        )
    } else {
        (
            ctx.t("widget.details.first_name"),
            ctx.t("widget.details.last_name"),
            ctx.t("widget.details.birth"),
        )
    };
    view! {
            <form class="sw-form" novalidate node_ref=form on:submit=submit>
                <div class="sw-pair">
                    <Field name="patient.first_name" label=first_label kind="text" autocomplete="given-name"
                        get=|d| &d.first_name set=|d, v| d.first_name = v />
                    <Field name="patient.last_name" label=last_label kind="text" autocomplete="family-name"
                        get=|d| &d.last_name set=|d, v| d.last_name = v />
                </div>
                {vet.then(|| view! {
                    <div class="sw-pair">
                        <Field name="patient.pet.name" label=ctx.t("widget.details.pet_name") kind="text" autocomplete="off"
                            get=|d| &d.pet_name set=|d, v| d.pet_name = v />
                        <Field name="patient.pet.species" label=ctx.t("widget.details.species") kind="text" autocomplete="off"
                            get=|d| &d.species set=|d, v| d.species = v />
                    </div>
                })}
                <Field name="patient.date_of_birth" label=birth_label kind="date" autocomplete=if vet { "off" } else { "bday" }
                    get=|d| &d.date_of_birth set=|d, v| d.date_of_birth = v />
                <Field name="patient.phone" label=ctx.t("widget.details.phone") kind="tel" autocomplete="tel"
                    hint=phone_hint
                    get=|d| &d.phone set=|d, v| d.phone = v />
                <Field name="patient.email" label=ctx.t("widget.details.email") kind="email" autocomplete="email"
                    get=|d| &d.email set=|d, v| d.email = v />
                {needs_member_id.then(|| view! {
                    <Field name="insurance.member_id" label=ctx.t("widget.details.member_id") kind="text" autocomplete="off"
                        get=|d| &d.member_id set=|d, v| d.member_id = v />
                })}
                <Field name="notes" label=ctx.t("widget.details.notes") kind="text" autocomplete="off"
                    get=|d| &d.notes set=|d, v| d.notes = v />
                <button type="submit" class="sw-primary sw-wide">{ctx.t("widget.continue")}</button>
            </form>
    }
}
