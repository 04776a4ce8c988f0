//! Practice settings, locations and rooms, and the whole setup in one read.

use super::change::{apply, done, refuse};
use super::named::{change_setup, refuse_if, LOCATION};
use super::views::setup_view;
use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::phone;
use crate::state::AppState;
use crate::store::{seed, setup};
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use jiff::tz::TimeZone;
use slotwise_shared::admin::{
    LocationInput, OperatoryInput, PracticeSettings, PracticeView, SetupView, StaffRole,
};
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::model::LocationId;
use slotwise_shared::patients::PracticeKind;

/// `GET /api/v1/admin/setup`: locations, providers, reasons and carriers.
#[utoipa::path(
    get,
    path = "/api/v1/admin/setup",
    operation_id = "get_setup",
    tag = "admin",
    summary = "Locations, providers, reasons and carriers",
    security(("bearerAuth" = ["front_desk"])),
    responses(
        (status = 200, description = "The practice's locations (with rooms), providers (with hours and time off), reasons and carriers", body = SetupView),
    ),
)]
pub async fn show(State(state): State<AppState>, auth: PracticeAuth) -> ApiResult<Json<SetupView>> {
    Ok(Json(setup_view(&state, &auth).await?))
}

fn settings_of(row: &setup::PracticeRow) -> PracticeSettings {
    PracticeSettings {
        name: row.name.clone(),
        phone: row.phone.clone(),
        accent_color: row.accent_color.clone(),
        logo_url: row.logo_url.clone(),
        hold_minutes: u32::try_from(row.hold_minutes).unwrap_or(10),
        existing_patients_only: row.existing_patients_only != 0,
        confirmation_text: row.confirmation_text.clone(),
        out_of_network_text: row.out_of_network_text.clone(),
        allowed_origins: row
            .allowed_origins
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        queue_expiry_hours: u32::try_from(row.queue_expiry_hours).unwrap_or(72),
        kind: PracticeKind::parse(&row.kind),
        intake_url: row.intake_url.clone(),
        country: row.country.clone(),
        any_location: row.any_location != 0,
        default_lang: row.default_lang.clone(),
        waitlist_wave_size: u32::try_from(row.waitlist_wave_size).unwrap_or(3),
        waitlist_wave_minutes: u32::try_from(row.waitlist_wave_minutes).unwrap_or(10),
        confirm_no_shows: u32::try_from(row.confirm_no_shows).unwrap_or(0),
        confirm_months: u32::try_from(row.confirm_months).unwrap_or(12),
        confirm_hours: u32::try_from(row.confirm_hours).unwrap_or(24),
        confirm_release: row.confirm_release != 0,
    }
}

async fn practice_view(state: &AppState, auth: &PracticeAuth) -> ApiResult<PracticeView> {
    let row = setup::practice(&state.db, auth.practice_id)
        .await?
        .ok_or_else(|| ApiError::not_found("practice"))?;
    Ok(PracticeView {
        slug: row.slug.clone(),
        timezone: row.timezone.clone(),
        settings: settings_of(&row),
    })
}

/// `GET /api/v1/admin/practice`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/practice",
    operation_id = "get_practice",
    tag = "admin",
    summary = "Practice settings",
    security(("bearerAuth" = ["front_desk"])),
    responses(
        (status = 200, description = "The practice's settings, slug and time zone", body = PracticeView),
    ),
)]
pub async fn show_practice(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<PracticeView>> {
    Ok(Json(practice_view(&state, &auth).await?))
}

/// An origin as browsers send it: scheme, host and optional port, nothing else.
fn check_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    })
}

fn check_settings(s: &PracticeSettings) -> Result<setup::PracticeRow, FieldErrors> {
    let mut fields = FieldErrors::new();
    let mut bad = |f: &str, m: &str| {
        fields.insert(f.to_string(), m.to_string());
    };
    let name = s.name.trim();
    if name.is_empty() || s.name.chars().count() > 120 {
        bad("name", "Enter the practice's name (up to 120 characters).");
    }
    let default_lang = match slotwise_shared::lang::find(&s.default_lang) {
        Some(language) if s.default_lang.trim().len() <= 35 => language.code.to_string(),
        _ => {
            let codes: Vec<&str> = slotwise_shared::lang::LANGUAGES
                .iter()
                .map(|l| l.code)
                .collect();
            bad(
                "default_lang",
                &format!("Choose one of the languages: {}.", codes.join(", ")),
            );
            String::new()
        }
    };
    let country = s.country.trim().to_ascii_uppercase();
    if !country.is_empty() && phone::region(&country).is_none() {
        bad(
            "country",
            "Use the two-letter country code, like US, CA or GB, or leave it empty.",
        );
    }
    // The practice's own number may be national when its country is set.
    let phone = if s.phone.trim().is_empty() {
        String::new()
    } else {
        phone::to_e164(&s.phone, &country).unwrap_or_else(|m| {
            bad("phone", &slotwise_shared::lang::DEFAULT.render(&m));
            String::new()
        })
    };
    let color = s.accent_color.trim();
    if !(color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit()))
    {
        bad("accent_color", "Use a colour like #0f766e.");
    }
    let logo = s.logo_url.as_deref().map(str::trim).unwrap_or("");
    if !logo.is_empty() && !logo.starts_with("https://") && !logo.starts_with("http://") {
        bad("logo_url", "Use a web address starting with https://.");
    }
    if !(1..=60).contains(&s.hold_minutes) {
        bad("hold_minutes", "Hold a time for 1 to 60 minutes.");
    }
    if !(1..=20).contains(&s.waitlist_wave_size) {
        bad(
            "waitlist_wave_size",
            "Offer a freed time to 1 to 20 patients at a time.",
        );
    }
    if !(1..=240).contains(&s.waitlist_wave_minutes) {
        bad(
            "waitlist_wave_minutes",
            "Use 1 to 240 minutes between waves.",
        );
    }
    if s.confirm_no_shows > 20 {
        bad(
            "confirm_no_shows",
            "Use 0 (nobody must confirm) to 20 no-shows.",
        );
    }
    if !(1..=36).contains(&s.confirm_months) {
        bad("confirm_months", "Look back 1 to 36 months.");
    }
    if !(1..=168).contains(&s.confirm_hours) {
        bad(
            "confirm_hours",
            "Ask for a confirmation 1 to 168 hours before the visit.",
        );
    }
    if !(1..=720).contains(&s.queue_expiry_hours) {
        bad("queue_expiry_hours", "Use 1 to 720 hours.");
    }
    let origins: Vec<String> = s
        .allowed_origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/').to_lowercase())
        .filter(|o| !o.is_empty())
        .collect();
    if let Some(wrong) = origins.iter().find(|o| !check_origin(o)) {
        bad(
            "allowed_origins",
            &format!("\"{wrong}\" is not an origin like https://www.example-dental.com."),
        );
    }
    for (field, text) in [
        ("confirmation_text", &s.confirmation_text),
        ("out_of_network_text", &s.out_of_network_text),
    ] {
        if text.chars().count() > 1000 {
            bad(field, "Keep this under 1000 characters.");
        }
    }
    let intake = s.intake_url.trim();
    if !intake.is_empty()
        && (!intake.starts_with("https://")
            || intake.len() > 500
            || intake.contains(char::is_whitespace))
    {
        bad(
            "intake_url",
            "Use a full https:// address of your intake form, or leave it empty.",
        );
    }
    if !fields.is_empty() {
        return Err(fields);
    }
    Ok(setup::PracticeRow {
        slug: String::new(),
        name: name.to_string(),
        phone,
        timezone: String::new(),
        accent_color: color.to_lowercase(),
        logo_url: (!logo.is_empty()).then(|| logo.to_string()),
        hold_minutes: i64::from(s.hold_minutes),
        existing_patients_only: i64::from(s.existing_patients_only),
        confirmation_text: s.confirmation_text.trim().to_string(),
        out_of_network_text: s.out_of_network_text.trim().to_string(),
        allowed_origins: origins.join(" "),
        queue_expiry_hours: i64::from(s.queue_expiry_hours),
        kind: s.kind.as_str().to_string(),
        intake_url: intake.to_string(),
        country,
        any_location: i64::from(s.any_location),
        default_lang,
        waitlist_wave_size: i64::from(s.waitlist_wave_size),
        waitlist_wave_minutes: i64::from(s.waitlist_wave_minutes),
        confirm_no_shows: i64::from(s.confirm_no_shows),
        confirm_months: i64::from(s.confirm_months),
        confirm_hours: i64::from(s.confirm_hours),
        confirm_release: i64::from(s.confirm_release),
    })
}

/// `PUT /api/v1/admin/practice`: branding and widget settings (admins and owners).
#[utoipa::path(
    put,
    path = "/api/v1/admin/practice",
    operation_id = "update_practice",
    tag = "admin",
    summary = "Save practice settings (branding, widget)",
    security(("bearerAuth" = ["admin"])),
    request_body = PracticeSettings,
    responses(
        (status = 200, description = "The saved settings", body = PracticeView),
        (status = 422, description = "A setting breaks a rule (name, phone, accent colour, logo or intake address, hold minutes 1–60, queue expiry 1–720 hours, allowed origins, text lengths); `fields` names each", body = ErrorBody),
    ),
)]
pub async fn save_practice(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(settings): ApiJson<PracticeSettings>,
) -> ApiResult<Json<PracticeView>> {
    auth.require(StaffRole::Admin)?;
    let row = check_settings(&settings).map_err(ApiError::validation)?;
    let practice_id = auth.practice_id;
    apply(
        &state,
        &auth,
        "practice.update",
        write_unit!(|conn| {
            setup::update_practice(conn, practice_id, &row).await?;
            done((), format!("practice {practice_id}"))
        }),
    )
    .await?;
    Ok(Json(practice_view(&state, &auth).await?))
}

/// `POST /api/v1/admin/locations`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/locations",
    operation_id = "create_location",
    tag = "admin",
    summary = "Add a location",
    security(("bearerAuth" = ["admin"])),
    request_body = LocationInput,
    responses(
        (status = 200, description = "The location is added; the practice's setup lists", body = SetupView),
        (status = 409, description = "A location with this name was just added by someone else", body = ErrorBody),
        (status = 422, description = "Missing or too long name, unknown time zone, or a location has this name already", body = ErrorBody),
    ),
)]
pub async fn add_location(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<LocationInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ApiError::field(
            "name",
            "Name the location (up to 120 characters).",
        ));
    }
    let timezone = match input.timezone.trim() {
        "" => auth
            .session
            .as_ref()
            .map(|s| s.timezone.clone())
            .unwrap_or_default(),
        tz => tz.to_string(),
    };
    let timezone = if timezone.is_empty() {
        setup::practice(&state.db, auth.practice_id)
            .await?
            .map(|p| p.timezone)
            .unwrap_or_default()
    } else {
        timezone
    };
    if TimeZone::get(&timezone).is_err() {
        return Err(ApiError::field(
            "timezone",
            "Use a time zone like America/New_York.",
        ));
    }
    let (practice_id, address) = (auth.practice_id, input.address.trim().to_string());
    change_setup(
        &state,
        &auth,
        "location.create",
        write_unit!(|conn| {
            refuse_if!(LOCATION.refusal(conn, practice_id, None, &name).await?);
            let id = seed::location(conn, practice_id, &name, &address, &timezone).await?;
            done((), LOCATION.target(id))
        }),
    )
    .await
}

/// `POST /api/v1/admin/operatories`: a room or chair at a location.
#[utoipa::path(
    post,
    path = "/api/v1/admin/operatories",
    operation_id = "create_operatory",
    tag = "admin",
    summary = "Add a room or chair",
    security(("bearerAuth" = ["admin"])),
    request_body = OperatoryInput,
    responses(
        (status = 200, description = "The room is added; the practice's setup lists", body = SetupView),
        (status = 409, description = "A room with this name was just added by someone else", body = ErrorBody),
        (status = 422, description = "Missing or too long name or kind, a location that is not the practice's, or the location has a room with this name", body = ErrorBody),
    ),
)]
pub async fn add_operatory(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<OperatoryInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let (name, kind) = (
        input.name.trim().to_string(),
        input.kind.trim().to_lowercase(),
    );
    let mut fields = FieldErrors::new();
    if name.is_empty() || name.chars().count() > 80 {
        fields.insert("name".into(), "Name the room (up to 80 characters).".into());
    }
    if kind.is_empty() || kind.chars().count() > 40 {
        fields.insert(
            "kind".into(),
            "Say what kind of room it is, e.g. hygiene.".into(),
        );
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    let (practice_id, location_id) = (auth.practice_id, LocationId(input.location_id));
    change_setup(
        &state,
        &auth,
        "operatory.create",
        write_unit!(|conn| {
            refuse_if!(
                LOCATION
                    .foreign(conn, practice_id, &[location_id], "location_id")
                    .await?
            );
            let taken = setup::operatory_named(conn, location_id, &name).await?;
            if taken.is_some() {
                return refuse(ApiError::field(
                    "name",
                    "This location has a room with this name.",
                ));
            }
            let id = seed::operatory(conn, practice_id, location_id, &name, &kind).await?;
            done((), format!("operatory {id}"))
        }),
    )
    .await
}
