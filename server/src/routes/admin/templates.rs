//! Message templates, one per event, channel and language: list (own or default wording,
//! with the tags), save with checks (422 for unknown tags or mistakes), preview with sample
//! values in the template's language, back to the default.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::notify::context::MessageContext;
use crate::notify::default_templates::effective;
use crate::notify::templates::{
    check_template_off_runtime, render, tag_list, with_opt_out_line, TemplateText,
};
use crate::state::AppState;
use crate::store::messaging::{self, TemplateKey};
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use slotwise_shared::admin::{StaffRole, TemplatePreview};
use slotwise_shared::error::{ErrorBody, FieldErrors};
use slotwise_shared::lang::{self, Language};
use slotwise_shared::messages::{
    Channel, MessageEvent, TemplateList, TemplateUpdate, TemplateView,
};

/// Which language's version of a template (default: the practice's default language).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateLanguage {
    /// A language code (`en`, `es`); a code with no language file is 404.
    #[param(max_length = 16)]
    lang: Option<String>,
}

fn parse_path(event: &str, channel: &str) -> ApiResult<(MessageEvent, Channel)> {
    match (MessageEvent::parse(event), Channel::parse(channel)) {
        (Some(e), Some(c)) => Ok((e, c)),
        _ => Err(ApiError::not_found("template")),
    }
}

/// The language asked for, or the practice's default; 404 for a language with no file.
async fn language_of(
    state: &AppState,
    auth: &PracticeAuth,
    asked: &TemplateLanguage,
) -> ApiResult<&'static Language> {
    match asked.lang.as_deref() {
        Some(code) => lang::LANGUAGES
            .iter()
            .find(|l| l.code == code)
            .ok_or_else(|| ApiError::not_found("template")),
        None => Ok(lang::of(
            &state.catalog(&auth.slug).await?.practice.default_lang,
        )),
    }
}

/// `GET /api/v1/admin/templates`: every event × channel, as the practice sends it.
#[utoipa::path(
    get,
    path = "/api/v1/admin/templates",
    operation_id = "list_templates",
    tag = "admin",
    summary = "Message templates and tags",
    security(("bearerAuth" = ["front_desk"])),
    responses(
        (status = 200, description = "Every event × channel × language with the wording the practice sends (its own or the default), and the tags templates may use", body = TemplateList),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<TemplateList>> {
    let own = messaging::templates(&state.db, auth.practice_id).await?;
    let mut templates = Vec::new();
    for language in &lang::LANGUAGES {
        for event in MessageEvent::ALL {
            for channel in Channel::ALL {
                let custom = own
                    .iter()
                    .find(|t| {
                        t.event == event.as_str()
                            && t.channel == channel.as_str()
                            && t.lang == language.code
                    })
                    .map(|t| TemplateText {
                        subject: t.subject.clone(),
                        body: t.body.clone(),
                    });
                let customised = custom.is_some();
                let t = effective(custom, event, channel, language);
                templates.push(TemplateView {
                    event,
                    channel,
                    lang: language.code.to_string(),
                    subject: t.subject,
                    body: t.body,
                    customised,
                });
            }
        }
    }
    Ok(Json(TemplateList {
        templates,
        tags: tag_list(),
    }))
}

/// `PUT /api/v1/admin/templates/{event}/{channel}`.
#[utoipa::path(
    put,
    path = "/api/v1/admin/templates/{event}/{channel}",
    operation_id = "update_template",
    tag = "admin",
    summary = "Save a template",
    security(("bearerAuth" = ["admin"])),
    params(
        ("event" = inline(MessageEvent), Path, description = "Why the message is sent"),
        ("channel" = inline(Channel), Path, description = "How it reaches the patient"),
        TemplateLanguage,
    ),
    request_body = TemplateUpdate,
    responses(
        (status = 200, description = "The saved template (the subject is kept for email only)", body = TemplateView),
        (status = 404, description = "Unknown event, channel or language", body = ErrorBody),
        (status = 422, description = "An empty body, an email without a subject, a text that is too long (body 8000, subject 300 bytes), a syntax mistake, an unknown tag, or a text that fails to render with sample values; `fields` names `subject` or `body`", body = ErrorBody),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath((event, channel)): ApiPath<(String, String)>,
    ApiQuery(asked): ApiQuery<TemplateLanguage>,
    ApiJson(update): ApiJson<TemplateUpdate>,
) -> ApiResult<Json<TemplateView>> {
    auth.require(StaffRole::Admin)?;
    let (event, channel) = parse_path(&event, &channel)?;
    let language = language_of(&state, &auth, &asked).await?;
    let text = checked(channel, &update, language).await?;
    let (practice_id, saved, now) = (auth.practice_id, text.clone(), now_seconds());
    let actor = auth.actor.clone();
    state
        .db
        .write(write_unit!(|conn| {
            let key = TemplateKey {
                event: event.as_str(),
                channel: channel.as_str(),
                lang: language.code,
            };
            messaging::save_template(conn, practice_id, key, &saved.subject, &saved.body, now)
                .await?;
            let target = format!(
                "template {}/{}/{}",
                event.as_str(),
                channel.as_str(),
                language.code
            );
            staff::audit(conn, practice_id, &actor, "template.save", &target, now).await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    Ok(Json(TemplateView {
        event,
        channel,
        lang: language.code.to_string(),
        subject: text.subject,
        body: text.body,
        customised: true,
    }))
}

/// The template as it would be saved, or 422 naming what is wrong.
async fn checked(
    channel: Channel,
    update: &TemplateUpdate,
    language: &'static Language,
) -> ApiResult<TemplateText> {
    let text = TemplateText {
        subject: if channel == Channel::Email {
            update.subject.trim().to_string()
        } else {
            String::new()
        },
        body: update.body.trim().to_string(),
    };
    if let Err(problems) = check_template_off_runtime(channel, text.clone(), language).await {
        let mut fields = FieldErrors::new();
        for (field, message) in problems {
            fields.entry(field).or_insert(message);
        }
        return Err(ApiError::validation(fields));
    }
    Ok(text)
}

/// `POST /api/v1/admin/templates/{event}/{channel}/preview`: the text rendered with sample
/// values, as a patient would get it (422 for the same mistakes saving refuses).
#[utoipa::path(
    post,
    path = "/api/v1/admin/templates/{event}/{channel}/preview",
    operation_id = "preview_template",
    tag = "admin",
    summary = "Render with sample values",
    security(("bearerAuth" = ["admin"])),
    params(
        ("event" = inline(MessageEvent), Path, description = "Why the message is sent"),
        ("channel" = inline(Channel), Path, description = "How it reaches the patient"),
        TemplateLanguage,
    ),
    request_body = TemplateUpdate,
    responses(
        (status = 200, description = "The text rendered with sample values, with the opt-out line the channel adds", body = TemplatePreview),
        (status = 404, description = "Unknown event, channel or language", body = ErrorBody),
        (status = 422, description = "The same checks as saving: an empty body, an email without a subject, a text that is too long (body 8000, subject 300 bytes), a syntax mistake, an unknown tag, or a text that fails to render with sample values; `fields` names `subject` or `body`", body = ErrorBody),
    ),
)]
pub async fn preview(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath((event, channel)): ApiPath<(String, String)>,
    ApiQuery(asked): ApiQuery<TemplateLanguage>,
    ApiJson(update): ApiJson<TemplateUpdate>,
) -> ApiResult<Json<TemplatePreview>> {
    // Previewing renders staff's text: the same role as saving it.
    auth.require(StaffRole::Admin)?;
    let (_, channel) = parse_path(&event, &channel)?;
    let language = language_of(&state, &auth, &asked).await?;
    let text = checked(channel, &update, language).await?;
    let rendered = render(
        text,
        MessageContext::sample(language),
        "https://book.example/unsubscribe".into(),
    )
    .await
    .map_err(|e| ApiError::field("body", &e.to_string()))?;
    Ok(Json(TemplatePreview {
        subject: rendered.subject,
        body: with_opt_out_line(channel, rendered.text, language),
    }))
}

/// `DELETE /api/v1/admin/templates/{event}/{channel}`: back to the default wording.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/templates/{event}/{channel}",
    operation_id = "reset_template",
    tag = "admin",
    summary = "Back to the default wording",
    security(("bearerAuth" = ["admin"])),
    params(
        ("event" = inline(MessageEvent), Path, description = "Why the message is sent"),
        ("channel" = inline(Channel), Path, description = "How it reaches the patient"),
        TemplateLanguage,
    ),
    responses(
        (status = 204, description = "The practice's own wording is removed; the default is sent again"),
        (status = 404, description = "Unknown event, channel or language", body = ErrorBody),
    ),
)]
pub async fn reset(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath((event, channel)): ApiPath<(String, String)>,
    ApiQuery(asked): ApiQuery<TemplateLanguage>,
) -> ApiResult<StatusCode> {
    auth.require(StaffRole::Admin)?;
    let (event, channel) = parse_path(&event, &channel)?;
    let language = language_of(&state, &auth, &asked).await?;
    let (practice_id, actor) = (auth.practice_id, auth.actor.clone());
    state
        .db
        .write(write_unit!(|conn| {
            let key = TemplateKey {
                event: event.as_str(),
                channel: channel.as_str(),
                lang: language.code,
            };
            messaging::delete_template(conn, practice_id, key).await?;
            let target = format!(
                "template {}/{}/{}",
                event.as_str(),
                channel.as_str(),
                language.code
            );
            staff::audit(
                conn,
                practice_id,
                &actor,
                "template.reset",
                &target,
                now_seconds(),
            )
            .await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
