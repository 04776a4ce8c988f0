//! Input rules shared by the widget (checked as the patient types) and the server (enforced).
//! A rule that fails gives the key of its message in the language files (`check.…`, with
//! `|name=value` for its placeholders); `lang::Language::render` and the widget's
//! `ctx.message` turn it into words.

use crate::api::{BookingRequest, InsuranceChoice, Referral};
use crate::error::FieldErrors;
use jiff::civil::Date;

/// Longest accepted person name.
pub const MAX_NAME: usize = 80;
/// Longest accepted free-text note.
pub const MAX_NOTES: usize = 1000;
/// Longest accepted referral/utm value.
pub const MAX_REFERRAL: usize = 500;
/// Oldest plausible patient, in years.
pub const MAX_AGE_YEARS: i16 = 125;

/// A person's name: letters (any script), spaces, hyphens, apostrophes and periods.
pub fn check_name(value: &str) -> Result<String, &'static str> {
    let name = value.trim();
    if name.is_empty() {
        return Err("check.name.empty");
    }
    if name.chars().count() > MAX_NAME {
        return Err("check.name.long");
    }
    let allowed =
        |c: char| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '.' || c == '’';
    if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
        return Err("check.name.chars");
    }
    Ok(name.to_string())
}

/// The light check of a phone number, as the widget makes it while the patient types: an
/// international number (`+` and 8 to 15 digits), or, when the practice has a country
/// (`phone_country`, e.g. `US`), a national one of 6 to 15 digits. Spaces, dashes, dots and
/// brackets are ignored. The server then checks the number against the real numbering plans
/// and keeps it in E.164.
pub fn check_phone(value: &str, phone_country: &str) -> Result<(), &'static str> {
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
        .collect();
    let national = !phone_country.trim().is_empty();
    let (digits, range) = match compact.strip_prefix('+') {
        Some(digits) if !digits.starts_with('0') => (digits, 8..=15),
        Some(_) => return Err("check.phone.country_code"),
        None if national => (compact.as_str(), 6..=15),
        None => return Err("check.phone.include_country"),
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("check.phone.digits");
    }
    if range.contains(&digits.len()) {
        Ok(())
    } else if national {
        Err("check.phone.length")
    } else {
        Err("check.phone.international")
    }
}

/// An email address (RFC 5321 length limit, syntax checked).
pub fn normalize_email(value: &str) -> Result<String, &'static str> {
    let email = value.trim();
    if email.len() > 254 || !email_address::EmailAddress::is_valid(email) || !email.contains('.') {
        return Err("check.email");
    }
    Ok(email.to_string())
}

/// A date of birth: a real date, not in the future, not implausibly long ago.
pub fn check_date_of_birth(value: &str, today: Date) -> Result<Date, &'static str> {
    let date = crate::wire_time::parse_date(value.trim()).ok_or("check.birth.format")?;
    if date > today {
        return Err("check.birth.future");
    }
    if today.year() - date.year() > MAX_AGE_YEARS {
        return Err("check.birth.year");
    }
    Ok(date)
}

/// An optional free-text field with a length limit.
fn check_text(value: &Option<String>, max: usize) -> Result<(), String> {
    match value {
        Some(v) if v.chars().count() > max => Err(format!("check.text.long|max={max}")),
        Some(v)
            if v.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') =>
        {
            Err("check.text.chars".to_string())
        }
        _ => Ok(()),
    }
}

/// Every field rule of a booking request; `today` is the practice's local date and
/// `phone_country` where national phone numbers are read (see [`check_phone`]).
pub fn check_booking(
    req: &BookingRequest,
    today: Date,
    phone_country: &str,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut put = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.insert(field.to_string(), message);
        }
    };
    // An existing member of a verified household is already on file.
    let on_file = req.verified.as_ref().is_some_and(|v| v.member.is_some());
    if !on_file {
        check_patient(&req.patient, today, phone_country, &mut put);
    }
    if req.hold_token.is_empty() || req.hold_token.len() > 128 {
        put("hold_token", Err("check.hold".to_string()));
    }
    if let InsuranceChoice::Carrier { member_id, .. } = &req.insurance {
        put("insurance.member_id", check_text(member_id, 40));
    }
    put("notes", check_text(&req.notes, MAX_NOTES));
    if let Some(r) = &req.referral {
        check_referral(r, &mut put);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The details of someone new to the practice (or a pet and its owner).
fn check_patient(
    p: &crate::api::PatientDetails,
    today: Date,
    phone_country: &str,
    put: &mut impl FnMut(&str, Result<(), String>),
) {
    put(
        "patient.first_name",
        check_name(&p.first_name).map(drop).map_err(str::to_string),
    );
    put(
        "patient.last_name",
        check_name(&p.last_name).map(drop).map_err(str::to_string),
    );
    // A pet's birthday is often unknown; a person's is how the practice tells patients apart.
    if p.pet.is_none() || !p.date_of_birth.trim().is_empty() {
        put(
            "patient.date_of_birth",
            check_date_of_birth(&p.date_of_birth, today)
                .map(drop)
                .map_err(str::to_string),
        );
    }
    if let Some(pet) = &p.pet {
        put(
            "patient.pet.name",
            check_name(&pet.name).map(drop).map_err(str::to_string),
        );
        put(
            "patient.pet.species",
            check_name(&pet.species)
                .map(drop)
                .map_err(|_| "check.pet.species".to_string()),
        );
    }
    put(
        "patient.phone",
        check_phone(&p.phone, phone_country).map_err(str::to_string),
    );
    put(
        "patient.email",
        normalize_email(&p.email).map(drop).map_err(str::to_string),
    );
}

/// Every field rule of an appointment request (`phone_country` as for [`check_phone`]).
pub fn check_request(
    req: &crate::patients::AppointmentRequest,
    phone_country: &str,
) -> Result<(), FieldErrors> {
    use crate::patients::{TIMES_OF_DAY, WEEKDAYS};
    let mut errors = FieldErrors::new();
    let mut put = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.insert(field.to_string(), message);
        }
    };
    put(
        "first_name",
        check_name(&req.first_name)
            .map(drop)
            .map_err(str::to_string),
    );
    put(
        "last_name",
        check_name(&req.last_name).map(drop).map_err(str::to_string),
    );
    put(
        "phone",
        check_phone(&req.phone, phone_country).map_err(str::to_string),
    );
    // Email is optional here: the team calls back.
    if !req.email.trim().is_empty() {
        put(
            "email",
            normalize_email(&req.email)
                .map(drop)
                .map_err(str::to_string),
        );
    }
    if req.preferred_days.len() > 7
        || req
            .preferred_days
            .iter()
            .any(|d| !WEEKDAYS.contains(&d.as_str()))
    {
        put("preferred_days", Err("check.request.days".to_string()));
    }
    if req.times_of_day.len() > 3
        || req
            .times_of_day
            .iter()
            .any(|t| !TIMES_OF_DAY.contains(&t.as_str()))
    {
        put("times_of_day", Err("check.request.times".to_string()));
    }
    put("note", check_text(&req.note, MAX_NOTES));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_referral(r: &Referral, put: &mut impl FnMut(&str, Result<(), String>)) {
    let fields = [
        ("referral.referrer", &r.referrer),
        ("referral.utm_source", &r.utm_source),
        ("referral.utm_medium", &r.utm_medium),
        ("referral.utm_campaign", &r.utm_campaign),
        ("referral.utm_term", &r.utm_term),
        ("referral.utm_content", &r.utm_content),
    ];
    for (name, value) in fields {
        put(name, check_text(value, MAX_REFERRAL));
    }
}

/// A practice slug: lowercase letters, digits and hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {

    /// Every message key the rules give has words in every language.
    #[test]
    fn every_rule_message_has_words() {
        let source = include_str!("validate.rs");
        let keys: Vec<&str> = source
            .split('"')
            .filter(|s| s.len() > 6 && s.starts_with("check.") && !s.contains(' '))
            .map(|s| s.split('|').next().unwrap_or_default())
            .collect();
        assert!(keys.len() > 15, "{keys:?}");
        for language in &crate::lang::LANGUAGES {
            for key in &keys {
                assert!(
                    language.text(key).is_some(),
                    "{} lacks {key}",
                    language.code
                );
            }
        }
    }

    use super::*;

    #[test]
    fn phones_are_international_or_national_where_the_practice_has_a_country() {
        assert_eq!(check_phone("+1 (415) 555-0123", ""), Ok(()));
        assert_eq!(check_phone("(415) 555-0123", "US"), Ok(()));
        assert!(check_phone("(415) 555-0123", "").is_err());
        assert!(check_phone("555-01", "US").is_err());
        assert!(check_phone("+0123456789", "US").is_err());
        assert!(check_phone("+1555abc0123", "US").is_err());
    }

    #[test]
    fn emails_need_a_domain() {
        assert!(normalize_email("ana@example.com").is_ok());
        assert!(normalize_email("ana@localhost").is_err());
        assert!(normalize_email("not an email").is_err());
    }

    #[test]
    fn dates_of_birth_must_be_plausible() {
        let today = Date::constant(2026, 11, 22);
        assert!(check_date_of_birth("1990-02-28", today).is_ok());
        assert!(check_date_of_birth("2027-01-01", today).is_err());
        assert!(check_date_of_birth("1850-01-01", today).is_err());
        assert!(check_date_of_birth("1990-02-30", today).is_err());
    }

    #[test]
    fn names_allow_accents_and_apostrophes_but_not_markup() {
        assert!(check_name("Zoë O'Brien-Núñez").is_ok());
        assert!(check_name("<script>").is_err());
        assert!(check_name("   ").is_err());
        assert!(check_name(&"a".repeat(81)).is_err());
    }
}
