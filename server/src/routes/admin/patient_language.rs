//! The language a patient reads, as staff set it: every later message to the patient's
//! household (confirmations, reminders, codes, recall, follow-ups, broadcasts) is written in it.

use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::messaging;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use slotwise_shared::error::ErrorBody;
use slotwise_shared::lang::LANGUAGES;
use slotwise_shared::messages::PatientLanguage;
use slotwise_shared::model::PatientId;

/// `PUT /api/v1/admin/patients/{id}/language`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/patients/{id}/language",
    operation_id = "set_patient_language",
    tag = "admin",
    summary = "Set the language a patient reads",
    params(("id" = PatientId, Path, description = "The patient's id")),
    request_body = PatientLanguage,
    responses(
        (status = 200, description = "The language saved for the patient's household (`null`: the practice's default)", body = PatientLanguage),
        (status = 404, description = "No such patient in the practice", body = ErrorBody),
        (status = 422, description = "A language with no language file (`fields.lang`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(patient_id): ApiPath<PatientId>,
    ApiJson(asked): ApiJson<PatientLanguage>,
) -> ApiResult<Json<PatientLanguage>> {
    let code = match asked.lang.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            LANGUAGES
                .iter()
                .find(|l| l.code == code)
                .map(|l| l.code)
                .ok_or_else(|| {
                    let known: Vec<&str> = LANGUAGES.iter().map(|l| l.code).collect();
                    ApiError::field(
                        "lang",
                        &format!("Choose one of the languages: {}.", known.join(", ")),
                    )
                })?,
        ),
    };
    let practice_id = auth.practice_id;
    let found = state
        .db
        .write(write_unit!(|conn| {
            let found =
                messaging::set_patient_language(conn, practice_id, patient_id, code).await?;
            Ok(WriteOutcome::Commit(found))
        }))
        .await?;
    if !found {
        return Err(ApiError::not_found("patient"));
    }
    super::change::record(
        &state,
        &auth,
        "patient.language",
        format!("patient {patient_id}"),
    )
    .await?;
    Ok(Json(PatientLanguage {
        lang: code.map(str::to_string),
    }))
}
