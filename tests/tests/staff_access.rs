//! Who may use the admin API, held against abuse: parallel password guesses (the lockout is
//! decided atomically, so only the attempts before the lock are checked), disabled accounts
//! (their sessions end at once), and API keys with a role that can be revoked. Every test runs
//! on SQLite and PostgreSQL.

use crate::common::staff::{account, signed_in, PASSWORD};
use crate::common::TestApp;
use crate::db_test;
use futures::future::join_all;
use serde_json::json;
use slotwise_server::api_keys::create_api_key;
use slotwise_server::staff::accounts::create_staff;
use slotwise_shared::admin::{HoursRow, HoursUpdate, StaffRole, StaffView};
use slotwise_shared::admin_client::AdminClient;
use slotwise_shared::client::{ApiClient, ClientError};
use slotwise_shared::paths::admin as p;
use slotwise_shared::team::NewApiKey;

fn status_of<T: std::fmt::Debug>(r: Result<T, ClientError>) -> u16 {
    r.expect_err("the call should fail").status().unwrap_or(0)
}

fn message(err: &ClientError) -> String {
    err.body().map(|b| b.message.clone()).unwrap_or_default()
}

fn fresh(app: &TestApp) -> AdminClient {
    AdminClient::new(ApiClient::new(app.server.url()))
}

/// Ten wrong passwords for `email` sent at once, each from its own client.
async fn ten_parallel_guesses(app: &TestApp, email: &str) -> Vec<ClientError> {
    let guesses = (0..10).map(|i| async move {
        let client = fresh(app);
        client
            .login(email, &format!("wrong password {i}"))
            .await
            .expect_err("a wrong password")
    });
    join_all(guesses).await
}

/// Status of a call made with an API key.
async fn with_key(app: &TestApp, key: &str, method: &str, path: &str, body: Option<String>) -> u16 {
    let bearer = format!("Bearer {key}");
    let (status, _) = fresh(app)
        .send_with(method, path, body, &[("Authorization", &bearer)])
        .await
        .expect("send");
    status
}

fn id_of(team: &[StaffView], email: &str) -> i64 {
    team.iter().find(|s| s.email == email).expect("listed").id
}

db_test! {
    async fn ten_parallel_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(app) {
        let email = account(app, "demo", StaffRole::Owner).await;
        let answers = ten_parallel_guesses(app, &email).await;
        let statuses: Vec<u16> = answers.iter().map(|e| e.status().unwrap_or(0)).collect();
        // The lock is claimed before a password is checked: four wrong answers, then the fifth
        // attempt locks, and the five still in flight are refused unchecked.
        assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 4, "only attempts before the lock are checked: {statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 6, "{statuses:?}");
        for err in answers.iter().filter(|e| e.status() == Some(429)) {
            assert!(message(err).contains("locked for"), "the lockout answer: {err}");
        }
        let right = fresh(app).login(&email, PASSWORD).await.expect_err("locked");
        assert_eq!(right.status(), Some(429), "the right password waits for the lock: {right}");
        assert!(message(&right).contains("locked for"), "{right}");
        let locks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'session.locked'")
            .fetch_one(&app.db().read)
            .await
            .expect("count");
        assert_eq!(locks, 1, "one lock, audited once");

        // An email without an account answers exactly the same way.
        let unknown = ten_parallel_guesses(app, "nobody@demo.test").await;
        let mut unknown_statuses: Vec<u16> = unknown.iter().map(|e| e.status().unwrap_or(0)).collect();
        let mut known_statuses = statuses.clone();
        unknown_statuses.sort_unstable();
        known_statuses.sort_unstable();
        assert_eq!(unknown_statuses, known_statuses);
        let unknown_right = fresh(app).login("nobody@demo.test", PASSWORD).await.expect_err("locked");
        assert_eq!(message(&unknown_right), message(&right), "the same answer");
    }
}

db_test! {
    async fn a_disabled_account_is_signed_out_at_once_and_cannot_sign_in(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        let desk = signed_in(app, "demo", StaffRole::FrontDesk).await;
        let team = owner.staff().await.expect("team");
        let (owner_id, desk_id) = (id_of(&team, "owner@demo.test"), id_of(&team, "front_desk@demo.test"));
        desk.session().await.expect("signed in");

        let team = admin.disable_staff(desk_id).await.expect("admins disable the front desk");
        assert!(team.iter().any(|s| s.id == desk_id && s.disabled), "{team:?}");
        assert_eq!(status_of(desk.session().await), 401, "the session ends at once");
        assert_eq!(status_of(desk.appointments(&Default::default()).await), 401);
        let refused = fresh(app).login("front_desk@demo.test", PASSWORD).await.expect_err("disabled");
        let unknown = fresh(app).login("nobody@demo.test", PASSWORD).await.expect_err("unknown");
        assert_eq!(refused.status(), Some(401), "{refused}");
        assert_eq!(message(&refused), message(&unknown), "it reads like any wrong sign-in");

        assert_eq!(status_of(admin.disable_staff(owner_id).await), 403, "not above your own role");
        let yourself = owner.disable_staff(owner_id).await.expect_err("yourself");
        assert_eq!(yourself.status(), Some(409), "{yourself}");
        // An owner's API key has no account of its own, but cannot leave the practice ownerless.
        let key = create_api_key(app.db(), "demo", "ops").await.expect("key");
        let disable_owner = p::staff_action(owner_id, "disable");
        assert_eq!(with_key(app, &key, "POST", &disable_owner, Some("{}".into())).await, 409, "the last owner");
        create_staff(app.db(), app.demo.practice_id, "owner2@demo.test", "Second Owner", StaffRole::Owner, PASSWORD)
            .await
            .expect("second owner");
        assert_eq!(with_key(app, &key, "POST", &disable_owner, Some("{}".into())).await, 200);
        assert_eq!(status_of(owner.session().await), 401, "the owner's session ended too");
        let second = fresh(app);
        second.login("owner2@demo.test", PASSWORD).await.expect("the other owner signs in");
        let team = second.enable_staff(owner_id).await.expect("enable");
        assert!(team.iter().all(|s| s.id != owner_id || !s.disabled));
        second.enable_staff(desk_id).await.expect("enable the front desk");
        fresh(app).login("front_desk@demo.test", PASSWORD).await.expect("signs in again");
        fresh(app).login("owner@demo.test", PASSWORD).await.expect("signs in again");

        let audit = second.audit().await.expect("audit");
        for action in ["staff.disable", "staff.enable"] {
            assert!(audit.entries.iter().any(|e| e.action == action && e.target == format!("staff {desk_id}")), "{action}");
        }
        assert!(audit.entries.iter().any(|e| e.action == "staff.disable" && e.actor.starts_with("api key ")));
        assert_eq!(status_of(second.disable_staff(i64::MAX).await), 404);

        // Hours with numbers too large for any clock are a validation error, not a crash.
        let location = second.setup().await.expect("setup").locations[0].id;
        let provider = second.setup().await.expect("setup").providers[0].id;
        for start in ["153722867280912931:00", "99999999999999999999:00", "00:9223372036854775807"] {
            let hours = HoursUpdate { hours: vec![HoursRow { location_id: location, weekday: 1, start: start.into(), end: "17:00".into() }] };
            let err = second.set_hours(provider, &hours).await.expect_err(start);
            assert_eq!(err.status(), Some(422), "{start}: {err}");
        }
    }
}

db_test! {
    async fn api_keys_act_with_their_role_are_listed_without_the_key_and_revoke_at_once(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        // A key as the command line makes it (and every key made before roles): an owner's.
        let old_key = create_api_key(app.db(), "demo", "reports").await.expect("key");
        let desk_key = NewApiKey { label: "Desk tablet".into(), role: StaffRole::FrontDesk };
        let created = owner.create_api_key(&desk_key).await.expect("create");
        assert!(created.key.starts_with("sw_"));
        let desk = created.keys.iter().find(|k| k.label == "Desk tablet").expect("listed").clone();
        let reports = created.keys.iter().find(|k| k.label == "reports").expect("listed").clone();
        assert_eq!((desk.role, reports.role), (StaffRole::FrontDesk, StaffRole::Owner));
        assert!(desk.last_used_at.is_none());
        let (status, raw) = owner.send("GET", p::API_KEYS, None).await.expect("list");
        let raw = String::from_utf8_lossy(&raw);
        assert_eq!(status, 200);
        assert!(!raw.contains(&created.key) && !raw.contains(&old_key), "never the keys: {raw}");
        assert!(!raw.contains("hash"), "{raw}");

        let settings = serde_json::to_string(&owner.practice().await.expect("practice").settings).expect("json");
        let k = &created.key;
        assert_eq!(with_key(app, k, "GET", p::SETUP, None).await, 200, "the front desk reads setup");
        assert_eq!(with_key(app, k, "PUT", p::PRACTICE, Some(settings.clone())).await, 403, "a front-desk key cannot change setup");
        let new_key = json!({ "label": "More", "role": "owner" }).to_string();
        assert_eq!(with_key(app, k, "POST", p::API_KEYS, Some(new_key)).await, 403, "nor make keys");
        assert_eq!(with_key(app, k, "DELETE", &p::api_key(reports.id), None).await, 403, "nor revoke an owner's key");
        assert_eq!(with_key(app, &old_key, "PUT", p::PRACTICE, Some(settings)).await, 200, "old keys stay owners");
        assert_eq!(with_key(app, &old_key, "DELETE", &p::api_key(reports.id), None).await, 409, "a key cannot revoke itself");
        assert_eq!(with_key(app, &old_key, "GET", p::SETUP, None).await, 200, "and stays live");
        let listed = owner.api_keys().await.expect("list");
        assert!(listed.iter().all(|k| k.last_used_at.is_some()), "both were used: {listed:?}");

        let blank = NewApiKey { label: " ".into(), role: StaffRole::Admin };
        let err = owner.create_api_key(&blank).await.expect_err("no label");
        assert!(err.body().and_then(|b| b.fields.clone()).is_some_and(|f| f.contains_key("label")), "{err}");
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        assert_eq!(status_of(admin.revoke_api_key(reports.id).await), 403, "an admin cannot revoke an owner's key");
        assert_eq!(status_of(admin.create_api_key(&desk_key).await), 403, "owners make keys");

        let left = admin.revoke_api_key(desk.id).await.expect("revoke");
        assert!(left.iter().all(|k| k.id != desk.id));
        assert_eq!(with_key(app, k, "GET", p::SETUP, None).await, 401, "a revoked key answers 401 at once");
        assert_eq!(status_of(admin.revoke_api_key(desk.id).await), 404, "already revoked");
        let audit = owner.audit().await.expect("audit");
        for action in ["api_key.create", "api_key.revoke"] {
            assert!(audit.entries.iter().any(|e| e.action == action && e.target == format!("api key {}", desk.id)), "{action}");
        }
    }
}
