//! Reasons for visit: timing rules, who may book them, linked providers.

use super::change::done;
use super::named::{change_setup, refuse_if, PROVIDER, REASON};
use super::PracticeAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::seed::{self, NewReason};
use crate::store::setup::{self, ReasonRow};
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use slotwise_shared::admin::{ReasonInput, SetupView, StaffRole};
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::model::{PracticeId, ProviderId, ReasonId};
use sqlx::AnyConnection;

fn check_reason(input: &ReasonInput) -> Result<ReasonRow, ApiError> {
    let mut fields = FieldErrors::new();
    let mut range = |field: &str, value: u32, lo: u32, hi: u32, what: &str| {
        if !(lo..=hi).contains(&value) {
            fields.insert(field.into(), format!("{what} must be {lo} to {hi}."));
        }
    };
    range(
        "duration_min",
        input.duration_min,
        5,
        720,
        "Duration (minutes)",
    );
    range(
        "buffer_before_min",
        input.buffer_before_min,
        0,
        240,
        "Buffer before (minutes)",
    );
    range(
        "buffer_after_min",
        input.buffer_after_min,
        0,
        240,
        "Buffer after (minutes)",
    );
    range(
        "interval_min",
        input.interval_min,
        5,
        720,
        "Start-time interval (minutes)",
    );
    range(
        "min_notice_min",
        input.min_notice_min,
        0,
        43_200,
        "Minimum notice (minutes)",
    );
    range(
        "horizon_days",
        input.horizon_days,
        1,
        730,
        "Booking horizon (days)",
    );
    range(
        "late_cancel_hours",
        input.late_cancel_hours,
        0,
        720,
        "Late-cancellation window (hours)",
    );
    range(
        "grace_minutes",
        input.grace_minutes,
        0,
        1440,
        "Grace period (minutes)",
    );
    let name = input.name.trim();
    if name.is_empty() || input.name.chars().count() > 100 {
        fields.insert(
            "name".into(),
            "Name the reason (up to 100 characters).".into(),
        );
    }
    if input.description.chars().count() > 500 {
        fields.insert(
            "description".into(),
            "Keep the description under 500 characters.".into(),
        );
    }
    let kind = input
        .operatory_kind
        .as_deref()
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty());
    if kind.as_ref().is_some_and(|k| k.chars().count() > 40) {
        fields.insert(
            "operatory_kind".into(),
            "Keep the room kind under 40 characters.".into(),
        );
    }
    if input.aftercare.chars().count() > 1000 {
        fields.insert(
            "aftercare".into(),
            "Keep the aftercare message under 1,000 characters.".into(),
        );
    }
    if input.provider_ids.len() > 200 {
        fields.insert("provider_ids".into(), "Link at most 200 providers.".into());
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    Ok(ReasonRow {
        id: ReasonId(0),
        name: name.to_string(),
        description: input.description.trim().to_string(),
        duration_min: i64::from(input.duration_min),
        buffer_before_min: i64::from(input.buffer_before_min),
        buffer_after_min: i64::from(input.buffer_after_min),
        interval_min: i64::from(input.interval_min),
        min_notice_min: i64::from(input.min_notice_min),
        horizon_days: i64::from(input.horizon_days),
        eligibility: input.eligibility.as_str().to_string(),
        operatory_kind: kind,
        active: i64::from(input.active),
        aftercare: input.aftercare.trim().to_string(),
        late_cancel_hours: i64::from(input.late_cancel_hours),
        grace_minutes: i64::from(input.grace_minutes),
    })
}

/// Refuses a reason of another practice, a name another reason has, or providers of another
/// practice.
async fn check_links(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    row: &ReasonRow,
    providers: &[ProviderId],
) -> Result<Option<ApiError>, sqlx::Error> {
    let id = (row.id.0 != 0).then_some(row.id);
    if let Some(refusal) = REASON.refusal(conn, practice_id, id, &row.name).await? {
        return Ok(Some(refusal));
    }
    PROVIDER
        .foreign(conn, practice_id, providers, "provider_ids")
        .await
}

fn unique(ids: &[i64]) -> Vec<ProviderId> {
    let mut ids: Vec<ProviderId> = ids.iter().copied().map(ProviderId).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `POST /api/v1/admin/reasons`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/reasons",
    operation_id = "create_reason",
    tag = "admin",
    summary = "Add a reason for visit",
    security(("bearerAuth" = ["admin"])),
    request_body = ReasonInput,
    responses(
        (status = 200, description = "The reason is added; the practice's setup lists", body = SetupView),
        (status = 409, description = "A reason with this name was just added by someone else", body = ErrorBody),
        (status = 422, description = "Invalid input: a timing value out of range (duration 5–720, buffers 0–240, interval 5–720, notice 0–43200 minutes, horizon 1–730 days), a missing or too long name, description, room kind or aftercare text, more than 200 providers or one that is not the practice's, or a reason has this name already", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let row = check_reason(&input)?;
    let (practice_id, providers) = (auth.practice_id, unique(&input.provider_ids));
    change_setup(
        &state,
        &auth,
        "reason.create",
        write_unit!(|conn| {
            refuse_if!(check_links(conn, practice_id, &row, &providers).await?);
            let order = setup::next_sort_order(conn, REASON.table, practice_id).await?;
            let new = NewReason {
                name: &row.name,
                description: &row.description,
                duration_min: row.duration_min,
                buffer_before_min: row.buffer_before_min,
                buffer_after_min: row.buffer_after_min,
                interval_min: row.interval_min,
                min_notice_min: row.min_notice_min,
                horizon_days: row.horizon_days,
                eligibility: &row.eligibility,
                operatory_kind: row.operatory_kind.as_deref(),
            };
            let id = seed::reason(conn, practice_id, &new, order, &providers).await?;
            setup::set_reason_extras(conn, id, &row).await?;
            done((), REASON.target(id))
        }),
    )
    .await
}

/// `PUT /api/v1/admin/reasons/{id}`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/reasons/{id}",
    operation_id = "update_reason",
    tag = "admin",
    summary = "Change a reason for visit",
    security(("bearerAuth" = ["admin"])),
    params(("id" = ReasonId, Path, description = "The reason's id")),
    request_body = ReasonInput,
    responses(
        (status = 200, description = "The reason is changed; the practice's setup lists", body = SetupView),
        (status = 404, description = "No such reason in the caller's practice", body = ErrorBody),
        (status = 409, description = "Another reason took this name meanwhile", body = ErrorBody),
        (status = 422, description = "Invalid input: a timing value out of range (duration 5–720, buffers 0–240, interval 5–720, notice 0–43200 minutes, horizon 1–730 days), a missing or too long name, description, room kind or aftercare text, more than 200 providers or one that is not the practice's, or another reason has this name", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<ReasonId>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<SetupView>> {
    auth.require(StaffRole::Admin)?;
    let mut row = check_reason(&input)?;
    row.id = id;
    let (practice_id, providers) = (auth.practice_id, unique(&input.provider_ids));
    change_setup(
        &state,
        &auth,
        "reason.update",
        write_unit!(|conn| {
            refuse_if!(check_links(conn, practice_id, &row, &providers).await?);
            setup::update_reason(conn, practice_id, &row, &providers).await?;
            done((), REASON.target(id))
        }),
    )
    .await
}
