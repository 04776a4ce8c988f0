//! The demo's procedure: a dental implant (consultation → surgery 7–21 days later with the
//! same dentist → crown 90–120 days after the surgery → follow-up 7–14 days after the crown),
//! booked online as one chain. Created once.

use super::practice::SeededPractice;
use crate::clock::now_seconds;
use crate::store::db::Db;
use crate::store::procedure_templates::{insert_template, templates};
use crate::store::seed::{self, NewReason};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::procedures::{ProcedureStepInput, ProcedureTemplateInput};

/// The implant's visits: name, minutes, room kind, sort order.
const VISITS: [(&str, &str, i64, Option<&str>); 3] = [
    (
        "Implant consultation",
        "We look at the site and plan your implant together.",
        30,
        None,
    ),
    (
        "Implant surgery",
        "The implant is placed under local anaesthetic.",
        90,
        Some("chair"),
    ),
    (
        "Crown placement",
        "Your new tooth is fitted on the healed implant.",
        60,
        Some("chair"),
    ),
];

/// Adds the implant's visits and the procedure to the demo practice, unless it has one.
pub async fn demo_implant(db: &Db, seeded: &SeededPractice) -> anyhow::Result<()> {
    let practice_id = seeded.practice_id;
    let (Some(&patel), Some(&okafor), Some(&checkup)) = (
        seeded.providers.get("Dr. Maya Patel"),
        seeded.providers.get("Dr. James Okafor"),
        seeded.reasons.get("Checkup"),
    ) else {
        return Ok(());
    };
    let now = now_seconds();
    db.write(write_unit!(|conn| {
        if !templates(conn, practice_id).await?.is_empty() {
            return Ok(WriteOutcome::Commit(()));
        }
        let mut ids = Vec::new();
        for (i, (name, description, minutes, room)) in VISITS.iter().enumerate() {
            let reason = NewReason {
                name,
                description,
                duration_min: *minutes,
                buffer_before_min: 0,
                buffer_after_min: 10,
                interval_min: 30,
                min_notice_min: 120,
                horizon_days: 90,
                eligibility: "both",
                operatory_kind: *room,
            };
            let order = 10 + i64::try_from(i).unwrap_or(0);
            ids.push(seed::reason(conn, practice_id, &reason, order, &[patel, okafor]).await?);
        }
        let step = |reason, gap: (u16, u16), same: Option<u8>| ProcedureStepInput {
            reason,
            gap_min_days: gap.0,
            gap_max_days: gap.1,
            same_provider_as: same,
        };
        let implant = ProcedureTemplateInput {
            name: "Dental implant".into(),
            description: "A new tooth in four visits over about four months.".into(),
            steps: vec![
                step(ids[0], (0, 0), None),
                step(ids[1], (7, 21), Some(1)),
                step(ids[2], (90, 120), None),
                step(checkup, (7, 14), None),
            ],
            bookable_online: true,
            active: true,
        };
        insert_template(conn, practice_id, &implant, now).await?;
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}
