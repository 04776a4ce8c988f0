//! Messages end to end: confirmations with working links, reminders that follow the
//! appointment, SMS through a Twilio double and email through a real SMTP server, failures
//! retried or given up with their reason, opt-out, templates. Every test runs on SQLite and
//! PostgreSQL.

use crate::common;
use crate::db_test;

use common::messaging::{book_checkup, make_reminders_due, of, wait_for_messages, Admin};
use common::smtp_server::SmtpServer;
use common::twilio_double::{Fault, TwilioDouble};
use serde_json::json;
use slotwise_shared::api::{HoldRequest, ProviderChoice, RescheduleRequest};

fn final_status(m: &serde_json::Value) -> bool {
    matches!(
        m["status"].as_str(),
        Some("sent" | "dead" | "suppressed" | "cancelled")
    )
}

db_test! {
    async fn a_booking_queues_a_confirmation_with_working_links_and_reminders(app) {
        let admin = Admin::for_practice(app, "demo").await;
        let booked = book_checkup(app, "+1 415 510 2222", "pat@example.com").await;
        let start = booked.booking.start.as_second();
        let messages = wait_for_messages(&admin, 20, "the confirmations", |ms| {
            ["sms", "email"].iter().all(|c| of(ms, "confirmation", c).iter().any(|m| m["status"] == "sent"))
        })
        .await;
        let sms = of(&messages, "confirmation", "sms")[0];
        let text = sms["body"].as_str().expect("rendered text");
        assert!(text.starts_with("Hi Ana, you're booked with Dr. Maya Patel"), "{text}");
        assert!(text.contains(&booked.booking.manage_url), "{text}");
        assert!(text.contains(&booked.booking.calendar.ics_url), "{text}");
        assert!(text.ends_with("Reply STOP to opt out."), "{text}");
        assert!(!text.contains("Checkup"), "the reason stays out of text messages: {text}");
        assert_eq!(sms["recipient"], "+14155102222");
        assert!(sms["provider_message_id"].as_str().expect("id").starts_with("local-"));
        let email = of(&messages, "confirmation", "email")[0];
        assert!(email["subject"].as_str().expect("subject").starts_with("You're booked"));
        // The links in the message work.
        let page = reqwest::get(&booked.booking.manage_url).await.expect("manage page");
        assert_eq!(page.status(), 200);
        let ics = reqwest::get(&booked.booking.calendar.ics_url).await.expect("ics");
        assert_eq!(ics.status(), 200);
        assert!(ics.text().await.expect("ics body").contains("BEGIN:VEVENT"));

        // Reminders at 1 week, 2 days and 2 hours, where still ahead (at least 15 minutes).
        let expected: Vec<i64> = [10_080, 2_880, 120]
            .iter()
            .map(|m| start - m * 60)
            .filter(|due| *due >= common::now() + 15 * 60 - 5)
            .collect();
        for channel in ["sms", "email"] {
            let mut due: Vec<i64> = of(&messages, "reminder", channel)
                .iter()
                .map(|m| {
                    assert_eq!(m["status"], "queued");
                    m["send_after"].as_str().expect("time").parse::<jiff::Timestamp>().expect("ts").as_second()
                })
                .collect();
            due.sort_unstable();
            let mut want = expected.clone();
            want.sort_unstable();
            assert_eq!(due, want, "{channel} reminders");
        }

        // Moving the appointment cancels its reminders, tells the patient, queues new ones.
        let reason = app.reason("Checkup");
        let later = app
            .free_slots(reason, ProviderChoice::Id(app.provider("Dr. Maya Patel")))
            .await
            .into_iter()
            .find(|s| s.start.as_second() > start + 86_400)
            .expect("a later time");
        let hold = app
            .client
            .hold("demo", &HoldRequest { reason, provider: later.provider, start: later.start, lang: None })
            .await
            .expect("hold");
        let token = booked.manage_token.clone();
        app.client
            .reschedule("demo", &token, &RescheduleRequest { hold_token: hold.hold_token })
            .await
            .expect("reschedule");
        let messages = wait_for_messages(&admin, 20, "the move notice", |ms| {
            of(ms, "rescheduled", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let moved = of(&messages, "rescheduled", "sms")[0]["body"].as_str().expect("text").to_string();
        assert!(moved.contains("is now on"), "{moved}");
        let reminders = of(&messages, "reminder", "sms");
        assert_eq!(
            reminders.iter().filter(|m| m["status"] == "cancelled").count(),
            expected.len(),
            "the old reminders are cancelled"
        );
        assert!(reminders.iter().any(|m| m["status"] == "queued"), "new reminders are queued");

        // Cancelling cancels the remaining reminders and offers a new booking.
        app.client.cancel("demo", &token).await.expect("cancel");
        let messages = wait_for_messages(&admin, 20, "the cancellation notice", |ms| {
            of(ms, "cancelled", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        assert!(of(&messages, "reminder", "sms").iter().all(|m| m["status"] == "cancelled"));
        let cancelled = of(&messages, "cancelled", "sms")[0]["body"].as_str().expect("text").to_string();
        assert!(cancelled.contains("/book/demo"), "{cancelled}");
    }
}

db_test! {
    async fn sms_through_twilio_is_retried_refused_numbers_die_with_their_reason_and_can_be_resent(app) {
        let twilio = TwilioDouble::start().await;
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", twilio.channel_config()).await;
        admin.disable_channel("email").await;

        // Two provider errors, then accepted: one message at Twilio, its SID stored.
        twilio.fail_next([Fault::ServerError, Fault::ServerError]);
        book_checkup(app, "+1 415 510 4001", "a@example.com").await;
        let messages = wait_for_messages(&admin, 30, "the retried confirmation", |ms| {
            of(ms, "confirmation", "sms").iter().any(|m| final_status(m))
        })
        .await;
        let first = of(&messages, "confirmation", "sms")[0];
        assert_eq!(first["status"], "sent", "{first}");
        assert_eq!(first["attempts"], 3);
        let received = twilio.received();
        assert_eq!(received.len(), 1);
        assert_eq!(first["provider_message_id"], received[0].sid.as_str());
        assert_eq!(received[0].to, "+14155104001");
        assert!(received[0].body.contains("Reply STOP to opt out."));

        // A timeout after Twilio took the message: the next attempt finds it, sends nothing.
        twilio.fail_next([Fault::HangAfterAccepting(std::time::Duration::from_secs(6))]);
        book_checkup(app, "+1 415 510 4002", "b@example.com").await;
        let messages = wait_for_messages(&admin, 30, "the timed-out confirmation", |ms| {
            ms.iter().any(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104002" && final_status(m))
        })
        .await;
        let timed_out = messages.iter().find(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104002").expect("msg");
        assert_eq!(timed_out["status"], "sent", "{timed_out}");
        assert_eq!(timed_out["possible_duplicate"], false);
        assert_eq!(twilio.received().iter().filter(|m| m.to == "+14155104002").count(), 1);

        // An invalid number is refused for good: dead at once, with Twilio's reason.
        twilio.fail_next([Fault::Reject(21211)]);
        let booked = book_checkup(app, "+1 415 510 4003", "c@example.com").await;
        let messages = wait_for_messages(&admin, 30, "the refused confirmation", |ms| {
            ms.iter().any(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104003" && final_status(m))
        })
        .await;
        let dead = messages.iter().find(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104003").expect("msg").clone();
        assert_eq!(dead["status"], "dead");
        assert_eq!(dead["attempts"], 1);
        assert!(dead["last_error"].as_str().expect("reason").contains("21211"), "{dead}");
        assert_eq!(dead["reference"], booked.booking.reference.as_str());
        let (status, failed) = admin.get("/messages?status=dead").await;
        assert_eq!(status, 200);
        assert_eq!(failed["messages"].as_array().expect("list").len(), 1);

        // Staff correct the number and send it again.
        let patient = dead["patient_id"].as_i64().expect("patient");
        let (status, body) = admin
            .put(&format!("/patients/{patient}/contact"), json!({ "phone": "555" }))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["phone"].is_string());
        let (status, _) = admin
            .put(&format!("/patients/{patient}/contact"), json!({ "phone": "+1 415 510 4004" }))
            .await;
        assert_eq!(status, 200);
        let id = dead["id"].as_i64().expect("id");
        let (status, resent) = admin.post(&format!("/messages/{id}/resend")).await;
        assert_eq!(status, 200, "{resent}");
        assert_eq!(resent["recipient"], "+14155104004");
        wait_for_messages(&admin, 30, "the resent message", |ms| {
            ms.iter().any(|m| m["id"] == id && m["status"] == "sent")
        })
        .await;
        assert!(twilio.received().iter().any(|m| m.to == "+14155104004"));
        let (status, _) = admin.post(&format!("/messages/{id}/resend")).await;
        assert_eq!(status, 200, "a sent message may be sent once more");
        wait_for_messages(&admin, 30, "the message sent once more", |ms| {
            ms.iter().any(|m| m["id"] == id && m["status"] == "sent")
        })
        .await;

        // Providers down for every attempt: dead after the last one, with the reason.
        twilio.fail_next(std::iter::repeat_n(Fault::ServerError, 4));
        book_checkup(app, "+1 415 510 4005", "d@example.com").await;
        let messages = wait_for_messages(&admin, 40, "the exhausted confirmation", |ms| {
            ms.iter().any(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104005" && final_status(m))
        })
        .await;
        let exhausted = messages.iter().find(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104005").expect("msg");
        assert_eq!(exhausted["status"], "dead", "{exhausted}");
        assert_eq!(exhausted["attempts"], 4);
        assert!(exhausted["last_error"].as_str().expect("reason").contains("Gave up after 4 attempts"));

        // Twilio 21610 (the number texted STOP to Twilio): suppressed, not retried.
        twilio.unsubscribe("+14155104006");
        let before = twilio.requests();
        book_checkup(app, "+1 415 510 4006", "e@example.com").await;
        let messages = wait_for_messages(&admin, 30, "the unsubscribed confirmation", |ms| {
            ms.iter().any(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104006" && final_status(m))
        })
        .await;
        let refused = messages.iter().find(|m| m["event"] == "confirmation" && m["recipient"] == "+14155104006").expect("msg");
        assert_eq!(refused["status"], "suppressed", "{refused}");
        assert_eq!(twilio.requests(), before + 1);
        let suppressed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM message_suppressions WHERE channel = 'sms' AND address = '+14155104006'",
        )
        .fetch_one(&app.db().read)
        .await
        .expect("count");
        assert_eq!(suppressed, 1);
    }
}

db_test! {
    async fn stop_suppresses_reminders_start_lifts_it_and_a_bad_signature_changes_nothing(app) {
        use slotwise_server::routes::twilio_inbound::twilio_signature;
        let twilio = TwilioDouble::start().await;
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", twilio.channel_config()).await;
        admin.disable_channel("email").await;
        book_checkup(app, "+1 415 510 5001", "s@example.com").await;
        wait_for_messages(&admin, 20, "the confirmation", |ms| {
            of(ms, "confirmation", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;

        let url = format!("{}/api/v1/webhooks/twilio/demo/sms", app.server.url());
        let inbound = |body: &str| -> Vec<(String, String)> {
            [
                ("MessageSid", "SM0000000000000000000000000000beef"),
                ("AccountSid", common::twilio_double::ACCOUNT_SID),
                ("From", "+14155105001"),
                ("To", common::twilio_double::FROM),
                ("Body", body),
                ("NumMedia", "0"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        };
        let http = reqwest::Client::new();
        let post = |params: Vec<(String, String)>, signature: String| {
            let http = http.clone();
            let url = url.clone();
            async move {
                http.post(&url)
                    .header("X-Twilio-Signature", signature)
                    .form(&params)
                    .send()
                    .await
                    .expect("webhook")
            }
        };
        let suppressions = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM message_suppressions")
                .fetch_one(&app.db().read)
                .await
                .expect("count")
        };

        // Signed with the wrong token: 403 and nothing changes.
        let stop = inbound(" stop ");
        let bad = twilio_signature("not-the-token", &url, &stop);
        let resp = post(stop.clone(), bad).await;
        assert_eq!(resp.status(), 403);
        // Unsigned: the same 403, before anything about the practice's SMS is looked up.
        let unsigned = http.post(&url).form(&stop).send().await.expect("webhook");
        assert_eq!(unsigned.status(), 403);
        assert_eq!(suppressions().await, 0);
        let resp = post(stop.clone(), String::new()).await;
        assert_eq!(resp.status(), 403);

        // STOP: the reminders are not sent.
        let good = twilio_signature(common::twilio_double::AUTH_TOKEN, &url, &stop);
        let resp = post(stop, good).await;
        assert_eq!(resp.status(), 200);
        assert!(resp.text().await.expect("twiml").contains("<Response>"));
        assert_eq!(suppressions().await, 1);
        let sent_before = twilio.received().len();
        make_reminders_due(app).await;
        let messages = wait_for_messages(&admin, 20, "the suppressed reminders", |ms| {
            let r = of(ms, "reminder", "sms");
            !r.is_empty() && r.iter().all(|m| m["status"] == "suppressed")
        })
        .await;
        assert_eq!(twilio.received().len(), sent_before, "nothing went out after STOP");

        // START: sending works again.
        let start = inbound("START");
        let signature = twilio_signature(common::twilio_double::AUTH_TOKEN, &url, &start);
        assert_eq!(post(start, signature).await.status(), 200);
        assert_eq!(suppressions().await, 0);
        let id = of(&messages, "reminder", "sms")[0]["id"].as_i64().expect("id");
        let (status, _) = admin.post(&format!("/messages/{id}/resend")).await;
        assert_eq!(status, 200);
        wait_for_messages(&admin, 20, "the reminder after START", |ms| {
            ms.iter().any(|m| m["id"] == id && m["status"] == "sent")
        })
        .await;
        let last = twilio.received().pop().expect("a message");
        assert!(last.body.contains("friendly reminder"), "{}", last.body);
    }
}

db_test! {
    async fn email_goes_through_a_real_smtp_server_with_a_calendar_file_and_unsubscribe(app) {
        let smtp = SmtpServer::start();
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("email", smtp.channel_config()).await;
        admin.disable_channel("sms").await;
        let booked = book_checkup(app, "+1 415 510 6001", "mail.me@example.com").await;
        wait_for_messages(&admin, 20, "the email", |ms| {
            of(ms, "confirmation", "email").iter().any(|m| final_status(m))
        })
        .await;
        let mails = smtp.mails();
        assert_eq!(mails.len(), 1);
        let mail = &mails[0];
        assert_eq!(mail.to, vec!["mail.me@example.com".to_string()]);
        assert_eq!(mail.from, "hello@brightside.example");
        for part in [
            "Subject: You're booked",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "text/calendar",
            "filename=\"appointment.ics\"",
            "BEGIN:VCALENDAR",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            booked.booking.reference.as_str(),
        ] {
            assert!(mail.data.contains(part), "missing {part:?} in\n{}", mail.data);
        }
        let unsubscribe = mail
            .data
            .lines()
            .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
            .and_then(|l| l.strip_suffix('>'))
            .expect("List-Unsubscribe header")
            .to_string();
        let page = reqwest::get(&unsubscribe).await.expect("page");
        assert_eq!(page.status(), 200);
        assert!(page.text().await.expect("html").contains("Stop emails from Brightside Dental?"));
        let spanish = reqwest::Client::new().get(&unsubscribe).header("accept-language", "es").send().await.expect("page");
        assert!(spanish.text().await.expect("html").contains("¿Dejar de recibir correos de Brightside Dental?"));
        let done = reqwest::Client::new().post(&unsubscribe).send().await.expect("unsubscribe");
        assert_eq!(done.status(), 200);
        assert!(done.text().await.expect("html").contains("unsubscribed"));

        // The next email to that address is not sent.
        book_checkup(app, "+1 415 510 6001", "mail.me@example.com").await;
        wait_for_messages(&admin, 20, "the suppressed email", |ms| {
            of(ms, "confirmation", "email").iter().any(|m| m["status"] == "suppressed")
        })
        .await;
        assert_eq!(smtp.mails().len(), 1);
        let missing = reqwest::get(format!("{}/unsubscribe/{}", app.server.url(), "x".repeat(43)))
            .await
            .expect("unknown link");
        assert_eq!(missing.status(), 404);
    }
}

db_test! {
    async fn templates_with_unknown_tags_are_refused_and_saved_ones_are_used(app) {
        let admin = Admin::for_practice(app, "demo").await;
        let (status, body) = admin
            .put("/templates/confirmation/sms", json!({ "body": "Hi {{ first_name }} {{ date }}" }))
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body["fields"]["body"].as_str().expect("reason").contains("first_name"));
        let (status, body) = admin
            .put("/templates/confirmation/email", json!({ "subject": "", "body": "Hi" }))
            .await;
        assert_eq!(status, 422);
        assert!(body["fields"]["subject"].is_string());
        let (status, _) = admin.put("/templates/birthday/sms", json!({ "body": "Hi" })).await;
        assert_eq!(status, 404);

        let (status, saved) = admin
            .put(
                "/templates/confirmation/sms",
                json!({ "body": "See you {{ date }} at {{ time }}, {{ patient_first_name }}! {{ manage_link }}" }),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        let (_, list) = admin.get("/templates").await;
        assert_eq!(
            list["templates"].as_array().expect("list").len(),
            21 * 3 * 2,
            "every event on every channel, in English and Spanish"
        );
        assert!(list["tags"].as_array().expect("tags").iter().any(|t| t["name"] == "manage_link"));
        let custom = list["templates"]
            .as_array()
            .expect("list")
            .iter()
            .find(|t| t["event"] == "confirmation" && t["channel"] == "sms" && t["lang"] == "en")
            .expect("template");
        assert_eq!(custom["customised"], true, "saved in the practice's default language");

        book_checkup(app, "+1 415 510 7001", "t@example.com").await;
        let messages = wait_for_messages(&admin, 20, "the confirmation", |ms| {
            of(ms, "confirmation", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let text = of(&messages, "confirmation", "sms")[0]["body"].as_str().expect("text").to_string();
        assert!(text.starts_with("See you "), "{text}");
        assert!(text.ends_with("Reply STOP to opt out."), "the opt-out line is added: {text}");

        // Credentials: none → 401; another practice's key sees nothing of this one.
        let resp = reqwest::get(format!("{}/api/v1/admin/messages", app.server.url()))
            .await
            .expect("no key");
        assert_eq!(resp.status(), 401);
        let other = Admin::for_practice(app, "other-clinic").await;
        assert!(other.messages().await.is_empty());
        let id = messages[0]["id"].as_i64().expect("id");
        let (status, _) = other.post(&format!("/messages/{id}/resend")).await;
        assert_eq!(status, 404);
        let patient = messages[0]["patient_id"].as_i64().expect("patient");
        let (status, _) = other
            .put(&format!("/patients/{patient}/contact"), json!({ "phone": "+1 415 510 7002" }))
            .await;
        assert_eq!(status, 404);
        let (status, settings) = other.get("/messaging").await;
        assert_eq!(status, 200);
        assert_eq!(settings["reminder_offsets_minutes"], json!([10080, 2880, 120]));
    }
}
