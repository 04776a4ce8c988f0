//! Personal procedure links: staff send one from a procedure whose later visits were
//! cancelled; the patient opens it (known, with a booking session), sees chains of the rest of
//! their procedure only (the first inside its window after the last dated visit, a "same
//! provider" visit kept with that provider), holds and books them into the same procedure;
//! the link then no longer opens. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::automations::{outbox_of, token_of};
use common::procedures::{booked_chain, choices};
use common::staff::signed_in;
use common::{booking_request, unique_key};
use slotwise_shared::admin::StaffRole;
use slotwise_shared::api::{InsuranceChoice, PatientDetails};
use slotwise_shared::automations::LinkKind;
use slotwise_shared::model::ProcedureTemplateId;
use slotwise_shared::patients::VerifiedPatient;
use slotwise_shared::procedures::{ChainHoldRequest, ProcedureFilter, StepState};

db_test! {
    async fn a_procedure_link_books_the_rest_of_the_patients_procedure(app) {
        let (template, chain, booked) = booked_chain(app).await;
        let staff = signed_in(app, "demo", StaffRole::FrontDesk).await;
        // Nothing to book yet: every visit is booked.
        let err = staff.send_procedure_link(booked.procedure).await.expect_err("all booked");
        assert_eq!(err.status(), Some(409));
        // The patient cancels the second visit only: the third is still booked after it.
        app.client.cancel("demo", &booked.steps[1].manage_token).await.expect("cancel 2");
        let err = staff.send_procedure_link(booked.procedure).await.expect_err("3 still booked");
        assert_eq!(err.status(), Some(409));
        assert!(err.to_string().contains("Visit 3"), "{err}");
        app.client.cancel("demo", &booked.steps[2].manage_token).await.expect("cancel 3");

        staff.send_procedure_link(booked.procedure).await.expect("sent");
        let sent = outbox_of(app, "procedure_step_due").await;
        assert!(!sent.is_empty(), "the patient is messaged");
        let link = sent[0].3["booking_link"].as_str().expect("link").to_string();
        assert!(link.contains("/book/demo/link/"), "{link}");
        let token = token_of(&link);

        // Opened: the patient is known, and the link books visits 2 and 3.
        let opened = app.client.open_link("demo", &token).await.expect("opened");
        assert_eq!(opened.kind, LinkKind::Procedure);
        let rest = opened.procedure.clone().expect("the rest");
        assert_eq!(rest.record, booked.procedure);
        assert_eq!(rest.template, template);
        assert_eq!(rest.from_step, 2);
        assert_eq!(rest.steps.len(), 2);
        let first_day = chain.steps[0].date;
        assert_eq!(rest.window_from, first_day.checked_add(jiff::Span::new().days(7)).expect("day"));
        assert_eq!(rest.window_to, first_day.checked_add(jiff::Span::new().days(21)).expect("day"));

        // Its chains are of the rest only: visit 2 inside its window, with the first visit's
        // dentist, and visit 3 after it.
        let chains = app.client.procedure_chains("demo", template, None, 7, None, Some(&token)).await.expect("chains").chains;
        assert!(!chains.is_empty());
        for c in &chains {
            assert_eq!(c.steps.len(), 2);
            assert!(c.steps[0].date >= rest.window_from && c.steps[0].date <= rest.window_to, "{c:?}");
            assert_eq!(c.steps[0].provider, chain.steps[0].provider, "same dentist as visit 1");
            assert!(c.steps[1].start > c.steps[0].start);
        }
        // The link is for this procedure's template only.
        let other = app.client.procedure_chains("demo", ProcedureTemplateId(template.0 + 1000), None, 7, None, Some(&token)).await.expect_err("other");
        assert_eq!(other.status(), Some(404));

        let held = app.client.hold_procedure("demo", &ChainHoldRequest {
            procedure: template,
            steps: choices(&chains[0]),
            lang: None,
            link: Some(token.clone()),
        }).await.expect("held");
        let mut request = booking_request(&held.hold_token);
        request.patient = PatientDetails { first_name: String::new(), last_name: String::new(), date_of_birth: String::new(), phone: String::new(), email: String::new(), pet: None };
        request.insurance = opened.insurance.clone().unwrap_or(InsuranceChoice::SelfPay);
        request.verified = Some(VerifiedPatient { session: opened.household.patient_session.clone(), member: Some(opened.member) });
        // Without the link the held rest cannot be booked.
        let err = app.client.book_procedure("demo", &format!("rest-{}", unique_key()), &request).await.expect_err("no link");
        assert_eq!(err.status(), Some(404));
        request.link = Some(token.clone());
        let rest_booked = app.client.book_procedure("demo", &format!("rest-{}", unique_key()), &request)
            .await.expect("answer").booked().expect("booked");
        assert_eq!(rest_booked.procedure, booked.procedure);
        assert_eq!(rest_booked.steps.len(), 2);

        // Staff see one procedure with every visit booked, none flagged.
        let list = staff.procedures(&ProcedureFilter::default()).await.expect("procedures").procedures;
        assert_eq!(list.len(), 1);
        let steps = &list[0].steps;
        assert!(steps.iter().all(|s| s.state == StepState::Booked), "{steps:?}");
        assert!(steps.iter().all(|s| !s.flagged), "{steps:?}");
        assert_eq!(steps[1].start, Some(chains[0].steps[0].start));
        // Used: the link no longer opens, and there is nothing left to send.
        assert_eq!(app.client.open_link("demo", &token).await.expect_err("used").status(), Some(410));
        assert_eq!(staff.send_procedure_link(booked.procedure).await.expect_err("done").status(), Some(409));
    }
}

db_test! {
    async fn two_links_of_one_procedure_booked_at_once_book_its_rest_once(app) {
        let (template, _, booked) = booked_chain(app).await;
        for step in &booked.steps[1..] {
            app.client.cancel("demo", &step.manage_token).await.expect("cancel");
        }
        let staff = signed_in(app, "demo", StaffRole::FrontDesk).await;
        staff.send_procedure_link(booked.procedure).await.expect("first link");
        staff.send_procedure_link(booked.procedure).await.expect("second link");
        let links: Vec<String> = outbox_of(app, "procedure_step_due").await.iter()
            .filter(|m| m.1 == "sms")
            .map(|m| token_of(m.3["booking_link"].as_str().expect("link")))
            .collect();
        assert_eq!(links.len(), 2);
        // Each link holds a different rest of the same procedure.
        let chains = app.client.procedure_chains("demo", template, None, 7, None, Some(&links[0])).await.expect("chains").chains;
        let (first, last) = (chains.first().expect("a chain"), chains.last().expect("a chain"));
        assert_ne!(first.steps[1].start, last.steps[1].start);
        let mut requests = Vec::new();
        for (token, chain) in [(&links[0], first), (&links[1], last)] {
            let opened = app.client.open_link("demo", token).await.expect("opened");
            let held = app.client.hold_procedure("demo", &ChainHoldRequest {
                procedure: template, steps: choices(chain), lang: None, link: Some(token.clone()),
            }).await.expect("held");
            let mut request = booking_request(&held.hold_token);
            request.patient = PatientDetails { first_name: String::new(), last_name: String::new(), date_of_birth: String::new(), phone: String::new(), email: String::new(), pet: None };
            request.verified = Some(VerifiedPatient { session: opened.household.patient_session.clone(), member: Some(opened.member) });
            request.link = Some(token.clone());
            requests.push(request);
        }
        let keys = [format!("both-{}", unique_key()), format!("both-{}", unique_key())];
        let (a, b) = tokio::join!(
            app.client.book_procedure("demo", &keys[0], &requests[0]),
            app.client.book_procedure("demo", &keys[1], &requests[1]),
        );
        assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
        let refused = if a.is_ok() { b } else { a };
        assert!(matches!(refused.expect_err("refused").status(), Some(409 | 410)));
        // The procedure's visits 2 and 3 are the winner's; nothing else is booked.
        assert_eq!(app.count("appointments WHERE status = 'booked'").await, 3);
        let steps = &staff.procedures(&ProcedureFilter::default()).await.expect("list").procedures[0].steps;
        assert!(steps.iter().all(|s| s.state == StepState::Booked), "{steps:?}");
    }
}
