//! The three ways onto the waitlist — the widget (someone new, or a verified returning
//! patient), the manage page (an earlier time than the booking) and staff — and an entry as
//! staff read it.

use super::{check_wish, keep, language_of, today, Who, Wish};
use crate::catalog::Catalog;
use crate::clock::now_seconds;
use crate::domain_error::{DomainError, DomainResult};
use crate::store::appointments;
use crate::store::db::Db;
use crate::store::patients;
use crate::store::waitlist::{self as store, WaitlistRow};
use crate::tokens::{hash_token, looks_like_token};
use jiff::civil::Date;
use jiff::Timestamp;
use slotwise_shared::lang::{self, Language};
use slotwise_shared::patients::{TIMES_OF_DAY, WEEKDAYS};
use slotwise_shared::validate::{check_name, normalize_email};
use slotwise_shared::waitlist::{
    names_of, EarlierTime, WaitlistAdd, WaitlistEntryView, WaitlistJoin, WaitlistJoined,
};

/// Someone new's name and contact, checked and normalized (a phone, an email or both).
fn new_person(
    catalog: &Catalog,
    first: &str,
    last: &str,
    phone: &str,
    email: &str,
    language: &Language,
) -> DomainResult<Who> {
    let mut fields = slotwise_shared::error::FieldErrors::new();
    if let Err(m) = check_name(first) {
        fields.insert("first_name".into(), m.into());
    }
    if !last.trim().is_empty() {
        if let Err(m) = check_name(last) {
            fields.insert("last_name".into(), m.into());
        }
    }
    let phone = if phone.trim().is_empty() {
        String::new()
    } else {
        crate::phone::to_e164(phone, &catalog.practice.country).unwrap_or_else(|m| {
            fields.insert("phone".into(), m);
            String::new()
        })
    };
    let email = if email.trim().is_empty() {
        String::new()
    } else {
        normalize_email(email)
            .map(|e| e.to_lowercase())
            .unwrap_or_else(|m| {
                fields.insert("email".into(), m.into());
                String::new()
            })
    };
    if phone.is_empty() && email.is_empty() && !fields.contains_key("phone") {
        fields.insert("phone".into(), "api.waitlist.contact".into());
    }
    if !fields.is_empty() {
        return Err(DomainError::Invalid(lang::render_fields(language, fields)));
    }
    Ok(Who {
        patient_id: None,
        first_name: first.trim().to_string(),
        last_name: last.trim().to_string(),
        phone,
        email,
    })
}

/// A known patient of the practice.
fn known(member: patients::MemberRow) -> Who {
    Who {
        patient_id: Some(member.id),
        first_name: member.first_name,
        last_name: member.last_name,
        phone: member.phone,
        email: member.email,
    }
}

/// `POST waitlist` from the widget.
pub async fn join(db: &Db, catalog: &Catalog, req: &WaitlistJoin) -> DomainResult<WaitlistJoined> {
    let language = language_of(catalog, req.lang.as_deref());
    let wish = Wish {
        reason: req.reason,
        provider: req.provider,
        from: req.from,
        to: req.to,
        preferred_days: &req.preferred_days,
        times_of_day: &req.times_of_day,
        asap: req.asap,
        short_notice: req.short_notice,
    };
    let refused = check_wish(catalog, &wish, today(catalog)?);
    if !refused.is_empty() {
        return Err(DomainError::Invalid(lang::render_fields(language, refused)));
    }
    let who = match &req.verified {
        None => new_person(
            catalog,
            &req.first_name,
            &req.last_name,
            &req.phone,
            &req.email,
            language,
        )?,
        Some(verified) => {
            let practice_id = catalog.practice.id;
            let contact = patients::session_contact(
                db,
                practice_id,
                &hash_token(&verified.session),
                now_seconds(),
            )
            .await?
            .ok_or_else(|| DomainError::Expired {
                code: slotwise_shared::error::ErrorCode::CodeExpired,
                message: "api.waitlist.session".into(),
            })?;
            let member = verified.member.ok_or(DomainError::NotFound("patient"))?;
            let member = patients::member_of_contact(db, practice_id, &contact, member)
                .await?
                .ok_or(DomainError::NotFound("patient"))?;
            known(member)
        }
    };
    let code = req.lang.as_deref().and_then(lang::find).map(|l| l.code);
    let (_, joined) = keep(db, catalog, &wish, who, "widget", None, code, language).await?;
    Ok(joined)
}

/// `POST bookings/{token}/waitlist`: an earlier time than this booking, with the same
/// provider, from today to the day before it.
pub async fn earlier(
    db: &Db,
    catalog: &Catalog,
    token: &str,
    req: &EarlierTime,
    language: &Language,
) -> DomainResult<WaitlistJoined> {
    if !looks_like_token(token) {
        return Err(DomainError::NotFound("booking"));
    }
    let practice_id = catalog.practice.id;
    let row = {
        let mut read = db.read.acquire().await?;
        appointments::find_by_manage_token(&mut read, practice_id, &hash_token(token)).await?
    }
    .ok_or(DomainError::NotFound("booking"))?;
    let now = now_seconds();
    if !matches!(row.status.as_str(), "booked" | "confirmed") || row.starts_at <= now {
        return Err(DomainError::conflict("api.waitlist.not_ahead"));
    }
    let patient = row.patient_id.ok_or(DomainError::NotFound("booking"))?;
    let member = patients::member(db, practice_id, patient)
        .await?
        .ok_or(DomainError::NotFound("booking"))?;
    let today = today(catalog)?;
    let day = slotwise_shared::chains::local_date(&catalog.practice.tz, row.starts_at)
        .ok_or_else(|| DomainError::internal("date out of range"))?;
    let to = day.yesterday().map_err(DomainError::internal)?;
    if to < today {
        return Err(DomainError::conflict("api.waitlist.no_earlier_day"));
    }
    let wish = Wish {
        reason: row.reason_id,
        provider: Some(row.provider_id),
        from: today,
        to,
        preferred_days: &[],
        times_of_day: &[],
        asap: true,
        short_notice: req.short_notice,
    };
    let who = known(member);
    let (_, joined) = keep(
        db,
        catalog,
        &wish,
        who,
        "manage",
        Some(row.id),
        Some(language.code),
        language,
    )
    .await?;
    Ok(joined)
}

/// `POST /api/v1/admin/waitlist`: staff add a patient.
pub async fn add(db: &Db, catalog: &Catalog, req: &WaitlistAdd) -> DomainResult<WaitlistRow> {
    let language = lang::DEFAULT;
    let wish = Wish {
        reason: req.reason,
        provider: req.provider,
        from: req.from,
        to: req.to,
        preferred_days: &req.preferred_days,
        times_of_day: &req.times_of_day,
        asap: req.asap,
        short_notice: req.short_notice,
    };
    let refused = check_wish(catalog, &wish, today(catalog)?);
    if !refused.is_empty() {
        return Err(DomainError::Invalid(lang::render_fields(language, refused)));
    }
    let who = match req.patient {
        Some(id) => {
            let member = patients::member(db, catalog.practice.id, id)
                .await?
                .ok_or(DomainError::NotFound("patient"))?;
            known(member)
        }
        None => new_person(
            catalog,
            &req.first_name,
            &req.last_name,
            &req.phone,
            &req.email,
            language,
        )?,
    };
    let (id, _) = keep(db, catalog, &wish, who, "staff", None, None, language).await?;
    let mut read = db.read.acquire().await?;
    store::find(&mut read, catalog.practice.id, id)
        .await?
        .ok_or(DomainError::NotFound("waitlist entry"))
}

/// An entry as staff read it.
pub fn view(row: WaitlistRow) -> WaitlistEntryView {
    let date = |s: &str| s.parse::<Date>().unwrap_or(jiff::civil::date(1970, 1, 1));
    WaitlistEntryView {
        id: row.id,
        status: row.status,
        patient: row.patient_id,
        patient_name: format!("{} {}", row.first_name, row.last_name)
            .trim()
            .to_string(),
        phone: row.phone,
        email: row.email,
        reason: row.reason_id,
        reason_name: row.reason_name,
        provider: row.provider_id,
        provider_name: row.provider_name.unwrap_or_default(),
        from: date(&row.from_date),
        to: date(&row.to_date),
        preferred_days: names_of(row.days, &WEEKDAYS),
        times_of_day: names_of(row.times, &TIMES_OF_DAY),
        asap: row.asap != 0,
        short_notice: row.short_notice != 0,
        source: row.source,
        created_at: Timestamp::from_second(row.created_at).unwrap_or(Timestamp::UNIX_EPOCH),
    }
}
