//! The admin API behind the staff console: sign-in, sessions, CSRF, roles, and the tenancy
//! matrix (staff of one practice can neither read nor change another's). Every test runs on
//! SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::staff::{account, signed_in, PASSWORD};
use serde_json::{json, Value};
use slotwise_shared::admin::{
    AppointmentAction, CarrierInput, HoursRow, HoursUpdate, ProviderInput, ReasonInput, StaffRole,
    TimeOffInput,
};
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::client::ApiClient;
use slotwise_shared::model::Eligibility;

fn status_of<T: std::fmt::Debug>(r: Result<T, slotwise_shared::client::ClientError>) -> u16 {
    r.expect_err("the call should fail").status().unwrap_or(0)
}

db_test! {
    async fn signing_in_sets_a_strict_session_cookie_and_five_failures_lock_the_account(app) {
        let email = account(app, "demo", StaffRole::Owner).await;
        let raw = app
            .client
            .raw(
                "POST",
                "/api/v1/admin/session",
                &[("Content-Type", "application/json")],
                Some(json!({ "email": email.to_uppercase(), "password": PASSWORD }).to_string()),
            )
            .await
            .expect("login");
        assert_eq!(raw.status, 200, "{}", raw.body);
        let cookie = raw.headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("cookie");
        for part in ["slotwise_staff=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        let body: Value = serde_json::from_str(&raw.body).expect("json");
        assert_eq!(body["staff"]["role"], "owner");
        assert_eq!(body["practice_slug"], "demo");
        assert!(body["csrf_token"].as_str().is_some_and(|t| t.len() >= 20));

        let client = AdminClient::new(ApiClient::new(app.server.url()));
        for attempt in 1..=4 {
            let err = client.login(&email, "wrong password!").await;
            assert_eq!(status_of(err), 401, "attempt {attempt}");
        }
        assert_eq!(status_of(client.login(&email, "wrong password!").await), 429, "fifth failure locks");
        assert_eq!(
            status_of(client.login(&email, PASSWORD).await),
            429,
            "the right password waits for the lock to end"
        );
        for attempt in 1..=4 {
            let err = client.login("nobody@demo.test", PASSWORD).await;
            assert_eq!(status_of(err), 401, "unknown email, attempt {attempt}");
        }
        let unknown = client.login("nobody@demo.test", PASSWORD).await.expect_err("locked");
        assert_eq!(unknown.status(), Some(429), "unknown emails lock like accounts");
        let known = client.login(&email, PASSWORD).await.expect_err("locked");
        assert_eq!(unknown.body().map(|b| &b.message), known.body().map(|b| &b.message), "same answer");

        let owner = signed_in(app, "demo", StaffRole::Admin).await;
        let me = owner.session().await.expect("session");
        assert_eq!(me.staff.role, StaffRole::Admin);
        owner.logout().await.expect("logout");
        assert_eq!(status_of(owner.session().await), 401, "signed out on the server");
        let hashes: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM staff_users")
            .fetch_all(&app.db().read)
            .await
            .expect("hashes");
        assert!(hashes.iter().all(|h| h.starts_with("$argon2id$")));
    }
}

db_test! {
    async fn changes_need_a_session_and_its_csrf_token_and_setup_needs_an_admin(app) {
        let anonymous = AdminClient::new(ApiClient::new(app.server.url()));
        assert_eq!(status_of(anonymous.setup().await), 401);
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let mut settings = owner.practice().await.expect("practice").settings;
        let before = settings.name.clone();
        settings.name = "Renamed Dental".into();
        owner.forget_csrf();
        assert_eq!(status_of(owner.save_practice(&settings).await), 403);
        assert_eq!(owner.practice().await.expect("practice").settings.name, before, "unchanged");
        owner.session().await.expect("session gives the token again");
        let saved = owner.save_practice(&settings).await.expect("save");
        assert_eq!(saved.settings.name, "Renamed Dental");
        let config = app.client.booking_config("demo").await.expect("config");
        assert_eq!(config.practice.name, "Renamed Dental", "patients see it at once");

        settings.accent_color = "teal".into();
        settings.allowed_origins = vec!["javascript:alert(1)".into()];
        let err = owner.save_practice(&settings).await.expect_err("invalid");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields.contains_key("accent_color") && fields.contains_key("allowed_origins"), "{fields:?}");

        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        assert_eq!(status_of(desk.save_practice(&settings).await), 403, "front desk cannot change setup");
        assert_eq!(status_of(desk.audit().await), 403);
        desk.appointments(&Default::default()).await.expect("front desk runs the day");
        desk.booking_queue("pending").await.expect("and the queue");

        let audit = owner.audit().await.expect("audit");
        let line = audit.entries.iter().find(|e| e.action == "practice.update").expect("audited");
        assert_eq!(line.actor, "owner@demo.test");
        assert!(!line.target.contains("Renamed"), "ids, never names: {}", line.target);
    }
}

/// A reason anyone may book at once, for up to two weeks, with `provider`.
fn reason_input(name: &str, minutes: u32, provider: i64) -> ReasonInput {
    ReasonInput {
        name: name.into(),
        description: String::new(),
        duration_min: minutes,
        buffer_before_min: 0,
        buffer_after_min: 0,
        interval_min: 30,
        min_notice_min: 0,
        horizon_days: 14,
        eligibility: Eligibility::Both,
        operatory_kind: None,
        active: true,
        provider_ids: vec![provider],
        aftercare: String::new(),
        late_cancel_hours: 0,
        grace_minutes: 0,
    }
}

/// A valid body for a documented request type, so a refusal can only be about access.
fn sample_body(request: Option<&str>, hold_token: &str) -> Option<String> {
    let reason = json!({
        "name": "Matrix visit", "duration_min": 30, "interval_min": 15, "min_notice_min": 0,
        "horizon_days": 30, "eligibility": "both", "active": true, "provider_ids": []
    });
    let body = match request? {
        "PracticeSettings" => return None,
        "ProviderInput" => json!({ "name": "Matrix", "bookable": true }),
        "LocationInput" => json!({ "name": "Matrix", "address": "", "timezone": "" }),
        "OperatoryInput" => json!({ "location_id": 1, "name": "Matrix", "kind": "hygiene" }),
        "HoursUpdate" => json!({ "hours": [] }),
        "TimeOffInput" => json!({ "start_date": "2030-01-01", "end_date": "2030-01-02" }),
        "ReasonInput" => reason,
        "CarrierInput" => json!({ "name": "Matrix", "member_id_required": false }),
        "StaffReschedule" => json!({ "hold_token": hold_token }),
        "StaffBooking" => json!({
            "hold_token": hold_token,
            "patient": { "first_name": "Matrix", "last_name": "Walkin", "date_of_birth": "1980-01-01", "phone": "+14155109999", "email": "" }
        }),
        "FreeTimeOffer" => {
            json!({ "provider_id": 1, "starts_at": "2030-01-01T14:00:00Z", "ends_at": "2030-01-01T15:00:00Z" })
        }
        "QueueCompletion" => json!({ "date": "2030-01-01", "time": "09:00" }),
        "ContactUpdate" => json!({ "phone": "+14155109999" }),
        "PatientLanguage" => json!({ "lang": "es" }),
        "TemplateUpdate" => json!({ "body": "Hi {{ patient_first_name }}" }),
        "PmsSettings" => json!({ "kind": "builtin" }),
        "AutomationSettings" => {
            json!({ "no_show_enabled": true, "no_show_delays_hours": [2, 24, 72], "feedback_enabled": false, "broadcast_per_minute": 60 })
        }
        "AutomationPause" => json!({ "paused": true }),
        "NewApiKey" => json!({ "label": "Matrix", "role": "front_desk" }),
        "BroadcastRequest" => {
            json!({ "template": "clinic_closing", "filter": { "from": "2030-01-01", "to": "2030-01-02" } })
        }
        other => panic!("no sample body for {other}"),
    };
    Some(body.to_string())
}

db_test! {
    async fn every_admin_endpoint_needs_a_session_and_hides_other_practices(app) {
        // Practice B ("other-clinic") has one of everything.
        let b = signed_in(app, "other-clinic", StaffRole::Owner).await;
        let b_setup = b.setup().await.expect("b setup");
        let b_provider = b_setup.providers[0].id;
        let b_reason = b_setup.reasons[0].id;
        let b_carrier = b_setup.carriers[0].id;
        let time_off = TimeOffInput {
            start_date: "2030-03-04".into(),
            start_time: String::new(),
            end_date: "2030-03-04".into(),
            end_time: String::new(),
            note: String::new(),
        };
        let with_off = b.add_time_off(b_provider, &time_off).await.expect("time off");
        let b_time_off = with_off.providers[0].time_off[0].id;
        let booked = common::messaging::book_checkup_at(app, "other-clinic", "+1 415 510 3333").await;
        let b_list = b.appointments(&Default::default()).await.expect("b list");
        let b_appointment = b_list.appointments[0].id;
        let b_patient = b_list.appointments[0].patient_id.expect("patient");
        let b_queue = common::staff::queue_entry(app, app.other.practice_id).await;
        let b_message = common::messaging::wait_for_any_message(&b).await;
        let b_rule = b
            .add_recall_rule(&slotwise_shared::automations::RecallRuleInput {
                name: "B recall".into(),
                after_reason: None,
                interval_days: 180,
                book_reason: slotwise_shared::model::ReasonId(b_reason),
                channel: None,
                message: "time for a visit.".into(),
                audience: Default::default(),
                active: true,
            })
            .await
            .expect("b rule")
            .id;
        let b_broadcast = b
            .send_broadcast(&serde_json::from_value(json!({ "template": "clinic_closing", "filter": { "from": "2030-01-01", "to": "2030-01-02" } })).expect("request"), "b-broadcast")
            .await
            .expect("b broadcast")
            .id;
        assert!(!booked.booking.reference.is_empty());
        let b_template = b
            .add_procedure_template(&serde_json::from_value(json!({
                "name": "B implant", "bookable_online": true, "active": true,
                "steps": [{ "reason": b_reason }, { "reason": b_reason, "gap_min_days": 7, "gap_max_days": 21 }]
            })).expect("template"))
            .await
            .expect("b template")
            .id
            .0;
        let soon = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().checked_add(jiff::Span::new().days(3)).expect("day").to_string();
        let b_waitlist = b
            .add_to_waitlist(&serde_json::from_value(json!({
                "first_name": "B", "phone": "+14155107070", "reason": b_reason,
                "from": soon, "to": soon
            })).expect("waitlist"))
            .await
            .expect("b waitlist")
            .id;
        let b_procedure = b
            .start_procedure(&serde_json::from_value(json!({ "patient": b_patient, "template": b_template })).expect("start"))
            .await
            .expect("b procedure")
            .id
            .0;
        let b_staff = b.staff().await.expect("b staff")[0].id;
        slotwise_server::api_keys::create_api_key(app.db(), "other-clinic", "b key").await.expect("b key");
        let b_key = b.api_keys().await.expect("b keys")[0].id;

        let a = signed_in(app, "demo", StaffRole::Owner).await;
        let anonymous = AdminClient::new(ApiClient::new(app.server.url()));
        let a_reason = a.setup().await.expect("a setup").reasons[0].id;
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        let mut checked = 0;
        let mut role_checked = 0;
        for op in common::openapi::admin_operations(&common::openapi::document(app).await) {
            let id = if op.path.contains("/providers/{id}") {
                Some(b_provider)
            } else if op.path.contains("/time-off/{id}") {
                Some(b_time_off)
            } else if op.path.contains("/reasons/{id}") {
                Some(b_reason)
            } else if op.path.contains("/insurance/{id}") {
                Some(b_carrier)
            } else if op.path.contains("/appointments/{id}") {
                Some(b_appointment)
            } else if op.path.contains("/booking-queue/{id}") {
                Some(b_queue)
            } else if op.path.contains("/messages/{id}") {
                Some(b_message)
            } else if op.path.contains("/patients/{id}") {
                Some(b_patient)
            } else if op.path.contains("/recall-rules/{id}") {
                Some(b_rule)
            } else if op.path.contains("/broadcasts/{id}") {
                Some(b_broadcast)
            } else if op.path.contains("/procedures/{id}") {
                Some(b_procedure)
            } else if op.path.contains("/procedure-templates/{id}") {
                Some(b_template)
            } else if op.path.contains("/waitlist/{id}") {
                Some(b_waitlist)
            } else if op.path.contains("/staff/{id}") {
                Some(b_staff)
            } else if op.path.contains("/api-keys/{id}") {
                Some(b_key)
            } else {
                assert!(!op.path.contains("{id}"), "map {} to one of practice B's ids", op.path);
                None
            };
            let path = op
                .path
                .replace("{id}", &id.unwrap_or(0).to_string())
                .replace("{action}", "cancel")
                .replace("{event}", "confirmation")
                .replace("{channel}", "sms");
            let method = op.method.as_str();
            let body = match op.request.as_deref() {
                Some("PracticeSettings") => Some(serde_json::to_string(&a.practice().await.expect("p").settings).expect("json")),
                Some("ChannelSettingsUpdate") => Some(json!({ "enabled": true, "config": { "transport": "local" } }).to_string()),
                Some("ReminderOffsets") => Some(json!({ "reminder_offsets_minutes": [1440] }).to_string()),
                // A rule that is valid for practice A, so only the id can be wrong.
                Some("RecallRuleInput") => Some(json!({ "name": "Matrix", "interval_days": 180, "book_reason": a_reason, "message": "hello", "active": true }).to_string()),
                Some("ProcedureStart") => Some(json!({ "patient": b_patient, "template": b_template }).to_string()),
                Some("ProcedureTemplateInput") => Some(json!({ "name": format!("Matrix {checked}"), "steps": [{ "reason": a_reason }], "bookable_online": true, "active": true }).to_string()),
                Some("WaitlistAdd") => Some(json!({ "patient": b_patient, "reason": a_reason, "from": soon, "to": soon }).to_string()),
                Some("NewStaff") => Some(json!({ "email": format!("n{checked}@demo.test"), "name": "N", "role": "admin", "password": PASSWORD }).to_string()),
                other => sample_body(other, "not-a-hold"),
            };
            let (status, _) = anonymous.send(method, &path, body.clone()).await.expect("send");
            assert_eq!(status, 401, "{method} {path} without a session");
            if method != "GET" {
                a.forget_csrf();
                let (status, _) = a.send(method, &path, body.clone()).await.expect("send");
                assert_eq!(status, 403, "{method} {path} without the CSRF token");
                a.session().await.expect("csrf again");
            }
            // The documented role is the one the handler asks for: one role below is refused.
            let below = match op.role {
                StaffRole::Owner => Some(&admin),
                StaffRole::Admin => Some(&desk),
                StaffRole::FrontDesk => None,
            };
            if let Some(below) = below {
                let (status, answer) = below.send(method, &path, body.clone()).await.expect("send");
                assert_eq!(status, 403, "{method} {path} documents role {:?}: {}", op.role, String::from_utf8_lossy(&answer));
                role_checked += 1;
            }
            if id.is_some() {
                let (status, answer) = a.send(method, &path, body).await.expect("send");
                assert_eq!(status, 404, "{method} {path} with practice B's id: {}", String::from_utf8_lossy(&answer));
                checked += 1;
            }
        }
        assert!(role_checked >= 20, "only {role_checked} role checks");
        assert!(checked >= 12, "only {checked} id endpoints checked");

        // Lists of A show nothing of B.
        let a_setup = a.setup().await.expect("a setup");
        assert!(a_setup.providers.iter().all(|p| p.id != b_provider));
        assert!(a_setup.reasons.iter().all(|r| r.id != b_reason));
        assert!(a_setup.carriers.iter().all(|c| c.id != b_carrier));
        let a_list = a.appointments(&Default::default()).await.expect("a list");
        assert!(a_list.appointments.iter().all(|x| x.id != b_appointment));
        let a_queue = a.booking_queue("pending").await.expect("a queue");
        assert!(a_queue.entries.iter().all(|e| e.id != b_queue));
        let a_messages = a.messages("").await.expect("a messages");
        assert!(a_messages.messages.iter().all(|m| m.id != b_message));
        assert!(a.audit().await.expect("audit").entries.iter().all(|e| !e.actor.contains("other-clinic")));

        // And B's things are as they were.
        let after = b.setup().await.expect("b setup");
        assert_eq!(after.providers[0].name, b_setup.providers[0].name);
        assert_eq!(after.providers[0].time_off, with_off.providers[0].time_off);
        assert_eq!(after.carriers.len(), b_setup.carriers.len());
        let b_after = b.appointments(&Default::default()).await.expect("b list");
        assert_eq!(b_after.appointments[0].status, "booked");
        assert!(b.staff().await.expect("b staff").iter().all(|s| !s.disabled), "B's accounts stay enabled");
        assert!(b.api_keys().await.expect("b keys").iter().any(|k| k.id == b_key), "B's key stays live");
        let b_pending = b.booking_queue("pending").await.expect("queue").entries;
        assert_eq!(b_pending.len(), 1, "{b_pending:#?}");
    }
}

db_test! {
    async fn providers_hours_time_off_and_reasons_set_up_in_the_console_are_bookable(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let setup = owner.setup().await.expect("setup");
        let location = setup.locations[0].id;
        let input = ProviderInput {
            name: "Dr. Console".into(),
            role: "Dentist".into(),
            bio: String::new(),
            photo_url: None,
            bookable: true,
            external_id: String::new(),
        };
        let setup = owner.add_provider(&input).await.expect("provider");
        let provider = setup.providers.iter().find(|p| p.name == "Dr. Console").expect("added").id;
        assert_eq!(status_of(owner.add_provider(&input).await), 422, "names are unique");
        let bad = HoursUpdate {
            hours: vec![HoursRow { location_id: location, weekday: 1, start: "17:00".into(), end: "09:00".into() }],
        };
        assert_eq!(status_of(owner.set_hours(provider, &bad).await), 422);
        let week = HoursUpdate {
            hours: (1..=7)
                .map(|d| HoursRow { location_id: location, weekday: d, start: "08:00".into(), end: "18:00".into() })
                .collect(),
        };
        owner.set_hours(provider, &week).await.expect("hours");
        let mut reason = reason_input("Console consult", 3, provider);
        let err = owner.add_reason(&reason).await.expect_err("too short");
        assert!(err.body().and_then(|b| b.fields.clone()).is_some_and(|f| f.contains_key("duration_min")));
        reason.duration_min = 30;
        let setup = owner.add_reason(&reason).await.expect("reason");
        let added = setup.reasons.iter().find(|r| r.input.name == "Console consult").expect("reason");
        assert!(added.direct_link.ends_with(&format!("/book/demo/{}", added.id)));
        let page = reqwest::get(&added.direct_link).await.expect("direct link");
        assert_eq!(page.status(), 200);

        let config = app.client.booking_config("demo").await.expect("config");
        assert!(config.reasons.iter().any(|r| r.name == "Console consult"));
        let reason_id = slotwise_shared::model::ReasonId(added.id);
        let choice = slotwise_shared::api::ProviderChoice::Id(slotwise_shared::model::ProviderId(provider));
        let slots = app.free_slots(reason_id, choice).await;
        assert!(!slots.is_empty(), "the new provider has free times");
        let first_day = slots[0].date;
        let off = TimeOffInput {
            start_date: first_day.to_string(),
            start_time: String::new(),
            end_date: first_day.to_string(),
            end_time: String::new(),
            note: "Conference".into(),
        };
        let with_off = owner.add_time_off(provider, &off).await.expect("time off");
        let block = with_off.providers.iter().find(|p| p.id == provider).expect("p").time_off[0].clone();
        let slots = app.free_slots(reason_id, choice).await;
        assert!(slots.iter().all(|s| s.date != first_day), "no times on the day off");
        owner.delete_time_off(block.id).await.expect("remove");
        let slots = app.free_slots(reason_id, choice).await;
        assert!(slots.iter().any(|s| s.date == first_day), "times are back");

        let carriers = owner
            .add_carrier(&CarrierInput { name: "Console Health".into(), member_id_required: true })
            .await
            .expect("carrier");
        let carrier = carriers.carriers.iter().find(|c| c.name == "Console Health").expect("c").id;
        owner.delete_carrier(carrier).await.expect("unused carriers can go");
        let audit = owner.audit().await.expect("audit");
        for action in ["provider.create", "provider.hours", "reason.create", "provider.time_off", "time_off.delete", "carrier.delete"] {
            assert!(audit.entries.iter().any(|e| e.action == action), "{action} audited");
        }
    }
}

db_test! {
    async fn staff_find_export_and_act_on_appointments(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let first = common::messaging::book_checkup(app, "+1 415 510 4444", "ana@example.com").await;
        let second = common::messaging::book_checkup(app, "+1 415 510 5555", "bo@example.com").await;
        let by_phone = desk
            .appointments(&slotwise_shared::admin::AppointmentFilter { q: "415 510 4444".into(), ..Default::default() })
            .await
            .expect("search");
        assert_eq!(by_phone.appointments.len(), 1);
        assert_eq!(by_phone.appointments[0].reference, first.booking.reference);
        let by_reference = desk
            .appointments(&slotwise_shared::admin::AppointmentFilter { q: second.booking.reference.to_lowercase(), ..Default::default() })
            .await
            .expect("search");
        assert_eq!(by_reference.appointments.len(), 1);
        let bad = desk
            .appointments(&slotwise_shared::admin::AppointmentFilter { from: "yesterday".into(), ..Default::default() })
            .await;
        assert_eq!(status_of(bad), 422);
        let csv = desk.appointments_csv(&Default::default()).await.expect("csv");
        assert!(csv.starts_with("reference,start,status"));
        assert!(csv.contains(&first.booking.reference) && csv.contains(&second.booking.reference));

        let id = by_phone.appointments[0].id;
        let done = desk.appointment_action(id, AppointmentAction::NoShow).await.expect("no-show");
        assert_eq!(done.status, "no_show");
        assert_eq!(status_of(desk.appointment_action(id, AppointmentAction::Confirm).await), 409);
        let other = by_reference.appointments[0].id;
        let cancelled = desk.appointment_action(other, AppointmentAction::Cancel).await.expect("cancel");
        assert_eq!(cancelled.status, "cancelled");
        let filtered = desk
            .appointments(&slotwise_shared::admin::AppointmentFilter { status: "cancelled".into(), ..Default::default() })
            .await
            .expect("filter");
        assert_eq!(filtered.appointments.iter().map(|a| a.id).collect::<Vec<_>>(), vec![other]);
        let messages = desk.messages("").await.expect("messages");
        assert!(messages.messages.iter().any(|m| m.reference.as_deref() == Some(second.booking.reference.as_str()) && m.event == slotwise_shared::messages::MessageEvent::Cancelled));
    }
}

db_test! {
    async fn completing_a_queue_entry_confirms_the_patient_and_pending_entries_expire(app) {
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let entry = common::staff::queue_entry(app, app.demo.practice_id).await;
        let pending = desk.booking_queue("pending").await.expect("queue");
        assert_eq!(pending.entries.len(), 1);
        assert_eq!(pending.entries[0].patient_name, "Queue Patient");
        assert!(!pending.entries[0].when_label.is_empty());
        let done = desk.complete_queue_entry(entry, &Default::default()).await.expect("complete");
        assert_eq!(done.status, "completed");
        assert_eq!(done.resolved_by.as_deref(), Some("front_desk@demo.test"));
        assert_eq!(status_of(desk.complete_queue_entry(entry, &Default::default()).await), 409);
        let admin = common::messaging::Admin::for_practice(app, "demo").await;
        let messages = common::messaging::wait_for_messages(&admin, 20, "the queue confirmation", |ms| {
            common::messaging::of(ms, "queue_completed", "sms").iter().any(|m| m["status"] == "sent")
        })
        .await;
        let sms = common::messaging::of(&messages, "queue_completed", "sms")[0];
        assert!(sms["body"].as_str().expect("text").contains("has booked you in"), "{sms}");
        assert_eq!(sms["recipient"], "+14155107777");

        let stale = common::staff::queue_entry(app, app.demo.practice_id).await;
        sqlx::query("UPDATE booking_queue SET expires_at = 1 WHERE id = $1")
            .bind(stale)
            .execute(&app.db().write)
            .await
            .expect("age it");
        let expired = slotwise_server::store::booking_queue::expire_due(app.db(), common::now()).await.expect("expire");
        assert_eq!(expired, 1);
        let listed = desk.booking_queue("expired").await.expect("expired tab");
        assert_eq!(listed.entries.iter().map(|e| e.id).collect::<Vec<_>>(), vec![stale]);
        assert_eq!(status_of(desk.cancel_queue_entry(stale).await), 409);
    }
}

db_test! {
    async fn the_dashboard_counts_bookings_and_the_openapi_document_lists_every_endpoint(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        common::messaging::book_checkup(app, "+1 415 510 6666", "cy@example.com").await;
        // A booking from the server's own booking page (its origin) came through a direct link.
        let (_, hold) = app.hold_first_checkup().await;
        let body = serde_json::to_string(&common::booking_request(&hold.hold_token)).expect("json");
        let origin = app.server.url();
        let direct = app
            .client
            .raw(
                "POST",
                "/api/v1/practices/demo/bookings",
                &[("Content-Type", "application/json"), ("Idempotency-Key", "direct-1"), ("Origin", &origin)],
                Some(body),
            )
            .await
            .expect("book");
        assert_eq!(direct.status, 201, "{}", direct.body);
        let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("tz")).date().to_string();
        let board = owner.dashboard("", &today).await.expect("dashboard");
        assert_eq!(board.total, 2);
        let sources: Vec<(String, i64)> = board.by_source.iter().map(|c| (c.label.clone(), c.count)).collect();
        assert!(sources.contains(&("widget".into(), 1)) && sources.contains(&("direct_link".into(), 1)), "{sources:?}");
        assert_eq!(board.busiest_hours.iter().map(|c| c.count).sum::<i64>(), 2);
        assert!(board.by_status.iter().any(|c| c.label == "booked" && c.count == 2));
        assert_eq!(status_of(owner.dashboard("2026-02-10", "2026-01-01").await), 422);

        let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.server.url()))
            .await
            .expect("openapi")
            .json()
            .await
            .expect("json");
        assert_eq!(doc["openapi"], "3.1.0");
        for (method, path) in [("get", "/api/v1/admin/dashboard"), ("post", "/api/v1/practices/{slug}/bookings"), ("post", "/api/v1/webhooks/twilio/{slug}/sms")] {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
    }
}

db_test! {
    async fn a_new_practice_starts_with_one_location_and_its_owner_sets_it_up(app) {
        let db = app.db();
        assert!(slotwise_server::practices::create_practice(db, "Bad Slug", "X", "UTC", "").await.is_err());
        assert!(slotwise_server::practices::create_practice(db, "riverside", "Riverside Vets", "Mars/Base", "").await.is_err());
        let id = slotwise_server::practices::create_practice(db, "riverside", "Riverside Vets", "America/Chicago", "+1 415 510 9000")
            .await
            .expect("practice");
        assert!(slotwise_server::practices::create_practice(db, "riverside", "Again", "UTC", "").await.is_err(), "slugs are unique");
        slotwise_server::staff::accounts::create_staff(db, id, "vet@riverside.test", "Rita Vet", StaffRole::Owner, PASSWORD)
            .await
            .expect("owner");
        let owner = AdminClient::new(ApiClient::new(app.server.url()));
        let me = owner.login("vet@riverside.test", PASSWORD).await.expect("sign in");
        assert_eq!(me.practice_slug, "riverside");
        let setup = owner.setup().await.expect("setup");
        assert_eq!(setup.locations.len(), 1);
        assert!(setup.providers.is_empty() && setup.reasons.is_empty() && setup.carriers.is_empty());
        let location = setup.locations[0].id;
        let setup = owner
            .add_provider(&ProviderInput { name: "Dr. Rita".into(), role: "Vet".into(), bio: String::new(), photo_url: None, bookable: true, external_id: String::new() })
            .await
            .expect("provider");
        let provider = setup.providers[0].id;
        let week = HoursUpdate {
            hours: (1..=7).map(|d| HoursRow { location_id: location, weekday: d, start: "08:00".into(), end: "18:00".into() }).collect(),
        };
        owner.set_hours(provider, &week).await.expect("hours");
        let reason = reason_input("Vaccination", 20, provider);
        owner.add_reason(&reason).await.expect("reason");
        let config = app.client.booking_config("riverside").await.expect("the widget's config");
        assert_eq!(config.reasons.len(), 1);
        assert_eq!(config.providers.len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_from_one_address_are_limited() {
    let Some(app) =
        common::TestApp::spawn_with(common::Engine::Sqlite, |c| c.login_attempts_per_minute = 3)
            .await
    else {
        return;
    };
    let email = account(&app, "demo", StaffRole::Owner).await;
    let client = AdminClient::new(ApiClient::new(app.server.url()));
    for attempt in 1..=3 {
        assert_eq!(
            status_of(client.login(&email, "wrong password!").await),
            401,
            "attempt {attempt}"
        );
    }
    let err = client.login(&email, PASSWORD).await.expect_err("limited");
    assert_eq!(err.status(), Some(429));
    assert!(
        err.body().is_some_and(|b| b.message.contains("from here")),
        "{err}"
    );
    app.finish().await;
}

db_test! {
    async fn template_previews_render_sample_values_and_name_mistakes(app) {
        let desk = signed_in(app, "demo", StaffRole::Admin).await;
        let front_desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let ok = slotwise_shared::messages::TemplateUpdate {
            subject: String::new(),
            body: "Hi {{ patient_first_name }}, see you {{ date }}".into(),
        };
        assert_eq!(status_of(front_desk.preview_template(("reminder", "sms", "en"), &ok).await), 403, "previewing follows the role of saving");
        let shown = desk.preview_template(("reminder", "sms", "en"), &ok).await.expect("preview");
        assert!(shown.body.starts_with("Hi Jamie, see you "), "{}", shown.body);
        assert!(shown.body.ends_with("Reply STOP to opt out."), "the SMS opt-out line is added: {}", shown.body);
        let bad = slotwise_shared::messages::TemplateUpdate {
            subject: String::new(),
            body: "Hi {{ patient_name }}".into(),
        };
        let err = desk.preview_template(("reminder", "sms", "en"), &bad).await.expect_err("unknown tag");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields["body"].contains("patient_name"), "{fields:?}");
        assert_eq!(status_of(front_desk.save_template(("reminder", "sms", "en"), &ok).await), 403, "front desk cannot save");
    }
}
