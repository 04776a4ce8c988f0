//! A procedure's messages, on SQLite and PostgreSQL: one confirmation listing every visit
//! (the email with one calendar file holding them all), reminders for each visit, and one
//! `procedure_step_due` when the next visit's window opens with nothing booked.

use crate::common;
use crate::db_test;

use common::messaging::{of, wait_for_messages, Admin};
use common::procedures::{booked_chain, template};
use common::staff::signed_in;
use serde_json::json;
use slotwise_server::jobs::scheduler::run_recall;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::model::PatientId;
use slotwise_shared::procedures::ProcedureStart;

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db().read)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

db_test! {
    async fn one_confirmation_lists_every_visit_and_each_visit_has_its_reminders(app) {
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", json!({ "transport": "local" })).await;
        admin.set_channel("email", json!({ "transport": "local" })).await;
        let (_, chain, booked) = booked_chain(app).await;
        let messages = wait_for_messages(&admin, 20, "the procedure's confirmation", |ms| {
            ["sms", "email"].iter().all(|c| of(ms, "procedure_booked", c).iter().any(|m| m["status"] == "sent"))
        })
        .await;
        assert_eq!(of(&messages, "procedure_booked", "sms").len(), 1, "one confirmation per channel");
        assert!(of(&messages, "confirmation", "sms").is_empty(), "no confirmation per visit");
        let sms = of(&messages, "procedure_booked", "sms")[0]["body"].as_str().unwrap_or_default().to_string();
        assert!(sms.contains("Whitening course"), "{sms}");
        for (k, step) in booked.steps.iter().enumerate() {
            assert!(sms.contains(&format!("{}. {}: ", k + 1, step.booking.reason.name)), "visit {k} listed: {sms}");
            assert!(sms.contains(&step.manage_token), "each visit's own link: {sms}");
        }
        // The email carries one calendar file with every visit.
        let ics: String = sqlx::query_scalar(
            "SELECT context FROM outbox WHERE event = 'procedure_booked' AND channel = 'email'",
        )
        .fetch_one(&app.db().read)
        .await
        .expect("email row");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3, "{ics}");
        // Reminders for the visits far enough ahead (the second and third are a week or more out).
        for step in &booked.steps[1..] {
            let reminders = count(app, &format!(
                "SELECT COUNT(*) FROM outbox o JOIN appointments a ON a.id = o.appointment_id
                 WHERE o.event = 'reminder' AND a.reference = '{}'", step.booking.reference)).await;
            assert!(reminders > 0, "reminders for {}", step.booking.reference);
        }
        assert_eq!(chain.steps.len(), 3);
    }
}

db_test! {
    async fn the_next_visit_is_announced_once_when_its_window_opens(app) {
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", json!({ "transport": "local" })).await;
        let booked = common::messaging::book_checkup_at(app, "demo", "+1 415 510 4646").await;
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let appointments = desk.appointments(&Default::default()).await.expect("list").appointments;
        let first = appointments.iter().find(|a| a.reference == booked.booking.reference).expect("listed");
        let id = template(app).await;
        desk.start_procedure(&ProcedureStart {
            patient: PatientId(first.patient_id.expect("patient")),
            template: id,
            first_appointment: Some(first.id),
        })
        .await
        .expect("started");
        // Not yet: the second checkup's window opens 7 days after the first.
        assert_eq!(run_recall(&app.server.state, common::now()).await.expect("run"), 0);
        // Ten days after the first visit, nothing is booked for the second: one message.
        let later = common::now() + 10 * 86_400;
        sqlx::query("UPDATE appointments SET status = 'completed' WHERE reference = $1")
            .bind(&booked.booking.reference)
            .execute(&app.db().write)
            .await
            .expect("completed");
        let messaged = run_recall(&app.server.state, later).await.expect("run");
        assert_eq!(messaged, 1);
        assert_eq!(run_recall(&app.server.state, later).await.expect("run again"), 0, "once");
        // Queued for the run's moment (ten days ahead here): send it now.
        sqlx::query("UPDATE outbox SET send_after = 0, next_attempt_at = 0 WHERE event = 'procedure_step_due'")
            .execute(&app.db().write)
            .await
            .expect("due now");
        app.server.state.outbox.wake();
        let messages = wait_for_messages(&admin, 20, "the step-due message", |ms| {
            of(ms, "procedure_step_due", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let sms = of(&messages, "procedure_step_due", "sms")[0]["body"].as_str().unwrap_or_default().to_string();
        assert!(sms.contains("Checkup") && sms.contains("/book/demo/link/"), "{sms}");
        // Its link is personal: it opens at the rest of the procedure, for this patient.
        let token: String = sms.split("/book/demo/link/").nth(1).unwrap_or_default()
            .chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        let opened = app.client.open_link("demo", &token).await.expect("opened");
        let rest = opened.procedure.expect("a procedure link");
        assert_eq!((rest.template, rest.from_step, rest.steps.len()), (id, 2, 2));
        assert_eq!(opened.member, PatientId(first.patient_id.expect("patient")));
    }
}
