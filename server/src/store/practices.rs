//! Practices by slug or id: the one lookup every command, job and page uses.

use super::db::Db;
use slotwise_shared::model::PracticeId;
use sqlx::AnyConnection;

/// The practice with a slug, if any.
pub async fn id_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<PracticeId>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM practices WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(id.map(PracticeId))
}

/// The id of the practice with a slug, or an error that names the slug (for commands).
pub async fn require_slug(db: &Db, slug: &str) -> anyhow::Result<PracticeId> {
    let mut conn = db.read.acquire().await?;
    id_by_slug(&mut conn, slug)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no practice with the slug {slug:?}"))
}

/// A practice's slug.
pub async fn slug_of(db: &Db, id: PracticeId) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM practices WHERE id = $1")
        .bind(id.0)
        .fetch_one(&db.read)
        .await
}

/// A practice's name and default language (a code of `shared/lang`).
pub async fn name_and_language_of(
    db: &Db,
    id: PracticeId,
) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as("SELECT name, default_lang FROM practices WHERE id = $1")
        .bind(id.0)
        .fetch_one(&db.read)
        .await
}
