//! Time zones as patients name them: "Eastern Time" ("hora del Este") rather than
//! `America/New_York`. A table of the zones practices are in, each with the key of its name in
//! the language files (`zone.eastern`); any other zone is named after its city ("Mexico City
//! time", `zone.city`).

use crate::lang::{self, Language};

/// The key of the generic name of the zones people know by one (US, Canada, Europe,
/// Australia, New Zealand, Japan...), by IANA name.
const NAMES: &[(&str, &str)] = &[
    ("America/New_York", "eastern"),
    ("America/Detroit", "eastern"),
    ("America/Toronto", "eastern"),
    ("America/Indiana/Indianapolis", "eastern"),
    ("America/Kentucky/Louisville", "eastern"),
    ("America/Chicago", "central"),
    ("America/Winnipeg", "central"),
    ("America/Indiana/Knox", "central"),
    ("America/Regina", "central_saskatchewan"),
    ("America/Denver", "mountain"),
    ("America/Boise", "mountain"),
    ("America/Edmonton", "mountain"),
    ("America/Phoenix", "mountain_arizona"),
    ("America/Los_Angeles", "pacific"),
    ("America/Vancouver", "pacific"),
    ("America/Anchorage", "alaska"),
    ("Pacific/Honolulu", "hawaii"),
    ("America/Halifax", "atlantic"),
    ("America/Puerto_Rico", "atlantic"),
    ("America/St_Johns", "newfoundland"),
    ("Europe/London", "uk"),
    ("Europe/Dublin", "irish"),
    ("Europe/Lisbon", "western_european"),
    ("Atlantic/Canary", "western_european"),
    ("Europe/Madrid", "central_european"),
    ("Europe/Paris", "central_european"),
    ("Europe/Berlin", "central_european"),
    ("Europe/Rome", "central_european"),
    ("Europe/Amsterdam", "central_european"),
    ("Europe/Brussels", "central_european"),
    ("Europe/Luxembourg", "central_european"),
    ("Europe/Vienna", "central_european"),
    ("Europe/Zurich", "central_european"),
    ("Europe/Stockholm", "central_european"),
    ("Europe/Oslo", "central_european"),
    ("Europe/Copenhagen", "central_european"),
    ("Europe/Warsaw", "central_european"),
    ("Europe/Prague", "central_european"),
    ("Europe/Budapest", "central_european"),
    ("Europe/Belgrade", "central_european"),
    ("Europe/Zagreb", "central_european"),
    ("Europe/Athens", "eastern_european"),
    ("Europe/Helsinki", "eastern_european"),
    ("Europe/Bucharest", "eastern_european"),
    ("Europe/Sofia", "eastern_european"),
    ("Europe/Kyiv", "eastern_european"),
    ("Europe/Riga", "eastern_european"),
    ("Europe/Vilnius", "eastern_european"),
    ("Europe/Tallinn", "eastern_european"),
    ("Australia/Sydney", "australian_eastern"),
    ("Australia/Melbourne", "australian_eastern"),
    ("Australia/Hobart", "australian_eastern"),
    ("Australia/Brisbane", "australian_eastern_queensland"),
    ("Australia/Adelaide", "australian_central"),
    ("Australia/Darwin", "australian_central_nt"),
    ("Australia/Perth", "australian_western"),
    ("Pacific/Auckland", "new_zealand"),
    ("Asia/Tokyo", "japan"),
    ("Asia/Singapore", "singapore"),
    ("Asia/Kolkata", "india"),
    ("Asia/Dubai", "gulf"),
    ("Africa/Johannesburg", "south_africa"),
    ("UTC", "utc"),
];

/// The name patients know the zone by, in English: "Eastern Time", or "Mexico City time" for a
/// zone not in the table.
pub fn zone_name(iana: &str) -> String {
    zone_name_in(lang::DEFAULT, iana)
}

/// The name patients know the zone by, in `language`.
pub fn zone_name_in(language: &Language, iana: &str) -> String {
    if let Some((_, key)) = NAMES.iter().find(|(zone, _)| *zone == iana) {
        return language.say(&format!("zone.{key}"), &[]);
    }
    let city = iana.rsplit('/').next().unwrap_or(iana).replace('_', " ");
    language.say("zone.city", &[("city", &city)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_have_the_names_people_use() {
        assert_eq!(zone_name("America/New_York"), "Eastern Time");
        assert_eq!(zone_name("Europe/Berlin"), "Central European Time");
        assert_eq!(zone_name("America/Mexico_City"), "Mexico City time");
        assert_eq!(
            zone_name("America/Argentina/Buenos_Aires"),
            "Buenos Aires time"
        );
    }

    #[test]
    fn spanish_names_them_its_own_way() {
        let es = lang::of("es");
        assert_eq!(zone_name_in(es, "America/New_York"), "hora del Este");
        assert_eq!(
            zone_name_in(es, "America/Mexico_City"),
            "hora de Mexico City"
        );
    }

    #[test]
    fn every_named_zone_exists() {
        for (zone, _) in NAMES {
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone}");
        }
    }
}
