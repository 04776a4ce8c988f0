//! The practice's team as owners and admins manage it: every account with whether it is
//! disabled, and disabling or enabling one (its sessions end with the change).

use crate::store::db::Db;
use slotwise_shared::model::PracticeId;
use sqlx::{AnyConnection, FromRow};

/// A staff member.
#[derive(Clone, Debug, FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    /// When the account was disabled; `None` while it may sign in.
    pub disabled_at: Option<i64>,
}

/// The practice's accounts, enabled first, then by name.
pub async fn list_staff(db: &Db, practice_id: PracticeId) -> Result<Vec<StaffRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, name, role, disabled_at FROM staff_users
         WHERE practice_id = $1
         ORDER BY CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END, name, id",
    )
    .bind(practice_id)
    .fetch_all(&db.read)
    .await
}

/// One account of the practice: (role, disabled at); `None` for another practice's id.
pub async fn account(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    staff_id: i64,
) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT role, disabled_at FROM staff_users WHERE id = $1 AND practice_id = $2")
        .bind(staff_id)
        .bind(practice_id)
        .fetch_optional(&mut *conn)
        .await
}

/// How many enabled owners the practice has besides `except`.
pub async fn other_enabled_owners(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    except: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_users
         WHERE practice_id = $1 AND role = 'owner' AND disabled_at IS NULL AND id <> $2",
    )
    .bind(practice_id)
    .bind(except)
    .fetch_one(&mut *conn)
    .await
}

/// Disables an account (at `now`; its sessions are deleted in the same unit) or, with
/// `None`, enables it again.
pub async fn set_disabled(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    staff_id: i64,
    disabled_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff_users SET disabled_at = $1, failed_logins = 0, locked_until = NULL
         WHERE id = $2 AND practice_id = $3",
    )
    .bind(disabled_at)
    .bind(staff_id)
    .bind(practice_id)
    .execute(&mut *conn)
    .await?;
    if disabled_at.is_some() {
        sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
            .bind(staff_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
