//! Phone numbers as patients type them: parsed and checked against libphonenumber's numbering
//! metadata (the `phonenumber` crate) and kept in E.164. A practice's country lets its patients
//! type national numbers (`(415) 555-0147` at a US practice); a number that cannot exist is
//! refused with an example of one that can. Refusals are message keys of the language files
//! (`check.phone.…`), written in the patient's language where they are answered.

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};
use std::str::FromStr;

/// Longest input worth parsing: a formatted international number is far shorter.
const MAX_INPUT: usize = 40;

/// What to type when no country is known: the international form.
const INTERNATIONAL: &str = "check.phone.include_country";

/// The region a two-letter country code names (`US`, `GB`), if the numbering plan has it.
pub fn region(code: &str) -> Option<Id> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    Id::from_str(&code.to_ascii_uppercase()).ok()
}

/// A practice's effective country: its setting when that names a region, else the region of
/// the practice's own phone number, else none (`""`: patients type the country code).
pub fn practice_country(setting: &str, practice_phone: &str) -> String {
    if let Some(id) = region(setting) {
        return id.as_ref().to_string();
    }
    parse_number(practice_phone, None)
        .and_then(|n| n.country().id())
        .map(|id| id.as_ref().to_string())
        .unwrap_or_default()
}

/// `value` in E.164 when it is a number that can exist. A number without `+` is read as one of
/// `country` (a region code; empty: none, so the country code is needed).
pub fn to_e164(value: &str, country: &str) -> Result<String, String> {
    let value = value.trim();
    let international = value.starts_with('+');
    let home = region(country).filter(|_| !international);
    if !international && home.is_none() {
        return Err(INTERNATIONAL.into());
    }
    match parse_number(value, home) {
        Some(number) if is_valid(&number) => Ok(number.format().mode(Mode::E164).to_string()),
        _ => Err(match home.and_then(example) {
            Some(example) => format!("check.phone.example|example={example}"),
            None => "check.phone.no_example".into(),
        }),
    }
}

/// A mobile number of the region as its people write it, e.g. `(201) 555-0123`.
fn example(region: Id) -> Option<String> {
    let metadata = phonenumber::metadata::DATABASE.by_id(region.as_ref())?;
    let digits = metadata.descriptors().mobile()?.example()?;
    let number = parse_number(digits, Some(region))?;
    Some(number.format().mode(Mode::National).to_string())
}

fn parse_number(value: &str, region: Option<Id>) -> Option<PhoneNumber> {
    let allowed = |c: char| c.is_ascii_digit() || " +-.()/".contains(c);
    if value.is_empty() || value.len() > MAX_INPUT || !value.chars().all(allowed) {
        return None;
    }
    // The parser has panicked on odd input in past releases: a panic must not become a 500.
    std::panic::catch_unwind(|| phonenumber::parse(region, value).ok())
        .ok()
        .flatten()
}

fn is_valid(number: &PhoneNumber) -> bool {
    std::panic::catch_unwind(|| phonenumber::is_valid(number)).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_numbers_are_read_in_the_practice_country() {
        assert_eq!(
            to_e164("(415) 555-0147", "US").as_deref(),
            Ok("+14155550147")
        );
        assert_eq!(to_e164("415.555.0147", "us").as_deref(), Ok("+14155550147"));
        assert_eq!(
            to_e164("07400 123456", "GB").as_deref(),
            Ok("+447400123456")
        );
        assert_eq!(
            to_e164("+44 7400 123456", "US").as_deref(),
            Ok("+447400123456")
        );
    }

    #[test]
    fn numbers_that_cannot_exist_are_refused_with_an_example() {
        let err = to_e164("(415) 555-014", "US").expect_err("too short");
        assert!(err.contains("(201) 555-0123"), "{err}");
        assert!(
            to_e164("(015) 555-0147", "US").is_err(),
            "no area code starts with 0"
        );
        assert!(to_e164("+1 555", "").is_err());
        assert_eq!(to_e164("415 555 0147", ""), Err(INTERNATIONAL.to_string()));
        assert!(to_e164("  2 22#:", "US").is_err());
        assert!(to_e164(&"1".repeat(200), "US").is_err());
    }

    #[test]
    fn a_practice_country_comes_from_its_setting_or_its_phone() {
        assert_eq!(practice_country("gb", "+15555550100"), "GB");
        assert_eq!(practice_country("", "+1 415 555 0147"), "US");
        assert_eq!(practice_country("", "+44 20 7946 0000"), "GB");
        assert_eq!(practice_country("XX", ""), "");
    }
}
