//! The service's clock reads, in one place. `ikd-core` never reads a clock; the service and the
//! CLI read it here and pass the time in.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use ikd_core::Date;

/// Seconds since 1970-01-01 UTC.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Today's date in UTC. (In Indonesia it is already tomorrow from 17:00 UTC in WIB; the
/// registry's rules only need the day to within one.)
pub fn today_utc() -> Date {
    let days = i32::try_from(unix_now().div_euclid(86_400)).unwrap_or(i32::MAX);
    Date::from_days_since_epoch(days).expect("the system clock is within the years 1-9999")
}

/// A monotonic start point for timing work that a report states in seconds (the seed's
/// `personsPerSecond`); never a date or a deadline.
pub fn stopwatch() -> Instant {
    Instant::now()
}
