//! Disabling and enabling staff accounts: never your own account, never one whose role is
//! above yours, never the practice's last enabled owner. Decided inside the unit of writes that
//! makes the change, so two owners disabling each other at once cannot leave none.

use crate::store::db::lock_key;
use crate::store::team;
use sha2::{Digest, Sha256};
use slotwise_shared::admin::StaffRole;
use slotwise_shared::model::PracticeId;
use sqlx::AnyConnection;

/// Why an account was left as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamRefusal {
    /// No such account in the caller's practice.
    NotFound,
    /// The account's role is above the caller's.
    AboveYou,
    /// Disabling the caller's own account.
    Yourself,
    /// Disabling the practice's last enabled owner.
    LastOwner,
}

/// Who asks: their role and, for a staff session, their own account.
#[derive(Clone, Copy, Debug)]
pub struct Caller {
    pub role: StaffRole,
    pub staff_id: Option<i64>,
}

/// The 64-bit key of a practice's team lock (PostgreSQL advisory lock).
fn team_lock_key(practice_id: PracticeId) -> i64 {
    let digest = Sha256::digest(format!("staff-team:{practice_id}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// Disables (`disable`, at `now`: its sessions are deleted with it) or enables account
/// `staff_id` of `practice_id` for `caller`, on the unit's connection. Already in that state is
/// not a refusal. On PostgreSQL the practice's team changes take turns first.
pub async fn set_disabled(
    conn: &mut AnyConnection,
    postgres: bool,
    practice_id: PracticeId,
    staff_id: i64,
    disable: bool,
    caller: Caller,
    now: i64,
) -> Result<Result<(), TeamRefusal>, sqlx::Error> {
    lock_key(conn, postgres, team_lock_key(practice_id)).await?;
    let Some((role, disabled_at)) = team::account(conn, practice_id, staff_id).await? else {
        return Ok(Err(TeamRefusal::NotFound));
    };
    // An unknown stored role counts as the highest, so only owners touch it.
    let role = StaffRole::parse(&role).unwrap_or(StaffRole::Owner);
    if role > caller.role {
        return Ok(Err(TeamRefusal::AboveYou));
    }
    if disabled_at.is_some() == disable {
        return Ok(Ok(()));
    }
    if disable {
        if caller.staff_id == Some(staff_id) {
            return Ok(Err(TeamRefusal::Yourself));
        }
        if role == StaffRole::Owner
            && team::other_enabled_owners(conn, practice_id, staff_id).await? == 0
        {
            return Ok(Err(TeamRefusal::LastOwner));
        }
    }
    team::set_disabled(conn, practice_id, staff_id, disable.then_some(now)).await?;
    Ok(Ok(()))
}
