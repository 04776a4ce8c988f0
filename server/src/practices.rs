//! Creating a new practice (`slotwise practice create`): the tenant with one location, ready to
//! be set up in the staff console.

use crate::clock::now_seconds;
use crate::store::db::Db;
use crate::store::seed::{self, NewPractice};
use anyhow::{bail, Context};
use jiff::tz::TimeZone;
use slotwise_shared::model::PracticeId;
use slotwise_shared::validate::is_valid_slug;

/// Creates the practice `slug` with a first location; returns its id.
pub async fn create_practice(
    db: &Db,
    slug: &str,
    name: &str,
    timezone: &str,
    phone: &str,
) -> anyhow::Result<PracticeId> {
    if !is_valid_slug(slug) {
        bail!("the slug must be 1–64 lower-case letters, digits or dashes (it appears in links)");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        bail!("the name must have 1–120 characters");
    }
    TimeZone::get(timezone)
        .with_context(|| format!("{timezone:?} is not a time zone like America/New_York"))?;
    let mut tx = db.begin_write().await?;
    if crate::store::practices::id_by_slug(&mut tx, slug)
        .await?
        .is_some()
    {
        bail!("a practice with the slug {slug:?} exists");
    }
    let id = seed::practice(
        &mut tx,
        &NewPractice {
            slug,
            name,
            phone: phone.trim(),
            timezone,
            accent_color: "#0f766e",
            hold_minutes: 10,
            existing_patients_only: false,
            confirmation_text: "",
            out_of_network_text: "",
            allowed_origins: "",
        },
        now_seconds(),
    )
    .await?;
    seed::location(&mut tx, id, "Main office", "", timezone).await?;
    tx.commit().await?;
    Ok(id)
}
