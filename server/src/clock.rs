//! The one clock of the server: the current instant in UTC seconds. Everything below takes
//! "now" as a parameter, so rules stay testable with any instant.

use jiff::Timestamp;

/// The current instant in UTC seconds.
pub fn now_seconds() -> i64 {
    Timestamp::now().as_second()
}
