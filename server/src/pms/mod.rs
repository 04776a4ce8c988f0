//! The practice-management system (PMS): the schedule of record, behind one trait, chosen per
//! practice. Built in: Slotwise itself. FHIR R4: busy time is read from the practice's FHIR
//! server and bookings are written to it as Appointments; cancellations and moves made here
//! are written to those Appointments too.

pub mod fhir;

use crate::store::db::Db;
use crate::store::pms::{self as store, ConnectionRow};
use slotwise_shared::model::{PracticeId, ProviderId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A boxed future of a practice-system call.
pub type PmsFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, PmsError>> + Send + 'a>>;

/// Why the practice system did not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PmsError {
    /// No answer, or an error on its side: try again later.
    Down(String),
    /// The time is taken there.
    Conflict(String),
    /// It answered and refused the request.
    Rejected(String),
}

impl PmsError {
    /// What staff see as the connection's last error.
    pub fn describe(&self) -> String {
        match self {
            PmsError::Down(e) => format!("Not reachable: {e}"),
            PmsError::Conflict(e) => format!("Time taken: {e}"),
            PmsError::Rejected(e) => format!("Refused: {e}"),
        }
    }
}

/// An appointment to write to the practice system.
#[derive(Clone, Debug)]
pub struct OutsideAppointment {
    /// Our id of the booking, so writing it twice creates it once.
    pub identifier: String,
    /// The provider's id in the practice system.
    pub practitioner: String,
    pub practitioner_name: String,
    pub start: i64,
    pub end: i64,
    /// e.g. `[Online booking - New patient] Cleaning`.
    pub description: String,
    pub patient_name: String,
    /// Contact details for the front desk.
    pub comment: String,
}

/// A busy span of a provider: (Slotwise provider id, start, end).
pub type BusySpan = (ProviderId, i64, i64);

/// Busy time read from the practice system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutsideBusy {
    pub span: BusySpan,
    /// The practice system's id of an appointment Slotwise wrote there (`None`: its own).
    pub ours: Option<String>,
}

/// Where an appointment Slotwise wrote is in the practice system.
#[derive(Clone, Debug)]
pub struct OutsideRef {
    /// Its id there (`appointments.external_id`).
    pub id: String,
    /// The identifier value it was written under (empty when not known: found by id).
    pub identifier: String,
}

/// The new time of a moved appointment.
#[derive(Clone, Debug)]
pub struct OutsideMove {
    /// The provider's id in the practice system.
    pub practitioner: String,
    pub practitioner_name: String,
    pub start: i64,
    pub end: i64,
}

/// The schedule of record of a practice.
pub trait PracticeSystem: Send + Sync {
    /// Busy time of these providers (Slotwise id, practice-system id) between two instants.
    fn busy<'a>(
        &'a self,
        providers: &'a [(ProviderId, String)],
        from: i64,
        to: i64,
    ) -> PmsFuture<'a, Vec<OutsideBusy>>;

    /// Writes a booking; returns the practice system's id for it.
    fn book<'a>(&'a self, appointment: &'a OutsideAppointment) -> PmsFuture<'a, String>;

    /// Cancels an appointment Slotwise wrote there (done already is done).
    fn cancel<'a>(&'a self, at: &'a OutsideRef) -> PmsFuture<'a, ()>;

    /// Moves an appointment Slotwise wrote there to a new time and practitioner.
    fn reschedule<'a>(&'a self, at: &'a OutsideRef, to: &'a OutsideMove) -> PmsFuture<'a, ()>;
}

/// Slotwise is the schedule of record: nothing outside to read or write.
pub struct BuiltIn;

impl PracticeSystem for BuiltIn {
    fn busy<'a>(
        &'a self,
        _: &'a [(ProviderId, String)],
        _: i64,
        _: i64,
    ) -> PmsFuture<'a, Vec<OutsideBusy>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn book<'a>(&'a self, _: &'a OutsideAppointment) -> PmsFuture<'a, String> {
        Box::pin(async { Ok(String::new()) })
    }

    fn cancel<'a>(&'a self, _: &'a OutsideRef) -> PmsFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }

    fn reschedule<'a>(&'a self, _: &'a OutsideRef, _: &'a OutsideMove) -> PmsFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
}

/// How long a practice's connection settings are reused before being read again (as long as
/// the practice settings themselves; another instance's change is seen within it).
const CONNECTION_TTL: Duration = Duration::from_secs(5);

/// Connection rows read recently, by practice.
type ConnectionCache = Arc<Mutex<HashMap<PracticeId, (Instant, Option<ConnectionRow>)>>>;

/// What the practice-system calls share: the HTTP client (with its timeout), this server's
/// address (which names the identifiers of its bookings), and recently read connections (so a
/// booking at a built-in practice costs no extra read).
#[derive(Clone)]
pub struct PmsClient {
    pub http: reqwest::Client,
    pub public_url: String,
    /// Longest wait for one call.
    pub timeout: Duration,
    /// Whether a practice system may be on a private address (`--allow-private-outbound`).
    pub allow_private: bool,
    connections: ConnectionCache,
}

impl PmsClient {
    /// A client whose calls give up after `timeout`, to public addresses only unless
    /// `allow_private`.
    pub fn new(timeout: Duration, public_url: &str, allow_private: bool) -> anyhow::Result<Self> {
        Ok(PmsClient {
            http: crate::outbound::client(timeout, timeout, allow_private)?,
            public_url: public_url.trim_end_matches('/').to_string(),
            timeout,
            allow_private,
            connections: Arc::default(),
        })
    }

    /// Forgets a practice's cached connection (after staff changed it).
    pub fn forget(&self, practice_id: PracticeId) {
        if let Ok(mut cache) = self.connections.lock() {
            cache.remove(&practice_id);
        }
    }

    /// The system a connection row describes.
    pub fn system(&self, row: &ConnectionRow) -> Box<dyn PracticeSystem> {
        match row.kind.as_str() {
            "fhir" => Box::new(fhir::FhirServer::new(
                self.http.clone(),
                &row.base_url,
                &row.auth_token,
                &self.public_url,
                self.allow_private,
            )),
            _ => Box::new(BuiltIn),
        }
    }

    /// The outside system of a practice, or `None` when Slotwise is its schedule of record.
    pub async fn outside_system(
        &self,
        db: &Db,
        practice_id: PracticeId,
    ) -> Result<Option<Box<dyn PracticeSystem>>, sqlx::Error> {
        let cached = self.connections.lock().ok().and_then(|cache| {
            cache
                .get(&practice_id)
                .filter(|(at, _)| at.elapsed() < CONNECTION_TTL)
                .map(|(_, row)| row.clone())
        });
        let row = match cached {
            Some(row) => row,
            None => {
                let row = store::connection(db, practice_id).await?;
                if let Ok(mut cache) = self.connections.lock() {
                    cache.insert(practice_id, (Instant::now(), row.clone()));
                }
                row
            }
        };
        Ok(row
            .filter(|row| row.kind != "builtin")
            .map(|row| self.system(&row)))
    }
}
