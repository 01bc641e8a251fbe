//! NIK, KK and NIP parsing, and ISO dates, on arbitrary text and an arbitrary "today".
//!
//! What must hold: no parser panics; a value that parses formats back to exactly the text it
//! came from (`format_nik`, `format_kk`, `format_nip`, `Date`'s `Display`), so one person or
//! family card has one spelling; the NIK's shape check agrees with the full parse; a date
//! survives the round trip through days since 1970.
//!
//! The first two input bytes pick "today" (a day between 1950 and 2129), the next four an
//! arbitrary day count for the day arithmetic, the rest is the text.

#![no_main]

use ikd_core::date::Date;
use ikd_core::nik::check_nik_shape;
use ikd_core::{format_kk, format_nik, format_nip, parse_kk, parse_nik, parse_nip};
use libfuzzer_sys::fuzz_target;

/// 1950-01-01, as days since 1970-01-01.
const FIRST_TODAY: i32 = -7305;

fuzz_target!(|data: &[u8]| {
    let Some((today, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let today = Date::from_days_since_epoch(FIRST_TODAY + i32::from(u16::from_le_bytes(*today)))
        .expect("1950..2129 is within the calendar");
    let Some((days, rest)) = rest.split_first_chunk::<4>() else {
        return;
    };
    let days = i32::from_le_bytes(*days);
    if let Some(date) = Date::from_days_since_epoch(days) {
        assert_eq!(date.to_days_since_epoch(), days);
        assert_eq!(date.to_string().parse::<Date>(), Ok(date));
        let _ = date.age_on(today);
    }
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();

    match parse_nik(text, today) {
        Ok(info) => {
            assert_eq!(info.nik, text);
            let written = format_nik(info.district.code, info.birth_date, info.sex, info.serial);
            assert_eq!(written, text, "a NIK re-formats to itself");
            let shape = check_nik_shape(text, today).expect("a valid NIK has a valid shape");
            assert_eq!(
                (shape.birth_date, shape.sex, shape.serial),
                (info.birth_date, info.sex, info.serial)
            );
            assert!(
                info.birth_date <= today,
                "nobody with a NIK is born after today"
            );
        }
        Err(error) => {
            let _ = (error.code(), error.to_string());
        }
    }
    if let Ok(shape) = check_nik_shape(text, today) {
        assert!(shape.birth_date <= today);
        assert!((1..=9999).contains(&shape.serial));
    }

    match parse_kk(text, today) {
        Ok(info) => {
            assert_eq!(info.kk, text);
            assert!(
                info.issue_date <= today,
                "no family card is issued after today"
            );
            let written = format_kk(info.district.code, info.issue_date, info.serial);
            assert_eq!(written, text, "a KK number re-formats to itself");
        }
        Err(error) => {
            let _ = (error.code(), error.to_string());
        }
    }

    match parse_nip(text) {
        Ok(info) => {
            assert_eq!(info.nip, text);
            let written = format_nip(info.birth_date, info.appointment, info.sex, info.serial);
            assert_eq!(written, text, "a NIP re-formats to itself");
        }
        Err(error) => {
            let _ = (error.code(), error.to_string());
        }
    }

    if let Ok(date) = text.parse::<Date>() {
        assert_eq!(date.to_string(), text, "an ISO date re-formats to itself");
        assert_eq!(
            Date::from_days_since_epoch(date.to_days_since_epoch()),
            Some(date)
        );
    }
});
