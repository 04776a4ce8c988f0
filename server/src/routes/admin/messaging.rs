//! How a practice's messages go out: channel transports (secrets never shown) and reminder
//! offsets.

use super::PracticeAuth;
use crate::clock::now_seconds;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::notify::enqueue::active_channels;
use crate::notify::transport::TransportConfig;
use crate::state::AppState;
use crate::store::messaging;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use axum::extract::State;
use axum::Json;
use slotwise_shared::error::ErrorBody;
use slotwise_shared::messages::{
    Channel, ChannelSettingsUpdate, ChannelSettingsView, MessagingSettings, ReminderOffsets,
};
use slotwise_shared::model::PracticeId;

/// Longest reminder offset: 60 days.
const MAX_OFFSET_MINUTES: i64 = 60 * 24 * 60;

async fn settings(state: &AppState, practice_id: PracticeId) -> ApiResult<MessagingSettings> {
    let mut conn = state.db.read.acquire().await?;
    let stored = messaging::channels(&mut conn, practice_id).await?;
    let active = active_channels(&mut conn, practice_id).await?;
    let mut channels = Vec::new();
    for channel in Channel::ALL {
        let config = stored
            .iter()
            .find(|(c, _, _)| c == channel.as_str())
            .and_then(|(_, _, config)| serde_json::from_str::<TransportConfig>(config).ok())
            .unwrap_or(TransportConfig::Local);
        channels.push(ChannelSettingsView {
            channel,
            enabled: active.contains(&channel),
            config: serde_json::to_value(config.redacted()).map_err(ApiError::internal)?,
        });
    }
    Ok(MessagingSettings {
        channels,
        reminder_offsets_minutes: messaging::reminder_offsets(&mut conn, practice_id).await?,
    })
}

/// `GET /api/v1/admin/messaging`.
#[utoipa::path(
    get,
    path = "/api/v1/admin/messaging",
    operation_id = "get_messaging_settings",
    tag = "admin",
    summary = "Channels and reminder times",
    responses(
        (status = 200, description = "Every channel's transport (secrets shown as `********`) and the reminder offsets", body = MessagingSettings),
    ),
    security(("bearerAuth" = ["front_desk"])),
)]
pub async fn show(
    State(state): State<AppState>,
    auth: PracticeAuth,
) -> ApiResult<Json<MessagingSettings>> {
    Ok(Json(settings(&state, auth.practice_id).await?))
}

/// `PUT /api/v1/admin/messaging/channels/{channel}`: sets a channel's transport. Sending the
/// redacted secret back keeps the stored one.
#[utoipa::path(
    put,
    path = "/api/v1/admin/messaging/channels/{channel}",
    operation_id = "save_messaging_channel",
    tag = "admin",
    summary = "Configure a channel",
    params(("channel" = Channel, Path, description = "The channel to configure")),
    request_body = ChannelSettingsUpdate,
    responses(
        (status = 200, description = "The messaging settings after the change", body = MessagingSettings),
        (status = 404, description = "Not one of the channels", body = ErrorBody),
        (status = 422, description = "`config` is not valid transport settings, its transport cannot carry this channel, a kept secret's destination changed, or the destination is not allowed (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn save_channel(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiPath(channel): ApiPath<String>,
    ApiJson(update): ApiJson<ChannelSettingsUpdate>,
) -> ApiResult<Json<MessagingSettings>> {
    auth.require(slotwise_shared::admin::StaffRole::Admin)?;
    let channel = Channel::parse(&channel).ok_or_else(|| ApiError::not_found("channel"))?;
    let mut config: TransportConfig = serde_json::from_value(update.config).map_err(|e| {
        ApiError::field(
            "config",
            &format!("These transport settings are not valid: {e}"),
        )
    })?;
    if !config.fits(channel) {
        return Err(ApiError::field(
            "config.transport",
            "This transport cannot carry messages of this channel.",
        ));
    }
    let mut conn = state.db.read.acquire().await?;
    let stored = messaging::channels(&mut conn, auth.practice_id).await?;
    drop(conn);
    let old = stored
        .iter()
        .find(|(c, _, _)| c == channel.as_str())
        .and_then(|(_, _, json)| serde_json::from_str::<TransportConfig>(json).ok())
        .unwrap_or(TransportConfig::Local);
    // A kept secret stays with the destination it was entered for.
    if let Err(field) = config.keep_secrets_from(&old) {
        return Err(ApiError::field(
            field,
            "The destination changed: enter the secret again to send it there.",
        ));
    }
    if let Err((field, why)) = config
        .check_destination(state.config.allow_private_outbound)
        .await
    {
        return Err(ApiError::field(field, why));
    }
    let json = serde_json::to_string(&config).map_err(ApiError::internal)?;
    let (practice_id, enabled, now) = (auth.practice_id, update.enabled, now_seconds());
    state
        .db
        .write(write_unit!(|conn| {
            // Configuring one channel makes the list explicit: channels still on their
            // implicit defaults (SMS and email, local) are written down as they were.
            if messaging::channels(conn, practice_id).await?.is_empty() {
                for c in [Channel::Sms, Channel::Email] {
                    messaging::save_channel(
                        conn,
                        practice_id,
                        c.as_str(),
                        true,
                        "{\"transport\":\"local\"}",
                        now,
                    )
                    .await?;
                }
            }
            messaging::save_channel(conn, practice_id, channel.as_str(), enabled, &json, now)
                .await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    super::change::record(&state, &auth, "messaging.channel", channel.as_str().into()).await?;
    Ok(Json(settings(&state, auth.practice_id).await?))
}

/// `PUT /api/v1/admin/messaging/reminders`: minutes before the appointment (empty: none).
#[utoipa::path(
    put,
    path = "/api/v1/admin/messaging/reminders",
    operation_id = "save_reminder_offsets",
    tag = "admin",
    summary = "Reminder times",
    request_body = ReminderOffsets,
    responses(
        (status = 200, description = "The messaging settings after the change (offsets sorted, longest first, without repeats)", body = MessagingSettings),
        (status = 422, description = "More than 5 reminders, or one outside 15 minutes to 60 days (`validation_failed`)", body = ErrorBody),
    ),
    security(("bearerAuth" = ["admin"])),
)]
pub async fn save_reminders(
    State(state): State<AppState>,
    auth: PracticeAuth,
    ApiJson(update): ApiJson<ReminderOffsets>,
) -> ApiResult<Json<MessagingSettings>> {
    auth.require(slotwise_shared::admin::StaffRole::Admin)?;
    let mut offsets = update.reminder_offsets_minutes;
    if offsets.len() > 5
        || offsets
            .iter()
            .any(|m| !(15..=MAX_OFFSET_MINUTES).contains(m))
    {
        return Err(ApiError::field(
            "reminder_offsets_minutes",
            "Up to 5 reminders, each between 15 minutes and 60 days before the appointment.",
        ));
    }
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    offsets.dedup();
    let (practice_id, now) = (auth.practice_id, now_seconds());
    state
        .db
        .write(write_unit!(|conn| {
            messaging::save_reminder_offsets(conn, practice_id, &offsets, now).await?;
            Ok(WriteOutcome::Commit(()))
        }))
        .await?;
    super::change::record(&state, &auth, "messaging.reminders", String::new()).await?;
    Ok(Json(settings(&state, auth.practice_id).await?))
}
