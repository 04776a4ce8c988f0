//! A patient of the two-office demo practice chooses where to be seen, in real headless
//! Chromium: the location step lists each office with its address, only that office's
//! providers and times follow, the booking is there; a prefilled location skips the step and
//! Back still reaches it.

use crate::common;

use common::browser::{attr_of, click, text_of, wait_for_title, Browser};
use common::widget_site::{fill_details, skip_lookup, Site, ONE_AT_A_TIME};
use fantoccini::Locator;

/// The `data-location` of every free time shown.
async fn shown_locations(w: &fantoccini::elements::ShadowRoot) -> Vec<String> {
    let mut found = Vec::new();
    for time in w.find_all(Locator::Css(".sw-time")).await.expect("times") {
        found.push(
            time.attr("data-location")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
    }
    found
}

/// The id of the demo practice's Riverside office.
async fn riverside_of(site: &Site) -> slotwise_shared::model::LocationId {
    let config = site
        .app
        .client
        .booking_config("demo")
        .await
        .expect("config");
    config
        .locations
        .iter()
        .find(|l| l.name == "Riverside")
        .expect("riverside")
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choosing_an_office_shows_its_providers_and_times_and_books_there() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let riverside = riverside_of(&site).await;
    let cleaning = site.app.reason("Cleaning");
    let rivera = site.app.provider("Sam Rivera");
    let fischer = site.app.provider("Lena Fischer");
    let b = Browser::launch(390).await;
    b.client
        .goto(&site.host.url())
        .await
        .expect("open host page");
    let w = b.widget("#book").await;

    wait_for_title(&w, "Have you visited us before?").await;
    click(&w, "[data-choice=returning]").await;
    wait_for_title(&w, "What is the visit for?").await;
    click(&w, &format!("[data-choice=reason-{cleaning}]")).await;

    wait_for_title(&w, "Where would you like to be seen?").await;
    let office = text_of(&w, &format!("[data-choice=location-{riverside}]")).await;
    assert!(
        office.contains("Riverside") && office.contains("45 River Road"),
        "{office}"
    );
    let any = text_of(&w, "[data-choice=location-any]").await;
    assert!(any.contains("Any location"), "{any}");
    click(&w, &format!("[data-choice=location-{riverside}]")).await;

    // Lena Fischer works Downtown only.
    wait_for_title(&w, "Who would you like to see?").await;
    assert!(w
        .find(Locator::Css(&format!("[data-choice=provider-{fischer}]")))
        .await
        .is_err());
    click(&w, &format!("[data-choice=provider-{rivera}]")).await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;

    wait_for_title(&w, "Pick a time").await;
    let place = text_of(&w, "[data-testid=time-place]").await;
    assert!(place.contains("Riverside, 45 River Road"), "{place}");
    let locations = shown_locations(&w).await;
    assert!(!locations.is_empty());
    assert!(
        locations.iter().all(|l| *l == riverside.to_string()),
        "{locations:?}"
    );
    b.screenshot("location-times").await;
    click(&w, ".sw-time").await;

    skip_lookup(&w).await;
    fill_details(&w).await;
    wait_for_title(&w, "Review and book").await;
    let summary = text_of(&w, ".sw-summary").await;
    assert!(summary.contains("Riverside"), "{summary}");
    click(&w, "[data-action=book]").await;
    wait_for_title(&w, "You're booked").await;
    let done = text_of(&w, ".sw-step").await;
    assert!(done.contains("Riverside, 45 River Road"), "{done}");
    b.close().await;
    site.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prefilled_location_skips_the_step_and_back_returns_to_it() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(site) = Site::start().await else {
        return;
    };
    let b = Browser::launch(390).await;
    b.client
        .goto(&format!(
            "{}/?reason=cleaning&location=riverside",
            site.host.url()
        ))
        .await
        .expect("open host page");
    let w = b.widget("#book").await;
    wait_for_title(&w, "Who would you like to see?").await;
    let fischer = site.app.provider("Lena Fischer");
    assert!(w
        .find(Locator::Css(&format!("[data-choice=provider-{fischer}]")))
        .await
        .is_err());
    click(&w, ".sw-back").await;
    wait_for_title(&w, "Where would you like to be seen?").await;
    let riverside = riverside_of(&site).await;
    let pressed = attr_of(
        &w,
        &format!("[data-choice=location-{riverside}]"),
        "aria-pressed",
    )
    .await;
    assert_eq!(pressed, "true", "the prefilled office is shown as chosen");

    // "Any location" groups a day's times under each office's name.
    click(&w, "[data-choice=location-any]").await;
    wait_for_title(&w, "Who would you like to see?").await;
    click(&w, "[data-choice=provider-any]").await;
    wait_for_title(&w, "How will you pay for the visit?").await;
    click(&w, "[data-choice=self-pay]").await;
    wait_for_title(&w, "Pick a time").await;
    // Sam Rivera works Riverside on Mondays, Wednesdays and Fridays; Lena Fischer Downtown
    // every weekday: the last such day of the strip has times at both.
    let mut both = None;
    for day in w.find_all(Locator::Css(".sw-day")).await.expect("days") {
        let date: jiff::civil::Date = day
            .attr("data-date")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
            .parse()
            .expect("date");
        let open = day.attr("disabled").await.ok().flatten().is_none();
        let weekday = date.weekday().to_monday_one_offset();
        if open && [1, 3, 5].contains(&weekday) {
            both = Some(day);
        }
    }
    both.expect("a Monday, Wednesday or Friday in the first week")
        .click()
        .await
        .expect("choose day");
    let mut places = Vec::new();
    for heading in w
        .find_all(Locator::Css(".sw-place"))
        .await
        .expect("headings")
    {
        places.push(heading.text().await.expect("text"));
    }
    assert_eq!(places, vec!["Downtown", "Riverside"]);
    let locations = shown_locations(&w).await;
    assert!(
        locations.iter().any(|l| *l == riverside.to_string())
            && locations.iter().any(|l| *l != riverside.to_string())
    );
    b.close().await;
    site.finish().await;
}
