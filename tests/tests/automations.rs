//! Automations end to end: recall rules and their personal links, the scheduler on several
//! instances and after a stop mid-run, no-show follow-ups that stop when the patient books or
//! opts out, aftercare and feedback, and broadcasts whose preview is what gets queued. Every
//! test runs on SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::automations::{hygiene_rule, outbox_of, owner, patients_with_visit, token_of};
use common::booking_request;
use common::messaging::{book_checkup, Admin};
use common::twilio_double::TwilioDouble;
use slotwise_server::jobs::scheduler::{run_leased, run_recall, RECALL_JOB};
use slotwise_shared::admin::AppointmentAction;
use slotwise_shared::api::{
    BookingCreated, HoldRequest, InsuranceChoice, PatientDetails, ProviderChoice,
};
use slotwise_shared::automations::{
    AutomationSettings, BroadcastFilter, BroadcastRequest, BroadcastTemplate, LinkKind, OpenedLink,
    PartOfDay,
};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::PatientType;
use slotwise_shared::patients::VerifiedPatient;
use std::time::Duration;

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db().read)
        .await
        .expect(sql)
}

/// Books the first free time of the link's reason as the link's patient, through the link.
async fn book_through(app: &common::TestApp, token: &str, opened: &OpenedLink) -> BookingCreated {
    let slot = app
        .free_slots(opened.reason, ProviderChoice::Any)
        .await
        .into_iter()
        .next()
        .expect("a free time");
    let hold = app
        .client
        .hold(
            "demo",
            &HoldRequest {
                reason: opened.reason,
                provider: slot.provider,
                start: slot.start,
                lang: None,
            },
        )
        .await
        .expect("hold");
    let mut req = booking_request(&hold.hold_token);
    req.patient_type = PatientType::Returning;
    req.patient = PatientDetails {
        first_name: String::new(),
        last_name: String::new(),
        date_of_birth: String::new(),
        phone: String::new(),
        email: String::new(),
        pet: None,
    };
    req.insurance = opened.insurance.clone().unwrap_or(InsuranceChoice::SelfPay);
    req.verified = Some(VerifiedPatient {
        session: opened.household.patient_session.clone(),
        member: Some(opened.member),
    });
    req.link = Some(token.to_string());
    app.client
        .book("demo", &format!("link-{}", common::unique_key()), &req)
        .await
        .expect("booking through the link")
}

/// Appointments a broadcast with this filter would be about (recipients and opted out).
async fn reach(
    owner: &slotwise_shared::admin_client::AdminClient,
    request: &BroadcastRequest,
    filter: BroadcastFilter,
) -> i64 {
    let mut r = request.clone();
    r.filter = filter;
    let p = owner.preview_broadcast(&r).await.expect("preview");
    p.recipients + p.excluded_opted_out
}

async fn source_of(app: &common::TestApp, reference: &str) -> String {
    sqlx::query_scalar("SELECT source FROM appointments WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.db().read)
        .await
        .expect("appointment")
}

/// (appointment id, patient id) of a booking.
async fn ids_of(app: &common::TestApp, reference: &str) -> (i64, i64) {
    sqlx::query_as("SELECT id, patient_id FROM appointments WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.db().read)
        .await
        .expect("appointment")
}

/// Local dates from today to `days` ahead in the demo practice's timezone.
fn dates_ahead(days: i64) -> (String, String) {
    let tz = jiff::tz::TimeZone::get("America/New_York").expect("tz");
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let to = today
        .checked_add(jiff::Span::new().days(days))
        .expect("date");
    (today.to_string(), to.to_string())
}

db_test! {
    async fn a_recall_link_books_the_known_patient_and_counts_for_its_rule(app) {
        let owner = owner(app).await;
        let due = patients_with_visit(app, "Cleaning", 200, 0, 3).await;
        // Seen a month ago: not due yet.
        patients_with_visit(app, "Cleaning", 30, 10, 1).await;
        let rule = owner.add_recall_rule(&hygiene_rule(app)).await.expect("rule");
        assert_eq!(rule.stats.due, 3);
        // The third is a pet: the message greets its owner (the household's contact).
        sqlx::query(&format!("UPDATE patients SET species = 'dog', first_name = 'Rex' WHERE id = {}", due[2]))
            .execute(&app.db().write).await.expect("a pet");

        assert_eq!(run_leased(&app.server.state, RECALL_JOB).await.expect("run"), Some(3));
        // The next run finds nobody new.
        assert_eq!(run_leased(&app.server.state, RECALL_JOB).await.expect("run"), Some(0));
        let recalls = outbox_of(app, "recall").await;
        assert_eq!(recalls.len(), 6, "SMS and email to each of the three: {recalls:?}");
        let (_, _, _, context) = recalls.iter().find(|r| r.0 == due[0]).expect("patient 0's recall");
        let link = context["booking_link"].as_str().expect("link");
        assert!(link.contains("/book/demo/link/"), "{link}");
        assert_eq!(context["message"], "it's time for your next Cleaning at Brightside Dental.");
        assert_eq!(context["patient_first_name"], "Pat0");
        let pet = recalls.iter().find(|r| r.0 == due[2]).expect("the pet's recall");
        assert_eq!(pet.3["patient_first_name"], "Pat2", "the owner, not Rex");
        let stats = owner.recall_rules().await.expect("rules").rules[0].stats.clone();
        assert_eq!((stats.due, stats.sent, stats.opened, stats.booked), (0, 3, 0, 0));

        // The page a link opens is the widget with the token.
        let page = reqwest::get(format!("{}{}", app.server.url(), link.split_once("/book").map(|(_, p)| format!("/book{p}")).expect("path")))
            .await.expect("page").text().await.expect("html");
        assert!(page.contains(&format!("data-recall=\"{}\"", token_of(link))), "{page}");

        let token = token_of(link);
        let opened = app.client.open_link("demo", &token).await.expect("open");
        assert_eq!(opened.kind, LinkKind::Recall);
        assert_eq!(opened.reason, app.reason("Cleaning"));
        assert_eq!(opened.member.0, due[0]);
        assert_eq!(opened.household.members.len(), 1);
        assert_eq!(opened.insurance, Some(InsuranceChoice::SelfPay));

        let patients = app.count("patients").await;
        let booked = book_through(app, &token, &opened).await;
        assert_eq!(app.count("patients").await, patients, "the known patient, nobody new");
        assert_eq!(ids_of(app, &booked.booking.reference).await.1, due[0]);
        assert_eq!(source_of(app, &booked.booking.reference).await, "recall");
        let stats = owner.recall_rules().await.expect("rules").rules[0].stats.clone();
        assert_eq!((stats.sent, stats.opened, stats.booked), (3, 1, 1));
        let (from, to) = dates_ahead(0);
        assert_eq!(owner.automation_stats(&from, &to).await.expect("stats").recall_bookings, 1);

        // Used: a friendly 410 (the widget then offers ordinary booking); unknown: 404.
        let err = app.client.open_link("demo", &token).await.expect_err("used");
        assert_eq!(err.status(), Some(410));
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::LinkExpired));
        let err = app.client.open_link("demo", "not-a-real-token").await.expect_err("unknown");
        assert_eq!(err.status(), Some(404));
        // A link works at its own practice only.
        let other = recalls.iter().find(|r| r.0 == due[1]).expect("patient 1").3["booking_link"].as_str().map(token_of).expect("token");
        assert_eq!(app.client.open_link("other-clinic", &other).await.expect_err("other practice").status(), Some(404));
        // Expired: 410 too.
        sqlx::query("UPDATE patient_links SET expires_at = 0").execute(&app.db().write).await.expect("expire");
        let err = app.client.open_link("demo", &other).await.expect_err("expired");
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::LinkExpired));
    }
}

db_test! {
    async fn recall_runs_on_several_instances_send_each_recall_once(app) {
        let owner = owner(app).await;
        let due = patients_with_visit(app, "Cleaning", 400, 0, 120).await;
        owner.add_recall_rule(&hygiene_rule(app)).await.expect("rule");
        // Even without the lease, runs racing each other queue every recall once: the
        // database refuses a second link for the same rule, patient and visit.
        let state = app.server.state.clone();
        let now = common::now();
        let runs = (0..4).map(|_| {
            let state = state.clone();
            tokio::spawn(async move { run_recall(&state, now).await.expect("run") })
        });
        let sent: usize = futures::future::join_all(runs).await.into_iter().map(|r| r.expect("task")).sum();
        assert_eq!(sent, due.len());
        assert_eq!(count(app, "SELECT COUNT(*) FROM patient_links").await, 120);

        // Instances with the scheduler running: on PostgreSQL, two more servers on the same
        // database (a hosted deployment); they share the job through its lease.
        let more = patients_with_visit(app, "Cleaning", 400, 200, 60).await;
        let mut instances = Vec::new();
        if app.engine == common::Engine::Postgres {
            for _ in 0..2 {
                instances.push(app.another_instance(|c| c.automations_every = Duration::from_millis(100)).await);
            }
        } else {
            for _ in 0..3 {
                assert!(run_leased(&app.server.state, RECALL_JOB).await.expect("run").is_some());
            }
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while count(app, "SELECT COUNT(*) FROM patient_links").await < 180 {
            assert!(std::time::Instant::now() < deadline, "the instances did not send the recalls");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // A few more runs on each instance change nothing.
        tokio::time::sleep(Duration::from_millis(500)).await;
        for instance in instances {
            instance.stop().await.expect("stop");
        }
        assert_eq!(count(app, "SELECT COUNT(*) FROM patient_links").await, 180);
        assert_eq!(count(app, "SELECT COUNT(*) FROM outbox WHERE event = 'recall'").await, 360, "SMS and email each");
        assert_eq!(
            count(app, "SELECT COUNT(*) FROM (SELECT patient_id, channel FROM outbox WHERE event = 'recall' GROUP BY patient_id, channel HAVING COUNT(*) > 1) twice").await,
            0,
            "nobody got a recall twice"
        );
        let messaged: i64 = count(app, "SELECT COUNT(DISTINCT patient_id) FROM outbox WHERE event = 'recall'").await;
        assert_eq!(messaged as usize, due.len() + more.len());
    }
}

db_test! {
    async fn a_recall_run_stopped_mid_batch_and_run_again_sends_nothing_twice(app) {
        let owner = owner(app).await;
        let due = patients_with_visit(app, "Cleaning", 400, 0, 300).await;
        owner.add_recall_rule(&hygiene_rule(app)).await.expect("rule");
        let state = app.server.state.clone();
        let run = tokio::spawn(async move { run_recall(&state, common::now()).await });
        // Stop the run as soon as part of it is done, as when an instance stops.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let links = count(app, "SELECT COUNT(*) FROM patient_links").await;
            if links > 0 || run.is_finished() {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the run made no progress");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        run.abort();
        let _ = run.await;
        let part = count(app, "SELECT COUNT(*) FROM patient_links").await;
        assert_eq!(count(app, "SELECT COUNT(*) FROM outbox WHERE event = 'recall'").await, part * 2, "links and messages commit together");
        // Another run (another instance, after the restart) finishes the job.
        run_leased(&app.server.state, RECALL_JOB).await.expect("run again");
        assert_eq!(count(app, "SELECT COUNT(*) FROM patient_links").await, 300);
        assert_eq!(count(app, "SELECT COUNT(*) FROM outbox WHERE event = 'recall'").await, 600);
        assert_eq!(
            count(app, "SELECT COUNT(*) FROM (SELECT patient_id, channel FROM outbox WHERE event = 'recall' GROUP BY patient_id, channel HAVING COUNT(*) > 1) twice").await,
            0
        );
        assert_eq!(count(app, "SELECT COUNT(DISTINCT patient_id) FROM outbox WHERE event = 'recall'").await as usize, due.len());
    }
}

db_test! {
    async fn no_show_follow_ups_stop_when_the_patient_books_again(app) {
        let owner = owner(app).await;
        let first = book_checkup(app, "+1 415 510 6001", "noshow@example.com").await;
        let (appointment, patient) = ids_of(app, &first.booking.reference).await;
        owner.appointment_action(appointment, AppointmentAction::NoShow).await.expect("no-show");
        let now = common::now();
        let steps: Vec<(String, i64)> = sqlx::query_as(
            "SELECT event, MIN(send_after) FROM outbox WHERE event LIKE 'no_show_%' GROUP BY event ORDER BY MIN(send_after)",
        )
        .fetch_all(&app.db().read).await.expect("steps");
        let names: Vec<&str> = steps.iter().map(|(e, _)| e.as_str()).collect();
        assert_eq!(names, ["no_show_first", "no_show_second", "no_show_third"]);
        for ((_, at), hours) in steps.iter().zip([2, 24, 72]) {
            assert!((at - (now + hours * 3600)).abs() < 60, "step at +{hours} h");
        }
        // Marking it again changes nothing.
        owner.appointment_action(appointment, AppointmentAction::NoShow).await.expect("again");
        assert_eq!(count(app, "SELECT COUNT(*) FROM outbox WHERE event LIKE 'no_show_%'").await, 6);

        // The 1st has no personal link; the 2nd and 3rd carry the same rebooking link.
        let first_step = outbox_of(app, "no_show_first").await;
        assert!(!first_step[0].3["booking_link"].as_str().expect("link").contains("/link/"));
        let second = outbox_of(app, "no_show_second").await;
        let third = outbox_of(app, "no_show_third").await;
        let link = second[0].3["booking_link"].as_str().expect("link").to_string();
        assert!(link.contains("/book/demo/link/"));
        assert_eq!(third[0].3["booking_link"], link.as_str());

        let token = token_of(&link);
        let opened = app.client.open_link("demo", &token).await.expect("open");
        assert_eq!(opened.kind, LinkKind::Rebooking);
        assert_eq!(opened.reason, app.reason("Checkup"));
        assert_eq!(opened.member.0, patient);
        let again = book_through(app, &token, &opened).await;
        assert_eq!(source_of(app, &again.booking.reference).await, "rebooking");
        let left: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox WHERE event LIKE 'no_show_%'")
            .fetch_all(&app.db().read).await.expect("statuses");
        assert!(left.iter().all(|s| s == "cancelled"), "the sequence stopped: {left:?}");
        let (from, to) = dates_ahead(60);
        let stats = owner.automation_stats(&from, &to).await.expect("stats");
        assert_eq!((stats.no_shows, stats.recovered), (1, 1));
    }
}

db_test! {
    async fn stop_stops_every_automation_for_that_patient(app) {
        use slotwise_server::routes::twilio_inbound::twilio_signature;
        let twilio = TwilioDouble::start().await;
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", twilio.channel_config()).await;
        let owner = owner(app).await;
        // A no-show with its follow-ups running, and a recall due, for the same phone.
        let booked = book_checkup(app, "+1 415 577 0000", "stop@example.com").await;
        let (appointment, _) = ids_of(app, &booked.booking.reference).await;
        owner.appointment_action(appointment, AppointmentAction::NoShow).await.expect("no-show");
        let recall_patient = patients_with_visit(app, "Cleaning", 200, 0, 1).await[0];
        let also_due = patients_with_visit(app, "Cleaning", 200, 1, 1).await[0];
        owner.add_recall_rule(&hygiene_rule(app)).await.expect("rule");

        let url = format!("{}/api/v1/webhooks/twilio/demo/sms", app.server.url());
        let stop: Vec<(String, String)> = [
            ("MessageSid", "SM0000000000000000000000000000f00d"),
            ("AccountSid", common::twilio_double::ACCOUNT_SID),
            ("From", "+14155770000"),
            ("To", common::twilio_double::FROM),
            ("Body", "STOP"),
            ("NumMedia", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let signature = twilio_signature(common::twilio_double::AUTH_TOKEN, &url, &stop);
        let resp = reqwest::Client::new().post(&url).header("X-Twilio-Signature", signature).form(&stop).send().await.expect("webhook");
        assert_eq!(resp.status(), 200);

        // The follow-ups still to go are cancelled, on every channel.
        let pending: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox WHERE event LIKE 'no_show_%'")
            .fetch_all(&app.db().read).await.expect("statuses");
        assert!(!pending.is_empty() && pending.iter().all(|s| s == "cancelled"), "{pending:?}");
        // The recall skips them; the other patient still gets theirs.
        run_leased(&app.server.state, RECALL_JOB).await.expect("run");
        let recalled: Vec<i64> = outbox_of(app, "recall").await.into_iter().map(|r| r.0).collect();
        assert!(!recalled.contains(&recall_patient) && recalled.contains(&also_due), "{recalled:?}");
        // A broadcast leaves them out too.
        let (from, to) = dates_ahead(60);
        let preview = owner
            .preview_broadcast(&BroadcastRequest {
                template: BroadcastTemplate::AppointmentReminder,
                filter: BroadcastFilter { from, to, status: "no_show".into(), ..BroadcastFilter::default() },
                note: String::new(),
            })
            .await
            .expect("preview");
        assert_eq!((preview.recipients, preview.excluded_opted_out), (0, 1));
        // Staff see it on the appointment.
        let list = owner.appointments(&Default::default()).await.expect("list");
        let item = list.appointments.iter().find(|a| a.id == appointment).expect("the appointment");
        assert!(item.automations_paused);
        // Staff cannot resume what the patient stopped: only the patient can (START).
        let patient = item.patient_id.expect("patient");
        assert!(owner.pause_automations(patient, false).await.expect("resume").paused);
        let list = owner.appointments(&Default::default()).await.expect("list");
        assert!(list.appointments.iter().any(|a| a.id == appointment && a.automations_paused));
    }
}

db_test! {
    async fn a_broadcast_queues_exactly_what_its_preview_counted(app) {
        let owner = owner(app).await;
        let mut references = Vec::new();
        for i in 0..4 {
            references.push(book_checkup(app, &format!("+1 415 510 70{i:02}"), &format!("b{i}@example.com")).await.booking.reference);
        }
        // One patient paused their automated messages (staff did it for them).
        let (_, paused) = ids_of(app, &references[3]).await;
        owner.pause_automations(paused, true).await.expect("pause");
        let mut settings = owner.automation_settings().await.expect("settings");
        settings.broadcast_per_minute = 2;
        owner.save_automation_settings(&settings).await.expect("save");

        let (from, to) = dates_ahead(60);
        let request = BroadcastRequest {
            template: BroadcastTemplate::ClinicClosing,
            filter: BroadcastFilter { from, to, ..BroadcastFilter::default() },
            note: "A burst pipe, sorry!".into(),
        };
        let preview = owner.preview_broadcast(&request).await.expect("preview");
        assert_eq!(preview.recipients, 3);
        assert_eq!(preview.excluded_opted_out, 1);
        assert_eq!(preview.messages, 6, "SMS and email each");
        assert!(!preview.sample.is_empty() && preview.sample[0].body.contains("A burst pipe, sorry!"), "{:?}", preview.sample);

        let sent = owner.send_broadcast(&request, "closing-1").await.expect("send");
        assert_eq!((sent.recipients, sent.messages), (preview.recipients, preview.messages));
        // The same send again (a retry after a lost answer) answers the first broadcast.
        let again = owner.send_broadcast(&request, "closing-1").await.expect("send again");
        assert_eq!(again.id, sent.id);
        assert_eq!(count(app, "SELECT COUNT(*) FROM broadcasts").await, 1);
        let mut other = request.clone();
        other.note = "Another note".into();
        let err = owner.send_broadcast(&other, "closing-1").await.expect_err("key reused");
        assert_eq!(err.body().map(|b| b.code), Some(ErrorCode::IdempotencyKeyReused));
        let id = sent.id;
        let queued_appointments = count(app, &format!("SELECT COUNT(DISTINCT appointment_id) FROM outbox WHERE broadcast_id = {id}")).await;
        let queued = count(app, &format!("SELECT COUNT(*) FROM outbox WHERE broadcast_id = {id}")).await;
        assert_eq!((queued_appointments, queued), (preview.recipients, preview.messages));
        assert_eq!(count(app, &format!("SELECT COUNT(*) FROM outbox WHERE broadcast_id = {id} AND patient_id = {paused}")).await, 0);
        // Two messages a minute: a patient's SMS and email go together, the three patients a
        // minute apart.
        let starts: Vec<i64> = sqlx::query_scalar(&format!("SELECT DISTINCT send_after - (SELECT MIN(send_after) FROM outbox WHERE broadcast_id = {id}) FROM outbox WHERE broadcast_id = {id} ORDER BY 1"))
            .fetch_all(&app.db().read).await.expect("times");
        assert_eq!(starts, vec![0, 60, 120]);
        // The record: who was sent what.
        let detail = owner.broadcast(id).await.expect("detail");
        assert_eq!(detail.recipients.len() as i64, preview.messages);
        assert_eq!(detail.broadcast.note, "A burst pipe, sorry!");
        assert_eq!(owner.broadcasts().await.expect("list").broadcasts.len(), 1);
        // The manage link in the message works, and so does the patient's own.
        let (_, _, _, context) = outbox_of(app, "broadcast_closing").await.into_iter().next().expect("a message");
        let manage = token_of(context["manage_link"].as_str().expect("manage link"));
        app.client.booking("demo", &manage).await.expect("the broadcast's link");

        // The filters narrow the same appointments: morning and afternoon split them, another
        // provider or service has none of them.
        let all = reach(&owner, &request, request.filter.clone()).await;
        assert_eq!(all, 4);
        let morning = reach(&owner, &request, BroadcastFilter { part_of_day: PartOfDay::Morning, ..request.filter.clone() }).await;
        let afternoon = reach(&owner, &request, BroadcastFilter { part_of_day: PartOfDay::Afternoon, ..request.filter.clone() }).await;
        assert_eq!(morning + afternoon, all);
        let patel = reach(&owner, &request, BroadcastFilter { provider_id: Some(app.provider("Dr. Maya Patel")), ..request.filter.clone() }).await;
        assert_eq!(patel, all);
        let okafor = reach(&owner, &request, BroadcastFilter { provider_id: Some(app.provider("Dr. James Okafor")), ..request.filter.clone() }).await;
        assert_eq!(okafor, 0);
        let checkups = reach(&owner, &request, BroadcastFilter { reason_id: Some(app.reason("Checkup")), ..request.filter.clone() }).await;
        assert_eq!(checkups, all);
        let cleanings = reach(&owner, &request, BroadcastFilter { reason_id: Some(app.reason("Cleaning")), ..request.filter.clone() }).await;
        assert_eq!(cleanings, 0);
        let completed = reach(&owner, &request, BroadcastFilter { status: "completed".into(), ..request.filter.clone() }).await;
        assert_eq!(completed, 0);

        // Bad filters are refused with the field named.
        let mut bad = request.clone();
        bad.filter.to = "2020-01-01".into();
        let err = owner.preview_broadcast(&bad).await.expect_err("backwards");
        assert!(err.body().and_then(|b| b.fields.as_ref()).is_some_and(|f| f.contains_key("filter.to")));
    }
}

db_test! {
    async fn completed_visits_get_aftercare_and_a_rating_request_an_hour_later(app) {
        let owner = owner(app).await;
        let setup = owner.setup().await.expect("setup");
        let checkup = setup.reasons.iter().find(|r| r.input.name == "Checkup").expect("checkup").clone();
        let mut input = checkup.input.clone();
        input.aftercare = "Avoid hot drinks for an hour.".into();
        owner.update_reason(checkup.id, &input).await.expect("aftercare");
        owner.save_automation_settings(&AutomationSettings { feedback_enabled: true, ..AutomationSettings::default() }).await.expect("feedback on");

        let booked = book_checkup(app, "+1 415 510 8001", "visit@example.com").await;
        let (appointment, _) = ids_of(app, &booked.booking.reference).await;
        owner.appointment_action(appointment, AppointmentAction::Complete).await.expect("completed");
        let now = common::now();
        let aftercare = outbox_of(app, "aftercare").await;
        assert_eq!(aftercare.len(), 2);
        assert_eq!(aftercare[0].3["message"], "Avoid hot drinks for an hour.");
        let at: i64 = count(app, "SELECT MIN(send_after) FROM outbox WHERE event = 'feedback_request'").await;
        assert!((at - (now + 3600)).abs() < 60, "an hour after completion");
        let survey = outbox_of(app, "feedback_request").await[0].3["survey_link"].as_str().expect("link").to_string();
        let path = format!("/feedback/{}", token_of(&survey));
        let http = reqwest::Client::new();
        let page = http.get(format!("{}{path}", app.server.url())).send().await.expect("page");
        assert_eq!(page.status(), 200);
        assert!(page.text().await.expect("html").contains("How was your visit to Brightside Dental?"));
        // In the patient's browser language, unless the link says otherwise.
        let spanish = http.get(format!("{}{path}", app.server.url())).header("accept-language", "es-MX,es;q=0.9").send().await.expect("page");
        let html = spanish.text().await.expect("html");
        assert!(html.contains("<html lang=\"es\">") && html.contains("¿Cómo fue su visita a Brightside Dental?") && html.contains("Muy buena"), "{html}");
        let asked = http.get(format!("{}{path}?lang=en", app.server.url())).header("accept-language", "es").send().await.expect("page");
        assert!(asked.text().await.expect("html").contains("How was your visit"));
        let bad = http.post(format!("{}{path}", app.server.url())).header("accept-language", "es").form(&[("rating", "9")]).send().await.expect("post");
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.expect("html").contains("Elija una calificación del 1 al 5."));
        let ok = http.post(format!("{}{path}", app.server.url())).form(&[("rating", "4"), ("comment", "Gentle and quick.")]).send().await.expect("post");
        assert_eq!(ok.status(), 200);
        let (from, to) = dates_ahead(0);
        let stats = owner.automation_stats(&from, &to).await.expect("stats");
        assert_eq!((stats.feedback_count, stats.feedback_average), (1, Some(4.0)));
        assert_eq!(stats.feedback_by_rating, vec![0, 0, 0, 1, 0]);
        assert_eq!(stats.recent_feedback[0].comment, "Gentle and quick.");
        assert_eq!(stats.recent_feedback[0].service, "Checkup");

        // Completing it again queues nothing new; a correction to no-show cancels what waits.
        owner.appointment_action(appointment, AppointmentAction::Complete).await.expect("again");
        owner.appointment_action(appointment, AppointmentAction::NoShow).await.expect("correction");
        let feedback: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox WHERE event = 'feedback_request'")
            .fetch_all(&app.db().read).await.expect("statuses");
        assert!(feedback.iter().all(|s| s == "cancelled"), "{feedback:?}");
        // Recall rules are checked like templates.
        let mut rule = hygiene_rule(app);
        rule.message = "Hi {{ first_name }}".into();
        rule.interval_days = 0;
        let err = owner.add_recall_rule(&rule).await.expect_err("bad rule");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields.contains_key("message") && fields.contains_key("interval_days"), "{fields:?}");
    }
}

db_test! {
    async fn after_downtime_only_the_latest_due_no_show_follow_up_goes_out(app) {
        let owner = owner(app).await;
        let booked = book_checkup(app, "+1 415 510 6101", "late@example.com").await;
        let (appointment, _) = ids_of(app, &booked.booking.reference).await;
        owner.appointment_action(appointment, AppointmentAction::NoShow).await.expect("no-show");
        // The server was down for four days: all three steps are due at once.
        sqlx::query("UPDATE outbox SET send_after = 0, next_attempt_at = 0 WHERE event LIKE 'no_show_%'")
            .execute(&app.db().write).await.expect("fast-forward");
        app.server.state.outbox.wake();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let waiting = count(app, "SELECT COUNT(*) FROM outbox WHERE event LIKE 'no_show_%' AND status IN ('queued', 'sending', 'failed')").await;
            if waiting == 0 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the follow-ups were not handled");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let statuses: Vec<(String, String)> = sqlx::query_as("SELECT event, status FROM outbox WHERE event LIKE 'no_show_%' AND channel = 'sms' ORDER BY id")
            .fetch_all(&app.db().read).await.expect("statuses");
        let expected = [("no_show_first", "cancelled"), ("no_show_second", "cancelled"), ("no_show_third", "sent")];
        assert_eq!(statuses, expected.map(|(e, s)| (e.to_string(), s.to_string())));
    }
}
