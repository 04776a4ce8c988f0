//! Everything that exists only for the demo and the benchmarks: the demo practices and their
//! history, the demo host page, and the benchmark practice. The product never calls into it;
//! the `slotwise demo` and `slotwise seed-bench` commands and the tests do.

pub mod automations;
pub mod bench;
pub mod console;
pub mod day;
pub mod host;
pub mod patients;
pub mod practice;
pub mod procedures;

use crate::api_keys::create_api_key;
use crate::store::db::Db;
pub use practice::{seed_demo_practice, SeededPractice, DEMO_SLUG, TZ};

/// Creates the demo practices (idempotent: a second run only updates the allowed origins)
/// and returns what to tell the person who ran it.
pub async fn create(db: &Db, allowed_origins: &[String]) -> anyhow::Result<Vec<String>> {
    let seeded = seed_demo_practice(db, DEMO_SLUG, "Brightside Dental", allowed_origins).await?;
    let key = create_api_key(db, DEMO_SLUG, "demo").await?;
    let login = console::demo_staff(db, seeded.practice_id).await?;
    patients::demo_family(db, seeded.practice_id).await?;
    patients::demo_vet_practice(db, allowed_origins).await?;
    automations::demo_history(db, &seeded, TZ).await?;
    procedures::demo_implant(db, &seeded).await?;
    day::demo_week(db, &seeded).await?;
    let first = if seeded.created {
        format!("Created the demo practice \"{DEMO_SLUG}\".")
    } else {
        format!("The demo practice \"{DEMO_SLUG}\" already exists; allowed origins updated.")
    };
    Ok(vec![
        first,
        format!(
            "Staff console login: {} / {} (owner; front desk: {} / same password)",
            login.owner_email, login.password, login.front_desk_email
        ),
        "Returning patient: look up +1 415 514 2233 (the Rivera family) in the widget; \
         the 6-digit code is printed in the server log (messages stay on this machine)."
            .to_string(),
        format!(
            "Existing-patients-only veterinary practice: /book/{} (new patients send a request; \
             pet owner on file: +1 415 514 3344)",
            patients::VET_SLUG
        ),
        "Automations: four patients are due for a hygiene recall (last cleaning seven months \
         ago) and the Riveras have visits in the next days: in the console, add a recall \
         rule under Automations → Recall, or preview and send a broadcast."
            .to_string(),
        "Procedures: patients book the four visits of a dental implant as one chain in the \
         widget (\"Treatments of several visits\"); staff follow them under Front desk → Procedures."
            .to_string(),
        "Schedule: the week is filled with visits; in the console, Front desk → Schedule shows \
         the day per provider: click a visit for its actions, or free time to book a patient or \
         offer it to the waitlist (two patients wait)."
            .to_string(),
        format!("Practice API key (admin API; shown once): {key}"),
        format!(
            "  e.g. curl -H 'Authorization: Bearer {key}' http://127.0.0.1:8080/api/v1/admin/messages"
        ),
    ])
}
