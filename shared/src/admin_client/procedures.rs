//! The admin client's calls about procedures: the templates of treatments of several visits,
//! and patients' procedures.

use super::AdminClient;
use crate::client::ClientResult;
use crate::model::{ProcedureId, ProcedureTemplateId};
use crate::paths::admin as p;
use crate::procedures::{
    ProcedureFilter, ProcedureList, ProcedureStart, ProcedureTemplateInput, ProcedureTemplateList,
    ProcedureTemplateView, ProcedureView,
};

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

    /// HTTP GET /api/v1/admin/procedures?template=&provider=&state=&patient=
    pub async fn procedures(&self, filter: &ProcedureFilter) -> ClientResult<ProcedureList> {
        self.get(&format!("{}?{}", p::PROCEDURES, filter.to_query()))
            .await
    }

    /// HTTP POST /api/v1/admin/procedures
    pub async fn start_procedure(&self, start: &ProcedureStart) -> ClientResult<ProcedureView> {
        self.call("POST", p::PROCEDURES, Some(start)).await
    }

    /// HTTP POST /api/v1/admin/procedures/{id}/cancel
    pub async fn cancel_procedure(&self, id: ProcedureId) -> ClientResult<ProcedureView> {
        self.call("POST", &p::procedure_cancel(id.0), Some(&super::Empty {}))
            .await
    }

    /// HTTP POST /api/v1/admin/procedures/{id}/link
    pub async fn send_procedure_link(&self, id: ProcedureId) -> ClientResult<ProcedureView> {
        self.call("POST", &p::procedure_link(id.0), Some(&super::Empty {}))
            .await
    }
}
