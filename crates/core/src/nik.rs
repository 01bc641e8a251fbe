//! The NIK (Nomor Induk Kependudukan), the 16-digit population number:
//!
//! ```text
//! PP KK CC  DDMMYY  SSSS
//! 32 76 01  450790  0003   province 32, regency/city 32.76, district 32.76.01,
//!                          born 05-07-1990 (day + 40: a woman), serial 0003
//! ```
//!
//! [`parse_nik`] checks, in this order, and reports the first failure: the format (16 ASCII
//! digits), the region (province, regency, district all real), the birth date, the serial.
//! The order follows the digits from left to right, so the reported problem is the first one a
//! person reading their NIK would reach.
//!
//! The two-digit birth year is read as 20YY unless that would put the birth after `today`,
//! then as 19YY. "After today" is decided by the full date, not the year alone: on 2025-03-01,
//! "150625" (15 June of YY 25) is 1925-06-15, because nobody with a NIK is born in the future
//! while someone born in June 1925 can hold one. The cost, inherent in two digits, is that
//! people aged 100 or more read as 100 years younger.

mod digits;

/// Digits in a NIK.
pub const NIK_LEN: usize = 16;
mod sex;

pub(crate) use digits::{
    checked_region_digits, is_ascii_digits, number, two_digit_year, year_from_two_digits,
};
pub use sex::Sex;

use std::fmt;

use crate::date::Date;
use crate::region::{self, District, Province, Regency, UnknownRegion};

/// What a valid NIK says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NikInfo {
    /// The 16 digits as given.
    pub nik: String,
    pub province: &'static Province,
    pub regency: &'static Regency,
    pub district: &'static District,
    pub birth_date: Date,
    pub sex: Sex,
    /// 1..=9999
    pub serial: u16,
}

/// Why a text is not a valid NIK. [`NikError::code`] is stable and safe to branch on; the
/// messages are for the holder. Displays as "Indonesian (English)".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// Not exactly 16 ASCII digits.
    Format,
    /// Digits 1–6 name no real province, regency or district.
    Region(UnknownRegion),
    /// Digits 7–12 are no real date: day 00 (40 for women), day past the month's end,
    /// month 00 or 13+, 29 February in a common year.
    Date,
    /// The last four digits are 0000.
    Serial,
}

impl fmt::Display for NikError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message_id(), self.message_en())
    }
}

impl NikError {
    /// "format" | "region" | "date" | "serial": stable, for programs and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            NikError::Format => "format",
            NikError::Region(_) => "region",
            NikError::Date => "date",
            NikError::Serial => "serial",
        }
    }

    /// The message for the holder, in plain Bahasa Indonesia.
    pub fn message_id(&self) -> String {
        match self {
            NikError::Format => "NIK harus terdiri dari 16 angka".to_owned(),
            NikError::Region(unknown) => format!(
                "Kode {} {} pada NIK tidak terdaftar",
                unknown.level.name_id(),
                unknown.code
            ),
            NikError::Date => {
                "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid".to_owned()
            }
            NikError::Serial => {
                "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000".to_owned()
            }
        }
    }

    /// The same message in English.
    pub fn message_en(&self) -> String {
        match self {
            NikError::Format => "A NIK must consist of 16 digits".to_owned(),
            NikError::Region(unknown) => format!(
                "The {} code {} in the NIK does not exist",
                unknown.level.name_en(),
                unknown.code
            ),
            NikError::Date => {
                "The date of birth in the NIK (digits 7 to 12) is not a valid date".to_owned()
            }
            NikError::Serial => {
                "The serial number in the NIK (the last 4 digits) cannot be 0000".to_owned()
            }
        }
    }
}

/// Parses and validates a NIK against the real region codes, with `today` deciding the
/// century of the birth year (see the module documentation). The text must be exactly the 16
/// digits: no spaces, no separators.
pub fn parse_nik(text: &str, today: Date) -> Result<NikInfo, NikError> {
    if !is_ascii_digits(text, 16) {
        return Err(NikError::Format);
    }
    let region = region::nik_region(&text[0..6]).map_err(NikError::Region)?;
    let shape = check_nik_shape(text, today)?;
    Ok(NikInfo {
        nik: text.to_owned(),
        province: region.province,
        regency: region.regency,
        district: region.district,
        birth_date: shape.birth_date,
        sex: shape.sex,
        serial: shape.serial,
    })
}

/// What a NIK says without the region tables: birth date, sex and serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NikShape {
    pub birth_date: Date,
    pub sex: Sex,
    pub serial: u16,
}

/// Every check of [`parse_nik`] except the region lookup. The PWA checks NIKs as they are
/// typed with this, so phones never download the 7,000 districts; the service still checks
/// the region when the NIK arrives.
pub fn check_nik_shape(text: &str, today: Date) -> Result<NikShape, NikError> {
    if !is_ascii_digits(text, 16) {
        return Err(NikError::Format);
    }
    let coded_day = number(&text[6..8]);
    let (sex, day) = if coded_day > 40 {
        (Sex::Female, coded_day - 40)
    } else {
        (Sex::Male, coded_day)
    };
    let month = number(&text[8..10]);
    let (Ok(day), Ok(month)) = (u8::try_from(day), u8::try_from(month)) else {
        return Err(NikError::Date);
    };
    let mut year = year_from_two_digits(number(&text[10..12]), today);
    if year == today.year() && (month, day) > (today.month(), today.day()) {
        year -= 100;
    }
    let birth_date = Date::new(year, month, day).ok_or(NikError::Date)?;
    let serial = number(&text[12..16]);
    if serial == 0 {
        return Err(NikError::Serial);
    }
    Ok(NikShape {
        birth_date,
        sex,
        serial,
    })
}

/// Writes the NIK for a district code ("32.76.01"), a birth date, a sex and a serial. The
/// result parses back to the same values with [`parse_nik`] whenever the birth date lies
/// within the hundred years up to `today` and the district is real.
///
/// # Panics
/// When `district_code` is not shaped like "32.76.01" or `serial` is outside 1..=9999: both
/// are the caller's bug, and a wrong NIK must never be written.
pub fn format_nik(district_code: &str, birth_date: Date, sex: Sex, serial: u16) -> String {
    let region = checked_region_digits("format_nik", district_code, serial);
    let day = match sex {
        Sex::Male => birth_date.day(),
        Sex::Female => birth_date.day() + 40,
    };
    format!(
        "{region}{day:02}{:02}{:02}{serial:04}",
        birth_date.month(),
        two_digit_year(birth_date.year())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::{date, today};
    use crate::region::RegionLevel;

    fn error(text: &str) -> NikError {
        parse_nik(text, today()).unwrap_err()
    }

    #[test]
    fn a_valid_nik_of_a_woman_from_depok_is_read_field_by_field() {
        let info = parse_nik("3276014507900003", today()).unwrap();
        assert_eq!(info.nik, "3276014507900003");
        assert_eq!(info.province.code, "32");
        assert_eq!(info.province.name, "Jawa Barat");
        assert_eq!(info.regency.code, "32.76");
        assert_eq!(info.regency.name, "Kota Depok");
        assert_eq!(info.district.code, "32.76.01");
        assert_eq!(info.district.name, "Pancoran Mas");
        assert_eq!(info.birth_date, date(1990, 7, 5));
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(info.serial, 3);
    }

    #[test]
    fn a_day_without_forty_added_is_a_man() {
        let info = parse_nik("3276010507900003", today()).unwrap();
        assert_eq!(info.sex, Sex::Male);
        assert_eq!(info.birth_date, date(1990, 7, 5));
    }

    #[test]
    fn anything_but_sixteen_ascii_digits_is_a_format_error() {
        for text in [
            "",
            "327601450790000",
            "32760145079000031",
            "3276 14507900003",
            "3276-01-450790-0003",
            " 3276014507900003",
            "3276014507900003\n",
            "327601450790000X",
            // Arabic-Indic and full-width digits look like a NIK but are not one.
            "٣٢٧٦٠١٤٥٠٧٩٠٠٠٠٣",
            "３２７６０１４５０７９０００３",
            "３２７６０１",
        ] {
            assert_eq!(error(text), NikError::Format, "{text:?}");
        }
    }

    #[test]
    fn unknown_province_regency_or_district_is_a_region_error() {
        let level = |text| match error(text) {
            NikError::Region(unknown) => unknown.level,
            other => panic!("{other:?}"),
        };
        assert_eq!(level("9976014507900003"), RegionLevel::Province);
        assert_eq!(level("0076014507900003"), RegionLevel::Province);
        assert_eq!(level("3299014507900003"), RegionLevel::Regency);
        assert_eq!(level("3276994507900003"), RegionLevel::District);
        assert_eq!(level("3276004507900003"), RegionLevel::District);
    }

    #[test]
    fn the_leap_day_is_valid_only_in_leap_years() {
        let info = parse_nik("3276012902000001", today()).unwrap();
        assert_eq!(info.birth_date, date(2000, 2, 29));
        assert_eq!(error("3276012902010001"), NikError::Date);
        // A woman born on the leap day: 29 + 40 = 69.
        let info = parse_nik("3276016902000001", today()).unwrap();
        assert_eq!(
            (info.birth_date, info.sex),
            (date(2000, 2, 29), Sex::Female)
        );
    }

    #[test]
    fn forty_is_added_to_the_day_for_women() {
        let info = parse_nik("3276014501900001", today()).unwrap();
        assert_eq!(info.birth_date.day(), 5);
        assert_eq!(info.sex, Sex::Female);
        let info = parse_nik("3276017101900001", today()).unwrap();
        assert_eq!(info.birth_date.day(), 31);
        assert_eq!(info.sex, Sex::Female);
    }

    #[test]
    fn impossible_days_and_months_are_date_errors() {
        for (text, why) in [
            ("3276010007900001", "day 00"),
            ("3276014007900001", "day 40 = a woman's day 00"),
            ("3276017207900001", "day 72 = a woman's day 32"),
            ("3276013207900001", "day 32"),
            (
                "3276013507900001",
                "day 35, neither a man's nor a woman's day",
            ),
            ("3276019907900001", "day 99"),
            ("3276013104900001", "31 April"),
            ("3276017104900001", "a woman's 31 April"),
            ("3276010513900001", "month 13"),
            ("3276010500900001", "month 00"),
            ("3276013002000001", "30 February"),
        ] {
            assert_eq!(error(text), NikError::Date, "{why}");
        }
    }

    #[test]
    fn serial_zero_is_a_serial_error_and_9999_is_valid() {
        assert_eq!(error("3276014507900000"), NikError::Serial);
        assert_eq!(parse_nik("3276014507909999", today()).unwrap().serial, 9999);
    }

    #[test]
    fn problems_are_reported_in_digit_order() {
        // Unknown region, impossible date and serial 0000 at once: the region comes first.
        assert_eq!(error("9999997213000000").code(), "region");
        // Impossible date and serial 0000: the date comes first.
        assert_eq!(error("3276017213000000").code(), "date");
    }

    #[test]
    fn the_birth_year_is_this_century_unless_that_is_after_today() {
        // today() is 2025-06-15.
        let year = |text| parse_nik(text, today()).unwrap().birth_date;
        assert_eq!(year("3276011506250001"), date(2025, 6, 15), "born today");
        assert_eq!(year("3276011406250001"), date(2025, 6, 14));
        assert_eq!(
            year("3276011606250001"),
            date(1925, 6, 16),
            "later this year"
        );
        assert_eq!(year("3276010101250001"), date(2025, 1, 1));
        assert_eq!(year("3276010101260001"), date(1926, 1, 1), "next year");
        assert_eq!(year("3276013112240001"), date(2024, 12, 31));
        assert_eq!(year("3276010101000001"), date(2000, 1, 1));
        assert_eq!(year("3276013112990001"), date(1999, 12, 31));
    }

    #[test]
    fn the_century_rule_moves_with_today() {
        let birth = |today| parse_nik("3276010101300001", today).unwrap().birth_date;
        assert_eq!(birth(date(2029, 12, 31)), date(1930, 1, 1));
        assert_eq!(birth(date(2030, 1, 1)), date(2030, 1, 1));
    }

    #[test]
    fn format_nik_writes_what_parse_nik_reads() {
        assert_eq!(
            format_nik("32.76.01", date(1990, 7, 5), Sex::Female, 3),
            "3276014507900003"
        );
        let cases = [
            ("32.76.01", date(1990, 7, 5), Sex::Female, 3),
            ("11.01.01", date(2000, 2, 29), Sex::Male, 1),
            ("11.01.01", date(2000, 2, 29), Sex::Female, 9999),
            ("91.03.01", date(1925, 6, 16), Sex::Male, 42),
            ("31.71.01", date(2025, 6, 15), Sex::Female, 120),
            ("35.29.22", date(1999, 12, 31), Sex::Male, 7),
        ];
        for (district, birth_date, sex, serial) in cases {
            let nik = format_nik(district, birth_date, sex, serial);
            let info = parse_nik(&nik, today()).unwrap();
            assert_eq!(info.district.code, district);
            assert_eq!(
                (info.birth_date, info.sex, info.serial),
                (birth_date, sex, serial)
            );
        }
    }

    #[test]
    fn format_nik_round_trips_for_every_day_of_a_century() {
        let first = date(1925, 6, 16).to_days_since_epoch();
        let last = today().to_days_since_epoch();
        for (i, days) in (first..=last).enumerate() {
            let birth_date = Date::from_days_since_epoch(days).unwrap();
            let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
            let nik = format_nik("32.76.01", birth_date, sex, 1);
            let info = parse_nik(&nik, today()).unwrap();
            assert_eq!((info.birth_date, info.sex), (birth_date, sex), "{nik}");
        }
    }

    #[test]
    #[should_panic(expected = "serial")]
    fn format_nik_refuses_serial_zero() {
        format_nik("32.76.01", date(1990, 7, 5), Sex::Male, 0);
    }

    #[test]
    #[should_panic(expected = "district code")]
    fn format_nik_refuses_a_malformed_district_code() {
        format_nik("327601", date(1990, 7, 5), Sex::Male, 1);
    }

    #[test]
    fn errors_have_stable_codes_and_messages_in_both_languages() {
        let region = error("9976014507900003");
        assert_eq!(
            [
                error("123").code(),
                region.code(),
                error("3276017207900001").code(),
                error("3276014507900000").code(),
            ],
            ["format", "region", "date", "serial"]
        );
        assert_eq!(
            NikError::Format.message_id(),
            "NIK harus terdiri dari 16 angka"
        );
        assert_eq!(
            region.message_id(),
            "Kode provinsi 99 pada NIK tidak terdaftar"
        );
        assert_eq!(
            region.message_en(),
            "The province code 99 in the NIK does not exist"
        );
        assert_eq!(
            region.to_string(),
            "Kode provinsi 99 pada NIK tidak terdaftar (The province code 99 in the NIK does not exist)"
        );
        for err in [NikError::Format, region, NikError::Date, NikError::Serial] {
            assert!(!err.message_id().ends_with('.'));
            assert!(!err.message_en().ends_with('.'));
        }
    }
}
