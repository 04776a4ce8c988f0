//! A practice with two offices: booking-config says where each reason and provider is, the
//! free times can be asked for one location, a time held there is booked there, and staff can
//! stop offering "Any location" — on SQLite and on PostgreSQL.

use crate::common;
use crate::db_test;

use common::booking_request;
use common::staff::signed_in;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::api::{BookingConfig, HoldRequest, ProviderChoice, SlotOption, SlotsParams};
use slotwise_shared::model::LocationId;

fn location(config: &BookingConfig, name: &str) -> LocationId {
    config
        .locations
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no location {name}"))
        .id
}

async fn times_at(
    app: &common::TestApp,
    reason: slotwise_shared::model::ReasonId,
    location: Option<LocationId>,
) -> Vec<SlotOption> {
    let params = SlotsParams {
        reason,
        provider: ProviderChoice::Any,
        patient: None,
        location,
        from: None,
        days: Some(14),
        lang: None,
    };
    let slots = app.client.slots("demo", &params).await.expect("slots");
    slots.days.into_iter().flat_map(|d| d.slots).collect()
}

db_test! {
    async fn booking_config_says_where_each_reason_and_provider_is(app) {
        let config = app.client.booking_config("demo").await.expect("config");
        let (downtown, riverside) = (location(&config, "Downtown"), location(&config, "Riverside"));
        assert!(config.settings.any_location, "offered unless the practice turns it off");
        let checkup = config.reasons.iter().find(|r| r.name == "Checkup").expect("checkup");
        assert_eq!(checkup.location_ids, vec![downtown, riverside]);
        let patel = config.providers.iter().find(|p| p.name == "Dr. Maya Patel").expect("patel");
        assert_eq!(patel.location_ids, vec![downtown, riverside]);
        let fischer = config.providers.iter().find(|p| p.name == "Lena Fischer").expect("fischer");
        assert_eq!(fischer.location_ids, vec![downtown], "Lena Fischer works Downtown only");
    }
}

db_test! {
    async fn times_asked_for_one_location_are_all_there_and_book_there(app) {
        let config = app.client.booking_config("demo").await.expect("config");
        let (downtown, riverside) = (location(&config, "Downtown"), location(&config, "Riverside"));
        let checkup = app.reason("Checkup");
        let everywhere = times_at(app, checkup, None).await;
        let at_riverside = times_at(app, checkup, Some(riverside)).await;
        let at_downtown = times_at(app, checkup, Some(downtown)).await;
        assert!(!at_riverside.is_empty() && !at_downtown.is_empty());
        assert!(at_riverside.iter().all(|s| s.location == riverside), "only Riverside's times");
        assert!(at_downtown.iter().all(|s| s.location == downtown), "only Downtown's times");
        assert!(everywhere.iter().any(|s| s.location == riverside) && everywhere.iter().any(|s| s.location == downtown));
        assert!(everywhere.len() >= at_riverside.len().max(at_downtown.len()));

        let slot = at_riverside[0].clone();
        let hold = app
            .client
            .hold("demo", &HoldRequest { reason: checkup, provider: slot.provider, start: slot.start, lang: None })
            .await
            .expect("hold a Riverside time");
        assert_eq!(hold.slot.location, riverside);
        let booked = app.client.book("demo", "riverside-1", &booking_request(&hold.hold_token)).await.expect("book");
        assert_eq!(booked.booking.location.name, "Riverside");
        assert_eq!(booked.booking.location.address, "45 River Road, Springfield");
        let left = times_at(app, checkup, Some(riverside)).await;
        assert!(left.iter().all(|s| s.start != slot.start || s.provider != slot.provider), "the booked time is gone");
    }
}

db_test! {
    async fn an_unknown_or_malformed_location_is_refused_by_name(app) {
        let reason = app.reason("Checkup");
        let base = format!("{}/api/v1/practices/demo/slots?reason={reason}", app.server.url());
        let unknown = reqwest::get(format!("{base}&location=999999")).await.expect("get");
        assert_eq!(unknown.status().as_u16(), 404);
        let malformed = reqwest::get(format!("{base}&location=uptown")).await.expect("get");
        assert_eq!(malformed.status().as_u16(), 422);
        let body: serde_json::Value = malformed.json().await.expect("json");
        assert!(body["fields"]["location"].as_str().is_some_and(|m| m.contains("any")), "{body}");
        let any = reqwest::get(format!("{base}&location=any")).await.expect("get");
        assert_eq!(any.status().as_u16(), 200);
    }
}

db_test! {
    async fn staff_can_stop_offering_any_location(app) {
        let owner = signed_in(app, "demo", StaffRole::Owner).await;
        let mut settings = owner.practice().await.expect("practice").settings;
        assert!(settings.any_location);
        settings.any_location = false;
        let saved = owner.save_practice(&settings).await.expect("save");
        assert!(!saved.settings.any_location);
        let config = app.client.booking_config("demo").await.expect("config");
        assert!(!config.settings.any_location, "patients see it at once");
    }
}
