//! The part of the roster import that needs no database: reading the CSV (its separator,
//! header, quoting) and the format, unit and duplicate checks of every row. Kept free of IO
//! and of the rest of the service so that the fuzz target `roster_csv` (fuzz/) compiles this
//! very file on its own; it may use only std, `csv` and `ikd_core`.

use std::collections::HashSet;

use ikd_core::console_api::{BadRosterRow, Drive, RosterProblem};
use ikd_core::date::Date;
use ikd_core::{parse_nik, parse_nip};

/// Units as the roster will name them: trimmed, upper case, each once.
pub fn normalise_unit(unit: &str) -> String {
    unit.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// A row that passed the checks that need no database.
#[derive(Debug)]
pub struct Candidate {
    pub line: u64,
    pub nip: String,
    pub nik: String,
    pub name: String,
    pub unit: String,
}

/// What the checks without a database found: data rows (header and blank lines not
/// counted), the rows that passed, and the rows that did not, with their reasons.
#[derive(Debug)]
pub struct OfflineCheck {
    pub rows: u64,
    pub candidates: Vec<Candidate>,
    pub bad: Vec<BadRosterRow>,
}

pub fn bad_row(
    line: u64,
    nip: &str,
    nik: &str,
    name: &str,
    problem: RosterProblem,
) -> BadRosterRow {
    BadRosterRow {
        line,
        nip: nip.to_owned(),
        nik: nik.to_owned(),
        name: name.to_owned(),
        problem,
        message: problem.message_id().to_owned(),
        message_en: problem.message_en().to_owned(),
    }
}

/// The separator the file uses, read from its first non-empty line: a spreadsheet set to
/// Indonesian saves CSV with `;` (the decimal comma takes `,`), and some export tabs. A
/// comma unless another separator is clearly the one splitting that line.
pub fn delimiter_of(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

/// Format, unit and duplicate checks; duplicates count against rows imported earlier too.
pub fn check_offline(
    text: &str,
    drive: &Drive,
    today: Date,
    mut seen_nik: HashSet<String>,
    mut seen_nip: HashSet<String>,
) -> OfflineCheck {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter_of(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut check = OfflineCheck {
        rows: 0,
        candidates: Vec::new(),
        bad: Vec::new(),
    };
    let mut first = true;
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                // A broken quote: the rest of the file cannot be split into rows reliably.
                check.rows += 1;
                check
                    .bad
                    .push(bad_row(line, "", "", "", RosterProblem::Columns));
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let is_header = first && record.get(0).is_some_and(|f| f.eq_ignore_ascii_case("nip"));
        first = false;
        if is_header {
            continue;
        }
        check.rows += 1;
        let field = |i: usize| record.get(i).unwrap_or("").to_owned();
        let (nip, nik, name, unit) = (field(0), field(1), field(2), field(3));
        let problem = if record.len() != 4 {
            Some(RosterProblem::Columns)
        } else if name.is_empty() {
            Some(RosterProblem::MissingName)
        } else if parse_nik(&nik, today).is_err() {
            Some(RosterProblem::BadNik)
        } else if parse_nip(&nip).is_err() {
            Some(RosterProblem::BadNip)
        } else if !drive.units.is_empty() && !drive.units.contains(&normalise_unit(&unit)) {
            Some(RosterProblem::UnknownUnit)
        } else if seen_nik.contains(&nik) || seen_nip.contains(&nip) {
            Some(RosterProblem::Duplicate)
        } else {
            None
        };
        match problem {
            Some(problem) => check.bad.push(bad_row(line, &nip, &nik, &name, problem)),
            None => {
                seen_nik.insert(nik.clone());
                seen_nip.insert(nip.clone());
                check.candidates.push(Candidate {
                    line,
                    nip,
                    nik,
                    name,
                    unit: normalise_unit(&unit),
                });
            }
        }
    }
    check
}
