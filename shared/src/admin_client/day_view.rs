//! The admin client's calls of the day and week view: the columns, booking a patient into free
//! time, offering free time to the waitlist.

use super::AdminClient;
use crate::client::ClientResult;
use crate::day_view::{DayView, DayViewQuery, FreeTimeOffer, OfferSent, StaffBooked, StaffBooking};
use crate::paths::admin as p;

impl AdminClient {
    /// HTTP GET /api/v1/admin/schedule?date=&days=&location_id=&provider_id=
    pub async fn day_view(&self, q: &DayViewQuery) -> ClientResult<DayView> {
        self.get(&format!("{}?{}", p::SCHEDULE, q.to_query())).await
    }

    /// HTTP POST /api/v1/admin/schedule/offer
    pub async fn offer_free_time(&self, offer: &FreeTimeOffer) -> ClientResult<OfferSent> {
        self.call("POST", p::SCHEDULE_OFFER, Some(offer)).await
    }

    /// HTTP POST /api/v1/admin/bookings
    pub async fn staff_book(&self, booking: &StaffBooking) -> ClientResult<StaffBooked> {
        self.call("POST", p::STAFF_BOOKINGS, Some(booking)).await
    }
}
