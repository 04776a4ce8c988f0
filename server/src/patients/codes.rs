//! The returning-patient lookup: a one-time code sent through the outbox, then checked.
//!
//! Known and unknown contacts are treated alike: the lookup answers before it knows whether
//! the contact is on file (the work happens after the answer), and unknown contacts get a code
//! row too, one nobody receives, so wrong tries and lockouts behave the same.

use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::notify::context::MessageContext;
use crate::notify::enqueue::{enqueue, Queue, Recipient};
use crate::store::db::{Backend, Db};
use crate::store::patients;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, hex, new_token};
use crate::write_unit;
use rand::Rng;
use sha2::{Digest, Sha256};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::lang::Language;
use slotwise_shared::messages::MessageEvent;
use slotwise_shared::model::PracticeId;
use slotwise_shared::patients::{
    HouseholdMember, LookupAccepted, VerifiedHousehold, CODE_ATTEMPTS, CODE_DIGITS, CODE_MINUTES,
};
use slotwise_shared::validate::normalize_email;

/// Codes one contact may be sent per hour; lookups beyond it change nothing.
const CODES_PER_HOUR: i64 = 5;
/// Wrong codes of a contact count for this long (across codes): five lock it out for as long.
const LOCK_SECONDS: i64 = 15 * 60;
/// A phone number (E.164; national numbers read in `phone_country`) or an email address,
/// normalised; the same field error otherwise.
pub fn normalize_contact(value: &str, phone_country: &str) -> DomainResult<String> {
    let value = value.trim();
    let normalized = if value.contains('@') {
        normalize_email(value)
            .map(|e| e.to_lowercase())
            .map_err(drop)
    } else {
        crate::phone::to_e164(value, phone_country).map_err(drop)
    };
    normalized.map_err(|()| {
        DomainError::field(
            "contact",
            if phone_country.is_empty() {
                "api.contact.international"
            } else {
                "api.contact.national"
            },
        )
    })
}

/// The one answer of every well-formed lookup, in `language`.
pub fn lookup_accepted(language: &Language) -> LookupAccepted {
    LookupAccepted {
        message: language.say("api.lookup.sent", &[]),
        code_digits: CODE_DIGITS as u32,
        expires_in_minutes: CODE_MINUTES,
    }
}

/// A 64-bit lock key of a practice's contact.
fn contact_lock_key(practice_id: PracticeId, contact: &str) -> i64 {
    let digest = Sha256::digest(format!("patient-code:{practice_id}:{contact}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

fn hash_code(salt: &str, code: &str) -> String {
    hex(&Sha256::digest(format!("{salt}:{code}").as_bytes()))
}

fn salted_hash(code: &str) -> String {
    let salt = hex(&rand::rng().random::<[u8; 16]>());
    format!("{salt}${}", hash_code(&salt, code))
}

fn code_matches(stored: &str, code: &str) -> bool {
    stored
        .split_once('$')
        .is_some_and(|(salt, hash)| hash_code(salt, code) == hash)
}

/// Stores a code for `contact` and, when a household has that contact, queues it to them: in
/// `language` (the one the patient is reading), else the household's.
pub async fn issue_code(
    db: &Db,
    catalog: &Catalog,
    contact: String,
    language: Option<&'static Language>,
) -> Result<(), sqlx::Error> {
    let now = now_seconds();
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let code_hash = salted_hash(&code);
    let practice_id = catalog.practice.id;
    let context = MessageContext {
        clinic_name: catalog.practice.name.clone(),
        clinic_phone: catalog.practice.phone.clone(),
        code,
        ..MessageContext::default()
    };
    let postgres = db.backend == Backend::Postgres;
    let lock_key = contact_lock_key(practice_id, &contact);
    db.write(write_unit!(|conn| {
        // Lookups of one contact take turns, so the hourly limit holds under concurrency
        // (SQLite's single writer already serialises them).
        crate::store::db::lock_key(conn, postgres, lock_key).await?;
        let recent = patients::codes_since(conn, practice_id, &contact, now - 3600).await?;
        let wrong =
            patients::wrong_attempts_since(conn, practice_id, &contact, now - LOCK_SECONDS).await?;
        if recent >= CODES_PER_HOUR || wrong >= i64::from(CODE_ATTEMPTS) {
            return Ok(WriteOutcome::Commit(()));
        }
        let household = patients::household_of_contact(conn, practice_id, &contact).await?;
        let expires_at = now + i64::from(CODE_MINUTES) * 60;
        let household_id = household.as_ref().map(|h| h.0);
        patients::insert_code(
            conn,
            practice_id,
            &contact,
            household_id,
            &code_hash,
            expires_at,
            now,
        )
        .await?;
        if let Some((_, first_name, patient_id)) = household {
            // Only to the address the patient typed: the code proves they hold it.
            let is_email = contact.contains('@');
            let recipient = Recipient {
                patient_id,
                phone: if is_email {
                    String::new()
                } else {
                    contact.clone()
                },
                email: if is_email {
                    contact.clone()
                } else {
                    String::new()
                },
                language,
            };
            let context = MessageContext {
                patient_first_name: first_name,
                ..context
            };
            let queue = Queue {
                practice_id,
                appointment_id: None,
                recipient: &recipient,
                event: MessageEvent::VerificationCode,
                context: &context,
                send_after: now,
                dedupe_key: None,
            };
            enqueue(conn, &queue, now).await?;
        }
        Ok(WriteOutcome::Commit(()))
    }))
    .await
}

/// How a code check ended.
enum Checked {
    Verified(String),
    Wrong(i64),
    Locked,
    Expired,
}

/// Checks a code; on success, the contact's household and a session to book with.
pub async fn verify_code(
    db: &Db,
    catalog: &Catalog,
    contact: &str,
    code: &str,
) -> DomainResult<VerifiedHousehold> {
    let contact = normalize_contact(contact, &catalog.practice.country)?;
    let code = code.trim().to_string();
    if code.len() != CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::field("code", "api.code.format"));
    }
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let session = new_token();
    let session_hash = hash_token(&session);
    let checked_contact = contact.clone();
    let postgres = db.backend == Backend::Postgres;
    let lock_key = contact_lock_key(practice_id, &contact);
    let checked = db
        .write(write_unit!(|conn| {
            let contact = checked_contact;
            // One check of a contact at a time: parallel guesses are counted one by one.
            crate::store::db::lock_key(conn, postgres, lock_key).await?;
            // Wrong tries count per contact across codes: a new code does not reset them.
            let wrong =
                patients::wrong_attempts_since(conn, practice_id, &contact, now - LOCK_SECONDS)
                    .await?;
            let max = i64::from(CODE_ATTEMPTS);
            if wrong >= max {
                return Ok(WriteOutcome::Commit(Checked::Locked));
            }
            let Some(row) = patients::latest_code(conn, practice_id, &contact).await? else {
                return Ok(WriteOutcome::Commit(Checked::Wrong(max - wrong)));
            };
            if row.used_at.is_some() || row.expires_at <= now {
                return Ok(WriteOutcome::Commit(Checked::Expired));
            }
            // An unknown contact's code was never sent: no guess can be right.
            let known = patients::household_of_contact(conn, practice_id, &contact)
                .await?
                .is_some();
            if !known || !code_matches(&row.code_hash, &code) {
                patients::count_attempt(conn, row.id).await?;
                let left = max - wrong - 1;
                return Ok(WriteOutcome::Commit(if left <= 0 {
                    Checked::Locked
                } else {
                    Checked::Wrong(left)
                }));
            }
            if !patients::use_code(conn, row.id, now).await? {
                return Ok(WriteOutcome::Commit(Checked::Expired));
            }
            patients::insert_session(conn, practice_id, &session_hash, &contact, now).await?;
            Ok(WriteOutcome::Commit(Checked::Verified(contact)))
        }))
        .await?;
    match checked {
        Checked::Verified(contact) => household_view(db, practice_id, &contact, session).await,
        Checked::Wrong(1) => Err(DomainError::field("code", "api.code.wrong_one")),
        Checked::Wrong(left) => Err(DomainError::field(
            "code",
            &format!("api.code.wrong_many|left={left}"),
        )),
        Checked::Locked => Err(DomainError::TooManyTries("api.code.locked".into())),
        Checked::Expired => Err(DomainError::Expired {
            code: ErrorCode::CodeExpired,
            message: "api.code.expired".into(),
        }),
    }
}

async fn household_view(
    db: &Db,
    practice_id: PracticeId,
    contact: &str,
    session: String,
) -> DomainResult<VerifiedHousehold> {
    let members = patients::members_of_contact(db, practice_id, contact).await?;
    let contact_first_name = members
        .last()
        .map(|m| m.contact_first_name.clone())
        .unwrap_or_default();
    Ok(VerifiedHousehold {
        patient_session: session,
        contact_first_name,
        members: members
            .into_iter()
            .map(|m| HouseholdMember {
                id: m.id,
                first_name: m.first_name,
                last_name: m.last_name,
                species: m.species,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stored_salted_and_only_their_own_code_matches() {
        let stored = salted_hash("123456");
        assert!(!stored.contains("123456"));
        assert!(code_matches(&stored, "123456"));
        assert!(!code_matches(&stored, "123457"));
        assert_ne!(stored, salted_hash("123456"));
    }

    #[test]
    fn contacts_are_phones_or_emails() {
        assert_eq!(
            normalize_contact(" +1 (415) 510-0123 ", "").ok().as_deref(),
            Some("+14155100123")
        );
        assert_eq!(
            normalize_contact("(415) 510-0123", "US").ok().as_deref(),
            Some("+14155100123")
        );
        assert_eq!(
            normalize_contact("Ana@Example.com", "US").ok().as_deref(),
            Some("ana@example.com")
        );
        assert!(normalize_contact("ana", "US").is_err());
        assert!(normalize_contact("(415) 510-0123", "").is_err());
    }
}
