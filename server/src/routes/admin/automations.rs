//! Automations for staff: recall rules and their numbers, the follow-up settings, what the
//! automations did in a period, and pausing a patient's automated messages.

use super::change::{apply, done, refuse};
use super::dashboard::{period_of, Period};
use super::PracticeAuth;
use crate::automations::recall::due_at;
use crate::automations::{self as automations_engine, Pause};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::notify::templates::{check_template_off_runtime, TemplateText};
use crate::state::AppState;
use crate::store::automations as store;
use crate::store::recall::{self as rules, RuleRow};
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::automations::{
    Audience, AutomationPause, AutomationSettings, AutomationStats, FeedbackItem, RecallRuleInput,
    RecallRuleList, RecallRuleView,
};
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::lang;
use slotwise_shared::messages::Channel;
use slotwise_shared::model::{PatientId, ProviderId, ReasonId};

fn input_of(r: &RuleRow) -> RecallRuleInput {
    RecallRuleInput {
        name: r.name.clone(),
        after_reason: r.after_reason_id,
        interval_days: u32::try_from(r.interval_days).unwrap_or(1),
        book_reason: r.book_reason_id,
        channel: r.channel.as_deref().and_then(Channel::parse),
        message: r.message.clone(),
        audience: Audience::parse(&r.audience),
        active: r.active != 0,
    }
}

async fn check_rule(catalog: &Catalog, r: &RecallRuleInput) -> ApiResult<()> {
    let mut fields = FieldErrors::new();
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        fields.insert(
            "name".into(),
            "Name the rule (up to 100 characters).".into(),
        );
    }
    if !(1..=3660).contains(&r.interval_days) {
        fields.insert(
            "interval_days".into(),
            "Choose between 1 and 3,660 days (182 is about six months).".into(),
        );
    }
    if catalog.reason(r.book_reason).is_none() {
        fields.insert(
            "book_reason".into(),
            "Choose one of the practice's reasons for visit.".into(),
        );
    }
    if r.after_reason
        .is_some_and(|id| catalog.reason(id).is_none())
    {
        fields.insert(
            "after_reason".into(),
            "Choose one of the practice's reasons for visit, or any visit.".into(),
        );
    }
    let message = TemplateText {
        subject: String::new(),
        body: r.message.clone(),
    };
    if r.message.chars().count() > 600 {
        fields.insert(
            "message".into(),
            "Keep the message under 600 characters.".into(),
        );
    } else if let Err(problems) =
        check_template_off_runtime(Channel::Sms, message, lang::DEFAULT).await
    {
        if let Some((_, problem)) = problems.into_iter().next() {
            fields.insert("message".into(), problem);
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(fields))
    }
}

async fn rule_views(state: &AppState, auth: &PracticeAuth) -> ApiResult<Vec<RecallRuleView>> {
    let catalog = state.catalog(&auth.slug).await?;
    let at = due_at(&catalog, now_seconds());
    let mut conn = state.db.read.acquire().await?;
    let mut counts = rules::link_counts(&mut conn, auth.practice_id).await?;
    let mut views = Vec::new();
    for row in rules::rules(&mut conn, auth.practice_id).await? {
        let mut stats = counts.remove(&row.id).unwrap_or_default();
        stats.due = if row.active != 0 {
            rules::count_due(&mut conn, &row, &at).await?
        } else {
            0
        };
        views.push(RecallRuleView {
            id: row.id,
            input: input_of(&row),
            stats,
        });
    }
    Ok(views)
}

async fn rule_view(state: &AppState, auth: &PracticeAuth, id: i64) -> ApiResult<RecallRuleView> {
    rule_views(state, auth)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ApiError::not_found("recall rule"))
}

/// `GET /api/v1/admin/recall-rules`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/recall-rules",
    operation_id = "list_recall_rules",
    tag = "admin",
    summary = "Recall rules with their numbers (due, sent, opened, booked)",
    responses(
        (status = 200, description = "The practice's recall rules with their numbers", body = RecallRuleList),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn list_rules(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<RecallRuleList>> {
    Ok(Json(RecallRuleList {
        rules: rule_views(&state, &auth).await?,
    }))
}

/// `POST /api/v1/admin/recall-rules` (admins and owners).
#[utoipa::path(
    post,
    path = "/api/v1/admin/recall-rules",
    operation_id = "create_recall_rule",
    tag = "admin",
    summary = "Add a recall rule",
    request_body = RecallRuleInput,
    responses(
        (status = 201, description = "The new rule with its numbers", body = RecallRuleView),
        (status = 422, description = "A missing or long name, an interval outside 1 to 3,660 days, a reason not of the practice, or a message that is too long or not a valid template (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn create_rule(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(input): ApiJson<RecallRuleInput>,
) -> ApiResult<(StatusCode, Json<RecallRuleView>)> {
    auth.require(StaffRole::Admin)?;
    let catalog = state.catalog(&auth.slug).await?;
    check_rule(&catalog, &input).await?;
    let (practice_id, now) = (auth.practice_id, now_seconds());
    let id = apply(
        &state,
        &auth,
        "recall_rule.create",
        write_unit!(|conn| {
            let id = rules::insert_rule(conn, practice_id, &input, now).await?;
            done(id, format!("recall rule {id}"))
        }),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(rule_view(&state, &auth, id).await?),
    ))
}

/// `PUT /api/v1/admin/recall-rules/{id}` (admins and owners).
#[utoipa::path(
    put,
    path = "/api/v1/admin/recall-rules/{id}",
    operation_id = "update_recall_rule",
    tag = "admin",
    summary = "Change a recall rule",
    params(("id" = i64, Path, description = "The recall rule's id")),
    request_body = RecallRuleInput,
    responses(
        (status = 200, description = "The changed rule with its numbers", body = RecallRuleView),
        (status = 404, description = "No such recall rule in the practice", body = ErrorBody),
        (status = 422, description = "A missing or long name, an interval outside 1 to 3,660 days, a reason not of the practice, or a message that is too long or not a valid template (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn update_rule(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RecallRuleInput>,
) -> ApiResult<Json<RecallRuleView>> {
    auth.require(StaffRole::Admin)?;
    let catalog = state.catalog(&auth.slug).await?;
    check_rule(&catalog, &input).await?;
    let (practice_id, now) = (auth.practice_id, now_seconds());
    apply(
        &state,
        &auth,
        "recall_rule.update",
        write_unit!(|conn| {
            if !rules::update_rule(conn, practice_id, id, &input, now).await? {
                return refuse(ApiError::not_found("recall rule"));
            }
            done((), format!("recall rule {id}"))
        }),
    )
    .await?;
    Ok(Json(rule_view(&state, &auth, id).await?))
}

/// `DELETE /api/v1/admin/recall-rules/{id}` (admins and owners): the rule stops; links already
/// sent keep working and keep counting.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/recall-rules/{id}",
    operation_id = "delete_recall_rule",
    tag = "admin",
    summary = "Stop and remove a recall rule (its links keep working)",
    params(("id" = i64, Path, description = "The recall rule's id")),
    responses(
        (status = 204, description = "The rule is stopped and removed"),
        (status = 404, description = "No such recall rule in the practice", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn delete_rule(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    auth.require(StaffRole::Admin)?;
    let (practice_id, now) = (auth.practice_id, now_seconds());
    apply(
        &state,
        &auth,
        "recall_rule.delete",
        write_unit!(|conn| {
            if !rules::delete_rule(conn, practice_id, id, now).await? {
                return refuse(ApiError::not_found("recall rule"));
            }
            done((), format!("recall rule {id}"))
        }),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/admin/automations/settings`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/automations/settings",
    operation_id = "get_automation_settings",
    tag = "admin",
    summary = "No-show follow-ups, feedback and broadcast pace",
    responses(
        (status = 200, description = "The practice's automation settings", body = AutomationSettings),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn show_settings(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<AutomationSettings>> {
    let mut conn = state.db.read.acquire().await?;
    Ok(Json(store::settings(&mut conn, auth.practice_id).await?))
}

/// `PUT /api/v1/admin/automations/settings` (admins and owners).
#[utoipa::path(
    put,
    path = "/api/v1/admin/automations/settings",
    operation_id = "save_automation_settings",
    tag = "admin",
    summary = "Change the follow-up settings",
    request_body = AutomationSettings,
    responses(
        (status = 200, description = "The saved settings", body = AutomationSettings),
        (status = 422, description = "No-show delays that are not three growing values from 1 to 1,440 hours, or a broadcast pace outside 1 to 600 a minute (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn save_settings(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(settings): ApiJson<AutomationSettings>,
) -> ApiResult<Json<AutomationSettings>> {
    auth.require(StaffRole::Admin)?;
    let mut fields = FieldErrors::new();
    let delays = &settings.no_show_delays_hours;
    if delays.len() != 3 || delays.iter().any(|&h| h == 0 || h > 24 * 60) {
        fields.insert(
            "no_show_delays_hours".into(),
            "Give three delays in hours, each from 1 to 1,440.".into(),
        );
    } else if !(delays[0] < delays[1] && delays[1] < delays[2]) {
        fields.insert(
            "no_show_delays_hours".into(),
            "Each message goes after the one before: use growing delays, like 2, 24 and 72.".into(),
        );
    }
    if !(1..=600).contains(&settings.broadcast_per_minute) {
        fields.insert(
            "broadcast_per_minute".into(),
            "Choose from 1 to 600 messages a minute.".into(),
        );
    }
    if !fields.is_empty() {
        return Err(ApiError::validation(fields));
    }
    let (practice_id, now) = (auth.practice_id, now_seconds());
    let saved = settings.clone();
    apply(
        &state,
        &auth,
        "automations.update",
        write_unit!(|conn| {
            store::save_settings(conn, practice_id, &saved, now).await?;
            done((), "automation settings".to_string())
        }),
    )
    .await?;
    Ok(Json(settings))
}

/// `GET /api/v1/admin/automations/stats?from=&to=` (default: the last 30 days).
#[utoipa::path(
    get,
    path = "/api/v1/admin/automations/stats",
    operation_id = "get_automation_stats",
    tag = "admin",
    summary = "What the automations did in a period: no-shows recovered, recall bookings, ratings",
    params(Period),
    responses(
        (status = 200, description = "The automations' numbers for the period (the practice's local dates, both included)", body = AutomationStats),
        (status = 422, description = "`from` or `to` is not a date like 2026-12-01 or is out of range, or `from` is after `to` (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn stats(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiQuery(period): ApiQuery<Period>,
) -> ApiResult<Json<AutomationStats>> {
    let catalog = state.catalog(&auth.slug).await?;
    let (from, to, start, end) = period_of(&catalog.practice.tz, &period)?;
    let mut conn = state.db.read.acquire().await?;
    let n = store::period_numbers(&mut conn, auth.practice_id, start, end).await?;
    let mut by_rating = vec![0i64; 5];
    for (rating, count) in &n.ratings {
        if let Some(slot) = usize::try_from(*rating - 1)
            .ok()
            .and_then(|i| by_rating.get_mut(i))
        {
            *slot = *count;
        }
    }
    let count: i64 = by_rating.iter().sum();
    let total: i64 = by_rating
        .iter()
        .enumerate()
        .map(|(i, c)| (i as i64 + 1) * c)
        .sum();
    let average = (count > 0).then(|| (total as f64 / count as f64 * 10.0).round() / 10.0);
    let recent = n
        .recent
        .into_iter()
        .map(|(at, rating, comment, provider, reason)| FeedbackItem {
            at: Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH),
            rating: u8::try_from(rating).unwrap_or(0),
            comment,
            provider: catalog
                .provider(ProviderId(provider))
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            service: catalog
                .reason(ReasonId(reason))
                .map(|r| r.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    Ok(Json(AutomationStats {
        from: from.to_string(),
        to: to.to_string(),
        no_shows: n.no_shows,
        recovered: n.recovered,
        recall_bookings: n.recall_bookings,
        feedback_count: count,
        feedback_average: average,
        feedback_by_rating: by_rating,
        recent_feedback: recent,
    }))
}

/// `PUT /api/v1/admin/patients/{id}/automations`: pause or resume a patient's automated
/// messages (recall, follow-ups, feedback, broadcasts). A patient who opted out themselves
/// stays paused (the answer says `paused: true`): only they can undo that.
#[utoipa::path(
    put,
    path = "/api/v1/admin/patients/{id}/automations",
    operation_id = "update_patient_automations",
    tag = "admin",
    summary = "Pause or resume a patient's automated messages",
    params(("id" = PatientId, Path, description = "The patient's id")),
    request_body = AutomationPause,
    responses(
        (status = 200, description = "Whether the patient's automated messages are now paused (a patient who opted out stays paused)", body = AutomationPause),
        (status = 404, description = "No such patient in the practice", body = ErrorBody),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn pause(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(id): ApiPath<PatientId>,
    ApiJson(body): ApiJson<AutomationPause>,
) -> ApiResult<Json<AutomationPause>> {
    let (practice_id, now, paused) = (auth.practice_id, now_seconds(), body.paused);
    let now_paused = apply(
        &state,
        &auth,
        if paused {
            "patient.automations_pause"
        } else {
            "patient.automations_resume"
        },
        write_unit!(|conn| {
            if !paused && store::has_opted_out(conn, practice_id, id).await? {
                return done(true, format!("patient {id} (opted out: stays paused)"));
            }
            let found = if paused {
                automations_engine::pause(conn, practice_id, id, Pause::Staff, now).await?
            } else {
                store::set_paused(conn, practice_id, id, false, now).await?
            };
            if !found {
                return refuse(ApiError::not_found("patient"));
            }
            done(paused, format!("patient {id}"))
        }),
    )
    .await?;
    Ok(Json(AutomationPause { paused: now_paused }))
}
