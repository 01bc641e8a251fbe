//! Civil dates (proleptic Gregorian calendar, no time zone) for birth and issue dates. This crate
//! reads no clock: whoever needs "today" reads it at the edge and passes it in, so every rule
//! that depends on the date can be tested with a fixed day.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A valid calendar date between 0001-01-01 and 9999-12-31. The fields are private so that an
/// impossible date such as 2001-02-29 cannot exist; build one with [`Date::new`] or parse ISO
/// text. Ordering is chronological. Serialises as `"YYYY-MM-DD"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// ISO text that is not a real date in `YYYY-MM-DD` form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "tanggal tidak valid, gunakan bentuk TTTT-BB-HH, mis. 1990-07-05 (invalid date, use YYYY-MM-DD)"
)]
pub struct DateParseError;

/// Days from 0000-03-01 to 1970-01-01 in the era arithmetic of [`Date::to_days_since_epoch`].
const UNIX_EPOCH_SHIFT: i32 = 719_468;

impl Date {
    /// Years are limited to four digits so that every date has one ISO spelling.
    pub const MIN_YEAR: i32 = 1;
    pub const MAX_YEAR: i32 = 9999;

    /// The date, or `None` when the year is outside 1..=9999, the month outside 1..=12 or the
    /// day past the end of that month (29 February only in leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Age in full years on `today` (0 when `today` is before the birth). Someone born on
    /// 29 February turns a year older on 1 March in years without a 29 February, as Indonesian
    /// civil registration counts it.
    pub fn age_on(self, today: Date) -> u32 {
        if today <= self {
            return 0;
        }
        let years = today.year - self.year;
        // Comparing (month, day) pairs gives the 1 March rule by itself: in a common year
        // (2, 28) is still before the birthday (2, 29) and (3, 1) is after it.
        let had_birthday = (today.month, today.day) >= (self.month, self.day);
        let full = if had_birthday { years } else { years - 1 };
        u32::try_from(full).unwrap_or(0)
    }

    /// Days since 1970-01-01 (negative before it). With [`Date::from_days_since_epoch`] this
    /// turns a date range into an integer range, e.g. to draw a random birth date.
    pub fn to_days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil: count in 400-year eras starting on 1 March, so that
        // the leap day falls at the end of each counted year.
        let year = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i32::from(self.month);
        let shifted_month = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * shifted_month + 2) / 5 + i32::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - UNIX_EPOCH_SHIFT
    }

    /// The date `days` after 1970-01-01, or `None` outside the years 1..=9999.
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        let days = days.checked_add(UNIX_EPOCH_SHIFT)?;
        let era = days.div_euclid(146_097);
        let day_of_era = days.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i32::from(month <= 2);
        Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }
}

/// Gregorian leap years: every fourth year, except centuries not divisible by 400.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1..=12) of `year`; 0 for a month outside 1..=12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateParseError;

    /// Exactly `YYYY-MM-DD` with ASCII digits: the one form this project writes.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(DateParseError);
        }
        let number = |range: std::ops::Range<usize>| -> Result<u16, DateParseError> {
            text[range].parse().map_err(|_| DateParseError)
        };
        let month = u8::try_from(number(5..7)?).map_err(|_| DateParseError)?;
        let day = u8::try_from(number(8..10)?).map_err(|_| DateParseError)?;
        Date::new(i32::from(number(0..4)?), month, day).ok_or(DateParseError)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Dates for the tests of this crate.
#[cfg(test)]
pub(crate) mod testing {
    use super::Date;

    /// The date, which the test knows to be real.
    pub(crate) fn date(year: i32, month: u8, day: u8) -> Date {
        Date::new(year, month, day).unwrap()
    }

    /// The `today` of the tests of NIK and KK numbers.
    pub(crate) fn today() -> Date {
        date(2025, 6, 15)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::date;
    use super::*;

    #[test]
    fn leap_years_follow_the_gregorian_century_rule() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2001));
        assert!(!is_leap_year(2100));
    }

    #[test]
    fn new_accepts_the_last_day_of_each_month_and_refuses_the_day_after() {
        for month in 1..=12 {
            let last = days_in_month(2023, month);
            assert!(Date::new(2023, month, last).is_some(), "{month}/{last}");
            assert!(
                Date::new(2023, month, last + 1).is_none(),
                "{month}/{last}+1"
            );
        }
    }

    #[test]
    fn new_refuses_day_zero_month_zero_month_thirteen_and_year_zero() {
        assert!(Date::new(2023, 1, 0).is_none());
        assert!(Date::new(2023, 0, 1).is_none());
        assert!(Date::new(2023, 13, 1).is_none());
        assert!(Date::new(0, 1, 1).is_none());
        assert!(Date::new(10_000, 1, 1).is_none());
    }

    #[test]
    fn february_the_twenty_ninth_exists_only_in_leap_years() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2001, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
    }

    #[test]
    fn displays_and_parses_iso_form() {
        let d = date(1990, 7, 5);
        assert_eq!(d.to_string(), "1990-07-05");
        assert_eq!("1990-07-05".parse::<Date>(), Ok(d));
        assert_eq!(date(1, 1, 1).to_string(), "0001-01-01");
    }

    #[test]
    fn parsing_refuses_other_shapes_and_impossible_dates() {
        for text in [
            "1990-7-5",
            "19900705",
            "1990/07/05",
            " 1990-07-05",
            "1990-07-05 ",
            "+990-07-05",
            "1990-13-01",
            "2001-02-29",
            "0000-01-01",
            "１９９０-07-05",
            "",
        ] {
            assert_eq!(text.parse::<Date>(), Err(DateParseError), "{text:?}");
        }
    }

    #[test]
    fn serde_uses_the_iso_string() {
        let d = date(2000, 2, 29);
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2000-02-29\"");
        assert_eq!(serde_json::from_str::<Date>("\"2000-02-29\"").unwrap(), d);
        assert!(serde_json::from_str::<Date>("\"2001-02-29\"").is_err());
    }

    #[test]
    fn dates_order_chronologically() {
        assert!(date(1999, 12, 31) < date(2000, 1, 1));
        assert!(date(2000, 1, 31) < date(2000, 2, 1));
    }

    #[test]
    fn age_counts_full_years() {
        let birth = date(1990, 7, 5);
        assert_eq!(birth.age_on(date(2025, 7, 4)), 34);
        assert_eq!(birth.age_on(date(2025, 7, 5)), 35);
        assert_eq!(birth.age_on(date(1990, 7, 5)), 0);
        assert_eq!(birth.age_on(date(1980, 1, 1)), 0);
    }

    #[test]
    fn leap_day_birthdays_turn_older_on_the_first_of_march_in_common_years() {
        let birth = date(2000, 2, 29);
        assert_eq!(birth.age_on(date(2017, 2, 28)), 16);
        assert_eq!(birth.age_on(date(2017, 3, 1)), 17);
        assert_eq!(birth.age_on(date(2020, 2, 28)), 19);
        assert_eq!(birth.age_on(date(2020, 2, 29)), 20);
    }

    #[test]
    fn epoch_day_numbers_match_known_dates() {
        assert_eq!(date(1970, 1, 1).to_days_since_epoch(), 0);
        assert_eq!(date(1969, 12, 31).to_days_since_epoch(), -1);
        assert_eq!(date(2000, 3, 1).to_days_since_epoch(), 11_017);
        assert_eq!(date(2025, 1, 1).to_days_since_epoch(), 20_089);
        assert_eq!(Date::from_days_since_epoch(11_016), Some(date(2000, 2, 29)));
    }

    #[test]
    fn epoch_day_numbers_round_trip_over_the_whole_range() {
        let first = date(1, 1, 1).to_days_since_epoch();
        let last = date(9999, 12, 31).to_days_since_epoch();
        let mut previous: Option<Date> = None;
        for days in first..=last {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.to_days_since_epoch(), days);
            if let Some(p) = previous {
                assert!(p < d);
            }
            previous = Some(d);
        }
        assert_eq!(Date::from_days_since_epoch(first - 1), None);
        assert_eq!(Date::from_days_since_epoch(last + 1), None);
        assert_eq!(Date::from_days_since_epoch(i32::MAX), None);
        assert_eq!(Date::from_days_since_epoch(i32::MIN), None);
    }
}
