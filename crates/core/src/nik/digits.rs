//! Digit handling shared by the 16-digit NIK and KK numbers (and the NIP's format check).

use crate::date::Date;

/// True when `text` is exactly `len` ASCII digits. Other Unicode digits (Arabic-Indic,
/// full-width) are refused: the civil registry only issues ASCII numbers, and accepting
/// look-alikes would let two spellings name one person.
pub(crate) fn is_ascii_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// The value of a run of at most four ASCII digits; callers check the digits first.
pub(crate) fn number(digits: &str) -> u16 {
    digits
        .bytes()
        .fold(0, |n, b| n * 10 + u16::from(b.wrapping_sub(b'0')))
}

/// The full year of a two-digit year: in today's century unless that year is still to come,
/// then in the century before. For 2000–2099 this is "20YY, or 19YY when 20YY is after this
/// year".
pub(crate) fn year_from_two_digits(yy: u16, today: Date) -> i32 {
    let century = today.year() - today.year().rem_euclid(100);
    let year = century + i32::from(yy);
    if year > today.year() {
        year - 100
    } else {
        year
    }
}

/// The last two digits of a year, as written in DDMMYY.
pub(crate) fn two_digit_year(year: i32) -> i32 {
    year.rem_euclid(100)
}

/// "32.76.01" → "327601"; `None` unless the code has the shape of a district code.
pub(crate) fn district_digits(district_code: &str) -> Option<String> {
    let b = district_code.as_bytes();
    let shaped = b.len() == 8
        && b[2] == b'.'
        && b[5] == b'.'
        && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit());
    shaped.then(|| district_code.replace('.', ""))
}

/// The checks `format_nik` and `format_kk` make on their arguments, then the region digits
/// of `district_code`.
///
/// # Panics
/// When `district_code` is not shaped like "32.76.01" or `serial` is outside 1..=9999, with
/// a message that names `function`.
pub(crate) fn checked_region_digits(function: &str, district_code: &str, serial: u16) -> String {
    let Some(region) = district_digits(district_code) else {
        panic!("{function}: district code {district_code:?} is not shaped like 32.76.01");
    };
    assert!(
        (1..=9999).contains(&serial),
        "{function}: serial {serial} outside 1..=9999"
    );
    region
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::{date, today};

    #[test]
    fn only_ascii_digits_of_the_exact_length_pass() {
        assert!(is_ascii_digits("0123456789", 10));
        assert!(!is_ascii_digits("012345678", 10));
        assert!(!is_ascii_digits("01234567890", 10));
        assert!(!is_ascii_digits("01234 6789", 10));
        assert!(!is_ascii_digits("٠١٢٣", 4));
        assert!(!is_ascii_digits("０１", 2));
        assert!(!is_ascii_digits("０１", 6));
    }

    #[test]
    fn numbers_are_read_in_decimal() {
        assert_eq!(number("0003"), 3);
        assert_eq!(number("9999"), 9999);
        assert_eq!(number("45"), 45);
    }

    #[test]
    fn two_digit_years_are_never_after_this_year() {
        assert_eq!(year_from_two_digits(25, today()), 2025);
        assert_eq!(year_from_two_digits(0, today()), 2000);
        assert_eq!(year_from_two_digits(26, today()), 1926);
        assert_eq!(year_from_two_digits(99, today()), 1999);
        assert_eq!(year_from_two_digits(5, date(2105, 1, 1)), 2105);
        assert_eq!(year_from_two_digits(6, date(2105, 1, 1)), 2006);
    }

    #[test]
    fn district_codes_lose_their_dots() {
        assert_eq!(district_digits("32.76.01").as_deref(), Some("327601"));
        assert_eq!(district_digits("327601"), None);
        assert_eq!(district_digits("32.76"), None);
        assert_eq!(district_digits("3a.76.01"), None);
    }
}
