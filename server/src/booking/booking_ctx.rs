//! What every booking path carries: the server parts it needs, what an automatic retry
//! brings over from the first try, the idempotency scopes, and whose answer a booking ends
//! with.

use crate::catalog::Catalog;
use crate::patients::plan::KnownPatient;
use crate::pms::PmsClient;
use crate::store::db::Db;
use crate::store::idempotency::StoredResponse;

/// Idempotency scope of patients' bookings.
pub const SCOPE: &str = "booking";
/// Idempotency scope of procedure bookings.
pub const CHAIN_SCOPE: &str = "procedure_booking";
/// Idempotency scope of automatic retries of queued bookings (never a patient's key).
pub const RETRY_SCOPE: &str = "queue_retry";

/// What a booking needs besides the request.
pub struct BookingCtx<'a> {
    pub db: &'a Db,
    pub catalog: &'a Catalog,
    pub public_url: &'a str,
    pub pms: &'a PmsClient,
    /// `None` for a patient's booking: when the practice system is down or refuses, it is
    /// queued for the team. `Some` for an automatic retry of a queued booking, which answers
    /// 503 instead and keeps its own idempotency scope.
    pub retry: Option<Retry<'a>>,
    /// Staff book for the patient (from the day view): a new patient needs no look-up first,
    /// even at a practice that books only existing patients online.
    pub by_staff: bool,
}

/// What an automatic retry of a queued booking carries over from the first try.
#[derive(Clone, Copy, Debug)]
pub struct Retry<'a> {
    /// Its identifier in the practice system (so it is created there once).
    pub identifier: Option<&'a str>,
    /// Its patient, settled when it was queued.
    pub patient: Option<KnownPatient>,
}

/// A booking's stored answer, and whether this request wrote it.
#[derive(Clone, Debug)]
pub enum Answered {
    /// This request turned the hold into a booking (or a queued booking) and stored the answer.
    Now(StoredResponse),
    /// An earlier request with the same key did; this is its answer, replayed.
    Earlier(StoredResponse),
}

impl Answered {
    /// The stored answer.
    pub fn stored(self) -> StoredResponse {
        match self {
            Answered::Now(s) | Answered::Earlier(s) => s,
        }
    }

    /// Whether this request made the booking.
    pub fn made_now(&self) -> bool {
        matches!(self, Answered::Now(_))
    }
}
