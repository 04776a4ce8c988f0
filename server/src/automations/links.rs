//! Personal booking links: made for a recall or a no-show, opened by the patient (who is
//! known, since the link reached their phone or email), and counted when they book through it.

use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::store::automations::{self as store, LinkRow, NewLink};
use crate::store::db::Db;
use crate::store::patients;
use crate::store::procedure_links;
use crate::store::write_batch::WriteOutcome;
use crate::tokens::{hash_token, new_token};
use crate::write_unit;
use slotwise_shared::api::InsuranceChoice;
use slotwise_shared::automations::{LinkKind, OpenedLink};
use slotwise_shared::error::ErrorCode;
use slotwise_shared::model::{CarrierId, PatientId, PracticeId};
use slotwise_shared::patients::{HouseholdMember, VerifiedHousehold};
use sqlx::AnyConnection;

/// How long a personal link works.
pub const LINK_DAYS: i64 = 30;

/// The page a link opens.
pub fn link_url(public_url: &str, slug: &str, token: &str) -> String {
    format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        slotwise_shared::paths::personal_link_page(slug, token)
    )
}

/// Writes a new link (unless its cause has one) and returns its token.
pub async fn create(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    link: &NewLink,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let token = new_token();
    Ok(insert(conn, practice_id, &token, link, now)
        .await?
        .then_some(token))
}

/// Writes a new link with a token made beforehand (so its message could be written outside
/// the write); `false` when its cause has one already.
pub async fn insert(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    token: &str,
    link: &NewLink,
    now: i64,
) -> Result<bool, sqlx::Error> {
    store::insert_link(conn, practice_id, &hash_token(token), link, now).await
}

/// 410 for a link that can no longer book.
fn gone(message: &str) -> DomainError {
    DomainError::Expired {
        code: ErrorCode::LinkExpired,
        message: message.into(),
    }
}

async fn find(db: &Db, practice_id: PracticeId, token: &str) -> DomainResult<Option<LinkRow>> {
    if token.len() > 200 {
        return Ok(None);
    }
    let mut conn = db.read.acquire().await?;
    Ok(store::link_by_token(&mut conn, practice_id, &hash_token(token)).await?)
}

/// A patient opened their link: notes it, and answers who they are with a booking session.
pub async fn open(db: &Db, catalog: &Catalog, token: &str) -> DomainResult<OpenedLink> {
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let link = find(db, practice_id, token)
        .await?
        .ok_or_else(|| DomainError::NotFound("link"))?;
    if link.booked_appointment_id.is_some() {
        return Err(gone("api.link.used"));
    }
    if link.expires_at <= now {
        return Err(gone("api.link.expired"));
    }
    let link_id = link.id;
    let (household, insurance) =
        known_patient(db, catalog, link.patient_id, OpenedBy::Link(link_id)).await?;
    Ok(OpenedLink {
        kind: LinkKind::parse(&link.kind).unwrap_or(LinkKind::Recall),
        reason: link.reason_id,
        member: link.patient_id,
        household,
        insurance,
        procedure: None,
    })
}

/// Which personal link was opened (noted in the unit that starts the booking session).
#[derive(Clone, Copy, Debug)]
pub enum OpenedBy {
    /// A recall or rebooking link.
    Link(i64),
    /// A procedure link.
    ProcedureLink(i64),
}

/// The patient a personal link was sent to, as a verified household of one with a new
/// booking session (started in the unit that notes the link opened), and how they paid last.
pub async fn known_patient(
    db: &Db,
    catalog: &Catalog,
    patient_id: PatientId,
    opened: OpenedBy,
) -> DomainResult<(VerifiedHousehold, Option<InsuranceChoice>)> {
    let practice_id = catalog.practice.id;
    let now = now_seconds();
    let member = patients::member(db, practice_id, patient_id)
        .await?
        .ok_or_else(|| gone("api.link.gone"))?;
    let contact = if member.phone.is_empty() {
        member.email.clone()
    } else {
        member.phone.clone()
    };
    let session = new_token();
    let session_hash = hash_token(&session);
    db.write(write_unit!(|conn| {
        patients::insert_session(conn, practice_id, &session_hash, &contact, now).await?;
        match opened {
            OpenedBy::Link(id) => store::mark_opened(conn, id, now).await?,
            OpenedBy::ProcedureLink(id) => procedure_links::mark_opened(conn, id, now).await?,
        }
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    let insurance = {
        let mut conn = db.read.acquire().await?;
        store::last_insurance(&mut conn, practice_id, patient_id).await?
    }
    .and_then(|(carrier, self_pay, member_id)| match (carrier, self_pay) {
        (Some(c), _) if catalog.carrier(CarrierId(c)).is_some() => Some(InsuranceChoice::Carrier {
            carrier: CarrierId(c),
            member_id,
        }),
        (None, 1) => Some(InsuranceChoice::SelfPay),
        _ => None,
    });
    let household = VerifiedHousehold {
        patient_session: session,
        members: vec![HouseholdMember {
            id: member.id,
            first_name: member.first_name.clone(),
            last_name: member.last_name.clone(),
            species: member.species.clone(),
        }],
        contact_first_name: member.contact_first_name.clone(),
    };
    Ok((household, insurance))
}

/// The link a booking came through, if it still counts: the practice's, not used, not
/// expired, and for the patient being booked. Returns its id and the booking's source.
pub async fn for_booking(
    db: &Db,
    practice_id: PracticeId,
    token: &str,
    patient_id: Option<PatientId>,
) -> DomainResult<Option<(i64, &'static str)>> {
    let Some(link) = find(db, practice_id, token).await? else {
        return Ok(None);
    };
    let counts = link.booked_appointment_id.is_none()
        && link.expires_at > now_seconds()
        && patient_id == Some(link.patient_id);
    Ok(counts.then(|| {
        let kind = LinkKind::parse(&link.kind).unwrap_or(LinkKind::Recall);
        (link.id, kind.as_str())
    }))
}
