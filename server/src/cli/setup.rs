//! The setup commands: practices, their staff accounts and API keys.

use super::{with_db, Database};
use crate::api_keys;
use crate::practices;
use crate::staff::accounts;
use crate::store::practices::require_slug;
use clap::Subcommand;
use slotwise_shared::admin::StaffRole;

#[derive(Subcommand)]
pub enum PracticeCommand {
    /// Create a practice with one location ("Main office").
    Create {
        #[command(flatten)]
        db: Database,
        /// Public name in links, e.g. `riverside-vets`.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. America/Chicago.
        #[arg(long)]
        timezone: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Create a staff account (e.g. the practice's first owner). Without a password one is
    /// generated and printed once.
    Create {
        #[command(flatten)]
        db: Database,
        /// The practice's slug.
        #[arg(long)]
        practice: String,
        /// Login email.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// owner, admin or front_desk.
        #[arg(long, default_value = "owner", value_parser = role)]
        role: StaffRole,
        /// At least 10 characters (or set SLOTWISE_STAFF_PASSWORD).
        #[arg(long, env = "SLOTWISE_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a new password for an account (ends its sessions and lifts a lockout).
    Password {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        email: String,
        #[arg(long, env = "SLOTWISE_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

/// `slotwise api-key`: prints the new key (acting with `role`) once.
pub async fn api_key(
    db: &Database,
    practice: &str,
    label: &str,
    role: StaffRole,
) -> anyhow::Result<()> {
    let key = with_db(db, async |db| {
        api_keys::create_api_key_with_role(db, practice, label, role).await
    })
    .await?;
    println!("{key}");
    Ok(())
}

/// `slotwise practice create`.
pub async fn practice(command: PracticeCommand) -> anyhow::Result<()> {
    let PracticeCommand::Create {
        db,
        slug,
        name,
        timezone,
        phone,
    } = command;
    with_db(&db, async |db| {
        practices::create_practice(db, &slug, &name, &timezone, &phone).await
    })
    .await?;
    println!("Created the practice \"{slug}\". Next: slotwise staff create --practice {slug} --email … --name …");
    Ok(())
}

/// `slotwise staff create | password`.
pub async fn staff(command: StaffCommand) -> anyhow::Result<()> {
    match command {
        StaffCommand::Create {
            db,
            practice,
            email,
            name,
            role,
            password,
        } => {
            let (password, generated) = chosen(password);
            with_db(&db, async |db| {
                let practice_id = require_slug(db, &practice).await?;
                accounts::create_staff(db, practice_id, &email, &name, role, &password)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))
            })
            .await?;
            println!(
                "Created {} ({}) for {practice}.",
                email.trim(),
                role.label()
            );
            print_generated(&password, generated);
        }
        StaffCommand::Password {
            db,
            email,
            password,
        } => {
            let (password, generated) = chosen(password);
            with_db(&db, async |db| {
                accounts::reset_password(db, &email, &password).await
            })
            .await?;
            println!("New password set for {}.", email.trim());
            print_generated(&password, generated);
        }
    }
    Ok(())
}

/// The given password, or a random one that passes the rules (`true`: generated).
fn chosen(given: Option<String>) -> (String, bool) {
    match given {
        Some(p) => (p, false),
        None => (crate::tokens::new_token().chars().take(20).collect(), true),
    }
}

/// Prints a password the command generated (given ones are never echoed).
fn print_generated(password: &str, generated: bool) {
    if generated {
        println!("Password (shown once): {password}");
    }
}

/// A staff role by its stored name.
pub(super) fn role(text: &str) -> Result<StaffRole, String> {
    StaffRole::parse(text).ok_or_else(|| "role must be owner, admin or front_desk".to_string())
}
