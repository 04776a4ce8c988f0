//! Queueing messages inside the transaction of the change that causes them: one row per
//! channel the practice sends on, so either the change and its messages are kept, or neither.
//! Each message is written in its patient's language: the one the caller knows (the booking's),
//! else the one remembered with the patient's household, else the practice's default.

use super::context::MessageContext;
use super::transport::TransportConfig;
use crate::store::{messaging, outbox};
use slotwise_shared::lang::{self, Language};
use slotwise_shared::messages::{Channel, MessageEvent};
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::AnyConnection;

/// Who a message is for.
#[derive(Clone, Debug)]
pub struct Recipient {
    /// `None` for someone not (yet) in the practice's records.
    pub patient_id: Option<PatientId>,
    pub phone: String,
    pub email: String,
    /// The language to write in when the caller knows it (the patient just chose it); `None`
    /// looks it up.
    pub language: Option<&'static Language>,
}

impl Recipient {
    /// The address on a channel (empty when the patient has none).
    pub fn address(&self, channel: Channel) -> &str {
        match channel {
            Channel::Sms | Channel::Whatsapp => &self.phone,
            Channel::Email => &self.email,
        }
    }
}

/// The channels a practice sends on: its enabled channels, or — before it configured any —
/// SMS and email through the local transport.
pub async fn active_channels(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<Channel>, sqlx::Error> {
    let rows = messaging::channels(conn, practice_id).await?;
    if rows.is_empty() {
        return Ok(vec![Channel::Sms, Channel::Email]);
    }
    Ok(rows
        .into_iter()
        .filter(|(_, enabled, _)| *enabled != 0)
        .filter_map(|(channel, _, _)| Channel::parse(&channel))
        .collect())
}

/// The transport of a practice's channel (local when not configured).
pub async fn channel_transport(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    channel: Channel,
) -> Result<Result<TransportConfig, String>, sqlx::Error> {
    let rows = messaging::channels(conn, practice_id).await?;
    Ok(
        match rows.into_iter().find(|(c, _, _)| c == channel.as_str()) {
            None => Ok(TransportConfig::Local),
            Some((_, _, config)) => serde_json::from_str(&config)
                .map_err(|e| format!("The {} settings cannot be read: {e}", channel.as_str())),
        },
    )
}

/// One message to queue on every active channel.
pub struct Queue<'a> {
    pub practice_id: PracticeId,
    pub appointment_id: Option<i64>,
    pub recipient: &'a Recipient,
    pub event: MessageEvent,
    pub context: &'a MessageContext,
    pub send_after: i64,
    /// Makes the rows unique per cause (with the channel appended).
    pub dedupe_key: Option<String>,
}

/// Queues the message on each active channel the patient has an address for. Returns how
/// many rows were queued.
pub async fn enqueue(
    conn: &mut AnyConnection,
    q: &Queue<'_>,
    now: i64,
) -> Result<usize, sqlx::Error> {
    enqueue_all(conn, std::slice::from_ref(q), now).await
}

/// Queues several messages of one practice: one read of its channels, one insert.
pub async fn enqueue_all(
    conn: &mut AnyConnection,
    queue: &[Queue<'_>],
    now: i64,
) -> Result<usize, sqlx::Error> {
    let Some(first) = queue.first() else {
        return Ok(0);
    };
    let channels = active_channels(conn, first.practice_id).await?;
    enqueue_on(conn, queue, &channels, None, now).await
}

/// Queues messages of one practice on `channels` (of a broadcast, when `broadcast_id` is set).
/// A message whose cause already queued one (same dedupe key) is left out.
pub async fn enqueue_on(
    conn: &mut AnyConnection,
    queue: &[Queue<'_>],
    channels: &[Channel],
    broadcast_id: Option<i64>,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let mut messages = Vec::new();
    let mut known: Vec<(Option<PatientId>, &'static Language)> = Vec::new();
    for q in queue {
        let language = match q.recipient.language {
            Some(language) => language,
            None => {
                let id = q.recipient.patient_id;
                match known.iter().find(|(p, _)| *p == id) {
                    Some((_, language)) => language,
                    None => {
                        let chosen = language_of(conn, q.practice_id, id).await?;
                        known.push((id, chosen));
                        chosen
                    }
                }
            }
        };
        let context = serde_json::to_string(&q.context.in_language(language))
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        for &channel in channels {
            let address = q.recipient.address(channel);
            if address.trim().is_empty() {
                continue;
            }
            messages.push(outbox::NewMessage {
                practice_id: q.practice_id,
                appointment_id: q.appointment_id,
                patient_id: q.recipient.patient_id,
                event: q.event.as_str().to_string(),
                channel: channel.as_str().to_string(),
                recipient: address.to_string(),
                context: context.clone(),
                send_after: q.send_after,
                dedupe_key: q
                    .dedupe_key
                    .as_ref()
                    .map(|k| format!("{k}:{}", channel.as_str())),
                broadcast_id,
                lang: language.code,
            });
        }
    }
    outbox::insert_all(conn, &messages, now).await?;
    Ok(messages.len())
}

/// The language a patient reads: the one remembered with their household, else the
/// practice's default (also for someone not in the records).
pub async fn language_of(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: Option<PatientId>,
) -> Result<&'static Language, sqlx::Error> {
    if let Some(id) = patient_id {
        if let Some(code) = messaging::patient_language(conn, practice_id, id).await? {
            return Ok(lang::of(&code));
        }
    }
    Ok(lang::of(
        &messaging::practice_language(conn, practice_id).await?,
    ))
}
