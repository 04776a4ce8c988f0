//! Who a booking is for: an existing member of a verified household, or someone new (a new
//! household, or a new member of a verified one), worked out before the booking's write.

use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::enqueue::Recipient;
use crate::store::db::Db;
use crate::store::patients::{self, MemberRow, NewHousehold, NewMember};
use crate::tokens::hash_token;
use slotwise_shared::api::{BookingRequest, PatientDetails};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::{PatientId, PracticeId};
use slotwise_shared::patients::PracticeKind;
use slotwise_shared::validate::normalize_email;
use sqlx::AnyConnection;

/// A retried booking's patient, already settled when it was queued.
#[derive(Clone, Copy, Debug)]
pub enum KnownPatient {
    /// A patient on file.
    Member(PatientId),
    /// Someone new joining this verified household.
    JoinHousehold(i64),
}

/// The patient side of a booking.
#[derive(Clone, Debug)]
pub enum PatientPlan {
    /// A member of a verified household.
    Existing(MemberRow),
    /// Someone new to the practice's records.
    New {
        /// The verified household they join; `None` creates one.
        household: Option<i64>,
        contact: NewHousehold,
        member: NewMember,
    },
}

impl PatientPlan {
    /// Writes what is new and returns the patient's id.
    pub async fn write(
        &self,
        conn: &mut AnyConnection,
        practice_id: PracticeId,
        now: i64,
    ) -> Result<PatientId, sqlx::Error> {
        match self {
            PatientPlan::Existing(m) => Ok(m.id),
            PatientPlan::New {
                household,
                contact,
                member,
            } => {
                let household = match household {
                    Some(id) => *id,
                    None => patients::insert_household(conn, practice_id, contact, now).await?,
                };
                patients::insert_member(conn, practice_id, household, member, now).await
            }
        }
    }

    /// Where the booking's messages go.
    pub fn recipient(&self, patient_id: PatientId) -> Recipient {
        let (phone, email) = match self {
            PatientPlan::Existing(m) => (m.phone.clone(), m.email.clone()),
            PatientPlan::New { contact, .. } => (contact.phone.clone(), contact.email.clone()),
        };
        Recipient {
            patient_id: Some(patient_id),
            phone,
            email,
            language: None,
        }
    }

    /// The name messages greet: the patient, or a pet's owner.
    pub fn greeting_name(&self) -> String {
        match self {
            PatientPlan::Existing(m) if m.species.is_some() => m.contact_first_name.clone(),
            PatientPlan::Existing(m) => m.first_name.clone(),
            PatientPlan::New {
                contact, member, ..
            } => {
                if member.species.is_some() {
                    contact.first_name.clone()
                } else {
                    member.first_name.clone()
                }
            }
        }
    }

    /// `First Last` of the patient (a pet: `Rex (dog)`), as the practice system shows it.
    pub fn display_name(&self) -> String {
        let (first, last, species) = match self {
            PatientPlan::Existing(m) => (&m.first_name, &m.last_name, &m.species),
            PatientPlan::New { member, .. } => {
                (&member.first_name, &member.last_name, &member.species)
            }
        };
        match species {
            Some(s) => format!("{first} {last} ({s})"),
            None => format!("{first} {last}"),
        }
    }

    /// The existing patient's id, if there is one.
    pub fn existing_id(&self) -> Option<PatientId> {
        match self {
            PatientPlan::Existing(m) => Some(m.id),
            PatientPlan::New { .. } => None,
        }
    }
}

/// A session that ran out (or never was): the patient looks themselves up again.
fn session_gone() -> DomainError {
    DomainError::Expired {
        code: ErrorCode::CodeExpired,
        message: "Your check has expired. Please look yourself up again to get a new code.".into(),
    }
}

/// Works out who a booking request is for, checking the verified session if it has one.
pub async fn resolve(
    db: &Db,
    catalog: &Catalog,
    req: &BookingRequest,
) -> DomainResult<PatientPlan> {
    let practice = &catalog.practice;
    let Some(verified) = &req.verified else {
        if practice.existing_patients_only {
            return Err(DomainError::field(
                "patient_type",
                &format!(
                    "{} books existing patients online. Please look yourself up with your phone or email first.",
                    practice.name
                ),
            ));
        }
        let (contact, member) = new_person(catalog, &req.patient)?;
        return Ok(PatientPlan::New {
            household: None,
            contact,
            member,
        });
    };
    let contact = patients::session_contact(
        db,
        practice.id,
        &hash_token(&verified.session),
        now_seconds(),
    )
    .await?
    .ok_or_else(session_gone)?;
    match verified.member {
        Some(id) => patients::member_of_contact(db, practice.id, &contact, id)
            .await?
            .map(PatientPlan::Existing)
            .ok_or_else(|| DomainError::NotFound("patient")),
        None => {
            let mut read = db.read.acquire().await?;
            let household = patients::household_of_contact(&mut read, practice.id, &contact)
                .await?
                .ok_or_else(session_gone)?;
            let (contact, member) = new_person(catalog, &req.patient)?;
            Ok(PatientPlan::New {
                household: Some(household.0),
                contact,
                member,
            })
        }
    }
}

/// The household contact and the new patient of a booking's details.
pub fn new_person(
    catalog: &Catalog,
    p: &PatientDetails,
) -> DomainResult<(NewHousehold, NewMember)> {
    let phone = crate::phone::to_e164(&p.phone, &catalog.practice.country)
        .map_err(|m| DomainError::field("patient.phone", &m))?;
    let email = normalize_email(&p.email)
        .map_err(|m| DomainError::field("patient.email", m))?
        .to_lowercase();
    if catalog.practice.kind == PracticeKind::Veterinary && p.pet.is_none() {
        return Err(DomainError::field(
            "patient.pet.name",
            "Tell us your pet's name and what kind of animal they are.",
        ));
    }
    let contact = NewHousehold {
        first_name: p.first_name.trim().to_string(),
        last_name: p.last_name.trim().to_string(),
        phone: phone.clone(),
        email: email.clone(),
    };
    let member = match &p.pet {
        Some(pet) => NewMember {
            first_name: pet.name.trim().to_string(),
            last_name: contact.last_name.clone(),
            date_of_birth: p.date_of_birth.trim().to_string(),
            phone,
            email,
            species: Some(pet.species.trim().to_lowercase()),
        },
        None => NewMember {
            first_name: contact.first_name.clone(),
            last_name: contact.last_name.clone(),
            date_of_birth: p.date_of_birth.trim().to_string(),
            phone,
            email,
            species: None,
        },
    };
    Ok((contact, member))
}
