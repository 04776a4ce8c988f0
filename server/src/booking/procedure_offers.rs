//! The procedures patients may book online, with their steps explained.

use crate::catalog::Catalog;
use crate::domain_error::{DomainError, DomainResult};
use crate::store::db::Db;
use crate::store::procedure_templates;
use slotwise_shared::model::ProcedureTemplateId;
use slotwise_shared::procedures::{
    ProcedureOffer, ProcedureOffers, ProcedureStepOffer, ProcedureTemplateView,
};

/// Whether patients may book this template online: active, marked bookable, and every step a
/// reason the practice still offers.
fn offered(catalog: &Catalog, template: &ProcedureTemplateView) -> bool {
    template.input.active
        && template.input.bookable_online
        && !template.input.steps.is_empty()
        && template
            .input
            .steps
            .iter()
            .all(|s| catalog.reason(s.reason).is_some())
}

/// A template patients may book online; 404 for any other.
pub async fn offered_template(
    db: &Db,
    catalog: &Catalog,
    id: ProcedureTemplateId,
) -> DomainResult<ProcedureTemplateView> {
    let mut read = db.read.acquire().await?;
    procedure_templates::template(&mut read, catalog.practice.id, id)
        .await?
        .filter(|t| offered(catalog, t))
        .ok_or(DomainError::NotFound("procedure"))
}

/// Every procedure patients may book online, oldest first.
pub async fn offers(db: &Db, catalog: &Catalog) -> DomainResult<ProcedureOffers> {
    let mut read = db.read.acquire().await?;
    let templates = procedure_templates::templates(&mut read, catalog.practice.id).await?;
    let procedures = templates
        .into_iter()
        .filter(|t| offered(catalog, t))
        .map(|t| ProcedureOffer {
            id: t.id,
            steps: t
                .input
                .steps
                .iter()
                .filter_map(|s| {
                    let reason = catalog.reason(s.reason)?;
                    Some(ProcedureStepOffer {
                        reason: s.reason,
                        name: reason.name.clone(),
                        duration_min: reason.timing.duration_min,
                        gap_min_days: s.gap_min_days,
                        gap_max_days: s.gap_max_days,
                        same_provider_as: s.same_provider_as,
                    })
                })
                .collect(),
            name: t.input.name,
            description: t.input.description,
        })
        .collect();
    Ok(ProcedureOffers { procedures })
}
