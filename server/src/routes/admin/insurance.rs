//! Accepted insurance carriers (the out-of-network message is a practice setting).

use super::change::{apply, done, refuse};
use super::views::setup_view;
use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{seed, setup};
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use slotwise_shared::admin::{CarrierInput, SetupView, StaffRole};

fn check_name(input: &CarrierInput) -> ApiResult<String> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::field(
            "name",
            "Name the carrier (up to 100 characters).",
        ));
    }
    Ok(name.to_string())
}

/// `POST /api/v1/admin/insurance`.
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<CarrierInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let name = check_name(&input)?;
    let (practice_id, required) = (auth.practice_id, input.member_id_required);
    apply(
        &state,
        &auth,
        "carrier.create",
        write_unit!(|conn| {
            if setup::name_taken(conn, "insurance_carriers", practice_id, &name, 0).await? {
                return refuse(ApiError::field(
                    "name",
                    "This carrier is on the list already.",
                ));
            }
            let id = seed::carrier(conn, practice_id, &name, required, 0).await?;
            done((), format!("carrier {id}"))
        }),
    )
    .await?;
    Ok(Json(setup_view(&state, &auth).await?))
}

/// `PUT /api/v1/admin/insurance/{id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CarrierInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let name = check_name(&input)?;
    let (practice_id, required) = (auth.practice_id, input.member_id_required);
    apply(
        &state,
        &auth,
        "carrier.update",
        write_unit!(|conn| {
            if !setup::owns(conn, "insurance_carriers", practice_id, id).await? {
                return refuse(ApiError::not_found("carrier"));
            }
            if setup::name_taken(conn, "insurance_carriers", practice_id, &name, id).await? {
                return refuse(ApiError::field(
                    "name",
                    "This carrier is on the list already.",
                ));
            }
            setup::update_carrier(conn, practice_id, id, &name, required).await?;
            done((), format!("carrier {id}"))
        }),
    )
    .await?;
    Ok(Json(setup_view(&state, &auth).await?))
}

/// `DELETE /api/v1/admin/insurance/{id}`: only carriers no booking names.
pub async fn delete(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let practice_id = auth.practice_id;
    apply(
        &state,
        &auth,
        "carrier.delete",
        write_unit!(|conn| {
            Ok(match setup::delete_carrier(conn, practice_id, id).await? {
                None => Err(ApiError::not_found("carrier")),
                Some(false) => Err(ApiError::conflict(
                    "Bookings name this carrier, so it stays on the list.",
                )),
                Some(true) => Ok(((), format!("carrier {id}"))),
            })
        }),
    )
    .await?;
    Ok(Json(setup_view(&state, &auth).await?))
}
