//! The demo practice's staff console: an owner and a front-desk login with a known password,
//! two pending booking-queue entries to work through, and two patients on the waitlist.

use crate::clock::now_seconds;
use crate::staff::accounts::{create_staff, reset_password, NewStaffError};
use crate::store::booking_queue::{self, NewEntry};
use crate::store::db::Db;
use crate::store::demo_seed;
use crate::store::waitlist::{self, NewWaitlistEntry};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::model::PracticeId;

/// The demo's staff logins.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub owner_email: String,
    pub front_desk_email: String,
    pub password: String,
}

/// Password of the demo accounts (a demo on a laptop, not a secret).
pub const DEMO_PASSWORD: &str = "brightside-demo";

/// Creates (or resets the password of) the demo's staff; on first creation also queues two
/// pending booking-queue entries and two waitlist entries.
pub async fn demo_staff(db: &Db, practice_id: PracticeId) -> anyhow::Result<DemoLogin> {
    let login = DemoLogin {
        owner_email: "owner@brightside.example".into(),
        front_desk_email: "frontdesk@brightside.example".into(),
        password: DEMO_PASSWORD.into(),
    };
    let people = [
        (&login.owner_email, "Olivia Owner", StaffRole::Owner),
        (&login.front_desk_email, "Frank Desk", StaffRole::FrontDesk),
    ];
    let mut first_time = false;
    for (email, name, role) in people {
        match create_staff(db, practice_id, email, name, role, DEMO_PASSWORD).await {
            Ok(_) => first_time = true,
            Err(NewStaffError::Taken) => reset_password(db, email, DEMO_PASSWORD).await?,
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    if first_time {
        queue_demo_entries(db, practice_id).await?;
    }
    Ok(login)
}

/// A demo patient on the waitlist for `reason` from today for 30 days (dates in UTC: close
/// enough for a demo).
fn waiting_demo_patient(
    reason: slotwise_shared::model::ReasonId,
    first: &str,
    last: &str,
    phone: &str,
    asap: bool,
    now: i64,
) -> NewWaitlistEntry {
    let day = |at: i64| {
        jiff::Timestamp::from_second(at)
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
            .unwrap_or_default()
    };
    NewWaitlistEntry {
        patient_id: None,
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: String::new(),
        reason_id: reason,
        provider_id: None,
        from_date: day(now),
        to_date: day(now + 30 * 86_400),
        days: 127,
        times: 7,
        asap,
        short_notice: true,
        source: "staff",
        appointment_id: None,
        lang: None,
        expires_at: now + 31 * 86_400,
    }
}

async fn queue_demo_entries(db: &Db, practice_id: PracticeId) -> anyhow::Result<()> {
    let now = now_seconds();
    db.write(write_unit!(|conn| {
        let (reason, provider) = demo_seed::first_reason_and_provider(conn, practice_id).await?;
        let entries = [
            NewEntry {
                kind: "booking",
                first_name: "Priya".into(),
                last_name: "Natarajan".into(),
                phone: "+14155104477".into(),
                email: "priya@example.com".into(),
                reason_id: reason,
                provider_id: provider,
                starts_at: Some(now + 3 * 86_400 - now % 3600),
                detail: "The practice system did not answer when this was booked.".into(),
                ..NewEntry::default()
            },
            NewEntry {
                kind: "request",
                first_name: "Tom".into(),
                last_name: "Becker".into(),
                phone: "+14155106611".into(),
                email: "tom@example.com".into(),
                reason_id: reason,
                preference: "Weekday mornings".into(),
                detail: "New patient request.".into(),
                ..NewEntry::default()
            },
        ];
        for entry in &entries {
            booking_queue::insert(conn, practice_id, entry, now).await?;
        }
        // Two patients waiting for a time of the first visit in the next month, so a
        // cancellation in the demo is offered to them.
        if let Some(reason) = reason {
            for (first, last, phone, asap) in [
                ("Maria", "Santos", "+14155103388", true),
                ("Ken", "Ito", "+14155103399", false),
            ] {
                let wish = waiting_demo_patient(reason, first, last, phone, asap, now);
                waitlist::upsert(conn, practice_id, &wish, now).await?;
            }
        }
        Ok(WriteOutcome::Commit(()))
    }))
    .await?;
    Ok(())
}
