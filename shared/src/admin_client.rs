//! Typed client of the admin API, shared by the staff console and the tests. It keeps the
//! session's CSRF token (sent as `X-CSRF-Token` on every change) and, natively, the session
//! cookie (the browser keeps it itself).

use crate::admin::*;
use crate::automations::*;
use crate::client::{ApiClient, ClientError, ClientResult};
use crate::messages::{
    ContactUpdate, MessageList, MessageView, PatientLanguage, TemplateList, TemplateUpdate,
    TemplateView,
};
use crate::paths::admin as p;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::{Arc, Mutex};

mod day_view;
mod messaging;
mod procedures;
mod team;
mod waitlist;

#[derive(Debug, Default)]
struct Credentials {
    csrf: Option<String>,
    cookie: Option<String>,
}

/// Client of the admin API for one signed-in staff member.
#[derive(Clone, Debug)]
pub struct AdminClient {
    api: ApiClient,
    credentials: Arc<Mutex<Credentials>>,
}

/// `{}` for actions that take no body.
#[derive(Serialize)]
struct Empty {}

impl AdminClient {
    /// A client over `api` (not signed in yet).
    pub fn new(api: ApiClient) -> Self {
        AdminClient {
            api,
            credentials: Arc::new(Mutex::new(Credentials::default())),
        }
    }

    /// The public API client underneath (for free times and holds).
    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    /// Forgets the CSRF token (e.g. to check that the server refuses a change without it).
    pub fn forget_csrf(&self) {
        if let Ok(mut c) = self.credentials.lock() {
            c.csrf = None;
        }
    }

    /// Forgets the session cookie (native only; a browser keeps its own).
    pub fn forget_cookie(&self) {
        if let Ok(mut c) = self.credentials.lock() {
            c.cookie = None;
        }
    }

    fn remember_csrf(&self, token: &str) {
        if let Ok(mut c) = self.credentials.lock() {
            c.csrf = Some(token.to_string());
        }
    }

    /// One request; the status and body.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
    ) -> ClientResult<(u16, Vec<u8>)> {
        self.send_with(method, path, body, &[]).await
    }

    /// One request with more headers; the status and body.
    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        extra: &[(&str, &str)],
    ) -> ClientResult<(u16, Vec<u8>)> {
        let (csrf, cookie) = self
            .credentials
            .lock()
            .map(|c| (c.csrf.clone(), c.cookie.clone()))
            .unwrap_or_default();
        let mut headers: Vec<(&str, &str)> = extra.to_vec();
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        if let Some(csrf) = csrf.as_deref() {
            headers.push(("X-CSRF-Token", csrf));
        }
        if let Some(cookie) = cookie.as_deref() {
            headers.push(("Cookie", cookie));
        }
        let url = format!("{}{path}", self.api.base);
        let (status, bytes, set_cookie) = self
            .api
            .transport
            .send_keeping_cookie(method, &url, &headers, body)
            .await?;
        if let Some(set) = set_cookie {
            if let Ok(mut c) = self.credentials.lock() {
                c.cookie = (!set.ends_with('=')).then_some(set);
            }
        }
        Ok((status, bytes))
    }

    fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> ClientResult<T> {
        if (200..300).contains(&status) {
            return serde_json::from_slice(bytes).map_err(|e| ClientError::Decode {
                status,
                detail: e.to_string(),
            });
        }
        Err(ApiClient::error(status, bytes))
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<T> {
        let body = body
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let (status, bytes) = self.send(method, path, body).await?;
        Self::decode(status, &bytes)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> ClientResult<T> {
        self.call::<Empty, T>("GET", path, None).await
    }

    async fn no_content(&self, method: &str, path: &str) -> ClientResult<()> {
        let (status, bytes) = self.send(method, path, None).await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(ApiClient::error(status, &bytes))
        }
    }

    /// HTTP POST /api/v1/admin/session
    pub async fn login(&self, email: &str, password: &str) -> ClientResult<SessionView> {
        let req = LoginRequest {
            email: email.to_string(),
            password: password.to_string(),
        };
        let view: SessionView = self.call("POST", p::SESSION, Some(&req)).await?;
        self.remember_csrf(&view.csrf_token);
        Ok(view)
    }

    /// HTTP GET /api/v1/admin/session (also picks up the CSRF token after a page load)
    pub async fn session(&self) -> ClientResult<SessionView> {
        let view: SessionView = self.get(p::SESSION).await?;
        self.remember_csrf(&view.csrf_token);
        Ok(view)
    }

    /// HTTP DELETE /api/v1/admin/session
    pub async fn logout(&self) -> ClientResult<()> {
        self.no_content("DELETE", p::SESSION).await
    }

    /// HTTP GET /api/v1/admin/practice
    pub async fn practice(&self) -> ClientResult<PracticeView> {
        self.get(p::PRACTICE).await
    }

    /// HTTP PUT /api/v1/admin/practice
    pub async fn save_practice(&self, s: &PracticeSettings) -> ClientResult<PracticeView> {
        self.call("PUT", p::PRACTICE, Some(s)).await
    }

    /// HTTP GET /api/v1/admin/setup
    pub async fn setup(&self) -> ClientResult<SetupView> {
        self.get(p::SETUP).await
    }

    /// HTTP POST /api/v1/admin/locations
    pub async fn add_location(&self, l: &LocationInput) -> ClientResult<SetupView> {
        self.call("POST", p::LOCATIONS, Some(l)).await
    }

    /// HTTP POST /api/v1/admin/operatories
    pub async fn add_operatory(&self, o: &OperatoryInput) -> ClientResult<SetupView> {
        self.call("POST", p::OPERATORIES, Some(o)).await
    }

    /// HTTP POST /api/v1/admin/providers
    pub async fn add_provider(&self, input: &ProviderInput) -> ClientResult<SetupView> {
        self.call("POST", p::PROVIDERS, Some(input)).await
    }

    /// HTTP PUT /api/v1/admin/providers/{id}
    pub async fn update_provider(&self, id: i64, input: &ProviderInput) -> ClientResult<SetupView> {
        self.call("PUT", &p::provider(id), Some(input)).await
    }

    /// HTTP PUT /api/v1/admin/providers/{id}/hours
    pub async fn set_hours(&self, id: i64, hours: &HoursUpdate) -> ClientResult<SetupView> {
        self.call("PUT", &p::provider_hours(id), Some(hours)).await
    }

    /// HTTP POST /api/v1/admin/providers/{id}/time-off
    pub async fn add_time_off(&self, id: i64, t: &TimeOffInput) -> ClientResult<SetupView> {
        self.call("POST", &p::provider_time_off(id), Some(t)).await
    }

    /// HTTP DELETE /api/v1/admin/time-off/{id}
    pub async fn delete_time_off(&self, id: i64) -> ClientResult<SetupView> {
        self.call::<Empty, _>("DELETE", &p::time_off(id), None)
            .await
    }

    /// HTTP POST /api/v1/admin/reasons
    pub async fn add_reason(&self, r: &ReasonInput) -> ClientResult<SetupView> {
        self.call("POST", p::REASONS, Some(r)).await
    }

    /// HTTP PUT /api/v1/admin/reasons/{id}
    pub async fn update_reason(&self, id: i64, r: &ReasonInput) -> ClientResult<SetupView> {
        self.call("PUT", &p::reason(id), Some(r)).await
    }

    /// HTTP POST /api/v1/admin/insurance
    pub async fn add_carrier(&self, c: &CarrierInput) -> ClientResult<SetupView> {
        self.call("POST", p::INSURANCE, Some(c)).await
    }

    /// HTTP PUT /api/v1/admin/insurance/{id}
    pub async fn update_carrier(&self, id: i64, c: &CarrierInput) -> ClientResult<SetupView> {
        self.call("PUT", &p::carrier(id), Some(c)).await
    }

    /// HTTP DELETE /api/v1/admin/insurance/{id}
    pub async fn delete_carrier(&self, id: i64) -> ClientResult<SetupView> {
        self.call::<Empty, _>("DELETE", &p::carrier(id), None).await
    }

    /// HTTP GET /api/v1/admin/appointments?...
    pub async fn appointments(&self, f: &AppointmentFilter) -> ClientResult<AppointmentList> {
        self.get(&format!("{}?{}", p::APPOINTMENTS, f.to_query()))
            .await
    }

    /// HTTP GET /api/v1/admin/appointments.csv?...
    pub async fn appointments_csv(&self, f: &AppointmentFilter) -> ClientResult<String> {
        let path = format!("{}?{}", p::APPOINTMENTS_CSV, f.to_query());
        let (status, bytes) = self.send("GET", &path, None).await?;
        if status == 200 {
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            Err(ApiClient::error(status, &bytes))
        }
    }

    /// HTTP POST /api/v1/admin/appointments/{id}/{action}
    pub async fn appointment_action(
        &self,
        id: i64,
        action: AppointmentAction,
    ) -> ClientResult<AppointmentItem> {
        let path = p::appointment_action(id, action.as_str());
        self.call("POST", &path, Some(&Empty {})).await
    }

    /// HTTP POST /api/v1/admin/appointments/{id}/reschedule
    pub async fn reschedule(&self, id: i64, hold_token: &str) -> ClientResult<AppointmentItem> {
        let req = StaffReschedule {
            hold_token: hold_token.to_string(),
        };
        self.call("POST", &p::appointment_action(id, "reschedule"), Some(&req))
            .await
    }

    /// HTTP GET /api/v1/admin/booking-queue?status=
    pub async fn booking_queue(&self, status: &str) -> ClientResult<QueueList> {
        let status = urlencoding::encode(status);
        self.get(&format!("{}?status={status}", p::BOOKING_QUEUE))
            .await
    }

    /// HTTP POST /api/v1/admin/booking-queue/{id}/complete
    pub async fn complete_queue_entry(
        &self,
        id: i64,
        c: &QueueCompletion,
    ) -> ClientResult<QueueEntryView> {
        self.call("POST", &p::queue_action(id, "complete"), Some(c))
            .await
    }

    /// HTTP POST /api/v1/admin/booking-queue/{id}/cancel
    pub async fn cancel_queue_entry(&self, id: i64) -> ClientResult<QueueEntryView> {
        self.call("POST", &p::queue_action(id, "cancel"), Some(&Empty {}))
            .await
    }

    /// HTTP GET /api/v1/admin/pms
    pub async fn pms(&self) -> ClientResult<PmsView> {
        self.get(p::PMS).await
    }

    /// HTTP PUT /api/v1/admin/pms
    pub async fn save_pms(&self, s: &PmsSettings) -> ClientResult<PmsView> {
        self.call("PUT", p::PMS, Some(s)).await
    }

    /// HTTP GET /api/v1/admin/dashboard?from=&to=
    pub async fn dashboard(&self, from: &str, to: &str) -> ClientResult<Dashboard> {
        let (from, to) = (urlencoding::encode(from), urlencoding::encode(to));
        self.get(&format!("{}?from={from}&to={to}", p::DASHBOARD))
            .await
    }

    /// HTTP GET /api/v1/admin/templates
    pub async fn templates(&self) -> ClientResult<TemplateList> {
        self.get(p::TEMPLATES).await
    }

    /// HTTP PUT /api/v1/admin/templates/{event}/{channel}?lang=
    pub async fn save_template(
        &self,
        (event, channel, lang): (&str, &str, &str),
        t: &TemplateUpdate,
    ) -> ClientResult<TemplateView> {
        self.call("PUT", &p::template(event, channel, lang), Some(t))
            .await
    }

    /// HTTP DELETE /api/v1/admin/templates/{event}/{channel}?lang=
    pub async fn reset_template(
        &self,
        (event, channel, lang): (&str, &str, &str),
    ) -> ClientResult<()> {
        self.no_content("DELETE", &p::template(event, channel, lang))
            .await
    }

    /// HTTP POST /api/v1/admin/templates/{event}/{channel}/preview?lang=
    pub async fn preview_template(
        &self,
        (event, channel, lang): (&str, &str, &str),
        t: &TemplateUpdate,
    ) -> ClientResult<TemplatePreview> {
        self.call("POST", &p::template_preview(event, channel, lang), Some(t))
            .await
    }

    /// HTTP GET /api/v1/admin/messages?status=
    pub async fn messages(&self, status: &str) -> ClientResult<MessageList> {
        let status = urlencoding::encode(status);
        self.get(&format!("{}?status={status}", p::MESSAGES)).await
    }

    /// HTTP POST /api/v1/admin/messages/{id}/resend
    pub async fn resend(&self, id: i64) -> ClientResult<MessageView> {
        self.call("POST", &p::resend(id), Some(&Empty {})).await
    }

    /// HTTP PUT /api/v1/admin/patients/{id}/contact
    pub async fn update_contact(&self, id: i64, c: &ContactUpdate) -> ClientResult<ContactUpdate> {
        self.call("PUT", &p::patient_contact(id), Some(c)).await
    }

    /// HTTP PUT /api/v1/admin/patients/{id}/language
    pub async fn set_patient_language(
        &self,
        id: i64,
        l: &PatientLanguage,
    ) -> ClientResult<PatientLanguage> {
        self.call("PUT", &p::patient_language(id), Some(l)).await
    }

    /// HTTP GET /api/v1/admin/staff
    pub async fn staff(&self) -> ClientResult<Vec<StaffView>> {
        self.get(p::STAFF).await
    }

    /// HTTP POST /api/v1/admin/staff
    pub async fn add_staff(&self, s: &NewStaff) -> ClientResult<Vec<StaffView>> {
        self.call("POST", p::STAFF, Some(s)).await
    }

    /// HTTP GET /api/v1/admin/audit
    pub async fn audit(&self) -> ClientResult<AuditList> {
        self.get(p::AUDIT).await
    }

    /// HTTP PUT /api/v1/admin/patients/{id}/automations
    pub async fn pause_automations(&self, id: i64, paused: bool) -> ClientResult<AutomationPause> {
        self.call(
            "PUT",
            &p::patient_automations(id),
            Some(&AutomationPause { paused }),
        )
        .await
    }

    /// HTTP GET /api/v1/admin/recall-rules
    pub async fn recall_rules(&self) -> ClientResult<RecallRuleList> {
        self.get(p::RECALL_RULES).await
    }

    /// HTTP POST /api/v1/admin/recall-rules
    pub async fn add_recall_rule(&self, r: &RecallRuleInput) -> ClientResult<RecallRuleView> {
        self.call("POST", p::RECALL_RULES, Some(r)).await
    }

    /// HTTP PUT /api/v1/admin/recall-rules/{id}
    pub async fn update_recall_rule(
        &self,
        id: i64,
        r: &RecallRuleInput,
    ) -> ClientResult<RecallRuleView> {
        self.call("PUT", &p::recall_rule(id), Some(r)).await
    }

    /// HTTP DELETE /api/v1/admin/recall-rules/{id}
    pub async fn delete_recall_rule(&self, id: i64) -> ClientResult<()> {
        self.no_content("DELETE", &p::recall_rule(id)).await
    }

    /// HTTP GET /api/v1/admin/automations/settings
    pub async fn automation_settings(&self) -> ClientResult<AutomationSettings> {
        self.get(p::AUTOMATION_SETTINGS).await
    }

    /// HTTP PUT /api/v1/admin/automations/settings
    pub async fn save_automation_settings(
        &self,
        s: &AutomationSettings,
    ) -> ClientResult<AutomationSettings> {
        self.call("PUT", p::AUTOMATION_SETTINGS, Some(s)).await
    }

    /// HTTP GET /api/v1/admin/automations/stats?from=&to=
    pub async fn automation_stats(&self, from: &str, to: &str) -> ClientResult<AutomationStats> {
        let (from, to) = (urlencoding::encode(from), urlencoding::encode(to));
        self.get(&format!("{}?from={from}&to={to}", p::AUTOMATION_STATS))
            .await
    }

    /// HTTP POST /api/v1/admin/broadcasts/preview
    pub async fn preview_broadcast(&self, b: &BroadcastRequest) -> ClientResult<BroadcastPreview> {
        self.call("POST", p::BROADCAST_PREVIEW, Some(b)).await
    }

    /// HTTP POST /api/v1/admin/broadcasts (with Idempotency-Key: sending again with the same
    /// key answers the first broadcast instead of sending a second)
    pub async fn send_broadcast(
        &self,
        b: &BroadcastRequest,
        idempotency_key: &str,
    ) -> ClientResult<BroadcastView> {
        let body = serde_json::to_string(b).map_err(|e| ClientError::Transport(e.to_string()))?;
        let (status, bytes) = self
            .send_with(
                "POST",
                p::BROADCASTS,
                Some(body),
                &[("Idempotency-Key", idempotency_key)],
            )
            .await?;
        Self::decode(status, &bytes)
    }

    /// HTTP GET /api/v1/admin/broadcasts
    pub async fn broadcasts(&self) -> ClientResult<BroadcastList> {
        self.get(p::BROADCASTS).await
    }

    /// HTTP GET /api/v1/admin/broadcasts/{id}
    pub async fn broadcast(&self, id: i64) -> ClientResult<BroadcastDetail> {
        self.get(&p::broadcast(id)).await
    }
}
