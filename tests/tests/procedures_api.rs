//! Procedures through the API, on SQLite and PostgreSQL: staff define a template, patients see
//! chains that keep every step's window, hold a whole chain (all steps or none) and book it as
//! one; races and a step taken meanwhile leave no partial rows.

use crate::common;
use crate::common::staff::signed_in;
use crate::db_test;

use common::procedures::{booked_chain, choices, first_chains, template, three_visits};
use common::{booking_request, unique_key, TestApp};
use futures::future::join_all;
use slotwise_server::store::appointments::overlapping_pairs;
use slotwise_shared::admin::{AppointmentAction, StaffRole};
use slotwise_shared::api::{HoldRequest, ProviderChoice, RescheduleRequest, SlotOption};
use slotwise_shared::client::ApiClient;
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::PatientId;
use slotwise_shared::patients::VerifiedPatient;
use slotwise_shared::procedures::{
    ChainHoldRequest, ChainOption, ProcedureFilter, ProcedureStart, ProcedureState,
    ProcedureTemplateInput, StepState, StepTimesRequest,
};

fn days_between(a: &SlotOption, b: &SlotOption) -> i64 {
    i64::from(a.date.until(b.date).expect("span").get_days())
}

/// Every rule of the three-visit template, read from the answer itself.
fn assert_keeps_rules(app: &TestApp, chain: &ChainOption) {
    let s = &chain.steps;
    assert_eq!(s.len(), 3);
    assert!((7..=21).contains(&days_between(&s[0], &s[1])), "{s:?}");
    assert!((1..=10).contains(&days_between(&s[1], &s[2])), "{s:?}");
    assert_eq!(
        s[0].provider, s[1].provider,
        "same dentist for both checkups"
    );
    assert_eq!(s[2].provider, app.provider("Dr. James Okafor"));
}

async fn count_where(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db().read)
        .await
        .expect("count")
}

db_test! {
    async fn staff_define_templates_and_bad_ones_are_refused_by_field(app) {
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        let good = three_visits(app, "Whitening course");
        let made = admin.add_procedure_template(&good).await.expect("created");
        assert_eq!(made.input, good);
        let offers = app.client.procedures("demo").await.expect("offers").procedures;
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].steps[2].name, "Whitening consultation");
        assert_eq!((offers[0].steps[1].gap_min_days, offers[0].steps[1].gap_max_days), (7, 21));

        let refused = |t: ProcedureTemplateInput, field: &'static str| {
            let admin = &admin;
            async move {
                let err = admin.add_procedure_template(&t).await.expect_err("refused");
                assert_eq!(err.status(), Some(422), "{field}");
                let fields = err.body().and_then(|b| b.fields.clone()).unwrap_or_default();
                assert!(fields.contains_key(field), "{field}: {fields:?}");
            }
        };
        let mut t = three_visits(app, "Backwards window");
        t.steps[1].gap_min_days = 30;
        refused(t, "steps[1].gap_max_days").await;
        let mut t = three_visits(app, "Forward provider");
        t.steps[1].same_provider_as = Some(3);
        refused(t, "steps[1].same_provider_as").await;
        let mut t = three_visits(app, "Unknown visit");
        t.steps[2].reason = app.other.reasons.values().next().copied().expect("a reason");
        refused(t, "steps[2].reason").await;
        let mut t = three_visits(app, "Cleaning then checkup");
        t.steps[1].reason = app.reason("Cleaning");
        refused(t, "steps[1].same_provider_as").await;
        refused(three_visits(app, "whitening COURSE"), "name").await;
        let mut t = three_visits(app, "Too long");
        t.steps[1].gap_max_days = 700;
        t.steps[2].gap_max_days = 700;
        refused(t, "steps").await;
        let mut t = three_visits(app, "No steps");
        t.steps.clear();
        refused(t, "steps").await;

        // Not bookable online: staff still see it, patients no longer do.
        let changed = ProcedureTemplateInput { bookable_online: false, ..good.clone() };
        admin.update_procedure_template(made.id, &changed).await.expect("updated");
        assert!(app.client.procedures("demo").await.expect("offers").procedures.is_empty());
        let err = app.client.procedure_chains("demo", made.id, None, 7, None, None).await.expect_err("404");
        assert_eq!(err.status(), Some(404));
        // Another practice never sees it.
        let other = signed_in(app, app.other.slug.as_str(), StaffRole::Admin).await;
        assert!(other.procedure_templates().await.expect("list").templates.is_empty());
        let err = other.delete_procedure_template(made.id).await.expect_err("404");
        assert_eq!(err.status(), Some(404));
        admin.delete_procedure_template(made.id).await.expect("deleted");
        assert!(admin.procedure_templates().await.expect("list").templates.is_empty());
    }
}

db_test! {
    async fn a_chain_is_found_held_and_booked_as_one(app) {
        let id = template(app).await;
        let chains = first_chains(app, id).await;
        assert!(!chains.is_empty(), "chains over the next week");
        for chain in &chains {
            assert_keeps_rules(app, chain);
        }
        let chain = &chains[0];
        // The later steps may move within their windows: each alternative keeps the rules.
        let moves = app.client.procedure_step_times(
            "demo",
            id,
            &StepTimesRequest { steps: choices(chain), step: 2, lang: None, link: None },
        ).await.expect("step times").times;
        assert!(moves.len() > 1, "{moves:?}");
        for time in &moves {
            let moved = ChainOption { day_label: String::new(), steps: vec![chain.steps[0].clone(), time.clone(), chain.steps[2].clone()] };
            assert_keeps_rules(app, &moved);
        }

        let held = app.client.hold_procedure(
            "demo",
            &ChainHoldRequest { procedure: id, steps: choices(chain), lang: None, link: None },
        ).await.expect("held");
        assert_eq!(held.steps, chain.steps);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments WHERE status = 'held'").await, 3);
        // Held times are no longer free, for the chain or on their own.
        let again = first_chains(app, id).await;
        assert!(again.iter().all(|c| c.steps[0].start != chain.steps[0].start
            || c.steps[0].provider != chain.steps[0].provider));

        let key = format!("procedure-{}", unique_key());
        let booked = app.client.book_procedure("demo", &key, &booking_request(&held.hold_token)).await.expect("booked").booked().expect("booked here");
        assert_eq!(booked.name, "Whitening course");
        assert_eq!(booked.steps.len(), 3);
        for (step, slot) in booked.steps.iter().zip(&chain.steps) {
            assert_eq!(step.booking.start, slot.start);
            assert_eq!(step.booking.provider.id, slot.provider);
        }
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments WHERE status = 'booked'").await, 3);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedures WHERE status = 'active' AND patient_id IS NOT NULL").await, 1);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedure_steps s JOIN appointments a ON a.id = s.appointment_id WHERE a.status = 'booked'").await, 3);
        // A retry with the same key answers the same booking; the chain is not booked twice.
        let replay = app.client.book_procedure("demo", &key, &booking_request(&held.hold_token)).await.expect("replay").booked().expect("booked here");
        assert_eq!(replay, booked);
        let err = app.client.book_procedure("demo", "another-key", &booking_request(&held.hold_token)).await.expect_err("used");
        assert_eq!(err.status(), Some(409));
        assert_eq!(overlapping_pairs(app.db()).await.expect("query"), 0);
    }
}

db_test! {
    async fn two_patients_racing_for_one_chain_one_wins_every_step_the_other_nothing(app) {
        let id = template(app).await;
        let chain = first_chains(app, id).await.remove(0);
        let req = ChainHoldRequest { procedure: id, steps: choices(&chain), lang: None, link: None };
        let attempts = (0..8).map(|_| {
            let client = ApiClient::new(app.client.base());
            let req = req.clone();
            tokio::spawn(async move { client.hold_procedure("demo", &req).await })
        });
        let results: Vec<_> = join_all(attempts).await.into_iter().map(|r| r.expect("task")).collect();
        let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "exactly one client holds the chain");
        for lost in results.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!(lost.status(), Some(409), "{lost:?}");
            let body = lost.body().expect("error body");
            assert_eq!(body.code, ErrorCode::SlotUnavailable);
            let others = body.chains.clone().expect("other chains");
            assert!(!others.is_empty());
            for other in &others {
                assert_keeps_rules(app, other);
                assert_ne!(choices(other), req.steps, "the taken chain is not offered again");
            }
        }
        // No partial rows: three held steps, one held procedure, and nothing left behind by
        // the losers.
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments").await, 3);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedures").await, 1);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedure_steps").await, 3);
        assert_eq!(overlapping_pairs(app.db()).await.expect("query"), 0);
    }
}

db_test! {
    async fn a_chain_whose_third_step_was_taken_meanwhile_holds_nothing(app) {
        let id = template(app).await;
        let chain = first_chains(app, id).await.remove(0);
        // Someone else holds the third step's time on its own.
        let third = &chain.steps[2];
        app.client.hold("demo", &HoldRequest {
            reason: app.reason("Whitening consultation"),
            provider: third.provider,
            start: third.start,
            lang: None,
        }).await.expect("single hold");
        let err = app.client.hold_procedure(
            "demo",
            &ChainHoldRequest { procedure: id, steps: choices(&chain), lang: None, link: None },
        ).await.expect_err("taken");
        assert_eq!(err.status(), Some(409));
        let others = err.body().and_then(|b| b.chains.clone()).expect("other chains");
        assert!(!others.is_empty());
        for other in &others {
            assert_keeps_rules(app, other);
            assert!(other.steps[2].start != third.start, "{other:?}");
        }
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments").await, 1, "only the single hold");
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedures").await, 0);
    }
}

db_test! {
    async fn a_released_or_lapsed_chain_frees_every_step(app) {
        let id = template(app).await;
        let chain = first_chains(app, id).await.remove(0);
        let req = ChainHoldRequest { procedure: id, steps: choices(&chain), lang: None, link: None };
        let held = app.client.hold_procedure("demo", &req).await.expect("held");
        app.client.release_procedure_hold("demo", &held.hold_token).await.expect("released");
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments WHERE status = 'held'").await, 0);
        let err = app.client.release_procedure_hold("demo", &held.hold_token).await.expect_err("gone");
        assert_eq!(err.status(), Some(404));
        // The same chain can be held again, and a lapsed one cannot be booked.
        let held = app.client.hold_procedure("demo", &req).await.expect("held again");
        sqlx::query("UPDATE procedures SET hold_expires_at = 1 WHERE status = 'held'")
            .execute(&app.db().write).await.expect("lapse");
        let err = app.client.book_procedure("demo", "lapsed", &booking_request(&held.hold_token)).await.expect_err("lapsed");
        assert_eq!(err.status(), Some(410));
        assert!(err.body().and_then(|b| b.chains.clone()).is_some());
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments WHERE status = 'booked'").await, 0);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedures WHERE status = 'active'").await, 0);
        // The periodic clean-up marks the lapsed chain as it does lapsed holds.
        slotwise_server::store::appointments::expire_all_lapsed_holds(app.db(), common::now()).await.expect("sweep");
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedures WHERE status = 'held'").await, 0);
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM procedures WHERE status = 'expired'").await, 2);
    }
}

db_test! {
    async fn staff_follow_a_procedure_and_a_step_moved_outside_its_window_is_flagged(app) {
        let (id, chain, booked) = booked_chain(app).await;
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let list = desk.procedures(&ProcedureFilter::default()).await.expect("list").procedures;
        assert_eq!(list.len(), 1);
        let record = &list[0];
        assert_eq!((record.state, record.completed, record.next_step), (ProcedureState::Active, 0, Some(1)));
        assert!(record.steps.iter().all(|s| s.state == StepState::Booked && !s.flagged));
        let second_window = (record.steps[1].window_from.expect("from"), record.steps[1].window_to.expect("to"));
        assert!(second_window.0 <= chain.steps[1].date && chain.steps[1].date <= second_window.1);
        let by_template = ProcedureFilter { template: Some(id), ..Default::default() };
        assert_eq!(desk.procedures(&by_template).await.expect("list").procedures.len(), 1);
        let done = ProcedureFilter { state: Some(ProcedureState::Completed), ..Default::default() };
        assert!(desk.procedures(&done).await.expect("list").procedures.is_empty());
        let okafor = ProcedureFilter { provider: Some(app.provider("Dr. James Okafor")), ..Default::default() };
        assert_eq!(desk.procedures(&okafor).await.expect("list").procedures.len(), 1, "the third visit is his");

        // The patient moves the second checkup to the day after the first: outside its
        // window, so it and the step after it are flagged; nothing is silently broken.
        let first = &chain.steps[0];
        let too_soon = app
            .free_slots(app.reason("Checkup"), ProviderChoice::Id(first.provider))
            .await
            .into_iter()
            .find(|s| s.date > first.date && days_between(first, s) < 7)
            .expect("a time days before the window");
        let hold = app.client.hold("demo", &HoldRequest {
            reason: app.reason("Checkup"),
            provider: too_soon.provider,
            start: too_soon.start,
            lang: None,
        }).await.expect("hold");
        app.client
            .reschedule("demo", &booked.steps[1].manage_token, &RescheduleRequest { hold_token: hold.hold_token })
            .await
            .expect("moved");
        let record = desk.procedures(&ProcedureFilter::default()).await.expect("list").procedures.remove(0);
        assert!(!record.steps[0].flagged);
        assert!(record.steps[1].flagged && record.steps[2].flagged, "{:?}", record.steps);

        // The first visit is done; then the team cancels the rest of the procedure.
        let first_appointment = record.steps[0].appointment.expect("appointment");
        desk.appointment_action(first_appointment, AppointmentAction::Complete).await.expect("completed");
        let record = desk.procedures(&ProcedureFilter::default()).await.expect("list").procedures.remove(0);
        assert_eq!((record.completed, record.next_step), (1, Some(2)));
        let cancelled = desk.cancel_procedure(record.id).await.expect("cancelled");
        assert_eq!(cancelled.state, ProcedureState::Cancelled);
        assert_eq!(cancelled.steps[0].state, StepState::Completed);
        assert!(cancelled.steps[1..].iter().all(|s| s.state == StepState::Cancelled));
        assert_eq!(count_where(app, "SELECT COUNT(*) FROM appointments WHERE status IN ('booked', 'confirmed')").await, 0);
        let err = desk.cancel_procedure(record.id).await.expect_err("already cancelled");
        assert_eq!(err.status(), Some(404));
        // The dashboard counts it: started, cancelled, its first visit done.
        let stats = desk.dashboard("", "").await.expect("dashboard").procedures;
        assert_eq!((stats.started, stats.completed, stats.cancelled), (1, 0, 1));
        assert_eq!(stats.visits_done.len(), 1);
        assert_eq!((stats.visits_done[0].label.as_str(), stats.visits_done[0].count), ("Visit 1", 1));
    }
}

db_test! {
    async fn staff_start_a_procedure_from_a_patients_appointment(app) {
        let booked = common::messaging::book_checkup_at(app, "demo", "+1 415 510 4444").await.booking.reference;
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let appointments = desk.appointments(&Default::default()).await.expect("list").appointments;
        let appointment = appointments.iter().find(|a| a.reference == booked).expect("the checkup");
        let patient = appointment.patient_id.expect("patient");
        let id = template(app).await;
        let started = desk.start_procedure(&ProcedureStart {
            patient: PatientId(patient),
            template: id,
            first_appointment: Some(appointment.id),
        }).await.expect("started");
        assert_eq!(started.steps[0].state, StepState::Booked);
        assert_eq!(started.steps[1].state, StepState::ToBook);
        assert!(started.steps[1].window_from.is_some(), "the window follows the first visit");
        // The same appointment cannot start a second one, nor can another practice's patient.
        let err = desk.start_procedure(&ProcedureStart {
            patient: PatientId(patient),
            template: id,
            first_appointment: Some(appointment.id),
        }).await.expect_err("taken");
        assert_eq!(err.status(), Some(422));
        // The patient, verified, books a checkup: it becomes the visit the procedure waits for.
        let household = common::patients::verified(app, "demo", "+14155104444").await;
        let (_, hold) = app.hold_checkup_after(jiff::SignedDuration::from_hours(24 * 8)).await;
        let mut req = booking_request(&hold.hold_token);
        req.verified = Some(VerifiedPatient { session: household.patient_session.clone(), member: Some(PatientId(patient)) });
        let second = app.client.book("demo", &format!("second-{}", unique_key()), &req).await.expect("booked");
        let record = desk.procedures(&ProcedureFilter { patient: Some(PatientId(patient)), ..Default::default() })
            .await.expect("list").procedures.remove(0);
        assert_eq!(record.steps[1].state, StepState::Booked, "{:?}", record.steps);
        assert_eq!(record.steps[1].start, Some(second.booking.start));
        assert_eq!(record.steps[2].state, StepState::ToBook);
        assert!(!record.steps[1].flagged, "inside its window");
        // A whitening consultation booked before the second checkup joins as the third visit,
        // outside its window: flagged for the team.
        let whitening = app.free_slots(app.reason("Whitening consultation"), ProviderChoice::Any).await.remove(0);
        assert!(whitening.start < second.booking.start);
        let hold = app.client.hold("demo", &HoldRequest {
            reason: app.reason("Whitening consultation"),
            provider: whitening.provider,
            start: whitening.start,
            lang: None,
        }).await.expect("hold");
        let mut req = booking_request(&hold.hold_token);
        req.verified = Some(VerifiedPatient { session: household.patient_session.clone(), member: Some(PatientId(patient)) });
        app.client.book("demo", &format!("third-{}", unique_key()), &req).await.expect("booked");
        let record = desk.procedures(&ProcedureFilter { patient: Some(PatientId(patient)), ..Default::default() })
            .await.expect("list").procedures.remove(0);
        assert_eq!(record.steps[2].state, StepState::Booked);
        assert!(record.steps[2].flagged, "{:?}", record.steps);
        let other = signed_in(app, app.other.slug.as_str(), StaffRole::FrontDesk).await;
        let err = other.start_procedure(&ProcedureStart { patient: PatientId(patient), template: id, first_appointment: None })
            .await.expect_err("not theirs");
        assert_eq!(err.status(), Some(404));
        assert!(other.procedures(&ProcedureFilter::default()).await.expect("list").procedures.is_empty());
    }
}
