//! What marking a visit completed or no-show sets off, in the same transaction: the no-show
//! follow-ups (three messages at the practice's delays, the 2nd and 3rd with a rebooking
//! link), or the reason's aftercare text and, where the practice asks for it, a rating request
//! an hour later. Correcting one mark into the other cancels what the first set off.

use super::links::{self, LINK_DAYS};
use crate::catalog::Catalog;
use crate::notify::appointment_messages::appointment_context;
use crate::notify::context::MessageContext;
use crate::notify::enqueue::{enqueue_all, Queue, Recipient};
use crate::store::appointments::AppointmentRow;
use crate::store::automations::{self as store, NewLink, Of};
use crate::store::messaging;
use crate::tokens::{hash_token, new_token};
use slotwise_shared::lang;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::PatientId;
use sqlx::AnyConnection;

/// How long after completion the rating request goes out.
pub const FEEDBACK_DELAY_SECONDS: i64 = 3600;
/// How long a rating link works.
const FEEDBACK_DAYS: i64 = 14;

fn names(events: &[MessageEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.as_str()).collect()
}

/// Runs after staff set an appointment's status to `status` (`completed` or `no_show`).
pub async fn after_mark(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    row: &AppointmentRow,
    public_url: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let Some(patient_id) = row.patient_id else {
        return Ok(());
    };
    match row.status.as_str() {
        "no_show" => {
            store::cancel_pending(
                conn,
                Of::Appointment(row.id),
                &names(&[MessageEvent::Aftercare, MessageEvent::FeedbackRequest]),
                "The appointment was marked no-show.",
                now,
            )
            .await?;
            no_show(conn, catalog, row, patient_id, public_url, now).await
        }
        "completed" => {
            store::stop_no_show_of_appointment(conn, row.id, now).await?;
            store::cancel_pending(
                conn,
                Of::Appointment(row.id),
                &names(&MessageEvent::NO_SHOW),
                "The appointment was marked completed.",
                now,
            )
            .await?;
            completed(conn, catalog, row, patient_id, public_url, now).await
        }
        _ => Ok(()),
    }
}

/// The patient and their message values, unless their automated messages are paused.
async fn reachable(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    row: &AppointmentRow,
    patient_id: PatientId,
    public_url: &str,
) -> Result<Option<(Recipient, MessageContext)>, sqlx::Error> {
    let practice_id = catalog.practice.id;
    if store::is_paused(conn, patient_id).await? {
        return Ok(None);
    }
    let Some((first_name, phone, email)) =
        messaging::patient_contact(conn, practice_id, patient_id).await?
    else {
        return Ok(None);
    };
    // No calendar file: the language of the message is looked up when it is queued.
    let mut context = appointment_context(catalog, row, &first_name, "", public_url, lang::DEFAULT);
    context.ics = None;
    context.manage_link = String::new();
    context.calendar_link = String::new();
    let recipient = Recipient {
        patient_id: Some(patient_id),
        phone,
        email,
        language: None,
    };
    Ok(Some((recipient, context)))
}

async fn no_show(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    row: &AppointmentRow,
    patient_id: PatientId,
    public_url: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let practice_id = catalog.practice.id;
    let settings = store::settings(conn, practice_id).await?;
    if !settings.no_show_enabled {
        return Ok(());
    }
    let Some((recipient, first)) = reachable(conn, catalog, row, patient_id, public_url).await?
    else {
        return Ok(());
    };
    if !store::start_no_show(conn, practice_id, row.id, patient_id, now).await? {
        return Ok(());
    }
    let token = new_token();
    let link = NewLink {
        kind: "rebooking",
        patient_id,
        reason_id: row.reason_id,
        rule_id: None,
        cycle_at: None,
        appointment_id: Some(row.id),
        expires_at: now + LINK_DAYS * 86_400,
    };
    store::upsert_rebooking_link(conn, practice_id, &hash_token(&token), &link, now).await?;
    let rebooking = MessageContext {
        booking_link: links::link_url(public_url, &catalog.practice.slug, &token),
        ..first.clone()
    };
    let queue: Vec<Queue<'_>> = MessageEvent::NO_SHOW
        .iter()
        .zip(&settings.no_show_delays_hours)
        .enumerate()
        .map(|(i, (&event, &hours))| Queue {
            practice_id,
            appointment_id: Some(row.id),
            recipient: &recipient,
            event,
            context: if i == 0 { &first } else { &rebooking },
            send_after: now + i64::from(hours) * 3600,
            // Once per step and marking (a no-show marked again after a correction restarts).
            dedupe_key: Some(format!("no_show:{}:{now}:{i}", row.id)),
        })
        .collect();
    enqueue_all(conn, &queue, now).await?;
    Ok(())
}

async fn completed(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    row: &AppointmentRow,
    patient_id: PatientId,
    public_url: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let practice_id = catalog.practice.id;
    let Some((recipient, context)) = reachable(conn, catalog, row, patient_id, public_url).await?
    else {
        return Ok(());
    };
    let mut queue_owned: Vec<(MessageEvent, MessageContext, i64, String)> = Vec::new();
    let aftercare = store::aftercare_text(conn, row.reason_id).await?;
    if !aftercare.trim().is_empty() {
        queue_owned.push((
            MessageEvent::Aftercare,
            MessageContext {
                message: aftercare.trim().to_string(),
                ..context.clone()
            },
            now,
            format!("aftercare:{}", row.id),
        ));
    }
    if store::settings(conn, practice_id).await?.feedback_enabled {
        let token = new_token();
        let expires = now + FEEDBACK_DAYS * 86_400;
        if store::insert_feedback_request(
            conn,
            practice_id,
            row.id,
            &hash_token(&token),
            now,
            expires,
        )
        .await?
        {
            queue_owned.push((
                MessageEvent::FeedbackRequest,
                MessageContext {
                    survey_link: format!(
                        "{}{}",
                        public_url.trim_end_matches('/'),
                        slotwise_shared::paths::feedback_page(&token)
                    ),
                    ..context.clone()
                },
                now + FEEDBACK_DELAY_SECONDS,
                format!("feedback:{}", row.id),
            ));
        }
    }
    let queue: Vec<Queue<'_>> = queue_owned
        .iter()
        .map(|(event, context, send_after, key)| Queue {
            practice_id,
            appointment_id: Some(row.id),
            recipient: &recipient,
            event: *event,
            context,
            send_after: *send_after,
            dedupe_key: Some(key.clone()),
        })
        .collect();
    enqueue_all(conn, &queue, now).await?;
    Ok(())
}
