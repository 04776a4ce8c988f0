//! Time zones as patients name them: "Eastern Time" rather than `America/New_York`. A table of
//! the zones practices are in; any other zone is named after its city ("Mexico City time").

/// The generic name of the zones people know by one (US, Canada, Europe, Australia, New
/// Zealand, Japan...), by IANA name.
const NAMES: &[(&str, &str)] = &[
    ("America/New_York", "Eastern Time"),
    ("America/Detroit", "Eastern Time"),
    ("America/Toronto", "Eastern Time"),
    ("America/Indiana/Indianapolis", "Eastern Time"),
    ("America/Kentucky/Louisville", "Eastern Time"),
    ("America/Chicago", "Central Time"),
    ("America/Winnipeg", "Central Time"),
    ("America/Indiana/Knox", "Central Time"),
    ("America/Regina", "Central Time (Saskatchewan)"),
    ("America/Denver", "Mountain Time"),
    ("America/Boise", "Mountain Time"),
    ("America/Edmonton", "Mountain Time"),
    ("America/Phoenix", "Mountain Time (Arizona)"),
    ("America/Los_Angeles", "Pacific Time"),
    ("America/Vancouver", "Pacific Time"),
    ("America/Anchorage", "Alaska Time"),
    ("Pacific/Honolulu", "Hawaii Time"),
    ("America/Halifax", "Atlantic Time"),
    ("America/Puerto_Rico", "Atlantic Time"),
    ("America/St_Johns", "Newfoundland Time"),
    ("Europe/London", "UK time"),
    ("Europe/Dublin", "Irish time"),
    ("Europe/Lisbon", "Western European Time"),
    ("Atlantic/Canary", "Western European Time"),
    ("Europe/Madrid", "Central European Time"),
    ("Europe/Paris", "Central European Time"),
    ("Europe/Berlin", "Central European Time"),
    ("Europe/Rome", "Central European Time"),
    ("Europe/Amsterdam", "Central European Time"),
    ("Europe/Brussels", "Central European Time"),
    ("Europe/Luxembourg", "Central European Time"),
    ("Europe/Vienna", "Central European Time"),
    ("Europe/Zurich", "Central European Time"),
    ("Europe/Stockholm", "Central European Time"),
    ("Europe/Oslo", "Central European Time"),
    ("Europe/Copenhagen", "Central European Time"),
    ("Europe/Warsaw", "Central European Time"),
    ("Europe/Prague", "Central European Time"),
    ("Europe/Budapest", "Central European Time"),
    ("Europe/Belgrade", "Central European Time"),
    ("Europe/Zagreb", "Central European Time"),
    ("Europe/Athens", "Eastern European Time"),
    ("Europe/Helsinki", "Eastern European Time"),
    ("Europe/Bucharest", "Eastern European Time"),
    ("Europe/Sofia", "Eastern European Time"),
    ("Europe/Kyiv", "Eastern European Time"),
    ("Europe/Riga", "Eastern European Time"),
    ("Europe/Vilnius", "Eastern European Time"),
    ("Europe/Tallinn", "Eastern European Time"),
    ("Australia/Sydney", "Australian Eastern Time"),
    ("Australia/Melbourne", "Australian Eastern Time"),
    ("Australia/Hobart", "Australian Eastern Time"),
    ("Australia/Brisbane", "Australian Eastern Time (Queensland)"),
    ("Australia/Adelaide", "Australian Central Time"),
    (
        "Australia/Darwin",
        "Australian Central Time (Northern Territory)",
    ),
    ("Australia/Perth", "Australian Western Time"),
    ("Pacific/Auckland", "New Zealand Time"),
    ("Asia/Tokyo", "Japan Time"),
    ("Asia/Singapore", "Singapore Time"),
    ("Asia/Kolkata", "India Time"),
    ("Asia/Dubai", "Gulf Time"),
    ("Africa/Johannesburg", "South African Time"),
    ("UTC", "Coordinated Universal Time (UTC)"),
];

/// The name patients know the zone by: "Eastern Time", or "Mexico City time" for a zone not in
/// the table.
pub fn zone_name(iana: &str) -> String {
    if let Some((_, name)) = NAMES.iter().find(|(zone, _)| *zone == iana) {
        return (*name).to_string();
    }
    let city = iana.rsplit('/').next().unwrap_or(iana).replace('_', " ");
    format!("{city} time")
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
    fn every_named_zone_exists() {
        for (zone, _) in NAMES {
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone}");
        }
    }
}
