//! The KK number (Nomor Kartu Keluarga), the 16-digit number of a family card:
//!
//! ```text
//! PP KK CC  DDMMYY  SSSS
//! 32 76 01  120315  0042   district 32.76.01, issued 12-03-2015, serial 0042
//! ```
//!
//! The layout is the NIK's, but the date is the issue date and carries no sex (no +40).
//! [`parse_kk`] checks format, region, issue date, serial, in that order (left to right, as
//! for the NIK). The two-digit year is 20YY unless 20YY is after today's year, then 19YY; a
//! date later in the current year is not moved a century back as a NIK's birth date is
//! (nobody's family card is a hundred years old) but refused: a card cannot be issued in the
//! future.

use std::fmt;

use crate::date::Date;
use crate::nik::{
    checked_region_digits, is_ascii_digits, number, two_digit_year, year_from_two_digits,
};
use crate::region::{self, District, Province, Regency, UnknownRegion};

/// What a valid KK number says about the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KkInfo {
    /// The 16 digits as given.
    pub kk: String,
    pub province: &'static Province,
    pub regency: &'static Regency,
    pub district: &'static District,
    pub issue_date: Date,
    /// 1..=9999
    pub serial: u16,
}

/// Why a text is not a valid KK number. [`KkError::code`] is stable; the messages are for the
/// holder. Displays as "Indonesian (English)".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KkError {
    /// Not exactly 16 ASCII digits.
    Format,
    /// Digits 1–6 name no real province, regency or district.
    Region(UnknownRegion),
    /// Digits 7–12 are no real date.
    Date,
    /// Digits 7–12 are a real date after `today` (code "date" as well).
    IssuedInFuture,
    /// The last four digits are 0000.
    Serial,
}

impl KkError {
    /// "format" | "region" | "date" | "serial", as for the NIK.
    pub fn code(&self) -> &'static str {
        match self {
            KkError::Format => "format",
            KkError::Region(_) => "region",
            KkError::Date | KkError::IssuedInFuture => "date",
            KkError::Serial => "serial",
        }
    }

    /// The message for the holder, in plain Bahasa Indonesia.
    pub fn message_id(&self) -> String {
        match self {
            KkError::Format => "Nomor KK harus terdiri dari 16 angka".to_owned(),
            KkError::Region(unknown) => format!(
                "Kode {} {} pada nomor KK tidak terdaftar",
                unknown.level.name_id(),
                unknown.code
            ),
            KkError::Date => {
                "Tanggal terbit pada nomor KK (angka ke-7 sampai ke-12) tidak valid".to_owned()
            }
            KkError::IssuedInFuture => {
                "Tanggal terbit pada nomor KK tidak boleh di masa depan".to_owned()
            }
            KkError::Serial => {
                "Nomor urut pada nomor KK (4 angka terakhir) tidak boleh 0000".to_owned()
            }
        }
    }

    /// The same message in English.
    pub fn message_en(&self) -> String {
        match self {
            KkError::Format => "A KK number must consist of 16 digits".to_owned(),
            KkError::Region(unknown) => format!(
                "The {} code {} in the KK number does not exist",
                unknown.level.name_en(),
                unknown.code
            ),
            KkError::Date => {
                "The issue date in the KK number (digits 7 to 12) is not a valid date".to_owned()
            }
            KkError::IssuedInFuture => {
                "The issue date in the KK number cannot be in the future".to_owned()
            }
            KkError::Serial => {
                "The serial number in the KK number (the last 4 digits) cannot be 0000".to_owned()
            }
        }
    }
}

impl fmt::Display for KkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message_id(), self.message_en())
    }
}

/// Parses and validates a KK number against the real region codes; `today` decides the
/// century of the issue year and bounds the issue date.
pub fn parse_kk(text: &str, today: Date) -> Result<KkInfo, KkError> {
    if !is_ascii_digits(text, 16) {
        return Err(KkError::Format);
    }
    let region = region::nik_region(&text[0..6]).map_err(KkError::Region)?;

    let (Ok(day), Ok(month)) = (
        u8::try_from(number(&text[6..8])),
        u8::try_from(number(&text[8..10])),
    ) else {
        return Err(KkError::Date);
    };
    let year = year_from_two_digits(number(&text[10..12]), today);
    let issue_date = Date::new(year, month, day).ok_or(KkError::Date)?;
    if issue_date > today {
        return Err(KkError::IssuedInFuture);
    }

    let serial = number(&text[12..16]);
    if serial == 0 {
        return Err(KkError::Serial);
    }
    Ok(KkInfo {
        kk: text.to_owned(),
        province: region.province,
        regency: region.regency,
        district: region.district,
        issue_date,
        serial,
    })
}

/// Writes the KK number for a district code ("32.76.01"), an issue date and a serial; it
/// parses back with [`parse_kk`] whenever the issue date lies within the current and the
/// previous 99 years up to `today`.
///
/// # Panics
/// When `district_code` is not shaped like "32.76.01" or `serial` is outside 1..=9999.
pub fn format_kk(district_code: &str, issue_date: Date, serial: u16) -> String {
    let region = checked_region_digits("format_kk", district_code, serial);
    format!(
        "{region}{:02}{:02}{:02}{serial:04}",
        issue_date.day(),
        issue_date.month(),
        two_digit_year(issue_date.year())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::{date, today};
    use crate::region::RegionLevel;

    fn error(text: &str) -> KkError {
        parse_kk(text, today()).unwrap_err()
    }

    #[test]
    fn a_valid_kk_number_is_read_field_by_field() {
        let info = parse_kk("3276011203150042", today()).unwrap();
        assert_eq!(info.kk, "3276011203150042");
        assert_eq!(info.province.name, "Jawa Barat");
        assert_eq!(info.regency.name, "Kota Depok");
        assert_eq!(info.district.code, "32.76.01");
        assert_eq!(info.issue_date, date(2015, 3, 12));
        assert_eq!(info.serial, 42);
    }

    #[test]
    fn anything_but_sixteen_ascii_digits_is_a_format_error() {
        for text in [
            "",
            "327601120315004",
            "32760112031500421",
            "3276011203150O42",
            "٣٢٧٦٠١١٢٠٣١٥٠٠٤٢",
        ] {
            assert_eq!(error(text), KkError::Format, "{text:?}");
        }
    }

    #[test]
    fn unknown_regions_are_region_errors() {
        let level = |text| match error(text) {
            KkError::Region(unknown) => unknown.level,
            other => panic!("{other:?}"),
        };
        assert_eq!(level("9976011203150042"), RegionLevel::Province);
        assert_eq!(level("3299011203150042"), RegionLevel::Regency);
        assert_eq!(level("3276991203150042"), RegionLevel::District);
    }

    #[test]
    fn the_issue_day_has_no_forty_added() {
        assert_eq!(error("3276015203150042"), KkError::Date);
        assert_eq!(error("3276010003150042"), KkError::Date);
        assert_eq!(error("3276011213150042"), KkError::Date);
        assert_eq!(error("3276012902150042"), KkError::Date);
        assert_eq!(
            parse_kk("3276012902160042", today()).unwrap().issue_date,
            date(2016, 2, 29)
        );
    }

    #[test]
    fn an_issue_date_after_today_is_refused_not_moved_a_century_back() {
        assert_eq!(
            parse_kk("3276011506250042", today()).unwrap().issue_date,
            today()
        );
        let err = error("3276011606250042");
        assert_eq!(err, KkError::IssuedInFuture);
        assert_eq!(err.code(), "date");
    }

    #[test]
    fn a_two_digit_year_after_this_year_is_last_century() {
        assert_eq!(
            parse_kk("3276010101260042", today()).unwrap().issue_date,
            date(1926, 1, 1)
        );
        assert_eq!(
            parse_kk("3276010101990042", today()).unwrap().issue_date,
            date(1999, 1, 1)
        );
    }

    #[test]
    fn serial_zero_is_a_serial_error() {
        assert_eq!(error("3276011203150000"), KkError::Serial);
    }

    #[test]
    fn problems_are_reported_in_digit_order() {
        assert_eq!(error("9999991313000000").code(), "region");
        assert_eq!(error("3276011313000000").code(), "date");
    }

    #[test]
    fn format_kk_writes_what_parse_kk_reads() {
        assert_eq!(
            format_kk("32.76.01", date(2015, 3, 12), 42),
            "3276011203150042"
        );
        for (district, issue_date, serial) in [
            ("32.76.01", date(2015, 3, 12), 42),
            ("11.01.01", date(2000, 2, 29), 1),
            ("31.71.01", today(), 9999),
            ("32.76.11", date(1987, 11, 30), 500),
        ] {
            let info = parse_kk(&format_kk(district, issue_date, serial), today()).unwrap();
            assert_eq!(
                (info.district.code, info.issue_date, info.serial),
                (district, issue_date, serial)
            );
        }
    }

    #[test]
    fn errors_have_stable_codes_and_messages_in_both_languages() {
        assert_eq!(
            KkError::Format.message_id(),
            "Nomor KK harus terdiri dari 16 angka"
        );
        assert_eq!(
            error("3299011203150042").message_id(),
            "Kode kabupaten/kota 32.99 pada nomor KK tidak terdaftar"
        );
        assert_eq!(
            KkError::Serial.to_string(),
            "Nomor urut pada nomor KK (4 angka terakhir) tidak boleh 0000 (The serial number in the KK number (the last 4 digits) cannot be 0000)"
        );
    }
}
