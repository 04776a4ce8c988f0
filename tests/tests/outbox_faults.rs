//! The outbox under faults: a worker killed mid-delivery loses nothing, and duplicates happen
//! only where a provider call may have gone through without an answer, and are counted. Several
//! workers at once never send the same message twice. SQLite and PostgreSQL.

use crate::common;
use crate::db_test;

use common::messaging::{book_checkup, of, wait_for_messages, Admin};
use common::twilio_double::{self, TwilioDouble};
use common::whatsapp_double::{self, WhatsAppDouble};
use common::{Engine, TestApp};
use slotwise_server::notify::worker::{self, OutboxWake};
use std::time::Duration;

async fn killed_mid_delivery(engine: Engine) {
    // Short leases so a dead worker's messages come back within the test.
    let Some(mut app) = TestApp::spawn_with(engine, |c| {
        c.outbox.send_timeout = Duration::from_secs(30);
        c.outbox.lease = Some(Duration::from_secs(2));
    })
    .await
    else {
        return;
    };
    let twilio = TwilioDouble::start().await;
    let whatsapp = WhatsAppDouble::start().await;
    let admin = Admin::for_practice(&app, "demo").await;
    admin.set_channel("sms", twilio.channel_config()).await;
    admin
        .set_channel("whatsapp", whatsapp.channel_config())
        .await;
    admin.disable_channel("email").await;
    let hang = Duration::from_secs(120);
    twilio.fail_next(std::iter::repeat_n(
        twilio_double::Fault::HangAfterAccepting(hang),
        3,
    ));
    whatsapp.fail_next(std::iter::repeat_n(
        whatsapp_double::Fault::HangAfterAccepting(hang),
        3,
    ));
    for i in 0..3 {
        book_checkup(&app, &format!("+1 415 510 80{i:02}"), "k@example.com").await;
    }
    // Every confirmation reached its provider, and no answer came back yet.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while twilio.received().len() < 3 || whatsapp.received().len() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "deliveries did not start: {} sms, {} whatsapp, {:#?}",
            twilio.received().len(),
            whatsapp.received().len(),
            admin.messages().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.server.kill_worker();
    app.server.start_worker().expect("restart the worker");
    let messages = wait_for_messages(&admin, 40, "every confirmation to settle", |ms| {
        let c: Vec<_> = ms.iter().filter(|m| m["event"] == "confirmation").collect();
        c.len() == 6
            && c.iter()
                .all(|m| m["status"] == "sent" || m["status"] == "dead")
    })
    .await;
    let sms = of(&messages, "confirmation", "sms");
    let wa = of(&messages, "confirmation", "whatsapp");
    assert!(
        sms.iter().chain(wa.iter()).all(|m| m["status"] == "sent"),
        "{messages:#?}"
    );
    // Twilio can be asked what arrived: the earlier message is found, nothing is sent twice.
    assert_eq!(twilio.received().len(), 3);
    assert!(sms.iter().all(|m| m["possible_duplicate"] == false));
    let sids: Vec<_> = twilio.received().into_iter().map(|r| r.sid).collect();
    assert!(sms
        .iter()
        .all(|m| sids.iter().any(|s| m["provider_message_id"] == s.as_str())));
    // WhatsApp cannot be asked: the message is sent again and counted as a possible duplicate.
    let counted = wa
        .iter()
        .filter(|m| m["possible_duplicate"] == true)
        .count();
    assert_eq!(counted, 3);
    assert_eq!(whatsapp.received().len(), 3 + counted);
    let first = &whatsapp.received()[0];
    assert_eq!(first.template, "appointment_confirmed");
    assert_eq!(first.parameters[0], "Ana");
    assert!(
        first.to.starts_with("1415510800"),
        "WhatsApp numbers go without '+': {}",
        first.to
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_delivery_loses_nothing_on_sqlite() {
    killed_mid_delivery(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_delivery_loses_nothing_on_postgres() {
    killed_mid_delivery(Engine::Postgres).await;
}

db_test! {
    async fn three_workers_at_once_send_every_message_exactly_once(app) {
        let twilio = TwilioDouble::start().await;
        let admin = Admin::for_practice(app, "demo").await;
        admin.set_channel("sms", twilio.channel_config()).await;
        admin.disable_channel("email").await;
        // Two more workers beside the server's own, as on two more instances.
        let extra: Vec<_> = (0..2)
            .map(|_| worker::spawn(app.server.deliverer().expect("deliverer"), OutboxWake::default()))
            .collect();
        for i in 0..12 {
            book_checkup(app, &format!("+1 415 510 81{i:02}"), "w@example.com").await;
        }
        let messages = wait_for_messages(&admin, 40, "every confirmation sent", |ms| {
            let c = of(ms, "confirmation", "sms");
            c.len() == 12 && c.iter().all(|m| m["status"] == "sent")
        })
        .await;
        for w in extra {
            w.abort();
        }
        let received = twilio.received();
        assert_eq!(received.len(), 12, "one message per confirmation");
        let mut to: Vec<_> = received.iter().map(|r| r.to.clone()).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 12);
        assert!(of(&messages, "confirmation", "sms").iter().all(|m| m["attempts"] == 1));
    }
}
