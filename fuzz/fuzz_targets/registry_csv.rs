//! A registry extract CSV (the header of `crates/server/src/registry/csv_import.rs`) through
//! the service's own row reading and checks: `crates/server/src/registry/csv_rows.rs` and
//! `model.rs`, compiled here as they are in the service (the import then only adds photo
//! files and the database).
//!
//! What must hold: nothing panics; every record of the file comes out, accepted or refused
//! with its line (nothing is silently dropped); an accepted row's NIK and KK number are valid
//! and agree with its birth date, sex and village.

#![no_main]

#[path = "../../crates/server/src/registry/csv_rows.rs"]
#[allow(dead_code)]
mod csv_rows;
#[path = "../../crates/server/src/registry/model.rs"]
#[allow(dead_code)]
mod model;

use ikd_core::date::Date;
use ikd_core::{parse_kk, parse_nik};
use libfuzzer_sys::fuzz_target;

fn reader(data: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(data)
}

fuzz_target!(|data: &[u8]| {
    let today = Date::new(2026, 11, 22).expect("a date");
    let records = reader(data).records().count();
    let mut rows = reader(data);
    let mut count = 0;
    let mut last_line = 1;
    for (line, checked) in csv_rows::checked_rows(&mut rows, today) {
        count += 1;
        assert!(line > last_line, "lines come in order, after the header");
        last_line = line;
        let Ok((person, family, _photo)) = checked else {
            continue;
        };
        let nik = parse_nik(&person.nik, today).expect("an accepted NIK is valid");
        assert_eq!((nik.birth_date, nik.sex), (person.birth_date, person.sex));
        let kk = parse_kk(&family.kk_number, today).expect("an accepted KK number is valid");
        assert_eq!(person.kk_number, family.kk_number);
        assert!(family.village_code.starts_with(kk.district.code));
    }
    assert_eq!(count, records, "every record is accepted or refused");
});
