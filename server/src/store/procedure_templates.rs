//! SQL of procedure templates: a treatment's named steps, each a reason for visit with its
//! day window after the step before.

use slotwise_shared::model::{PracticeId, ProcedureTemplateId, ReasonId};
use slotwise_shared::procedures::{
    ProcedureStepInput, ProcedureTemplateInput, ProcedureTemplateView,
};
use sqlx::{AnyConnection, FromRow};

#[derive(FromRow)]
struct TemplateRow {
    id: i64,
    name: String,
    description: String,
    bookable_online: i64,
    active: i64,
}

#[derive(FromRow)]
struct StepRow {
    template_id: i64,
    reason_id: i64,
    gap_min_days: i64,
    gap_max_days: i64,
    same_provider_as: Option<i64>,
}

fn step_input(row: &StepRow) -> ProcedureStepInput {
    ProcedureStepInput {
        reason: ReasonId(row.reason_id),
        gap_min_days: u16::try_from(row.gap_min_days).unwrap_or(0),
        gap_max_days: u16::try_from(row.gap_max_days).unwrap_or(0),
        same_provider_as: row.same_provider_as.and_then(|p| u8::try_from(p).ok()),
    }
}

/// The practice's templates (not deleted) with their steps, oldest first.
pub async fn templates(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
) -> Result<Vec<ProcedureTemplateView>, sqlx::Error> {
    let rows: Vec<TemplateRow> = sqlx::query_as(
        "SELECT id, name, description, bookable_online, active FROM procedure_templates
         WHERE practice_id = $1 AND deleted_at IS NULL ORDER BY id",
    )
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT s.template_id, s.reason_id, s.gap_min_days, s.gap_max_days, s.same_provider_as
         FROM procedure_template_steps s JOIN procedure_templates t ON t.id = s.template_id
         WHERE t.practice_id = $1 AND t.deleted_at IS NULL
         ORDER BY s.template_id, s.position",
    )
    .bind(practice_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|t| ProcedureTemplateView {
            id: ProcedureTemplateId(t.id),
            input: ProcedureTemplateInput {
                steps: steps
                    .iter()
                    .filter(|s| s.template_id == t.id)
                    .map(step_input)
                    .collect(),
                name: t.name,
                description: t.description,
                bookable_online: t.bookable_online != 0,
                active: t.active != 0,
            },
        })
        .collect())
}

/// One template of the practice (not deleted).
pub async fn template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: ProcedureTemplateId,
) -> Result<Option<ProcedureTemplateView>, sqlx::Error> {
    Ok(templates(conn, practice_id)
        .await?
        .into_iter()
        .find(|t| t.id == id))
}

/// Whether another template of the practice (not `except`) has this name, in any case.
pub async fn name_taken(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    name: &str,
    except: Option<ProcedureTemplateId>,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM procedure_templates
         WHERE practice_id = $1 AND deleted_at IS NULL AND LOWER(name) = LOWER($2) AND id <> $3
         LIMIT 1",
    )
    .bind(practice_id)
    .bind(name.trim())
    .bind(except.map_or(0, |id| id.0))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Adds a template (already checked); returns its id.
pub async fn insert_template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    t: &ProcedureTemplateInput,
    now: i64,
) -> Result<ProcedureTemplateId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO procedure_templates (practice_id, name, description, bookable_online,
             active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(practice_id)
    .bind(t.name.trim())
    .bind(t.description.trim())
    .bind(i64::from(t.bookable_online))
    .bind(i64::from(t.active))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    insert_steps(conn, id, &t.steps).await?;
    Ok(ProcedureTemplateId(id))
}

async fn insert_steps(
    conn: &mut AnyConnection,
    template_id: i64,
    steps: &[ProcedureStepInput],
) -> Result<(), sqlx::Error> {
    for (k, step) in steps.iter().enumerate() {
        let first = k == 0;
        sqlx::query(
            "INSERT INTO procedure_template_steps (template_id, position, reason_id,
                 gap_min_days, gap_max_days, same_provider_as)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(template_id)
        .bind(i64::try_from(k + 1).unwrap_or(i64::MAX))
        .bind(step.reason.0)
        .bind(if first {
            0
        } else {
            i64::from(step.gap_min_days)
        })
        .bind(if first {
            0
        } else {
            i64::from(step.gap_max_days)
        })
        .bind(step.same_provider_as.map(i64::from))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Changes a template (already checked); procedures under way keep their own steps. False for
/// an unknown template.
pub async fn update_template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: ProcedureTemplateId,
    t: &ProcedureTemplateInput,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE procedure_templates SET name = $3, description = $4, bookable_online = $5,
             active = $6, updated_at = $7
         WHERE practice_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(practice_id)
    .bind(id.0)
    .bind(t.name.trim())
    .bind(t.description.trim())
    .bind(i64::from(t.bookable_online))
    .bind(i64::from(t.active))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM procedure_template_steps WHERE template_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    insert_steps(conn, id.0, &t.steps).await?;
    Ok(true)
}

/// Deletes a template: it starts no new procedures; those under way go on. False for an
/// unknown template.
pub async fn delete_template(
    conn: &mut AnyConnection,
    practice_id: PracticeId,
    id: ProcedureTemplateId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE procedure_templates SET deleted_at = $3, active = 0
         WHERE practice_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(practice_id)
    .bind(id.0)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
