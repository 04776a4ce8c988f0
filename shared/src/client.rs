//! The typed API client: one method per endpoint, over the shared paths and types.
//! The transport is reqwest natively (`native-client`) and the browser's fetch on wasm32
//! (`web-client`), so the widget and the tests make exactly the same calls.

use crate::api::{
    BookingConfig, BookingCreated, BookingRequest, BookingView, HoldRequest, HoldResponse,
    RescheduleRequest, SlotsParams, SlotsResponse,
};
use crate::error::ErrorBody;
use crate::model::ProcedureTemplateId;
use crate::paths;
use crate::patients::{
    AppointmentRequest, LookupAccepted, LookupRequest, Queued, VerifiedHousehold, VerifyRequest,
};
use crate::procedures::{
    ChainHoldRequest, ChainHoldResponse, ChainList, ProcedureBooked, ProcedureOffers, StepTimes,
    StepTimesRequest,
};
use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[cfg(not(target_arch = "wasm32"))]
pub use crate::transport_native::{RawResponse, Transport};
#[cfg(target_arch = "wasm32")]
pub use crate::transport_web::Transport;

/// What can go wrong with a call.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The API answered with an error body.
    #[error("HTTP {status}: {} ({:?})", body.message, body.code)]
    Api { status: u16, body: ErrorBody },
    /// The request did not get an answer.
    #[error("transport: {0}")]
    Transport(String),
    /// The answer was not what the API promises.
    #[error("unexpected response (HTTP {status}): {detail}")]
    Decode { status: u16, detail: String },
}

impl ClientError {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Decode { status, .. } => Some(*status),
            ClientError::Transport(_) => None,
        }
    }

    /// The error body, if the server sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            ClientError::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// How a booking request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingOutcome {
    Booked(Box<BookingCreated>),
    Queued(Queued),
}

/// How a procedure booking request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcedureOutcome {
    Booked(Box<ProcedureBooked>),
    /// The practice's own system could not take the visits: the team will confirm them.
    Queued(Queued),
}

impl ProcedureOutcome {
    /// The booked procedure (`None`: it waits in the queue).
    pub fn booked(self) -> Option<ProcedureBooked> {
        match self {
            ProcedureOutcome::Booked(booked) => Some(*booked),
            ProcedureOutcome::Queued(_) => None,
        }
    }
}

/// Result of a call.
pub type ClientResult<T> = Result<T, ClientError>;

/// Client of one Slotwise server.
#[derive(Clone, Debug)]
pub struct ApiClient {
    pub(crate) base: String,
    pub(crate) transport: Transport,
    /// The patient's language, sent as `Accept-Language` with every call (the server's words,
    /// labels and error messages follow it).
    pub(crate) language: Option<String>,
}

impl ApiClient {
    /// Asks for the server's words in `code` (`es`) from now on.
    pub fn set_language(&mut self, code: &str) {
        self.language = Some(code.to_string()).filter(|c| !c.is_empty());
    }

    /// `extra` with the `Accept-Language` header when a language is set.
    fn headers<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut headers = extra.to_vec();
        if let Some(code) = self.language.as_deref() {
            headers.push(("Accept-Language", code));
        }
        headers
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> ClientResult<T> {
        if (200..300).contains(&status) {
            return serde_json::from_slice(bytes).map_err(|e| ClientError::Decode {
                status,
                detail: e.to_string(),
            });
        }
        Err(Self::error(status, bytes))
    }

    pub(crate) fn error(status: u16, bytes: &[u8]) -> ClientError {
        match serde_json::from_slice::<ErrorBody>(bytes) {
            Ok(body) => ClientError::Api { status, body },
            Err(_) => ClientError::Decode {
                status,
                detail: String::from_utf8_lossy(bytes).into_owned(),
            },
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> ClientResult<T> {
        let url = format!("{}{path}", self.base);
        let headers = self.headers(&[]);
        let (status, bytes) = self.transport.send("GET", &url, &headers, None).await?;
        Self::decode(status, &bytes)
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        key: Option<&str>,
    ) -> ClientResult<T> {
        let url = format!("{}{path}", self.base);
        let body =
            serde_json::to_string(body).map_err(|e| ClientError::Transport(e.to_string()))?;
        let mut headers = self.headers(&[("Content-Type", "application/json")]);
        if let Some(key) = key {
            headers.push(("Idempotency-Key", key));
        }
        let (status, bytes) = self
            .transport
            .send("POST", &url, &headers, Some(body))
            .await?;
        Self::decode(status, &bytes)
    }

    /// HTTP GET /healthz
    pub async fn healthz(&self) -> ClientResult<serde_json::Value> {
        self.get(paths::HEALTHZ).await
    }

    /// HTTP GET /api/v1/practices/{slug}/booking-config
    pub async fn booking_config(&self, slug: &str) -> ClientResult<BookingConfig> {
        self.get(&paths::booking_config(slug)).await
    }

    /// HTTP GET /api/v1/practices/{slug}/booking-config?{query} (`lang=es&prefer=es-MX,en`).
    pub async fn booking_config_with(
        &self,
        slug: &str,
        query: &str,
    ) -> ClientResult<BookingConfig> {
        self.get(&format!("{}?{query}", paths::booking_config(slug)))
            .await
    }

    /// HTTP GET /api/v1/practices/{slug}/slots?...
    pub async fn slots(&self, slug: &str, params: &SlotsParams) -> ClientResult<SlotsResponse> {
        self.get(&format!("{}?{}", paths::slots(slug), params.to_query()))
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/holds
    pub async fn hold(&self, slug: &str, req: &HoldRequest) -> ClientResult<HoldResponse> {
        self.post(&paths::holds(slug), req, None).await
    }

    /// HTTP POST /api/v1/practices/{slug}/holds/{token}/release (204, no body)
    pub async fn release_hold(&self, slug: &str, token: &str) -> ClientResult<()> {
        let url = format!("{}{}", self.base, paths::release_hold(slug, token));
        let headers = self.headers(&[]);
        let (status, bytes) = self.transport.send("POST", &url, &headers, None).await?;
        if status == 204 {
            Ok(())
        } else {
            Err(Self::error(status, &bytes))
        }
    }

    /// HTTP GET /api/v1/practices/{slug}/procedures
    pub async fn procedures(&self, slug: &str) -> ClientResult<ProcedureOffers> {
        self.get(&paths::procedures(slug)).await
    }

    /// HTTP GET /api/v1/practices/{slug}/procedures/{id}/chains?from=&days=&lang=
    pub async fn procedure_chains(
        &self,
        slug: &str,
        procedure: ProcedureTemplateId,
        from: Option<Date>,
        days: u16,
        lang: Option<&str>,
        link: Option<&str>,
    ) -> ClientResult<ChainList> {
        let mut query = format!("days={days}");
        if let Some(from) = from {
            query.push_str(&format!("&from={from}"));
        }
        if let Some(lang) = lang {
            query.push_str(&format!("&lang={}", urlencoding::encode(lang)));
        }
        if let Some(link) = link {
            query.push_str(&format!("&link={}", urlencoding::encode(link)));
        }
        self.get(&format!(
            "{}?{query}",
            paths::procedure_chains(slug, procedure.0)
        ))
        .await
    }

    /// HTTP POST /api/v1/practices/{slug}/procedures/{id}/step-times
    pub async fn procedure_step_times(
        &self,
        slug: &str,
        procedure: ProcedureTemplateId,
        req: &StepTimesRequest,
    ) -> ClientResult<StepTimes> {
        self.post(&paths::procedure_step_times(slug, procedure.0), req, None)
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/procedure-holds
    pub async fn hold_procedure(
        &self,
        slug: &str,
        req: &ChainHoldRequest,
    ) -> ClientResult<ChainHoldResponse> {
        self.post(&paths::procedure_holds(slug), req, None).await
    }

    /// HTTP POST /api/v1/practices/{slug}/procedure-holds/{token}/release (204, no body)
    pub async fn release_procedure_hold(&self, slug: &str, token: &str) -> ClientResult<()> {
        let url = format!(
            "{}{}",
            self.base,
            paths::release_procedure_hold(slug, token)
        );
        let headers = self.headers(&[]);
        let (status, bytes) = self.transport.send("POST", &url, &headers, None).await?;
        if status == 204 {
            Ok(())
        } else {
            Err(Self::error(status, &bytes))
        }
    }

    /// HTTP POST /api/v1/practices/{slug}/procedure-bookings (with Idempotency-Key): every
    /// visit booked, or (HTTP 202) word that the practice's system could not take them yet and
    /// the team will.
    pub async fn book_procedure(
        &self,
        slug: &str,
        idempotency_key: &str,
        req: &BookingRequest,
    ) -> ClientResult<ProcedureOutcome> {
        let url = format!("{}{}", self.base, paths::procedure_bookings(slug));
        let (status, bytes) = self.post_keyed(&url, req, idempotency_key).await?;
        if status == 202 {
            Self::decode(status, &bytes).map(ProcedureOutcome::Queued)
        } else {
            Self::decode(status, &bytes).map(|b| ProcedureOutcome::Booked(Box::new(b)))
        }
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings (with Idempotency-Key)
    pub async fn book(
        &self,
        slug: &str,
        idempotency_key: &str,
        req: &BookingRequest,
    ) -> ClientResult<BookingCreated> {
        self.post(&paths::bookings(slug), req, Some(idempotency_key))
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings (with Idempotency-Key): the booking, or
    /// (HTTP 202) word that the practice's system could not take it yet and the team will.
    pub async fn book_or_queue(
        &self,
        slug: &str,
        idempotency_key: &str,
        req: &BookingRequest,
    ) -> ClientResult<BookingOutcome> {
        let url = format!("{}{}", self.base, paths::bookings(slug));
        let (status, bytes) = self.post_keyed(&url, req, idempotency_key).await?;
        if status == 202 {
            Self::decode(status, &bytes).map(BookingOutcome::Queued)
        } else {
            Self::decode(status, &bytes).map(|b| BookingOutcome::Booked(Box::new(b)))
        }
    }

    /// POSTs `req` with an Idempotency-Key; the status and body, whatever the status.
    async fn post_keyed(
        &self,
        url: &str,
        req: &BookingRequest,
        idempotency_key: &str,
    ) -> ClientResult<(u16, Vec<u8>)> {
        let body = serde_json::to_string(req).map_err(|e| ClientError::Transport(e.to_string()))?;
        let headers = self.headers(&[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", idempotency_key),
        ]);
        self.transport.send("POST", url, &headers, Some(body)).await
    }

    /// HTTP POST /api/v1/practices/{slug}/patients/lookup
    pub async fn lookup_patient(
        &self,
        slug: &str,
        req: &LookupRequest,
    ) -> ClientResult<LookupAccepted> {
        self.post(&paths::patient_lookup(slug), req, None).await
    }

    /// HTTP POST /api/v1/practices/{slug}/patients/verify
    pub async fn verify_patient(
        &self,
        slug: &str,
        req: &VerifyRequest,
    ) -> ClientResult<VerifiedHousehold> {
        self.post(&paths::patient_verify(slug), req, None).await
    }

    /// HTTP POST /api/v1/practices/{slug}/links/{token}/open
    pub async fn open_link(
        &self,
        slug: &str,
        token: &str,
    ) -> ClientResult<crate::automations::OpenedLink> {
        self.post(&paths::open_link(slug, token), &serde_json::json!({}), None)
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/appointment-requests (with Idempotency-Key)
    pub async fn request_appointment(
        &self,
        slug: &str,
        idempotency_key: &str,
        req: &AppointmentRequest,
    ) -> ClientResult<Queued> {
        self.post(
            &paths::appointment_requests(slug),
            req,
            Some(idempotency_key),
        )
        .await
    }

    /// HTTP GET /api/v1/practices/{slug}/bookings/{token}
    pub async fn booking(&self, slug: &str, token: &str) -> ClientResult<BookingView> {
        self.get(&paths::booking(slug, token)).await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings/{token}/cancel
    pub async fn cancel(&self, slug: &str, token: &str) -> ClientResult<BookingView> {
        /// `{}`: cancelling needs no body, but the API takes JSON.
        #[derive(Serialize)]
        struct NoBody {}
        self.post(&paths::cancel(slug, token), &NoBody {}, None)
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/waitlist
    pub async fn join_waitlist(
        &self,
        slug: &str,
        req: &crate::waitlist::WaitlistJoin,
    ) -> ClientResult<crate::waitlist::WaitlistJoined> {
        self.post(&paths::waitlist(slug), req, None).await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings/{token}/waitlist
    pub async fn earlier_time(
        &self,
        slug: &str,
        token: &str,
        req: &crate::waitlist::EarlierTime,
    ) -> ClientResult<crate::waitlist::WaitlistJoined> {
        self.post(&paths::booking_waitlist(slug, token), req, None)
            .await
    }

    /// HTTP POST /api/v1/practices/{slug}/bookings/{token}/reschedule
    pub async fn reschedule(
        &self,
        slug: &str,
        token: &str,
        req: &RescheduleRequest,
    ) -> ClientResult<BookingView> {
        self.post(&paths::reschedule(slug, token), req, None).await
    }

    /// HTTP GET /api/v1/practices/{slug}/bookings/{token}/calendar.ics
    pub async fn calendar_ics(&self, slug: &str, token: &str) -> ClientResult<String> {
        let url = format!("{}{}", self.base, paths::calendar_ics(slug, token));
        let headers = self.headers(&[]);
        let (status, bytes) = self.transport.send("GET", &url, &headers, None).await?;
        if status == 200 {
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            Err(Self::error(status, &bytes))
        }
    }
}
