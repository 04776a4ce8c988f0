//! Patients' procedures for staff: the Procedures page's list with each record's progress,
//! overdue and flagged steps; starting a procedure for a patient; cancelling one.

use super::change::{apply, done, refuse};
use super::PracticeAuth;
use crate::booking::staff_actions::cancel_procedure;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::procedures::records::view;
use crate::state::AppState;
use crate::store::procedure_records as store;
use crate::store::procedure_templates;
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use slotwise_shared::error::ErrorBody;
use slotwise_shared::model::{PatientId, ProcedureId, ProcedureTemplateId, ProviderId};
use slotwise_shared::procedures::{ProcedureList, ProcedureStart, ProcedureState, ProcedureView};

/// The list's filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcedureQuery {
    /// Only procedures of this template.
    template: Option<ProcedureTemplateId>,
    /// Only procedures with a step booked with (or done by) this provider.
    provider: Option<ProviderId>,
    /// Only procedures in this state (default: every state).
    state: Option<ProcedureState>,
    /// Only this patient's procedures.
    patient: Option<PatientId>,
}

async fn views(
    state: &AppState,
    catalog: &Catalog,
    practice: slotwise_shared::model::PracticeId,
    q: &ProcedureQuery,
) -> ApiResult<Vec<ProcedureView>> {
    let mut conn = state.db.read.acquire().await?;
    let records = store::records(&mut conn, practice, q.patient).await?;
    let Some(oldest) = records.last().map(|r| r.id) else {
        return Ok(Vec::new());
    };
    let steps = store::steps_from(&mut conn, practice, oldest, q.patient).await?;
    let today = Timestamp::from_second(now_seconds())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(catalog.practice.tz.clone())
        .date();
    Ok(records
        .iter()
        .filter(|r| q.template.is_none_or(|t| t.0 == r.template_id))
        .map(|r| {
            let own: Vec<_> = steps.iter().filter(|s| s.procedure_id == r.id).collect();
            view(catalog, r, &own, today)
        })
        .filter(|v| q.state.is_none_or(|s| s == v.state))
        .filter(|v| {
            q.provider
                .is_none_or(|p| v.steps.iter().any(|s| s.provider == Some(p)))
        })
        .collect())
}

pub(super) async fn one(
    state: &AppState,
    auth: &PracticeAuth,
    id: ProcedureId,
) -> ApiResult<ProcedureView> {
    let catalog = state.catalog(&auth.slug).await?;
    let mut conn = state.db.read.acquire().await?;
    let record = store::record(&mut conn, auth.practice_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("procedure"))?;
    let steps = store::steps_of(&mut conn, id).await?;
    let today = Timestamp::from_second(now_seconds())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(catalog.practice.tz.clone())
        .date();
    Ok(view(
        &catalog,
        &record,
        &steps.iter().collect::<Vec<_>>(),
        today,
    ))
}

/// `GET /api/v1/admin/procedures`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/procedures",
    operation_id = "list_procedures_admin",
    tag = "admin",
    summary = "Patients' procedures with their progress, next, overdue and flagged steps",
    params(ProcedureQuery),
    responses(
        (status = 200, description = "The practice's procedures, newest first (at most 500 read)", body = ProcedureList),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(q): ApiQuery<ProcedureQuery>,
) -> ApiResult<Json<ProcedureList>> {
    let catalog = state.catalog(&auth.slug).await?;
    Ok(Json(ProcedureList {
        procedures: views(&state, &catalog, auth.practice_id, &q).await?,
    }))
}

/// `POST /api/v1/admin/procedures`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/procedures",
    operation_id = "start_procedure",
    tag = "admin",
    summary = "Start a procedure for a patient (its first step may be an appointment they have)",
    request_body = ProcedureStart,
    responses(
        (status = 201, description = "The patient's new procedure", body = ProcedureView),
        (status = 404, description = "No such patient or active template in the practice", body = ErrorBody),
        (status = 422, description = "The first appointment is not the patient's, not the first step's visit, or part of another procedure (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn start(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<ProcedureStart>,
) -> ApiResult<(StatusCode, Json<ProcedureView>)> {
    let practice_id = auth.practice_id;
    let mut conn = state.db.read.acquire().await?;
    let template = procedure_templates::template(&mut conn, practice_id, input.template)
        .await?
        .filter(|t| t.input.active)
        .ok_or_else(|| ApiError::not_found("procedure"))?;
    drop(conn);
    crate::store::patients::member(&state.db, practice_id, input.patient)
        .await?
        .ok_or_else(|| ApiError::not_found("patient"))?;
    let first_reason = template.input.steps.first().map(|s| s.reason);
    let now = now_seconds();
    let id = apply(
        &state,
        &auth,
        "procedure.start",
        write_unit!(|conn| {
            if let Some(appointment) = input.first_appointment {
                let reason =
                    store::appointment_free_for(conn, practice_id, input.patient, appointment)
                        .await?;
                if reason.is_none() || reason != first_reason.map(|r| r.0) {
                    return refuse(ApiError::field(
                        "first_appointment",
                        "Choose one of the patient's appointments for the first visit of the procedure that is not part of another procedure.",
                    ));
                }
            }
            let id = store::start_for_patient(
                conn,
                practice_id,
                template.id,
                &template.input.name,
                input.patient,
                &template.input.steps,
                input.first_appointment,
                now,
            )
            .await?;
            done(id, format!("procedure {id}"))
        }),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(one(&state, &auth, id).await?)))
}

/// `POST /api/v1/admin/procedures/{id}/cancel`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/procedures/{id}/cancel",
    operation_id = "cancel_procedure",
    tag = "admin",
    summary = "Cancel a procedure: its steps booked ahead are cancelled and the patient told",
    params(("id" = ProcedureId, Path, description = "The procedure's id")),
    responses(
        (status = 200, description = "The cancelled procedure", body = ProcedureView),
        (status = 404, description = "No such active procedure in the practice", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn cancel(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProcedureId>,
) -> ApiResult<Json<ProcedureView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let url = state.public_url();
    let now = now_seconds();
    let catalog_copy = (*catalog).clone();
    apply(
        &state,
        &auth,
        "procedure.cancel",
        write_unit!(|conn| {
            if !cancel_procedure(conn, &catalog_copy, &url, id, now).await? {
                return refuse(ApiError::not_found("procedure"));
            }
            done((), format!("procedure {id}"))
        }),
    )
    .await?;
    state.slots_cache.changed(auth.practice_id);
    state.outbox.wake();
    Ok(Json(one(&state, &auth, id).await?))
}
