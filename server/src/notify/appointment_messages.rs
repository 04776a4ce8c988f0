//! The messages an appointment change causes: confirmation and reminders after booking, a
//! notice and new reminders after a move, a notice after cancelling. All run inside the
//! change's own transaction.

use super::context::{MessageContext, MessageTimes};
use super::enqueue::{enqueue, enqueue_all, language_of, Queue, Recipient};
use crate::appointment_view::{booking_calendar_file, BookingLinks};
use crate::catalog::Catalog;
use crate::store::appointments::AppointmentRow;
use crate::store::{messaging, outbox};
use jiff::Timestamp;
use slotwise_shared::lang::Language;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::PracticeId;
use sqlx::AnyConnection;

/// Reminders due less than this far ahead are not queued (the confirmation just went out).
const MIN_REMINDER_LEAD_SECONDS: i64 = 15 * 60;

/// The tag values for an appointment, in the practice's timezone; the calendar file in
/// `language` (date and time are written when queued, in the language of each message).
pub fn appointment_context(
    catalog: &Catalog,
    row: &AppointmentRow,
    first_name: &str,
    manage_token: &str,
    public_url: &str,
    language: &Language,
) -> MessageContext {
    let tz = &catalog.practice.tz;
    let start = Timestamp::from_second(row.starts_at).unwrap_or(Timestamp::UNIX_EPOCH);
    let links = BookingLinks::new(public_url, &catalog.practice.slug, manage_token);
    MessageContext {
        code: String::new(),
        alternatives: String::new(),
        message: String::new(),
        survey_link: String::new(),
        visits: String::new(),
        patient_first_name: first_name.to_string(),
        date: String::new(),
        time: String::new(),
        provider: catalog
            .provider(row.provider_id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        service: catalog
            .reason(row.reason_id)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        calendar_link: links.ics_url.clone(),
        manage_link: links.manage_url.clone(),
        booking_link: format!(
            "{}/book/{}",
            public_url.trim_end_matches('/'),
            urlencoding::encode(&catalog.practice.slug)
        ),
        reference: row.reference.clone().unwrap_or_default(),
        ics: Some(booking_calendar_file(catalog, row, public_url, language)),
        times: Some(MessageTimes::at(start, tz)),
    }
}

/// Queues what `event` (confirmation, rescheduled or cancelled) means for an appointment's
/// patient, in the caller's transaction. Nothing is queued for a row without a patient.
pub async fn queue_for_appointment(
    conn: &mut AnyConnection,
    catalog: &Catalog,
    row: &AppointmentRow,
    manage_token: &str,
    public_url: &str,
    event: MessageEvent,
    now: i64,
) -> Result<(), sqlx::Error> {
    let practice_id = catalog.practice.id;
    let Some(patient_id) = row.patient_id else {
        return Ok(());
    };
    let Some((first_name, phone, email)) =
        messaging::patient_contact(conn, practice_id, patient_id).await?
    else {
        return Ok(());
    };
    let language = language_of(conn, practice_id, Some(patient_id)).await?;
    let recipient = Recipient {
        patient_id: Some(patient_id),
        phone,
        email,
        language: Some(language),
    };
    let context = appointment_context(
        catalog,
        row,
        &first_name,
        manage_token,
        public_url,
        language,
    );
    match event {
        MessageEvent::Rescheduled => {
            queue_rescheduled(conn, practice_id, row, &recipient, &context, now).await
        }
        MessageEvent::Cancelled => {
            queue_cancelled(conn, practice_id, row, &recipient, &context, now).await
        }
        _ => queue_booked(conn, practice_id, row, &recipient, &context, now).await,
    }
}

/// After booking: the confirmation now, reminders at the practice's offsets.
pub async fn queue_booked(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    row: &AppointmentRow,
    recipient: &Recipient,
    context: &MessageContext,
    now: i64,
) -> Result<(), sqlx::Error> {
    queue_with_reminders(
        conn,
        practice_id,
        row,
        recipient,
        context,
        Some(MessageEvent::Confirmation),
        now,
    )
    .await
}

/// After a move: earlier reminders cancelled, the patient told, new reminders queued.
pub async fn queue_rescheduled(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    row: &AppointmentRow,
    recipient: &Recipient,
    context: &MessageContext,
    now: i64,
) -> Result<(), sqlx::Error> {
    outbox::cancel_pending_reminders(conn, row.id, now).await?;
    queue_with_reminders(
        conn,
        practice_id,
        row,
        recipient,
        context,
        Some(MessageEvent::Rescheduled),
        now,
    )
    .await
}

/// After a procedure is booked: one confirmation listing every visit (`context`, with one
/// calendar file holding them all), then each visit's reminders (`visits`: each row with its
/// own values).
pub async fn queue_procedure_booked(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    visits: &[(AppointmentRow, MessageContext)],
    recipient: &Recipient,
    context: &MessageContext,
    now: i64,
) -> Result<(), sqlx::Error> {
    let Some((first, _)) = visits.first() else {
        return Ok(());
    };
    let q = Queue {
        practice_id,
        appointment_id: Some(first.id),
        recipient,
        event: MessageEvent::ProcedureBooked,
        context,
        send_after: now,
        dedupe_key: None,
    };
    enqueue(conn, &q, now).await?;
    for (row, visit) in visits {
        queue_with_reminders(conn, practice_id, row, recipient, visit, None, now).await?;
    }
    Ok(())
}

/// `event` now (if any) and the reminders, queued with one insert (on the booking's hot path).
async fn queue_with_reminders(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    row: &AppointmentRow,
    recipient: &Recipient,
    context: &MessageContext,
    event: Option<MessageEvent>,
    now: i64,
) -> Result<(), sqlx::Error> {
    // Reminders carry no calendar file: the first message did.
    let reminder_context = MessageContext {
        ics: None,
        ..context.clone()
    };
    let mut queue: Vec<Queue> = event
        .map(|event| Queue {
            practice_id,
            appointment_id: Some(row.id),
            recipient,
            event,
            context,
            send_after: now,
            dedupe_key: None,
        })
        .into_iter()
        .collect();
    for offset in messaging::reminder_offsets(conn, practice_id).await? {
        let due = row.starts_at - offset * 60;
        if due < now + MIN_REMINDER_LEAD_SECONDS {
            continue;
        }
        queue.push(Queue {
            practice_id,
            appointment_id: Some(row.id),
            recipient,
            event: MessageEvent::Reminder,
            context: &reminder_context,
            send_after: due,
            // One reminder per offset and version of the appointment.
            dedupe_key: Some(format!("reminder:{}:{}:{offset}", row.id, row.revision)),
        });
    }
    enqueue_all(conn, &queue, now).await?;
    Ok(())
}

/// After cancelling: pending reminders cancelled, the patient told.
pub async fn queue_cancelled(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    row: &AppointmentRow,
    recipient: &Recipient,
    context: &MessageContext,
    now: i64,
) -> Result<(), sqlx::Error> {
    outbox::cancel_pending_reminders(conn, row.id, now).await?;
    let context = MessageContext {
        ics: None,
        ..context.clone()
    };
    let q = Queue {
        practice_id,
        appointment_id: Some(row.id),
        recipient,
        event: MessageEvent::Cancelled,
        context: &context,
        send_after: now,
        dedupe_key: None,
    };
    enqueue(conn, &q, now).await?;
    Ok(())
}
