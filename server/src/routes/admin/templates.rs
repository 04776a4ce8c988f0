//! Message templates: list (own or default wording, with the tags), save with checks (422
//! for unknown tags or mistakes), back to the default.

use super::PracticeAuth;
use crate::booking::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::notify::templates::{check_template, effective, tag_list, TemplateText};
use crate::startup::AppState;
use crate::store::messaging;
use crate::write_batch::{BoxFuture, WriteOutcome};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::messages::{
    Channel, MessageEvent, TemplateList, TemplateUpdate, TemplateView,
};
use sqlx::AnyConnection;

fn parse_path(event: &str, channel: &str) -> ApiResult<(MessageEvent, Channel)> {
    match (MessageEvent::parse(event), Channel::parse(channel)) {
        (Some(e), Some(c)) => Ok((e, c)),
        _ => Err(ApiError::not_found("template")),
    }
}

/// `GET /api/v1/admin/templates`: every event × channel, as the practice sends it.
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<TemplateList>> {
    let own = messaging::templates(&state.db, auth.practice_id).await?;
    let mut templates = Vec::new();
    for event in MessageEvent::ALL {
        for channel in Channel::ALL {
            let custom = own
                .iter()
                .find(|(e, c, _, _)| e == event.as_str() && c == channel.as_str())
                .map(|(_, _, subject, body)| TemplateText {
                    subject: subject.clone(),
                    body: body.clone(),
                });
            let customised = custom.is_some();
            let t = effective(custom, event, channel);
            templates.push(TemplateView {
                event,
                channel,
                subject: t.subject,
                body: t.body,
                customised,
            });
        }
    }
    Ok(Json(TemplateList {
        templates,
        tags: tag_list(),
    }))
}

/// `PUT /api/v1/admin/templates/{event}/{channel}`.
pub async fn save(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath((event, channel)): ApiPath<(String, String)>,
    ApiJson(update): ApiJson<TemplateUpdate>,
) -> ApiResult<Json<TemplateView>> {
    let (event, channel) = parse_path(&event, &channel)?;
    let text = TemplateText {
        subject: if channel == Channel::Email {
            update.subject.trim().to_string()
        } else {
            String::new()
        },
        body: update.body.trim().to_string(),
    };
    if let Err(problems) = check_template(channel, &text) {
        let mut fields = FieldErrors::new();
        for (field, message) in problems {
            fields.entry(field).or_insert(message);
        }
        return Err(ApiError::validation(fields));
    }
    let (practice_id, saved, now) = (auth.practice_id, text.clone(), now_seconds());
    state
        .db
        .write(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
            Box::pin(async move {
                messaging::save_template(
                    conn,
                    practice_id,
                    event.as_str(),
                    channel.as_str(),
                    &saved.subject,
                    &saved.body,
                    now,
                )
                .await?;
                Ok(WriteOutcome::Commit(()))
            })
        })
        .await?;
    Ok(Json(TemplateView {
        event,
        channel,
        subject: text.subject,
        body: text.body,
        customised: true,
    }))
}

/// `DELETE /api/v1/admin/templates/{event}/{channel}`: back to the default wording.
pub async fn reset(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath((event, channel)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let (event, channel) = parse_path(&event, &channel)?;
    let practice_id = auth.practice_id;
    state
        .db
        .write(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
            Box::pin(async move {
                messaging::delete_template(conn, practice_id, event.as_str(), channel.as_str())
                    .await?;
                Ok(WriteOutcome::Commit(()))
            })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
