//! Who must and may hold a KTP (Kartu Tanda Penduduk): Indonesian civil registration issues
//! it from the age of 17, and the digital KTP follows the same rule. The phone, the service,
//! the dashboard's population figures and the QR's age attestation all count from here.

use crate::date::Date;

/// The age, in full years, from which a person holds a KTP.
pub const MIN_AGE: u32 = 17;

/// Whether someone born on `birth_date` is old enough for a KTP on `today`.
pub fn old_enough(birth_date: Date, today: Date) -> bool {
    birth_date.age_on(today) >= MIN_AGE
}

/// The latest birth date of someone who is old enough on `today`: [`MIN_AGE`] years before
/// it (on 29 February of a common year that date does not exist, so 28 February).
pub fn latest_birth_date(today: Date) -> Date {
    let year = today.year() - MIN_AGE as i32;
    Date::new(year, today.month(), today.day())
        .or_else(|| Date::new(year, today.month(), today.day() - 1))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().expect("a date")
    }

    #[test]
    fn old_enough_from_the_seventeenth_birthday() {
        let today = date("2025-06-15");
        assert!(old_enough(date("2008-06-15"), today));
        assert!(!old_enough(date("2008-06-16"), today));
        assert!(old_enough(date("1950-01-01"), today));
    }

    #[test]
    fn the_latest_birth_date_is_the_last_one_old_enough() {
        for today in [
            "2025-06-15",
            "2024-02-29",
            "2025-02-28",
            "2025-03-01",
            "2025-01-01",
        ] {
            let today = date(today);
            let latest = latest_birth_date(today);
            assert!(old_enough(latest, today), "{today}");
            let next = Date::from_days_since_epoch(latest.to_days_since_epoch() + 1).unwrap();
            assert!(!old_enough(next, today), "{today}");
        }
        assert_eq!(latest_birth_date(date("2024-02-29")), date("2007-02-28"));
    }
}
