//! The booking flow's rules, on a small practice.

use super::*;
use crate::api::{CarrierInfo, PracticeInfo, PublicSettings};
use crate::model::{CarrierId, Eligibility, LocationId, ProcedureTemplateId, ProviderId};

fn reason(id: i64, name: &str, eligibility: Eligibility, providers: &[i64]) -> ReasonInfo {
    ReasonInfo {
        id: ReasonId(id),
        name: name.to_string(),
        description: String::new(),
        duration_min: 30,
        eligibility,
        provider_ids: providers.iter().map(|p| ProviderId(*p)).collect(),
        location_ids: Vec::new(),
    }
}

fn provider(id: i64, name: &str) -> ProviderInfo {
    ProviderInfo {
        id: ProviderId(id),
        name: name.to_string(),
        role: "Dentist".to_string(),
        bio: String::new(),
        photo_url: None,
        reason_ids: Vec::new(),
        location_ids: Vec::new(),
    }
}

fn config() -> BookingConfig {
    BookingConfig {
        practice: PracticeInfo {
            slug: "demo".to_string(),
            name: "Demo".to_string(),
            phone: "+14155550100".to_string(),
            timezone: "America/New_York".to_string(),
            timezone_name: "Eastern Time".to_string(),
            accent_color: "#0f766e".to_string(),
            logo_url: None,
        },
        settings: PublicSettings {
            hold_minutes: 10,
            existing_patients_only: false,
            confirmation_text: String::new(),
            out_of_network_text: String::new(),
            practice_kind: Default::default(),
            phone_country: String::new(),
            any_location: true,
            default_lang: "en".to_string(),
        },
        locations: Vec::new(),
        reasons: vec![
            reason(
                1,
                "New patient exam & cleaning",
                Eligibility::New,
                &[10, 11],
            ),
            reason(2, "Cleaning", Eligibility::Returning, &[11]),
            reason(3, "Toothache or emergency", Eligibility::Both, &[10]),
            reason(4, "Nobody offers this", Eligibility::Both, &[]),
        ],
        providers: vec![provider(10, "Dr. Maya Patel"), provider(11, "Lena Fischer")],
        carriers: vec![CarrierInfo {
            id: CarrierId(7),
            name: "Delta Dental".to_string(),
            member_id_required: true,
        }],
        languages: Vec::new(),
        lang: "en".to_string(),
        texts: Default::default(),
    }
}

fn ids(reasons: Vec<&ReasonInfo>) -> Vec<i64> {
    reasons.iter().map(|r| r.id.0).collect()
}

#[test]
fn new_patients_never_see_returning_only_reasons_nor_reasons_nobody_offers() {
    let c = config();
    assert_eq!(ids(eligible_reasons(&c, PatientType::New)), vec![1, 3]);
    assert_eq!(
        ids(eligible_reasons(&c, PatientType::Returning)),
        vec![2, 3]
    );
}

#[test]
fn a_practice_booking_existing_patients_only_offers_new_patients_nothing_even_by_link() {
    let mut c = config();
    c.settings.existing_patients_only = true;
    assert!(eligible_reasons(&c, PatientType::New).is_empty());
    assert_eq!(
        ids(eligible_reasons(&c, PatientType::Returning)),
        vec![2, 3]
    );
    let link = Prefill {
        patient_type: Some(PatientType::New),
        reason: Some("toothache-or-emergency".to_string()),
        ..Prefill::default()
    };
    let flow = Flow::start(&c, &link);
    assert_eq!(flow.reason, None);
    assert_eq!(
        flow.step,
        Step::Reason,
        "where the practice's phone number is shown"
    );
}

#[test]
fn only_providers_linked_to_the_reason_are_offered() {
    let c = config();
    let names: Vec<_> = providers_for(&c, ReasonId(2))
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, vec!["Lena Fischer"]);
}

#[test]
fn an_empty_prefill_starts_at_the_patient_type() {
    let flow = Flow::start(&config(), &Prefill::default());
    assert_eq!(flow.step, Step::PatientType);
    assert!(!flow.can_go_back());
}

#[test]
fn a_prefilled_reason_by_slug_skips_to_the_provider_and_implies_the_patient_type() {
    let prefill = Prefill {
        reason: Some("cleaning".to_string()),
        ..Prefill::default()
    };
    let flow = Flow::start(&config(), &prefill);
    assert_eq!(flow.patient_type, Some(PatientType::Returning));
    assert_eq!(flow.reason, Some(ReasonId(2)));
    assert_eq!(flow.step, Step::Provider);
}

#[test]
fn a_prefilled_reason_the_patient_type_may_not_book_is_ignored() {
    let prefill = Prefill {
        patient_type: Some(PatientType::New),
        reason: Some("2".to_string()),
        location: None,
        provider: Some("lena-fischer".to_string()),
        insurance: None,
    };
    let flow = Flow::start(&config(), &prefill);
    assert_eq!(flow.reason, None);
    assert_eq!(flow.provider, None);
    assert_eq!(flow.step, Step::Reason);
}

#[test]
fn reason_and_provider_prefills_lead_straight_to_insurance() {
    let prefill = Prefill {
        patient_type: None,
        reason: Some("Toothache or emergency".to_string()),
        location: None,
        provider: Some("dr-maya-patel".to_string()),
        insurance: None,
    };
    let mut flow = Flow::start(&config(), &prefill);
    assert_eq!(
        flow.step,
        Step::PatientType,
        "Both-eligibility reasons imply no type"
    );
    flow.choose_patient_type(&config(), PatientType::New);
    assert_eq!(
        flow.reason,
        Some(ReasonId(3)),
        "the reason still fits and is kept"
    );
    assert_eq!(flow.provider, Some(ProviderChoice::Id(ProviderId(10))));
    assert_eq!(flow.step, Step::Insurance, "settled steps are skipped");
}

#[test]
fn an_insurance_prefill_skips_the_question_and_unknown_carriers_are_ignored() {
    let full = Prefill {
        patient_type: Some(PatientType::Returning),
        reason: Some("cleaning".to_string()),
        location: None,
        provider: Some("any".to_string()),
        insurance: Some("Self-pay".to_string()),
    };
    let flow = Flow::start(&config(), &full);
    assert_eq!(flow.insurance, Some(InsuranceChoice::SelfPay));
    assert_eq!(flow.step, Step::Time);
    let carrier = Prefill {
        insurance: Some("delta-dental".to_string()),
        ..full.clone()
    };
    let flow = Flow::start(&config(), &carrier);
    assert_eq!(
        flow.insurance,
        Some(InsuranceChoice::Carrier {
            carrier: CarrierId(7),
            member_id: None
        })
    );
    let unknown = Prefill {
        insurance: Some("acme-health".to_string()),
        ..full
    };
    let flow = Flow::start(&config(), &unknown);
    assert_eq!(flow.insurance, None);
    assert_eq!(flow.step, Step::Insurance);
}

#[test]
fn a_provider_who_does_not_see_the_reason_is_refused() {
    let c = config();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::Returning);
    assert!(!flow.choose_reason(&c, ReasonId(1)), "new-patient reason");
    assert!(flow.choose_reason(&c, ReasonId(2)));
    assert!(!flow.choose_provider(&c, ProviderChoice::Id(ProviderId(10))));
    assert_eq!(flow.step, Step::Provider);
    assert!(flow.choose_provider(&c, ProviderChoice::Any));
    assert_eq!(flow.step, Step::Insurance);
}

#[test]
fn switching_patient_type_drops_a_reason_that_no_longer_fits() {
    let c = config();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::New);
    assert!(flow.choose_reason(&c, ReasonId(1)));
    flow.back(&c);
    flow.back(&c);
    assert_eq!(flow.step, Step::PatientType);
    flow.choose_patient_type(&c, PatientType::Returning);
    assert_eq!(flow.reason, None);
    assert_eq!(flow.step, Step::Reason);
}

#[test]
fn unknown_carriers_are_refused_and_self_pay_is_always_possible() {
    let c = config();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::Returning);
    flow.choose_reason(&c, ReasonId(2));
    flow.choose_provider(&c, ProviderChoice::Any);
    assert_eq!(flow.step, Step::Insurance);
    let unknown = InsuranceChoice::Carrier {
        carrier: CarrierId(99),
        member_id: None,
    };
    assert!(!flow.choose_insurance(&c, unknown));
    assert!(flow.choose_insurance(&c, InsuranceChoice::SelfPay));
    assert_eq!(flow.step, Step::Time);
}

#[test]
fn back_walks_the_steps_in_order_and_stops_after_booking() {
    let c = config();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::New);
    flow.choose_reason(&c, ReasonId(1));
    flow.choose_provider(&c, ProviderChoice::Any);
    flow.choose_insurance(&c, InsuranceChoice::SelfPay);
    flow.time_held();
    flow.details_entered();
    assert_eq!(flow.step, Step::Review);
    flow.back(&c);
    assert_eq!(flow.step, Step::Details);
    flow.details_entered();
    flow.booked();
    assert!(!flow.can_go_back());
    flow.back(&c);
    assert_eq!(flow.step, Step::Done);
}

#[test]
fn names_become_link_slugs() {
    assert_eq!(slugify("Dr. Maya Patel"), "dr-maya-patel");
    assert_eq!(
        slugify("New patient exam & cleaning"),
        "new-patient-exam-cleaning"
    );
    assert_eq!(slugify("  Zoë  "), "zoë");
}

/// The small practice with two offices: Downtown (1) where both providers work, Riverside (2)
/// where only Lena Fischer does; cleanings at both, emergencies Downtown only.
fn two_offices() -> BookingConfig {
    let mut c = config();
    let office = |id: i64, name: &str| LocationInfo {
        id: LocationId(id),
        name: name.to_string(),
        address: format!("{id} Main Street"),
        timezone: "America/New_York".to_string(),
    };
    c.locations = vec![office(1, "Downtown"), office(2, "Riverside")];
    let at = |ids: &[i64]| ids.iter().map(|i| LocationId(*i)).collect::<Vec<_>>();
    for r in &mut c.reasons {
        r.location_ids = match r.id.0 {
            3 => at(&[1]),
            _ => at(&[1, 2]),
        };
    }
    c.providers[0].location_ids = at(&[1]);
    c.providers[1].location_ids = at(&[1, 2]);
    c
}

#[test]
fn a_reason_at_two_offices_asks_where_and_filters_providers_by_it() {
    let c = two_offices();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::New);
    assert!(flow.choose_reason(&c, ReasonId(1)));
    assert_eq!(flow.step, Step::Location);
    let names: Vec<_> = flow.locations(&c).iter().map(|l| l.name.clone()).collect();
    assert_eq!(names, vec!["Downtown", "Riverside"]);
    assert!(!flow.choose_location(&c, LocationChoice::Id(LocationId(9))));
    assert!(flow.choose_location(&c, LocationChoice::Id(LocationId(2))));
    assert_eq!(flow.step, Step::Provider);
    let here: Vec<_> = flow.providers(&c).iter().map(|p| p.id.0).collect();
    assert_eq!(here, vec![11], "Dr. Patel works Downtown only");
    assert!(!flow.choose_provider(&c, ProviderChoice::Id(ProviderId(10))));
    assert!(flow.choose_provider(&c, ProviderChoice::Id(ProviderId(11))));
    flow.back(&c);
    flow.back(&c);
    assert_eq!(
        flow.step,
        Step::Location,
        "Back returns to the choice of office"
    );
}

#[test]
fn any_location_is_offered_only_when_the_practice_allows_it() {
    let mut c = two_offices();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::New);
    flow.choose_reason(&c, ReasonId(1));
    assert!(flow.choose_location(&c, LocationChoice::Any));
    assert_eq!(flow.providers(&c).len(), 2);
    c.settings.any_location = false;
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::New);
    flow.choose_reason(&c, ReasonId(1));
    assert!(!flow.choose_location(&c, LocationChoice::Any));
    assert_eq!(flow.step, Step::Location);
}

#[test]
fn a_reason_at_one_office_skips_the_location_step_both_ways() {
    let c = two_offices();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::Returning);
    assert!(flow.choose_reason(&c, ReasonId(3)));
    assert_eq!(flow.location, Some(LocationChoice::Id(LocationId(1))));
    assert_eq!(flow.step, Step::Provider);
    flow.back(&c);
    assert_eq!(flow.step, Step::Reason, "no location step to go back to");
}

#[test]
fn a_prefilled_location_by_slug_skips_the_step_and_a_stale_one_is_asked_again() {
    let c = two_offices();
    let prefill = Prefill {
        reason: Some("cleaning".to_string()),
        location: Some("riverside".to_string()),
        ..Prefill::default()
    };
    let flow = Flow::start(&c, &prefill);
    assert_eq!(flow.location, Some(LocationChoice::Id(LocationId(2))));
    assert_eq!(flow.step, Step::Provider);
    let stale = Prefill {
        location: Some("uptown".to_string()),
        ..prefill
    };
    let flow = Flow::start(&c, &stale);
    assert_eq!(flow.location, None);
    assert_eq!(flow.step, Step::Location);
}

#[test]
fn changing_office_drops_a_provider_who_does_not_work_there() {
    let c = two_offices();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::New);
    flow.choose_reason(&c, ReasonId(1));
    flow.choose_location(&c, LocationChoice::Id(LocationId(1)));
    assert!(flow.choose_provider(&c, ProviderChoice::Id(ProviderId(10))));
    flow.back(&c);
    flow.back(&c);
    assert!(flow.choose_location(&c, LocationChoice::Id(LocationId(2))));
    assert_eq!(flow.provider, None);
    assert_eq!(flow.step, Step::Provider);
}

fn procedure(steps: &[i64]) -> ProcedureOffer {
    ProcedureOffer {
        id: ProcedureTemplateId(7),
        name: "Course".to_string(),
        description: String::new(),
        steps: steps
            .iter()
            .map(|r| crate::procedures::ProcedureStepOffer {
                reason: ReasonId(*r),
                name: format!("Visit {r}"),
                duration_min: 30,
                gap_min_days: 7,
                gap_max_days: 21,
                same_provider_as: None,
            })
            .collect(),
    }
}

#[test]
fn a_procedure_skips_location_and_provider_and_back_returns_to_the_reasons() {
    let c = config();
    let mut flow = Flow::start(&c, &Prefill::default());
    flow.choose_patient_type(&c, PatientType::Returning);
    // Reason 1 is for new patients only: a procedure with it is not this patient's.
    assert!(!flow.choose_procedure(&c, &procedure(&[2, 1])));
    assert_eq!(flow.procedure, None);
    assert!(flow.choose_procedure(&c, &procedure(&[2, 2])));
    assert_eq!(flow.procedure, Some(ProcedureTemplateId(7)));
    assert_eq!(flow.reason, Some(ReasonId(2)));
    assert_eq!(flow.step, Step::Insurance);
    flow.back(&c);
    assert_eq!(
        flow.step,
        Step::Reason,
        "no provider question for a procedure"
    );
    // Choosing a single visit leaves the procedure.
    assert!(flow.choose_reason(&c, ReasonId(2)));
    assert_eq!(flow.procedure, None);
    // Another patient type starts the choice over.
    assert!(flow.choose_procedure(&c, &procedure(&[2, 2])));
    flow.choose_patient_type(&c, PatientType::New);
    assert_eq!((flow.procedure, flow.reason), (None, None));
}
