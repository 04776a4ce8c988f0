//! Creating staff accounts (the `slotwise staff create` command, the demo, owners in the
//! console).

use super::passwords::{self, weakness};
use crate::clock::now_seconds;
use crate::store::db::Db;
use crate::store::staff;
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use anyhow::Context;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::model::PracticeId;
use slotwise_shared::validate::normalize_email;

/// Why an account could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewStaffError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("an account with this email already exists")]
    Taken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Checks the details and creates the account in practice `practice_id`; returns its id.
pub async fn create_staff(
    db: &Db,
    practice_id: PracticeId,
    email: &str,
    name: &str,
    role: StaffRole,
    password: &str,
) -> Result<i64, NewStaffError> {
    let email = normalize_email(email)
        .map_err(|m| NewStaffError::Invalid {
            field: "email",
            message: slotwise_shared::lang::DEFAULT.render(m),
        })?
        .to_lowercase();
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(NewStaffError::Invalid {
            field: "name",
            message: "Enter a name of up to 100 characters.".into(),
        });
    }
    if let Some(message) = weakness(password) {
        return Err(NewStaffError::Invalid {
            field: "password",
            message,
        });
    }
    let hash = passwords::hash(password.to_string()).await?;
    let now = now_seconds();
    let id = db
        .write(write_unit!(|conn| {
            let id =
                staff::insert_staff(conn, practice_id, &email, &name, role.as_str(), &hash, now)
                    .await?;
            Ok(WriteOutcome::Commit(id))
        }))
        .await
        .map_err(|e| {
            // Two requests for the same new email at once: the database keeps one.
            if crate::store::db::is_unique_violation(&e) {
                NewStaffError::Taken
            } else {
                NewStaffError::Other(anyhow::Error::new(e).context("saving the account"))
            }
        })?;
    id.ok_or(NewStaffError::Taken)
}

/// Sets a new password for the account with `email` (for `slotwise staff password`).
pub async fn reset_password(db: &Db, email: &str, password: &str) -> anyhow::Result<()> {
    if let Some(message) = weakness(password) {
        anyhow::bail!("password: {message}");
    }
    let email = email.trim().to_lowercase();
    let login = staff::find_login(db, &email)
        .await?
        .with_context(|| format!("no account with the email {email:?}"))?;
    let hash = passwords::hash(password.to_string()).await?;
    db.write(write_unit!(|conn| {
        staff::set_password(conn, login.id, &hash).await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}
