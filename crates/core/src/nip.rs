//! The NIP (Nomor Induk Pegawai), the 18-digit number of a civil servant (ASN) issued by BKN:
//!
//! ```text
//! YYYYMMDD  YYYYMM  S  NNN
//! 19900705  201503  2  001   born 1990-07-05, appointed (TMT CPNS) March 2015, woman, serial 001
//! ```
//!
//! [`parse_nip`] checks, in this order: format (18 ASCII digits), birth date, appointment
//! month, that the appointment comes at 18 or older (code "date" as well), the sex digit, the
//! serial. A NIP carries a four-digit year, so unlike the NIK no `today` is needed.

use std::fmt;

use crate::date::Date;
use crate::nik::{Sex, is_ascii_digits, number};

/// Youngest age at which a candidate can be appointed (TMT CPNS).
const MIN_APPOINTMENT_AGE: u32 = 18;

/// What a valid NIP says about the civil servant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NipInfo {
    /// The 18 digits as given.
    pub nip: String,
    pub birth_date: Date,
    /// TMT CPNS: the first day of the appointment month (a TMT always falls on the 1st, and
    /// the NIP records only the month).
    pub appointment: Date,
    pub sex: Sex,
    /// 1..=999
    pub serial: u16,
}

/// Why a text is not a valid NIP. [`NipError::code`] is stable: "format" | "date" | "sex" |
/// "serial". Displays as "Indonesian (English)".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    /// Not exactly 18 ASCII digits.
    Format,
    /// Digits 1–8 are no real date.
    BirthDate,
    /// Digits 9–14 are no real year and month.
    Appointment,
    /// The appointment month starts before the 18th birthday.
    AppointedUnderage,
    /// Digit 15 is neither 1 (man) nor 2 (woman).
    Sex,
    /// The last three digits are 000.
    Serial,
}

impl NipError {
    pub fn code(&self) -> &'static str {
        match self {
            NipError::Format => "format",
            NipError::BirthDate | NipError::Appointment | NipError::AppointedUnderage => "date",
            NipError::Sex => "sex",
            NipError::Serial => "serial",
        }
    }

    /// The message for the holder, in plain Bahasa Indonesia.
    pub fn message_id(&self) -> String {
        let fixed = match self {
            NipError::Format => "NIP harus terdiri dari 18 angka",
            NipError::BirthDate => "Tanggal lahir pada NIP (angka ke-1 sampai ke-8) tidak valid",
            NipError::Appointment => {
                "Bulan pengangkatan (TMT CPNS) pada NIP (angka ke-9 sampai ke-14) tidak valid"
            }
            NipError::AppointedUnderage => {
                return format!(
                    "TMT CPNS pada NIP harus paling cepat pada usia {MIN_APPOINTMENT_AGE} tahun"
                );
            }
            NipError::Sex => {
                "Angka jenis kelamin pada NIP (angka ke-15) harus 1 (laki-laki) atau 2 (perempuan)"
            }
            NipError::Serial => "Nomor urut pada NIP (3 angka terakhir) tidak boleh 000",
        };
        fixed.to_owned()
    }

    /// The same message in English.
    pub fn message_en(&self) -> String {
        let fixed = match self {
            NipError::Format => "A NIP must consist of 18 digits",
            NipError::BirthDate => {
                "The date of birth in the NIP (digits 1 to 8) is not a valid date"
            }
            NipError::Appointment => {
                "The appointment month (TMT CPNS) in the NIP (digits 9 to 14) is not valid"
            }
            NipError::AppointedUnderage => {
                return format!(
                    "The appointment (TMT CPNS) in the NIP cannot be before the age of \
                     {MIN_APPOINTMENT_AGE}"
                );
            }
            NipError::Sex => "The sex digit in the NIP (digit 15) must be 1 (male) or 2 (female)",
            NipError::Serial => "The serial number in the NIP (the last 3 digits) cannot be 000",
        };
        fixed.to_owned()
    }
}

impl fmt::Display for NipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message_id(), self.message_en())
    }
}

/// Parses and validates a NIP.
pub fn parse_nip(text: &str) -> Result<NipInfo, NipError> {
    if !is_ascii_digits(text, 18) {
        return Err(NipError::Format);
    }
    let birth_date = date(&text[0..4], &text[4..6], &text[6..8]).ok_or(NipError::BirthDate)?;
    let appointment = date(&text[8..12], &text[12..14], "01").ok_or(NipError::Appointment)?;
    if birth_date.age_on(appointment) < MIN_APPOINTMENT_AGE {
        return Err(NipError::AppointedUnderage);
    }
    let sex = match &text[14..15] {
        "1" => Sex::Male,
        "2" => Sex::Female,
        _ => return Err(NipError::Sex),
    };
    let serial = number(&text[15..18]);
    if serial == 0 {
        return Err(NipError::Serial);
    }
    Ok(NipInfo {
        nip: text.to_owned(),
        birth_date,
        appointment,
        sex,
        serial,
    })
}

fn date(year: &str, month: &str, day: &str) -> Option<Date> {
    let month = u8::try_from(number(month)).ok()?;
    let day = u8::try_from(number(day)).ok()?;
    Date::new(i32::from(number(year)), month, day)
}

/// Writes the NIP for a birth date, an appointment (only its year and month are written), a
/// sex and a serial. It parses back with [`parse_nip`] when the appointment is on the 1st,
/// at 18 or older.
///
/// # Panics
/// When `serial` is outside 1..=999: the caller's bug, and a wrong NIP must never be written.
pub fn format_nip(birth_date: Date, appointment: Date, sex: Sex, serial: u16) -> String {
    assert!(
        (1..=999).contains(&serial),
        "format_nip: serial {serial} outside 1..=999"
    );
    let sex_digit = match sex {
        Sex::Male => 1,
        Sex::Female => 2,
    };
    format!(
        "{:04}{:02}{:02}{:04}{:02}{sex_digit}{serial:03}",
        birth_date.year(),
        birth_date.month(),
        birth_date.day(),
        appointment.year(),
        appointment.month()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::date;

    #[test]
    fn a_valid_nip_is_read_field_by_field() {
        let info = parse_nip("199007052015032001").unwrap();
        assert_eq!(info.nip, "199007052015032001");
        assert_eq!(info.birth_date, date(1990, 7, 5));
        assert_eq!(info.appointment, date(2015, 3, 1));
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(info.serial, 1);
        assert_eq!(parse_nip("199007052015031999").unwrap().sex, Sex::Male);
    }

    #[test]
    fn anything_but_eighteen_ascii_digits_is_a_format_error() {
        for text in [
            "",
            "19900705201503200",
            "1990070520150320011",
            "19900705 201503 2 001",
            "19900705201503200I",
            "١٩٩٠٠٧٠٥٢٠١٥٠٣٢٠٠١",
        ] {
            assert_eq!(parse_nip(text), Err(NipError::Format), "{text:?}");
        }
    }

    #[test]
    fn impossible_birth_dates_are_date_errors() {
        for text in [
            "199013052015032001",
            "199007002015032001",
            "199002302015032001",
            "200102292025032001",
            "000007052015032001",
        ] {
            assert_eq!(parse_nip(text), Err(NipError::BirthDate), "{text}");
        }
        assert_eq!(
            parse_nip("200002292025032001").unwrap().birth_date,
            date(2000, 2, 29)
        );
    }

    #[test]
    fn an_impossible_appointment_month_is_a_date_error() {
        for text in [
            "199007052015002001",
            "199007052015132001",
            "199007050000032001",
        ] {
            let err = parse_nip(text).unwrap_err();
            assert_eq!(err, NipError::Appointment, "{text}");
            assert_eq!(err.code(), "date");
        }
    }

    #[test]
    fn appointment_before_the_eighteenth_birthday_is_a_date_error() {
        // Born 1990-07-05: 18 on 2008-07-05, so TMT 2008-08-01 is the first possible month.
        assert_eq!(
            parse_nip("199007052008072001"),
            Err(NipError::AppointedUnderage)
        );
        assert!(parse_nip("199007052008082001").is_ok());
        // Born on the 1st: TMT on the 18th birthday itself is allowed.
        assert!(parse_nip("199007012008072001").is_ok());
        // Appointment before birth.
        assert_eq!(parse_nip("199007051980012001").unwrap_err().code(), "date");
    }

    #[test]
    fn the_sex_digit_is_one_or_two() {
        for digit in ['0', '3', '9'] {
            let text = format!("19900705201503{digit}001");
            let err = parse_nip(&text).unwrap_err();
            assert_eq!((err.clone(), err.code()), (NipError::Sex, "sex"), "{text}");
        }
    }

    #[test]
    fn serial_zero_is_a_serial_error() {
        assert_eq!(parse_nip("199007052015032000"), Err(NipError::Serial));
        assert_eq!(parse_nip("199007052015032999").unwrap().serial, 999);
    }

    #[test]
    fn problems_are_reported_in_digit_order() {
        assert_eq!(
            parse_nip("199013052015139000").unwrap_err(),
            NipError::BirthDate
        );
        assert_eq!(
            parse_nip("199007052015139000").unwrap_err(),
            NipError::Appointment
        );
        assert_eq!(parse_nip("199007052015039000").unwrap_err(), NipError::Sex);
    }

    #[test]
    fn format_nip_writes_what_parse_nip_reads() {
        assert_eq!(
            format_nip(date(1990, 7, 5), date(2015, 3, 1), Sex::Female, 1),
            "199007052015032001"
        );
        for (birth, appointment, sex, serial) in [
            (date(1990, 7, 5), date(2015, 3, 1), Sex::Female, 1),
            (date(1965, 12, 31), date(1990, 1, 1), Sex::Male, 999),
            (date(2000, 2, 29), date(2018, 3, 1), Sex::Female, 42),
        ] {
            let info = parse_nip(&format_nip(birth, appointment, sex, serial)).unwrap();
            assert_eq!(
                (info.birth_date, info.appointment, info.sex, info.serial),
                (birth, appointment, sex, serial)
            );
        }
    }

    #[test]
    fn errors_read_in_indonesian_then_english_without_a_final_period() {
        for err in [
            NipError::Format,
            NipError::BirthDate,
            NipError::Appointment,
            NipError::AppointedUnderage,
            NipError::Sex,
            NipError::Serial,
        ] {
            assert!(err.to_string().starts_with(&err.message_id()));
            if err == NipError::AppointedUnderage {
                assert_eq!(
                    err.to_string(),
                    "TMT CPNS pada NIP harus paling cepat pada usia 18 tahun (The appointment \
                     (TMT CPNS) in the NIP cannot be before the age of 18)"
                );
            }
            assert!(!err.message_id().ends_with('.') && !err.message_en().ends_with('.'));
        }
    }
}
