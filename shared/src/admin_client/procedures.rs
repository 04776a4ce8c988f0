//! The admin client's calls about procedures: the templates of treatments of several visits.

use super::AdminClient;
use crate::client::ClientResult;
use crate::model::ProcedureTemplateId;
use crate::paths::admin as p;
use crate::procedures::{ProcedureTemplateInput, ProcedureTemplateList, ProcedureTemplateView};

impl AdminClient {
    /// HTTP GET /api/v1/admin/procedure-templates
    pub async fn procedure_templates(&self) -> ClientResult<ProcedureTemplateList> {
        self.get(p::PROCEDURE_TEMPLATES).await
    }

    /// HTTP POST /api/v1/admin/procedure-templates
    pub async fn add_procedure_template(
        &self,
        t: &ProcedureTemplateInput,
    ) -> ClientResult<ProcedureTemplateView> {
        self.call("POST", p::PROCEDURE_TEMPLATES, Some(t)).await
    }

    /// HTTP PUT /api/v1/admin/procedure-templates/{id}
    pub async fn update_procedure_template(
        &self,
        id: ProcedureTemplateId,
        t: &ProcedureTemplateInput,
    ) -> ClientResult<ProcedureTemplateView> {
        self.call("PUT", &p::procedure_template(id.0), Some(t))
            .await
    }

    /// HTTP DELETE /api/v1/admin/procedure-templates/{id}
    pub async fn delete_procedure_template(&self, id: ProcedureTemplateId) -> ClientResult<()> {
        self.no_content("DELETE", &p::procedure_template(id.0))
            .await
    }
}
