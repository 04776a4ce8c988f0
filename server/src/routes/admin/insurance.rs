//! Accepted insurance carriers (the out-of-network message is a practice setting).

use super::change::done;
use super::named::{change_setup, refuse_if, CARRIER};
use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{seed, setup};
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use slotwise_shared::admin::{CarrierInput, SetupView, StaffRole};
use slotwise_shared::error::ErrorBody;
use slotwise_shared::model::CarrierId;

fn check_name(input: &CarrierInput) -> ApiResult<String> {
    let name = input.name.trim();
    if name.is_empty() || input.name.chars().count() > 100 {
        return Err(ApiError::field(
            "name",
            "Name the carrier (up to 100 characters).",
        ));
    }
    Ok(name.to_string())
}

/// `POST /api/v1/admin/insurance`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/insurance",
    operation_id = "create_carrier",
    tag = "admin",
    summary = "Add an accepted carrier",
    security(("bearerAuth" = ["admin"])),
    request_body = CarrierInput,
    responses(
        (status = 200, description = "The carrier is added; the practice's setup lists", body = SetupView),
        (status = 409, description = "A carrier with this name was just added by someone else", body = ErrorBody),
        (status = 422, description = "A missing or too long name (up to 100 characters), or the carrier is on the list already", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<CarrierInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let name = check_name(&input)?;
    let (practice_id, required) = (auth.practice_id, input.member_id_required);
    change_setup(
        &state,
        &auth,
        "carrier.create",
        write_unit!(|conn| {
            refuse_if!(CARRIER.refusal(conn, practice_id, None, &name).await?);
            let id = seed::carrier(conn, practice_id, &name, required, 0).await?;
            done((), CARRIER.target(id))
        }),
    )
    .await
}

/// `PUT /api/v1/admin/insurance/{id}`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/insurance/{id}",
    operation_id = "update_carrier",
    tag = "admin",
    summary = "Change a carrier",
    security(("bearerAuth" = ["admin"])),
    params(("id" = CarrierId, Path, description = "The carrier's id")),
    request_body = CarrierInput,
    responses(
        (status = 200, description = "The carrier is changed; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such carrier in the caller's practice", body = ErrorBody),
        (status = 409, description = "Another carrier took this name meanwhile", body = ErrorBody),
        (status = 422, description = "A missing or too long name (up to 100 characters), or another carrier has this name", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<CarrierId>,
    ApiJson(input): ApiJson<CarrierInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let name = check_name(&input)?;
    let (practice_id, required) = (auth.practice_id, input.member_id_required);
    change_setup(
        &state,
        &auth,
        "carrier.update",
        write_unit!(|conn| {
            refuse_if!(CARRIER.refusal(conn, practice_id, Some(id), &name).await?);
            setup::update_carrier(conn, practice_id, id, &name, required).await?;
            done((), CARRIER.target(id))
        }),
    )
    .await
}

/// `DELETE /api/v1/admin/insurance/{id}`: only carriers no booking names.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/insurance/{id}",
    operation_id = "delete_carrier",
    tag = "admin",
    summary = "Remove a carrier no booking names",
    security(("bearerAuth" = ["admin"])),
    params(("id" = CarrierId, Path, description = "The carrier's id")),
    responses(
        (status = 200, description = "The carrier is removed; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such carrier in the caller's practice", body = ErrorBody),
        (status = 409, description = "Bookings name this carrier, so it stays on the list", body = ErrorBody),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<CarrierId>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let practice_id = auth.practice_id;
    change_setup(
        &state,
        &auth,
        "carrier.delete",
        write_unit!(|conn| {
            Ok(match setup::delete_carrier(conn, practice_id, id).await? {
                None => Err(ApiError::not_found(CARRIER.noun)),
                Some(false) => Err(ApiError::conflict(
                    "Bookings name this carrier, so it stays on the list.",
                )),
                Some(true) => Ok(((), CARRIER.target(id))),
            })
        }),
    )
    .await
}
