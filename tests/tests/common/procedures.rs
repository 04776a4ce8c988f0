//! Helpers for procedure tests: a three-visit template, its chains, a chain booked.

use super::staff::signed_in;
use super::{booking_request, unique_key, TestApp};
use slotwise_shared::admin::StaffRole;
use slotwise_shared::api::BookingRequest;
use slotwise_shared::model::ProcedureTemplateId;
use slotwise_shared::procedures::{
    ChainHoldRequest, ChainOption, ChainStepChoice, ProcedureBooked, ProcedureStepInput,
    ProcedureTemplateInput,
};

/// Checkup → a second checkup 7–21 days later with the same dentist → a whitening
/// consultation 1–10 days after that (only Dr. Okafor offers it).
pub fn three_visits(app: &TestApp, name: &str) -> ProcedureTemplateInput {
    ProcedureTemplateInput {
        name: name.into(),
        description: "Three visits over a few weeks.".into(),
        steps: vec![
            ProcedureStepInput {
                reason: app.reason("Checkup"),
                gap_min_days: 0,
                gap_max_days: 0,
                same_provider_as: None,
            },
            ProcedureStepInput {
                reason: app.reason("Checkup"),
                gap_min_days: 7,
                gap_max_days: 21,
                same_provider_as: Some(1),
            },
            ProcedureStepInput {
                reason: app.reason("Whitening consultation"),
                gap_min_days: 1,
                gap_max_days: 10,
                same_provider_as: None,
            },
        ],
        bookable_online: true,
        active: true,
    }
}

pub async fn template(app: &TestApp) -> ProcedureTemplateId {
    let admin = signed_in(app, "demo", StaffRole::Admin).await;
    admin
        .add_procedure_template(&three_visits(app, "Whitening course"))
        .await
        .expect("template")
        .id
}

pub fn choices(chain: &ChainOption) -> Vec<ChainStepChoice> {
    chain
        .steps
        .iter()
        .map(|s| ChainStepChoice {
            provider: s.provider,
            start: s.start,
        })
        .collect()
}

pub async fn first_chains(app: &TestApp, id: ProcedureTemplateId) -> Vec<ChainOption> {
    app.client
        .procedure_chains("demo", id, None, 7, None, None)
        .await
        .expect("chains")
        .chains
}

/// Books the first chain of a fresh three-visit template; the template, the chain and the
/// answer.
pub async fn booked_chain(app: &TestApp) -> (ProcedureTemplateId, ChainOption, ProcedureBooked) {
    booked_chain_with(app, |_| {}).await
}

/// [`booked_chain`] with the booking request changed first (another patient, a language).
pub async fn booked_chain_with(
    app: &TestApp,
    adjust: impl FnOnce(&mut BookingRequest),
) -> (ProcedureTemplateId, ChainOption, ProcedureBooked) {
    let id = template(app).await;
    let chain = first_chains(app, id).await.remove(0);
    let held = app
        .client
        .hold_procedure(
            "demo",
            &ChainHoldRequest {
                procedure: id,
                steps: choices(&chain),
                lang: None,
                link: None,
            },
        )
        .await
        .expect("held");
    let mut request = booking_request(&held.hold_token);
    adjust(&mut request);
    let key = format!("procedure-{}", unique_key());
    let booked = app
        .client
        .book_procedure("demo", &key, &request)
        .await
        .expect("booked")
        .booked()
        .expect("booked here");
    (id, chain, booked)
}
