//! A drive's roster CSV (`nip,nik,nama,unit`, comma, semicolon or tab separated), through the
//! service's own checks that need no database: `crates/server/src/officer/drives/roster_csv.rs`,
//! compiled here as it is in the service.
//!
//! What must hold: nothing panics; every data row is either a candidate or reported as bad
//! (nothing is lost: rows = candidates + bad rows); candidates carry a valid NIK and NIP, each
//! NIK and NIP once, a unit the drive has, and come in file order.
//!
//! The first input byte picks the drive: any unit, or only "DINAS KESEHATAN", and whether one
//! NIK is already on the roster. The rest is the uploaded file, refused as the service
//! refuses it unless it is UTF-8 (a leading BOM is dropped).

#![no_main]

#[path = "../../crates/server/src/officer/drives/roster_csv.rs"]
#[allow(dead_code)]
mod roster_csv;

use std::collections::HashSet;

use ikd_core::console_api::Drive;
use ikd_core::date::Date;
use ikd_core::{parse_nik, parse_nip};
use libfuzzer_sys::fuzz_target;

const ON_ROSTER: &str = "3276011205900001";

fn drive(units: &[&str]) -> Drive {
    Drive {
        id: 1,
        name: "Uji".into(),
        agency: "PEMERINTAH KOTA DEPOK".into(),
        units: units.iter().map(|u| (*u).to_owned()).collect(),
        place: "Balai Kota".into(),
        starts_on: "2026-11-23".into(),
        ends_on: "2026-11-23".into(),
        region_code: "32.76".into(),
        desk_id: 1,
        created_by: 1,
        created_at: 0,
        officers: vec![],
        on_roster: 0,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let drive = if selector & 1 == 1 {
        drive(&["DINAS KESEHATAN"])
    } else {
        drive(&[])
    };
    let seen_nik: HashSet<String> = if selector & 2 == 2 {
        HashSet::from([ON_ROSTER.to_owned()])
    } else {
        HashSet::new()
    };
    let today = Date::new(2026, 11, 22).expect("a date");
    let _ = roster_csv::delimiter_of(text);
    let check = roster_csv::check_offline(text, &drive, today, seen_nik.clone(), HashSet::new());

    assert_eq!(
        check.rows,
        (check.candidates.len() + check.bad.len()) as u64,
        "every data row is a candidate or a bad row"
    );
    let mut niks = seen_nik;
    let mut nips = HashSet::new();
    let mut last_line = 0;
    for c in &check.candidates {
        assert!(c.line > last_line, "candidates in file order, one per line");
        last_line = c.line;
        assert!(parse_nik(&c.nik, today).is_ok(), "candidate with a bad NIK");
        assert!(parse_nip(&c.nip).is_ok(), "candidate with a bad NIP");
        assert!(!c.name.is_empty(), "candidate without a name");
        assert!(niks.insert(c.nik.clone()), "NIK twice among candidates");
        assert!(nips.insert(c.nip.clone()), "NIP twice among candidates");
        assert!(drive.units.is_empty() || drive.units.contains(&c.unit));
        assert_eq!(roster_csv::normalise_unit(&c.unit), c.unit);
    }
    for bad in &check.bad {
        assert!(bad.line >= 1, "a bad row names its line");
    }
});
