//! The demo's patients: a family on file to try the returning-patient lookup with, and a
//! veterinary practice that books existing patients only (new patients send a request).

use super::practice::seed_demo_practice;
use crate::clock::now_seconds;
use crate::store::db::Db;
use crate::store::demo_seed;
use crate::store::patients::{self, NewHousehold, NewMember};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::model::PracticeId;

/// The family on file at the demo practice: look up this number to get a code.
pub const FAMILY_PHONE: &str = "+14155142233";
/// The pet owner on file at the demo veterinary practice.
pub const PET_OWNER_PHONE: &str = "+14155143344";
/// Slug of the demo veterinary practice.
pub const VET_SLUG: &str = "harbor-vet";

/// A household and its members: (first name, last name, date of birth, species).
type Members = &'static [(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
)];

async fn household(
    db: &Db,
    practice_id: PracticeId,
    contact: NewHousehold,
    members: Members,
) -> anyhow::Result<()> {
    let now = now_seconds();
    db.write(write_unit!(|conn| {
        if patients::household_of_contact(conn, practice_id, &contact.phone)
            .await?
            .is_some()
        {
            return Ok(WriteOutcome::Commit(()));
        }
        let id = patients::insert_household(conn, practice_id, &contact, now).await?;
        for (first, last, born, species) in members {
            let member = NewMember {
                first_name: (*first).into(),
                last_name: (*last).into(),
                date_of_birth: (*born).into(),
                phone: contact.phone.clone(),
                email: contact.email.clone(),
                species: species.map(str::to_string),
            };
            patients::insert_member(conn, practice_id, id, &member, now).await?;
        }
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}

/// The Rivera family (Jordan and Mia) at the demo practice; created once.
pub async fn demo_family(db: &Db, practice_id: PracticeId) -> anyhow::Result<()> {
    let contact = NewHousehold {
        first_name: "Jordan".into(),
        last_name: "Rivera".into(),
        phone: FAMILY_PHONE.into(),
        email: "jordan.rivera@example.com".into(),
    };
    let members: Members = &[
        ("Jordan", "Rivera", "1985-06-14", None),
        ("Mia", "Rivera", "2015-09-02", None),
    ];
    household(db, practice_id, contact, members).await
}

/// Harbor Veterinary Clinic: veterinary, existing patients only, with Sam Lee's two pets on
/// file. Returns its practice id.
pub async fn demo_vet_practice(db: &Db, allowed_origins: &[String]) -> anyhow::Result<PracticeId> {
    let seeded =
        seed_demo_practice(db, VET_SLUG, "Harbor Veterinary Clinic", allowed_origins).await?;
    {
        let mut conn = db.write.acquire().await?;
        demo_seed::make_veterinary(&mut conn, seeded.practice_id).await?;
    }
    let contact = NewHousehold {
        first_name: "Sam".into(),
        last_name: "Lee".into(),
        phone: PET_OWNER_PHONE.into(),
        email: "sam.lee@example.com".into(),
    };
    let pets: Members = &[
        ("Biscuit", "Lee", "2019-04-01", Some("dog")),
        ("Pepper", "Lee", "", Some("cat")),
    ];
    household(db, seeded.practice_id, contact, pets).await?;
    Ok(seeded.practice_id)
}
