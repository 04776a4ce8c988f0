//! The practice's appointments for staff: search and filters, CSV export, actions, moves.

use super::local_time::{date_of, local_instant};
use super::PracticeAuth;
use crate::appointment_view::staff_item::staff_item;
use crate::booking::manage::{move_booking, Which};
use crate::booking::outside_changes;
use crate::booking::staff_actions::apply_action;
use crate::catalog::Catalog;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use crate::store::appointment_search::{self, Search};
use crate::tokens::new_token;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::admin::{
    AppointmentAction, AppointmentFilter, AppointmentItem, AppointmentList, StaffReschedule,
};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::model::{ProviderId, ReasonId};

const STATUSES: [&str; 5] = ["booked", "confirmed", "completed", "cancelled", "no_show"];
const SOURCES: [&str; 5] = ["widget", "direct_link", "recall", "staff", "phone"];

fn start_of(date: &str, field: &str, catalog: &Catalog, next_day: bool) -> ApiResult<i64> {
    let date =
        date_of(date).ok_or_else(|| ApiError::field(field, "Use a date like 2026-12-01."))?;
    let out_of_range = || ApiError::field(field, "That date is out of range.");
    let date = if next_day {
        date.tomorrow().map_err(|_| out_of_range())?
    } else {
        date
    };
    local_instant(date, 0, &catalog.practice.tz).ok_or_else(out_of_range)
}

/// The start of today in the practice's timezone.
fn today_start(catalog: &Catalog) -> ApiResult<i64> {
    let today = Timestamp::from_second(crate::clock::now_seconds())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(catalog.practice.tz.clone())
        .date();
    start_of(&today.to_string(), "from", catalog, false)
}

/// Checks the filters and turns local dates into instants.
fn search_of(f: &AppointmentFilter, catalog: &Catalog) -> ApiResult<Search> {
    let text = f.q.trim();
    if text.chars().count() > 100 {
        return Err(ApiError::field("q", "Search for at most 100 characters."));
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let status = (!f.status.is_empty()).then(|| f.status.clone());
    if status.as_deref().is_some_and(|s| !STATUSES.contains(&s)) {
        return Err(ApiError::field(
            "status",
            "Choose one of the listed statuses.",
        ));
    }
    let source = (!f.source.is_empty()).then(|| f.source.clone());
    if source.as_deref().is_some_and(|s| !SOURCES.contains(&s)) {
        return Err(ApiError::field(
            "source",
            "Choose one of the listed sources.",
        ));
    }
    Ok(Search {
        id: None,
        text: (!text.is_empty()).then(|| text.to_string()),
        digits: (digits.len() >= 3).then_some(digits),
        from: match (f.from.is_empty(), text.is_empty() && f.to.is_empty()) {
            (false, _) => Some(start_of(&f.from, "from", catalog, false)?),
            // No search and no dates: today onwards, the front desk's usual view.
            (true, true) => Some(today_start(catalog)?),
            (true, false) => None,
        },
        until: (!f.to.is_empty())
            .then(|| start_of(&f.to, "to", catalog, true))
            .transpose()?,
        provider_id: f.provider_id.map(ProviderId),
        reason_id: f.reason_id.map(ReasonId),
        status,
        source,
    })
}

async fn find_all(
    state: &AppState,
    auth: &PracticeAuth,
    filter: &AppointmentFilter,
    limit: i64,
) -> ApiResult<Vec<AppointmentItem>> {
    let catalog = state.catalog(&auth.slug).await?;
    let search = search_of(filter, &catalog)?;
    let mut conn = state.db.read.acquire().await?;
    let rows = appointment_search::search(&mut conn, auth.practice_id, &search, limit).await?;
    Ok(rows.into_iter().map(|a| staff_item(a, &catalog)).collect())
}

/// `GET /api/v1/admin/appointments?q=&from=&to=&provider_id=&reason_id=&status=&source=`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/appointments",
    operation_id = "list_appointments",
    tag = "admin",
    summary = "Search and filter appointments",
    security(("bearerAuth" = ["front_desk"])),
    params(AppointmentFilter),
    responses(
        (status = 200, description = "Up to 500 matching appointments (no search and no dates: from today on)", body = AppointmentList),
        (status = 422, description = "A filter breaks a rule: `q` over 100 characters, `from`/`to` not a date like 2026-12-01 or out of range, or an unknown `status` or `source`", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(filter): ApiQuery<AppointmentFilter>,
) -> ApiResult<Json<AppointmentList>> {
    let appointments = find_all(&state, &auth, &filter, 500).await?;
    Ok(Json(AppointmentList { appointments }))
}

/// A CSV field, quoted when needed; a leading `=`, `+`, `-` or `@` is defused so spreadsheets
/// never run it as a formula.
fn csv_field(value: &str) -> String {
    let is_phone =
        value.len() > 1 && value.starts_with('+') && value[1..].chars().all(|c| c.is_ascii_digit());
    let value = if !is_phone && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// `GET /api/v1/admin/appointments.csv`: the same list as a spreadsheet file.
#[utoipa::path(
    get,
    path = "/api/v1/admin/appointments.csv",
    operation_id = "export_appointments_csv",
    tag = "admin",
    summary = "Appointments as CSV",
    security(("bearerAuth" = ["front_desk"])),
    params(AppointmentFilter),
    responses(
        (
            status = 200,
            description = "Up to 10,000 matching appointments as a CSV attachment (`appointments.csv`): reference, start, status, source, provider, reason, patient, phone, email, patient_type",
            content_type = "text/csv",
            body = String,
            headers((
                "Content-Disposition" = String,
                description = "`attachment; filename=\"appointments.csv\"`"
            )),
        ),
        (status = 422, description = "A filter breaks a rule: `q` over 100 characters, `from`/`to` not a date like 2026-12-01 or out of range, or an unknown `status` or `source`", body = ErrorBody),
    ),
)]
pub async fn csv(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(filter): ApiQuery<AppointmentFilter>,
) -> ApiResult<Response> {
    let rows = find_all(&state, &auth, &filter, 10_000).await?;
    let mut out = String::from(
        "reference,start,status,source,provider,reason,patient,phone,email,patient_type\r\n",
    );
    for a in rows {
        let fields = [
            a.reference,
            a.when_label,
            a.status,
            a.source,
            a.provider_name,
            a.reason_name,
            a.patient_name,
            a.phone,
            a.email,
            a.patient_type,
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"appointments.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response())
}

async fn one(state: &AppState, auth: &PracticeAuth, id: i64) -> ApiResult<AppointmentItem> {
    let catalog = state.catalog(&auth.slug).await?;
    let mut conn = state.db.read.acquire().await?;
    let search = Search {
        id: Some(id),
        ..Search::default()
    };
    let rows = appointment_search::search(&mut conn, auth.practice_id, &search, 1).await?;
    rows.into_iter()
        .find(|a| a.id == id)
        .map(|a| staff_item(a, &catalog))
        .ok_or_else(|| ApiError::not_found("appointment"))
}

/// `POST /api/v1/admin/appointments/{id}/{action}`: confirm, cancel, complete, no_show.
#[utoipa::path(
    post,
    path = "/api/v1/admin/appointments/{id}/{action}",
    operation_id = "act_on_appointment",
    tag = "admin",
    summary = "Confirm, cancel, complete or mark no-show",
    security(("bearerAuth" = ["front_desk"])),
    params(
        ("id" = i64, Path, description = "The appointment's id"),
        ("action" = inline(AppointmentAction), Path, description = "What to do: `confirm`, `cancel` (the patient is told), `complete` or `no_show`"),
    ),
    responses(
        (status = 200, description = "The appointment after the action (repeating an action already done changes nothing)", body = AppointmentItem),
        (status = 404, description = "No such appointment in the caller's practice, or an unknown action", body = ErrorBody),
        (status = 409, description = "The appointment's status does not allow the action, it has already started (cancel), or it changed meanwhile", body = ErrorBody),
    ),
)]
pub async fn act(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath((id, action)): ApiPath<(i64, String)>,
) -> ApiResult<Json<AppointmentItem>> {
    let action = match action.as_str() {
        "confirm" => AppointmentAction::Confirm,
        "cancel" => AppointmentAction::Cancel,
        "complete" => AppointmentAction::Complete,
        "no_show" => AppointmentAction::NoShow,
        _ => return Err(ApiError::not_found("action")),
    };
    let catalog = state.catalog(&auth.slug).await?;
    apply_action(
        &state.db,
        &catalog,
        &state.public_url(),
        id,
        action,
        auth.actor.clone(),
    )
    .await?;
    // Cancelled, completed and no-show appointments no longer block their time.
    state.slots_cache.changed(catalog.practice.id);
    if action == AppointmentAction::Cancel {
        outside_changes::wake(&state.db, &state.pms, catalog.practice.id);
        state.outbox.wake();
    }
    Ok(Json(one(&state, &auth, id).await?))
}

/// `POST /api/v1/admin/appointments/{id}/reschedule`: into a time held through the public
/// holds API; the patient gets the new time (and a new manage link).
#[utoipa::path(
    post,
    path = "/api/v1/admin/appointments/{id}/reschedule",
    operation_id = "reschedule_appointment",
    tag = "admin",
    summary = "Move into a held time",
    security(("bearerAuth" = ["front_desk"])),
    params(("id" = i64, Path, description = "The appointment's id")),
    request_body = StaffReschedule,
    responses(
        (status = 200, description = "The appointment at its new time; the patient is told", body = AppointmentItem),
        (status = 404, description = "No such appointment or hold in the caller's practice", body = ErrorBody),
        (status = 409, description = "The appointment can no longer be changed (not booked or confirmed, or already started), the hold was already used, the time was taken (`slot_unavailable`), or the appointment changed meanwhile", body = ErrorBody),
        (status = 410, description = "The hold ran out; `alternatives` lists other free times", body = ErrorBody),
        (status = 422, description = "The hold is for another reason for visit (`hold_token`)", body = ErrorBody),
    ),
)]
pub async fn reschedule(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<StaffReschedule>,
) -> ApiResult<Json<AppointmentItem>> {
    let catalog = state.catalog(&auth.slug).await?;
    let token = new_token();
    move_booking(
        &state.db,
        &catalog,
        &state.public_url(),
        Which::Id(id),
        &req.hold_token,
        &token,
        true,
    )
    .await?;
    super::change::record(
        &state,
        &auth,
        "appointment.reschedule",
        format!("appointment {id}"),
    )
    .await?;
    outside_changes::wake(&state.db, &state.pms, catalog.practice.id);
    state.outbox.wake();
    state.slots_cache.changed(catalog.practice.id);
    Ok(Json(one(&state, &auth, id).await?))
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(
            csv_field("+14155104477"),
            "+14155104477",
            "phone numbers stay as they are"
        );
        assert_eq!(csv_field("+1+cmd"), "'+1+cmd");
    }
}
