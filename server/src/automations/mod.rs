//! The practice's communication engine: recall rules with personal booking links, no-show
//! follow-ups, aftercare and feedback after a visit, and broadcasts. Everything is queued
//! through the outbox; the periodic part (recall) runs under a job lease on one instance at a
//! time, and every message has a cause that can queue it only once.

pub mod broadcasts;
pub mod links;
pub mod recall;
pub mod visits;

use crate::store::automations::{self as store, Of};
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::AnyConnection;

/// Names of the automated events, for SQL lists.
fn automation_events() -> Vec<&'static str> {
    MessageEvent::ALL
        .into_iter()
        .filter(|e| e.is_automation())
        .map(MessageEvent::as_str)
        .collect()
}

/// An address opted out (STOP, unsubscribe link): every patient of the practice with it has
/// their automated messages paused, their running no-show follow-ups stopped and their
/// automated messages still to go cancelled.
pub async fn opt_out(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    address: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    for patient_id in store::patients_with_address(conn, practice_id, address).await? {
        pause(conn, practice_id, patient_id, Pause::OptedOut, now).await?;
    }
    Ok(())
}

/// Who paused a patient's automated messages.
#[derive(Clone, Copy, Debug)]
pub enum Pause {
    OptedOut,
    Staff,
}

/// Pauses a patient's automated messages: their running no-show follow-ups stop and their
/// automated messages still to go are cancelled. False for an unknown patient.
pub async fn pause(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    patient_id: PatientId,
    by: Pause,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if !store::set_paused(conn, practice_id, patient_id, true, now).await? {
        return Ok(false);
    }
    let (stop_reason, why) = match by {
        Pause::OptedOut => ("opted_out", "The patient opted out of automated messages."),
        Pause::Staff => ("paused", "Staff paused automated messages."),
    };
    store::stop_no_shows_of_patient(conn, patient_id, stop_reason, None, now).await?;
    store::cancel_pending(
        conn,
        Of::Patient(patient_id),
        &automation_events(),
        why,
        now,
    )
    .await?;
    Ok(true)
}

/// The address opted in again (START): its patients' automated messages resume.
pub async fn opt_in(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    address: &str,
) -> Result<(), sqlx::Error> {
    for patient_id in store::patients_with_address(conn, practice_id, address).await? {
        store::set_paused(conn, practice_id, patient_id, false, 0).await?;
    }
    Ok(())
}

/// What a new booking means for the automations, in the booking's transaction: the patient's
/// no-show follow-ups stop (the no-show is recovered) and their recall and follow-up messages
/// still to go are cancelled; a booking through a personal link is counted for it.
pub async fn after_booking(
    conn: &mut AnyConnection,
    patient_id: PatientId,
    appointment_id: i64,
    link_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    store::stop_no_shows_of_patient(conn, patient_id, "booked", Some(appointment_id), now).await?;
    let mut events: Vec<&str> = MessageEvent::NO_SHOW.iter().map(|e| e.as_str()).collect();
    events.push(MessageEvent::Recall.as_str());
    store::cancel_pending(
        conn,
        Of::Patient(patient_id),
        &events,
        "The patient booked again.",
        now,
    )
    .await?;
    if let Some(link) = link_id {
        store::mark_booked(conn, link, appointment_id, now).await?;
    }
    Ok(())
}
