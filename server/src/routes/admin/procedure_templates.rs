//! Procedure templates for staff: a treatment's steps in order, each a reason for visit with
//! its day window after the step before.

use super::change::{apply, done, refuse};
use super::PracticeAuth;
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::procedure_templates as store;
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::model::ProcedureTemplateId;
use slotwise_shared::procedures::{
    ProcedureTemplateInput, ProcedureTemplateList, ProcedureTemplateView, MAX_GAP_DAYS, MAX_STEPS,
};

const TAKEN_NAME: &str = "Another procedure has this name.";

/// Every rule of a template that needs the practice's reasons; field names point at the step
/// (`steps[1].gap_max_days`, counting from 0).
fn check_template(catalog: &Catalog, t: &ProcedureTemplateInput) -> ApiResult<()> {
    let mut fields = FieldErrors::new();
    let name = t.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        fields.insert(
            "name".into(),
            "Name the procedure (up to 100 characters).".into(),
        );
    }
    if t.description.chars().count() > 500 {
        fields.insert(
            "description".into(),
            "Keep the description under 500 characters.".into(),
        );
    }
    if t.steps.is_empty() || t.steps.len() > MAX_STEPS {
        fields.insert(
            "steps".into(),
            format!("Give the procedure 1 to {MAX_STEPS} steps."),
        );
    }
    for (k, step) in t.steps.iter().enumerate().take(MAX_STEPS) {
        let at = |field: &str| format!("steps[{k}].{field}");
        let Some(reason) = catalog.reason(step.reason) else {
            fields.insert(
                at("reason"),
                "Choose one of the practice's reasons for visit.".into(),
            );
            continue;
        };
        if k > 0 && (step.gap_min_days > step.gap_max_days || step.gap_max_days > MAX_GAP_DAYS) {
            fields.insert(
                at("gap_max_days"),
                format!(
                    "Give a window from the earliest to the latest day, up to {MAX_GAP_DAYS} days."
                ),
            );
        }
        if let Some(p) = step.same_provider_as {
            let earlier = usize::from(p)
                .checked_sub(1)
                .filter(|&j| j < k)
                .and_then(|j| t.steps.get(j))
                .and_then(|s| catalog.reason(s.reason));
            match earlier {
                None => {
                    fields.insert(
                        at("same_provider_as"),
                        "Name an earlier step (its number).".into(),
                    );
                }
                Some(other)
                    if !other
                        .provider_ids
                        .iter()
                        .any(|p| reason.provider_ids.contains(p)) =>
                {
                    fields.insert(
                        at("same_provider_as"),
                        "No provider offers both visits, so one provider cannot do both.".into(),
                    );
                }
                Some(_) => {}
            }
        }
    }
    // Bounds the work of every chain search: how far ahead a chain reaches, and how many days
    // its later visits may fall on.
    let later = t.steps.iter().skip(1);
    let reach: u32 = later.clone().map(|s| u32::from(s.gap_max_days)).sum();
    let choice: u32 = later
        .map(|s| u32::from(s.gap_max_days.saturating_sub(s.gap_min_days)))
        .sum();
    if reach > u32::from(MAX_GAP_DAYS) || choice > MAX_WINDOW_DAYS {
        fields.entry("steps".into()).or_insert_with(|| {
            format!("A procedure may last up to {MAX_GAP_DAYS} days from its first visit, and its windows together may leave up to {MAX_WINDOW_DAYS} days of choice.")
        });
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(fields))
    }
}

/// The days of choice a procedure's windows may leave together (the latest day less the
/// earliest, summed over its visits).
const MAX_WINDOW_DAYS: u32 = 180;

async fn view(
    state: &AppState,
    auth: &PracticeAuth,
    id: ProcedureTemplateId,
) -> ApiResult<ProcedureTemplateView> {
    let mut conn = state.db.read.acquire().await?;
    store::template(&mut conn, auth.practice_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("procedure"))
}

/// `GET /api/v1/admin/procedure-templates`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/procedure-templates",
    operation_id = "list_procedure_templates",
    tag = "admin",
    summary = "Procedure templates with their steps",
    responses(
        (status = 200, description = "The practice's procedure templates, oldest first", body = ProcedureTemplateList),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<ProcedureTemplateList>> {
    let mut conn = state.db.read.acquire().await?;
    Ok(Json(ProcedureTemplateList {
        templates: store::templates(&mut conn, auth.practice_id).await?,
    }))
}

/// `POST /api/v1/admin/procedure-templates` (admins and owners).
#[utoipa::path(
    post,
    path = "/api/v1/admin/procedure-templates",
    operation_id = "create_procedure_template",
    tag = "admin",
    summary = "Add a procedure template",
    request_body = ProcedureTemplateInput,
    responses(
        (status = 201, description = "The new template", body = ProcedureTemplateView),
        (status = 422, description = "A missing, long or taken name, a long description, not 1 to 8 steps, a reason not of the practice, a window whose earliest day is after its latest (or past 730 days), a same-provider step that is not earlier or shares no provider, or visits spanning over 730 days from the first or leaving over 180 days of choice together (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<ProcedureTemplateInput>,
) -> ApiResult<(StatusCode, Json<ProcedureTemplateView>)> {
    auth.require(StaffRole::Admin)?;
    let catalog = state.catalog(&auth.slug).await?;
    check_template(&catalog, &input)?;
    let (practice_id, now) = (auth.practice_id, now_seconds());
    let id = apply(
        &state,
        &auth,
        "procedure_template.create",
        write_unit!(|conn| {
            if store::name_taken(conn, practice_id, &input.name, None).await? {
                return refuse(ApiError::field("name", TAKEN_NAME));
            }
            let id = store::insert_template(conn, practice_id, &input, now).await?;
            done(id, format!("procedure template {id}"))
        }),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, &auth, id).await?)))
}

/// `PUT /api/v1/admin/procedure-templates/{id}` (admins and owners).
#[utoipa::path(
    put,
    path = "/api/v1/admin/procedure-templates/{id}",
    operation_id = "update_procedure_template",
    tag = "admin",
    summary = "Change a procedure template (procedures under way keep their steps)",
    params(("id" = ProcedureTemplateId, Path, description = "The template's id")),
    request_body = ProcedureTemplateInput,
    responses(
        (status = 200, description = "The changed template", body = ProcedureTemplateView),
        (status = 404, description = "No such template in the practice", body = ErrorBody),
        (status = 422, description = "A missing, long or taken name, a long description, not 1 to 8 steps, a reason not of the practice, a window whose earliest day is after its latest (or past 730 days), a same-provider step that is not earlier or shares no provider, or visits spanning over 730 days from the first or leaving over 180 days of choice together (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProcedureTemplateId>,
    ApiJson(input): ApiJson<ProcedureTemplateInput>,
) -> ApiResult<Json<ProcedureTemplateView>> {
    auth.require(StaffRole::Admin)?;
    let catalog = state.catalog(&auth.slug).await?;
    check_template(&catalog, &input)?;
    let (practice_id, now) = (auth.practice_id, now_seconds());
    apply(
        &state,
        &auth,
        "procedure_template.update",
        write_unit!(|conn| {
            if store::name_taken(conn, practice_id, &input.name, Some(id)).await? {
                return refuse(ApiError::field("name", TAKEN_NAME));
            }
            if !store::update_template(conn, practice_id, id, &input, now).await? {
                return refuse(ApiError::not_found("procedure"));
            }
            done((), format!("procedure template {id}"))
        }),
    )
    .await?;
    Ok(Json(view(&state, &auth, id).await?))
}

/// `DELETE /api/v1/admin/procedure-templates/{id}` (admins and owners).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/procedure-templates/{id}",
    operation_id = "delete_procedure_template",
    tag = "admin",
    summary = "Remove a procedure template (procedures under way go on)",
    params(("id" = ProcedureTemplateId, Path, description = "The template's id")),
    responses(
        (status = 204, description = "The template is removed"),
        (status = 404, description = "No such template in the practice", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProcedureTemplateId>,
) -> ApiResult<StatusCode> {
    auth.require(StaffRole::Admin)?;
    let (practice_id, now) = (auth.practice_id, now_seconds());
    apply(
        &state,
        &auth,
        "procedure_template.delete",
        write_unit!(|conn| {
            if !store::delete_template(conn, practice_id, id, now).await? {
                return refuse(ApiError::not_found("procedure"));
            }
            done((), format!("procedure template {id}"))
        }),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
