//! The waitlist: patients who would take a time for a visit if one opens — from the widget
//! when no time suits (someone new, or a verified returning patient), from the manage page for
//! an earlier time than their booking, or added by staff. Each wish is checked against the
//! practice (the visit, the provider, the days), kept once per patient and visit, and ends when
//! the patient books the visit, is taken off, or after its last day.

pub mod entries;

use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::store::db::Db;
use crate::store::waitlist::{self as store, NewWaitlistEntry};
use crate::store::write_batch::WriteOutcome;
use crate::write_unit;
use jiff::civil::Date;
use jiff::Timestamp;
use slotwise_shared::chains::local_date;
use slotwise_shared::error::FieldErrors;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::model::{PatientId, ProviderId, ReasonId};
use slotwise_shared::patients::{TIMES_OF_DAY, WEEKDAYS};
use slotwise_shared::slots::start_of_local_day;
use slotwise_shared::waitlist::{days_mask, times_mask, WaitlistJoined, MAX_RANGE_DAYS};

/// What a patient would take: the visit, with whom, on which days and at what times.
#[derive(Clone, Debug)]
pub struct Wish<'a> {
    pub reason: ReasonId,
    pub provider: Option<ProviderId>,
    pub from: Date,
    pub to: Date,
    pub preferred_days: &'a [String],
    pub times_of_day: &'a [String],
    pub asap: bool,
    pub short_notice: bool,
}

/// Who the entry is for.
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub patient_id: Option<PatientId>,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
}

/// The practice's local date today.
pub fn today(catalog: &Catalog) -> DomainResult<Date> {
    local_date(&catalog.practice.tz, now_seconds())
        .ok_or_else(|| DomainError::internal("date out of range"))
}

/// Refusals of a wish, by field (keys of the language files).
pub fn check_wish(catalog: &Catalog, wish: &Wish<'_>, today: Date) -> FieldErrors {
    let mut fields = FieldErrors::new();
    match catalog.reason(wish.reason).filter(|r| r.active) {
        None => {
            fields.insert("reason".into(), "api.waitlist.reason".into());
        }
        Some(reason) => {
            if wish
                .provider
                .is_some_and(|p| !reason.provider_ids.contains(&p))
            {
                fields.insert("provider".into(), "api.waitlist.provider".into());
            }
            // Times further ahead than the visit may be booked never open for it.
            let horizon = i64::from(reason.timing.horizon_days);
            let beyond = today
                .until(wish.from)
                .is_ok_and(|s| i64::from(s.get_days()) > horizon);
            if beyond {
                fields.insert("from".into(), format!("api.waitlist.far|days={horizon}"));
            }
        }
    }
    if wish.from < today {
        fields.insert("from".into(), "api.waitlist.past".into());
    }
    let days = wish.from.until(wish.to).map(|s| i64::from(s.get_days()));
    match days {
        Ok(d) if d < 0 => {
            fields.insert("to".into(), "api.waitlist.backwards".into());
        }
        Ok(d) if d > MAX_RANGE_DAYS => {
            fields.insert(
                "to".into(),
                format!("api.waitlist.long|days={MAX_RANGE_DAYS}"),
            );
        }
        Ok(_) => {}
        Err(_) => {
            fields.insert("to".into(), "api.waitlist.backwards".into());
        }
    }
    if wish.preferred_days.len() > 7
        || wish
            .preferred_days
            .iter()
            .any(|d| !WEEKDAYS.contains(&d.as_str()))
    {
        fields.insert("preferred_days".into(), "check.request.days".into());
    }
    if wish.times_of_day.len() > 3
        || wish
            .times_of_day
            .iter()
            .any(|t| !TIMES_OF_DAY.contains(&t.as_str()))
    {
        fields.insert("times_of_day".into(), "check.request.times".into());
    }
    fields
}

/// Writes the entry (or updates the patient's waiting one for the same visit) and answers
/// the patient in `language`.
#[allow(clippy::too_many_arguments)]
pub async fn keep(
    db: &Db,
    catalog: &Catalog,
    wish: &Wish<'_>,
    who: Who,
    source: &'static str,
    appointment_id: Option<i64>,
    lang_code: Option<&'static str>,
    language: &Language,
) -> DomainResult<(i64, WaitlistJoined)> {
    let tz = &catalog.practice.tz;
    let after = wish
        .to
        .checked_add(jiff::Span::new().days(1))
        .map_err(DomainError::internal)?;
    let expires_at =
        start_of_local_day(tz, after).ok_or_else(|| DomainError::internal("no such day"))?;
    let entry = NewWaitlistEntry {
        patient_id: who.patient_id,
        first_name: who.first_name,
        last_name: who.last_name,
        phone: who.phone,
        email: who.email,
        reason_id: wish.reason,
        provider_id: wish.provider,
        from_date: wish.from.to_string(),
        to_date: wish.to.to_string(),
        days: days_mask(wish.preferred_days),
        times: times_mask(wish.times_of_day),
        asap: wish.asap,
        short_notice: wish.short_notice,
        source,
        appointment_id,
        lang: lang_code,
        expires_at,
    };
    let (practice_id, now) = (catalog.practice.id, now_seconds());
    let id = db
        .write(write_unit!(|conn| {
            let id = store::upsert(conn, practice_id, &entry, now).await?;
            Ok(WriteOutcome::Commit(id))
        }))
        .await?;
    let last_day = start_of_local_day(tz, wish.to)
        .and_then(|s| Timestamp::from_second(s).ok())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let until = slotwise_shared::labels::date_label_in(language, last_day, tz);
    let reason = catalog
        .reason(wish.reason)
        .map_or("", |r| r.name.as_str())
        .to_string();
    Ok((
        id,
        WaitlistJoined {
            waiting: true,
            message: language.say(
                "api.waitlist.joined",
                &[("reason", &reason), ("until", &until)],
            ),
            until: wish.to,
        },
    ))
}

/// The language a patient's request chose, else the practice's.
pub fn language_of(catalog: &Catalog, asked: Option<&str>) -> &'static Language {
    lang::choose(asked, None, &catalog.practice.default_lang)
}
