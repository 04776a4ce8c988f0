//! `GET booking-config?lang=&prefer=`: the practice as the widget shows it, with the widget's
//! words in the patient's language.

use crate::catalog::Catalog;
use crate::error::ApiResult;
use crate::extract::ApiPath;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use slotwise_shared::api::{
    BookingConfig, CarrierInfo, LanguageInfo, LocationInfo, PracticeInfo, ProviderInfo,
    PublicSettings, ReasonInfo,
};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::lang::{self, Language};

/// Handler.
#[utoipa::path(
    get,
    path = "/api/v1/practices/{slug}/booking-config",
    operation_id = "get_booking_config",
    tag = "booking",
    summary = "The practice as the booking widget shows it",
    params(
        ("slug" = String, Path, description = "The practice's booking slug"),
        ("lang" = Option<String>, Query, description = "The language chosen (`es`, from the \
            widget's `data-lang` or the page's `?lang=`)"),
        ("prefer" = Option<String>, Query, description = "The browser's languages, most wanted \
            first (`es-MX,es,en`); used when `lang` is absent or not one there is"),
    ),
    responses(
        (status = 200, description = "The practice, its settings, locations, bookable providers, \
            active reasons for visit, accepted insurance carriers, the languages there are and \
            the widget's words in the language chosen", body = BookingConfig),
        (status = 404, description = "Unknown practice", body = ErrorBody),
    ),
)]
pub async fn booking_config(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<BookingConfig>> {
    let catalog = state.catalog(&slug).await?;
    let asked = |key: &str, bound: usize| -> Option<String> {
        let raw = raw.as_deref()?;
        let value = raw
            .split('&')
            .find_map(|p| p.strip_prefix(key)?.strip_prefix('='))?;
        let value: String = value.chars().take(bound).collect();
        urlencoding::decode(&value).ok().map(|v| v.into_owned())
    };
    let language = lang::choose(
        asked("lang", 35).as_deref(),
        asked("prefer", 256).as_deref(),
        &catalog.practice.default_lang,
    );
    Ok(Json(public_config(&catalog, language)))
}

/// Only bookable providers and active reasons that someone can be booked for; the widget's
/// words in `language`.
pub fn public_config(catalog: &Catalog, language: &Language) -> BookingConfig {
    let p = &catalog.practice;
    let reasons: Vec<ReasonInfo> = catalog
        .reasons
        .iter()
        .filter(|r| r.active && !r.provider_ids.is_empty())
        .map(|r| ReasonInfo {
            id: r.id,
            name: r.name.clone(),
            description: r.description.clone(),
            duration_min: r.timing.duration_min,
            eligibility: r.eligibility,
            provider_ids: r.provider_ids.clone(),
            location_ids: catalog.reason_locations(r),
        })
        .collect();
    BookingConfig {
        practice: PracticeInfo {
            slug: p.slug.clone(),
            name: p.name.clone(),
            phone: p.phone.clone(),
            timezone: p.timezone.clone(),
            timezone_name: slotwise_shared::zone_names::zone_name_in(language, &p.timezone),
            accent_color: p.accent_color.clone(),
            logo_url: p.logo_url.clone(),
        },
        settings: PublicSettings {
            hold_minutes: p.hold_minutes,
            existing_patients_only: p.existing_patients_only,
            confirmation_text: p.confirmation_text.clone(),
            out_of_network_text: p.out_of_network_text.clone(),
            practice_kind: p.kind,
            phone_country: p.country.clone(),
            any_location: p.any_location,
            default_lang: p.default_lang.clone(),
        },
        locations: catalog
            .locations
            .iter()
            .map(|l| LocationInfo {
                id: l.id,
                name: l.name.clone(),
                address: l.address.clone(),
                timezone: l.timezone.clone(),
            })
            .collect(),
        providers: catalog
            .providers
            .iter()
            .filter(|p| p.bookable)
            .map(|p| ProviderInfo {
                id: p.id,
                name: p.name.clone(),
                role: p.role.clone(),
                bio: p.bio.clone(),
                photo_url: p.photo_url.clone(),
                reason_ids: reasons
                    .iter()
                    .filter(|r| r.provider_ids.contains(&p.id))
                    .map(|r| r.id)
                    .collect(),
                location_ids: catalog.provider_locations(p.id),
            })
            .collect(),
        carriers: catalog
            .carriers
            .iter()
            .map(|c| CarrierInfo {
                id: c.id,
                name: c.name.clone(),
                member_id_required: c.member_id_required,
            })
            .collect(),
        reasons,
        languages: lang::LANGUAGES
            .iter()
            .map(|l| LanguageInfo {
                code: l.code.to_string(),
                name: l.name.to_string(),
            })
            .collect(),
        lang: language.code.to_string(),
        texts: language
            .text
            .iter()
            .filter(|(key, _)| key.starts_with("widget.") || key.starts_with("check."))
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect(),
    }
}
