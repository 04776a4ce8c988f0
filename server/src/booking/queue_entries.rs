//! What completing any booking-queue entry shares: the entry must still wait (and no
//! automatic retry be booking it), and its patient is the one it names or a new record made
//! from its details.

use crate::domain_error::{DomainError, DomainResult};
use crate::store::booking_queue::{self, QueueRow};
use crate::store::patients::{self, NewHousehold, NewMember};
use slotwise_shared::model::{PatientId, PracticeId};
use sqlx::AnyConnection;

/// A pending entry no automatic retry holds right now.
pub fn check_open(entry: &QueueRow, now: i64) -> DomainResult<()> {
    if entry.status != "pending" {
        return Err(DomainError::Conflict(format!(
            "This entry is already {}.",
            entry.status
        )));
    }
    if entry.claimed_until.is_some_and(|until| until >= now) {
        return Err(retrying());
    }
    Ok(())
}

pub fn retrying() -> DomainError {
    DomainError::Conflict(
        "This entry is no longer waiting: it was closed, or an automatic retry is booking it \
         right now. Look at the queue again in a minute."
            .into(),
    )
}

/// The entry's patient, created from the entry's details when it has none (in a household, so
/// the patient can look themselves up next time).
pub async fn patient_of(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    entry: &QueueRow,
    now: i64,
) -> Result<PatientId, sqlx::Error> {
    if let Some(id) = entry.patient_id {
        return Ok(id);
    }
    let household = match entry.household_id {
        Some(id) => id,
        None => {
            let contact = NewHousehold {
                first_name: entry.first_name.clone(),
                last_name: entry.last_name.clone(),
                phone: entry.phone.clone(),
                email: entry.email.to_lowercase(),
            };
            patients::insert_household(conn, practice_id, &contact, now).await?
        }
    };
    let member = NewMember {
        first_name: entry
            .pet_name
            .clone()
            .unwrap_or_else(|| entry.first_name.clone()),
        last_name: entry.last_name.clone(),
        date_of_birth: entry.date_of_birth.clone(),
        phone: entry.phone.clone(),
        email: entry.email.to_lowercase(),
        species: entry.species.clone(),
    };
    let id = patients::insert_member(conn, practice_id, household, &member, now).await?;
    booking_queue::set_patient(conn, entry.id, id).await?;
    Ok(id)
}
