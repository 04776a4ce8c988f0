//! Providers: details, weekly hours and time off.

use super::change::{done, refuse};
use super::local_time::{date_of, local_instant, minutes_of};
use super::named::{change_setup, refuse_if, PROVIDER};
use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::refill;
use crate::store::seed;
use crate::store::setup::{self, ProviderRow};
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use jiff::tz::TimeZone;
use slotwise_shared::admin::{HoursUpdate, ProviderInput, SetupView, StaffRole, TimeOffInput};
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::model::ProviderId;

fn check_provider(input: &ProviderInput) -> Result<ProviderRow, ApiError> {
    let mut fields = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        fields.insert(
            "name".into(),
            "Enter the provider's name (up to 100 characters).".into(),
        );
    }
    if input.role.chars().count() > 100 {
        fields.insert("role".into(), "Keep the role under 100 characters.".into());
    }
    if input.bio.chars().count() > 2000 {
        fields.insert("bio".into(), "Keep the bio under 2000 characters.".into());
    }
    let photo = input.photo_url.as_deref().map(str::trim).unwrap_or("");
    if !photo.is_empty() && !photo.starts_with("https://") && !photo.starts_with("http://") {
        fields.insert(
            "photo_url".into(),
            "Use a web address starting with https://.".into(),
        );
    }
    let external = input.external_id.trim();
    let fhir_id = external.len() <= 64
        && external
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !fhir_id {
        fields.insert(
            "external_id".into(),
            "Use the Practitioner id from your practice system: letters, digits, '-' and '.', up to 64."
                .into(),
        );
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    Ok(ProviderRow {
        external_id: (!external.is_empty()).then(|| external.to_string()),
        id: 0,
        name: name.to_string(),
        role: input.role.trim().to_string(),
        bio: input.bio.trim().to_string(),
        photo_url: (!photo.is_empty()).then(|| photo.to_string()),
        bookable: i64::from(input.bookable),
    })
}

/// `POST /api/v1/admin/providers`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/providers",
    operation_id = "create_provider",
    tag = "admin",
    summary = "Add a provider",
    security(("bearerAuth" = ["admin"])),
    request_body = ProviderInput,
    responses(
        (status = 200, description = "The provider is added; the practice's setup lists", body = SetupView),
        (status = 409, description = "A provider with this name was just added by someone else", body = ErrorBody),
        (status = 422, description = "Missing or too long name, role or bio, a photo address that is not http(s), a malformed practice-system id, or a provider has this name already", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<ProviderInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let row = check_provider(&input)?;
    let practice_id = auth.practice_id;
    change_setup(
        &state,
        &auth,
        "provider.create",
        write_unit!(|conn| {
            refuse_if!(PROVIDER.refusal(conn, practice_id, None, &row.name).await?);
            let order = setup::next_sort_order(conn, PROVIDER.table, practice_id).await?;
            let id =
                seed::provider(conn, practice_id, &row.name, &row.role, &row.bio, order).await?;
            setup::update_provider(conn, practice_id, id, &row).await?;
            done((), PROVIDER.target(id))
        }),
    )
    .await
}

/// `PUT /api/v1/admin/providers/{id}`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/providers/{id}",
    operation_id = "update_provider",
    tag = "admin",
    summary = "Change a provider",
    security(("bearerAuth" = ["admin"])),
    params(("id" = ProviderId, Path, description = "The provider's id")),
    request_body = ProviderInput,
    responses(
        (status = 200, description = "The provider is changed; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such provider in the caller's practice", body = ErrorBody),
        (status = 409, description = "Another provider took this name meanwhile", body = ErrorBody),
        (status = 422, description = "Missing or too long name, role or bio, a photo address that is not http(s), a malformed practice-system id, or another provider has this name", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProviderId>,
    ApiJson(input): ApiJson<ProviderInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let row = check_provider(&input)?;
    let practice_id = auth.practice_id;
    change_setup(
        &state,
        &auth,
        "provider.update",
        write_unit!(|conn| {
            refuse_if!(
                PROVIDER
                    .refusal(conn, practice_id, Some(id), &row.name)
                    .await?
            );
            setup::update_provider(conn, practice_id, id, &row).await?;
            done((), PROVIDER.target(id))
        }),
    )
    .await
}

/// `PUT /api/v1/admin/providers/{id}/hours`: the whole week, replacing what was there.
#[utoipa::path(
    put,
    path = "/api/v1/admin/providers/{id}/hours",
    operation_id = "set_provider_hours",
    tag = "admin",
    summary = "Replace a provider's weekly hours",
    security(("bearerAuth" = ["admin"])),
    params(("id" = ProviderId, Path, description = "The provider's id")),
    request_body = HoursUpdate,
    responses(
        (status = 200, description = "The week's hours are replaced; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such provider in the caller's practice", body = ErrorBody),
        (status = 422, description = "More than 100 windows, a weekday outside 1–7, times not like 09:00, an end not after its start, windows overlapping on a day, or a location that is not the practice's (`hours[i].…` fields)", body = ErrorBody),
    ),
)]
pub async fn set_hours(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProviderId>,
    ApiJson(update): ApiJson<HoursUpdate>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let mut rows = Vec::new();
    let mut fields = FieldErrors::new();
    if update.hours.len() > 100 {
        fields.insert("hours".into(), "At most 100 working windows.".into());
    }
    for (i, h) in update.hours.iter().enumerate() {
        let (start, end) = (minutes_of(&h.start), minutes_of(&h.end));
        match (start, end) {
            _ if !(1..=7).contains(&h.weekday) => {
                fields.insert(
                    format!("hours[{i}].weekday"),
                    "Choose a day of the week.".into(),
                );
            }
            (Some(s), Some(e)) if s < e => {
                rows.push((h.location_id, i64::from(h.weekday), s, e));
            }
            (Some(_), Some(_)) => {
                fields.insert(format!("hours[{i}].end"), "End after the start.".into());
            }
            _ => {
                fields.insert(format!("hours[{i}].start"), "Use times like 09:00.".into());
            }
        }
    }
    if let Some(i) = overlapping(&rows) {
        fields.insert(
            format!("hours[{i}].start"),
            "This overlaps other hours that day.".into(),
        );
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    let practice_id = auth.practice_id;
    change_setup(
        &state,
        &auth,
        "provider.hours",
        write_unit!(|conn| {
            refuse_if!(PROVIDER.not_ours(conn, practice_id, id).await?);
            for (i, row) in rows.iter().enumerate() {
                if !setup::owns(conn, "locations", practice_id, row.0).await? {
                    return refuse(ApiError::field(
                        &format!("hours[{i}].location_id"),
                        "Choose one of your locations.",
                    ));
                }
            }
            setup::replace_hours(conn, practice_id, id, &rows).await?;
            done((), PROVIDER.target(id))
        }),
    )
    .await
}

/// The index of a window that overlaps an earlier one of the same day.
fn overlapping(rows: &[(i64, i64, i64, i64)]) -> Option<usize> {
    rows.iter().enumerate().find_map(|(i, a)| {
        rows[..i]
            .iter()
            .any(|b| a.1 == b.1 && a.2 < b.3 && b.2 < a.3)
            .then_some(i)
    })
}

/// An instant of a local date and `HH:MM` (empty: midnight, or the next midnight for an end).
fn instant(date: &str, time: &str, end: bool, tz: &TimeZone) -> Option<i64> {
    let date = date_of(date)?;
    let (date, minutes) = match (time.trim(), end) {
        ("", false) => (date, 0),
        ("", true) => (date.tomorrow().ok()?, 0),
        (t, _) => (date, minutes_of(t)?),
    };
    local_instant(date, minutes, tz)
}

/// `POST /api/v1/admin/providers/{id}/time-off`: a block-off in the practice's local time.
#[utoipa::path(
    post,
    path = "/api/v1/admin/providers/{id}/time-off",
    operation_id = "create_time_off",
    tag = "admin",
    summary = "Add time off",
    security(("bearerAuth" = ["admin"])),
    params(("id" = ProviderId, Path, description = "The provider's id")),
    request_body = TimeOffInput,
    responses(
        (status = 200, description = "The time off is added; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such provider in the caller's practice", body = ErrorBody),
        (status = 422, description = "Dates not like 2026-12-01 or times not like 09:00, an end not after the start, more than a year at once, or a note over 200 characters", body = ErrorBody),
    ),
)]
pub async fn add_time_off(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProviderId>,
    ApiJson(input): ApiJson<TimeOffInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let tz = state.catalog(&auth.slug).await?.practice.tz.clone();
    let start = instant(&input.start_date, &input.start_time, false, &tz);
    let end = instant(&input.end_date, &input.end_time, true, &tz);
    let mut fields = FieldErrors::new();
    match (start, end) {
        (None, _) => {
            fields.insert(
                "start_date".into(),
                "Use a date like 2026-12-01 and a time like 09:00.".into(),
            );
        }
        (_, None) => {
            fields.insert(
                "end_date".into(),
                "Use a date like 2026-12-01 and a time like 17:00.".into(),
            );
        }
        (Some(s), Some(e)) if e <= s => {
            fields.insert("end_date".into(), "End after the start.".into());
        }
        (Some(s), Some(e)) if e - s > 366 * 86_400 => {
            fields.insert(
                "end_date".into(),
                "Time off can be at most a year at once.".into(),
            );
        }
        _ => {}
    }
    if input.note.chars().count() > 200 {
        fields.insert("note".into(), "Keep the note under 200 characters.".into());
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Err(ApiError::validation(fields));
    };
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    let (practice_id, note) = (auth.practice_id, input.note.trim().to_string());
    change_setup(
        &state,
        &auth,
        "provider.time_off",
        write_unit!(|conn| {
            refuse_if!(PROVIDER.not_ours(conn, practice_id, id).await?);
            seed::time_off(conn, practice_id, id, start, end, &note).await?;
            done((), PROVIDER.target(id))
        }),
    )
    .await
}

/// `DELETE /api/v1/admin/time-off/{id}`.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/time-off/{id}",
    operation_id = "delete_time_off",
    tag = "admin",
    summary = "Remove time off",
    security(("bearerAuth" = ["admin"])),
    params(("id" = i64, Path, description = "The time off's id")),
    responses(
        (status = 200, description = "The time off is removed; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such time off in the caller's practice", body = ErrorBody),
    ),
)]
pub async fn delete_time_off(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let practice_id = auth.practice_id;
    change_setup(
        &state,
        &auth,
        "time_off.delete",
        write_unit!(|conn| {
            let Some((provider, start, end)) =
                setup::delete_time_off(conn, practice_id, id).await?
            else {
                return refuse(ApiError::not_found("time off"));
            };
            // The provider's time is free again: the waitlist may refill it.
            let now = now_seconds();
            refill::note_freed(conn, practice_id, provider, (start.max(now + 1), end), now).await?;
            done((), format!("time_off {id}"))
        }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_windows_of_a_day_are_found() {
        assert_eq!(overlapping(&[(1, 1, 540, 720), (1, 1, 780, 1020)]), None);
        assert_eq!(overlapping(&[(1, 1, 540, 720), (1, 1, 700, 1020)]), Some(1));
        assert_eq!(overlapping(&[(1, 1, 540, 720), (1, 2, 600, 700)]), None);
    }
}
