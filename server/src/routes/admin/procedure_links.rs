//! `POST /api/v1/admin/procedures/{id}/link`: staff send the patient a personal link to book
//! the rest of their procedure (see `booking::procedure_links`).

use super::procedures::one;
use super::PracticeAuth;
use crate::booking::procedure_links::send_procedure_link;
use crate::error::ApiResult;
use crate::extract::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use slotwise_shared::error::ErrorBody;
use slotwise_shared::model::ProcedureId;
use slotwise_shared::procedures::ProcedureView;

/// Handler: queues the `procedure_step_due` message with a personal link to the patient.
#[utoipa::path(
    post,
    path = "/api/v1/admin/procedures/{id}/link",
    operation_id = "send_procedure_link",
    tag = "admin",
    summary = "Send the patient a personal link to book the rest of the procedure",
    params(("id" = ProcedureId, Path, description = "The procedure's id")),
    responses(
        (status = 200, description = "The procedure; its patient is sent a link (valid 30 days) that opens the widget at the times for the visits from the first one not booked on", body = ProcedureView),
        (status = 404, description = "No such procedure in the practice", body = ErrorBody),
        (status = 409, description = "The procedure is not active, every visit is booked, a later visit is still booked after one that is not, or the patient has no phone or email to send it to", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn send_link(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ProcedureId>,
) -> ApiResult<Json<ProcedureView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let url = state.public_url();
    send_procedure_link(&state.db, &catalog, &url, id, &auth.actor).await?;
    state.outbox.wake();
    Ok(Json(one(&state, &auth, id).await?))
}
