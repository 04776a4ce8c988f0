//! A waitlist offer's link in real headless Chromium: a cancelled time is offered to a waiting
//! patient; their link opens the visit's booking page with the provider and location chosen,
//! on the offered day, with the offered time marked. Once someone else books it, the same link
//! says it was just taken and that they are still on the list, above the other times — an
//! ordinary booking from there.

use crate::common;

use common::browser::{click, find, text_of, wait_for_title, Browser};
use common::widget_site::{Site, ONE_AT_A_TIME};
use common::{booking_request, unique_key};
use fantoccini::Locator;
use slotwise_server::jobs::scheduler::run_recall;
use slotwise_shared::api::{HoldRequest, ProviderChoice};
use slotwise_shared::waitlist::WaitlistJoin;

const NEW_YORK: &str = "America/New_York";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_link_opens_on_the_offered_time_and_says_when_it_was_taken() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let app = &site.app;
    let (reason, patel) = (app.reason("Checkup"), app.provider("Dr. Maya Patel"));
    let slot = app
        .free_slots(reason, ProviderChoice::Id(patel))
        .await
        .into_iter()
        .find(|s| s.start > jiff::Timestamp::now() + jiff::SignedDuration::from_hours(30))
        .expect("a free time");
    let tz = jiff::tz::TimeZone::get(NEW_YORK).expect("zone");
    let hold = app
        .client
        .hold(
            "demo",
            &HoldRequest {
                reason,
                provider: patel,
                start: slot.start,
                lang: None,
            },
        )
        .await
        .expect("hold");
    let booked = app
        .client
        .book(
            "demo",
            &format!("offer-{}", unique_key()),
            &booking_request(&hold.hold_token),
        )
        .await
        .expect("booked");
    app.client
        .join_waitlist(
            "demo",
            &WaitlistJoin {
                reason,
                provider: None,
                from: jiff::Timestamp::now().to_zoned(tz.clone()).date(),
                to: slot.start.to_zoned(tz.clone()).date(),
                preferred_days: Vec::new(),
                times_of_day: Vec::new(),
                asap: true,
                short_notice: true,
                verified: None,
                first_name: "Noa".into(),
                last_name: "Wait".into(),
                phone: "+1 415 510 8383".into(),
                email: String::new(),
                lang: None,
            },
        )
        .await
        .expect("waiting");
    app.client
        .cancel("demo", &booked.manage_token)
        .await
        .expect("cancelled");
    run_recall(&app.server.state, common::now())
        .await
        .expect("run");
    let context: String = sqlx::query_scalar(
        "SELECT context FROM outbox WHERE event = 'waitlist_offer' AND channel = 'sms' LIMIT 1",
    )
    .fetch_one(&app.db().read)
    .await
    .expect("an offer");
    let context: serde_json::Value = serde_json::from_str(&context).expect("json");
    let link = context["booking_link"].as_str().expect("link").to_string();
    assert!(
        link.contains(&format!("offer={}", slot.start.as_second())),
        "{link}"
    );

    // The link: straight to payment (visit, provider and location chosen), then the offered day
    // with the offered time marked.
    let b = Browser::launch(390).await;
    b.client.goto(&link).await.expect("open the offer");
    let w = b.widget("[data-slotwise]").await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Pick a time").await;
    let note = text_of(&w, "[data-testid=offer-open]").await;
    assert!(note.contains(&slot.label), "{note}");
    find(
        &w,
        &format!(".sw-time.sw-offered[data-start='{}']", slot.start),
    )
    .await;
    b.screenshot("offer-open").await;

    // Someone else is quicker: the same link says so above the other times.
    let hold = app
        .client
        .hold(
            "demo",
            &HoldRequest {
                reason,
                provider: patel,
                start: slot.start,
                lang: None,
            },
        )
        .await
        .expect("hold the offered time");
    let mut quicker = booking_request(&hold.hold_token);
    quicker.patient.phone = "+1 415 510 8484".into();
    app.client
        .book("demo", &format!("offer-{}", unique_key()), &quicker)
        .await
        .expect("booked by someone else");
    b.client.goto(&link).await.expect("open the offer again");
    let w = b.widget("[data-slotwise]").await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Pick a time").await;
    let taken = text_of(&w, "[data-testid=offer-taken]").await;
    assert!(taken.contains("still on the waitlist"), "{taken}");
    find(&w, ".sw-time").await;
    assert!(
        w.find(Locator::Css(".sw-offered")).await.is_err(),
        "no time is marked any more"
    );
    b.close().await;
    site.finish().await;
}
