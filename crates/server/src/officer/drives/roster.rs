//! Importing a drive's roster (NIP, NIK, name, unit) from CSV. Every data row ends up either
//! imported or in the report with its line and reason; good rows are imported even when some
//! rows are bad. The registry and BKN data are read in batches, so a 100,000-row roster takes
//! a few hundred queries, not a few hundred thousand.

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use ikd_core::console_api::{BadRosterRow, Drive, RosterImportReport, RosterProblem};
use ikd_core::date::Date;
use ikd_core::region;

use super::normalise_unit;
use super::roster_csv::{Candidate, bad_row, check_offline};
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::refusal::Refusal;
use ikd_core::DatabaseKind;

/// Keys per `IN (…)` lookup and rows per INSERT: small enough for SQLite's parameter lookup.
const LOOKUP_CHUNK: usize = 500;
const INSERT_CHUNK: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("the roster is not UTF-8 CSV")]
    NotUtf8,
    #[error("the roster has no data rows")]
    Empty,
    #[error("another import of this drive ran at the same time")]
    Conflict,
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(RosterError);

impl RosterError {
    pub fn refusal(&self) -> Option<Refusal> {
        Some(match self {
            RosterError::NotUtf8 => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "roster-encoding",
                "Berkas daftar harus CSV dengan pengodean UTF-8 (simpan ulang sebagai \"CSV UTF-8\")",
                "The roster must be a UTF-8 CSV file (save it again as \"CSV UTF-8\")",
            ),
            RosterError::Empty => Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "roster-empty",
                "Berkas daftar tidak berisi baris data (kolom: NIP, NIK, nama, unit)",
                "The roster file has no data rows (columns: NIP, NIK, name, unit)",
            ),
            RosterError::Conflict => Refusal::new(
                StatusCode::CONFLICT,
                "roster-conflict",
                "Daftar kegiatan ini sedang diimpor dari layar lain. Impor ulang berkasnya",
                "This drive's roster was being imported elsewhere at the same time. Import the file again",
            ),
            RosterError::Database(_) => return None,
        })
    }
}

/// Reads the CSV, checks every row and imports the good ones in one transaction.
pub async fn import(
    db: &Db,
    drive: &Drive,
    body: &[u8],
    today: Date,
) -> Result<RosterImportReport, RosterError> {
    let text = std::str::from_utf8(body).map_err(|_| RosterError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (already_nik, already_nip) = existing(db, drive.id).await?;
    let checked = check_offline(text, drive, today, already_nik, already_nip);
    if checked.rows == 0 {
        return Err(RosterError::Empty);
    }
    let mut bad = checked.bad;
    let (good, mut registry_bad) = check_registry(db, drive, checked.candidates).await?;
    bad.append(&mut registry_bad);
    bad.sort_by_key(|row| row.line);
    insert(db, drive.id, &good).await?;
    Ok(RosterImportReport {
        rows: checked.rows,
        imported: good.len() as u64,
        bad_rows: bad,
    })
}

async fn existing(db: &Db, drive_id: i64) -> Result<(HashSet<String>, HashSet<String>), DbError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT nik, nip FROM drive_roster WHERE drive_id = $1")
            .bind(drive_id)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().unzip())
}

/// BKN must hold this NIP for this NIK, at the drive's agency, and the person must live inside
/// the drive's region. One question and one answer for every failure: a roster cannot tell
/// "no such person" from "another NIP", "another agency" or "lives elsewhere", so it cannot
/// be used to ask the registry who exists. The lookup itself reads only people inside the
/// drive's region (a code range on where they live), so an import never touches the rest of
/// the national registry.
async fn check_registry(
    db: &Db,
    drive: &Drive,
    candidates: Vec<Candidate>,
) -> Result<(Vec<Candidate>, Vec<BadRosterRow>), DbError> {
    let (below_from, below_to) = region::inside_range(&drive.region_code);
    let mut bkn_of: HashMap<String, (String, String)> = HashMap::with_capacity(candidates.len());
    for chunk in candidates.chunks(LOOKUP_CHUNK) {
        // The region's three parameters come first, so `?` on SQLite binds in order too.
        let [code, from, to] = [1, 2, 3].map(|i| placeholder(db.kind(), i));
        let params = placeholders(db.kind(), 4, chunk.len());
        let servants = format!(
            "SELECT c.nik, c.nip, c.agency FROM registry_civil_servants c \
             JOIN registry_persons p ON p.nik = c.nik \
             WHERE (p.district_code = {code} OR (p.district_code >= {from} \
             AND p.district_code < {to})) AND c.nik IN ({params})"
        );
        let mut query = sqlx::query_as::<_, (String, String, String)>(&servants)
            .bind(&drive.region_code)
            .bind(&below_from)
            .bind(&below_to);
        for candidate in chunk {
            query = query.bind(&candidate.nik);
        }
        bkn_of.extend(
            query
                .fetch_all(db.pool())
                .await?
                .into_iter()
                .map(|(nik, nip, agency)| (nik, (nip, agency))),
        );
    }
    // Agencies as BKN and the drive's form write them may differ in case and spacing only.
    let agency = normalise_unit(&drive.agency);
    let on_record = |c: &Candidate| {
        bkn_of.get(&c.nik).is_some_and(|(nip, their_agency)| {
            *nip == c.nip && normalise_unit(their_agency) == agency
        })
    };
    let (good, bad): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| on_record(c));
    let bad = bad
        .iter()
        .map(|c| bad_row(c.line, &c.nip, &c.nik, &c.name, RosterProblem::NotOnRecord))
        .collect();
    Ok((good, bad))
}

/// `count` parameters from number `first`: `$first, $first+1, …` on PostgreSQL, `?` on
/// SQLite, which looks named parameters up linearly (quadratic in a 700-parameter INSERT).
fn placeholders(kind: DatabaseKind, first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| placeholder(kind, i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parameter number `i`: `$i` on PostgreSQL, `?` (bound in order) on SQLite.
fn placeholder(kind: DatabaseKind, i: usize) -> String {
    match kind {
        DatabaseKind::Sqlite => "?".to_owned(),
        DatabaseKind::Postgres => format!("${i}"),
    }
}

async fn insert(db: &Db, drive_id: i64, rows: &[Candidate]) -> Result<(), RosterError> {
    if rows.is_empty() {
        return Ok(());
    }
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    for chunk in rows.chunks(INSERT_CHUNK) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(db.kind(), i * 7 + 1, 7)))
            .collect();
        let sql = format!(
            "INSERT INTO drive_roster (drive_id, nik, nip, full_name, unit, line, imported_at) \
             VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
                .bind(drive_id)
                .bind(&row.nik)
                .bind(&row.nip)
                .bind(&row.name)
                .bind(&row.unit)
                .bind(row.line as i64)
                .bind(now);
        }
        if let Err(err) = query.execute(&mut *tx).await {
            let unique = err
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation());
            return Err(if unique {
                RosterError::Conflict
            } else {
                DbError::from(err).into()
            });
        }
    }
    recount_progress(&mut tx, drive_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Recounts a drive's progress by unit from its roster and everyone's steps; from here on
/// each step counts itself up (`adoption.rs`).
async fn recount_progress(conn: &mut sqlx::AnyConnection, drive_id: i64) -> Result<(), DbError> {
    sqlx::query("DELETE FROM drive_unit_progress WHERE drive_id = $1")
        .bind(drive_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO drive_unit_progress (drive_id, unit, on_roster, registered, approved, \
         activated) SELECT r.drive_id, r.unit, COUNT(*), COUNT(a.nik), COUNT(a.approved_at), \
         COUNT(a.activated_at) FROM drive_roster r LEFT JOIN adoption a ON a.nik = r.nik \
         WHERE r.drive_id = $1 GROUP BY r.drive_id, r.unit",
    )
    .bind(drive_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::officer::drives::roster_csv::OfflineCheck;

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

    fn today() -> Date {
        Date::new(2026, 11, 22).expect("a date")
    }

    /// Checks `csv` for a drive of the one unit "DINAS KESEHATAN" whose roster is still empty.
    fn check_on_empty_roster(csv: &str) -> OfflineCheck {
        check_offline(
            csv,
            &drive(&["DINAS KESEHATAN"]),
            today(),
            HashSet::new(),
            HashSet::new(),
        )
    }

    // A NIK of Depok (32.76.01) born 1990-05-12, and a NIP born 1990-05-12, appointed 2015-03.
    const NIK: &str = "3276011205900001";
    const NIP: &str = "199005122015031001";

    #[test]
    fn every_data_row_is_either_a_candidate_or_reported_with_its_line() {
        let csv = format!(
            "nip,nik,nama,unit\n\
             {NIP},{NIK},Budi,Dinas Kesehatan\n\
             {NIP},{NIK},Budi lagi,DINAS KESEHATAN\n\
             {NIP},3276011205900,Pendek,Dinas Kesehatan\n\
             12345,3276011205900002,Nip salah,Dinas Kesehatan\n\
             199005122015031002,3276011205900003,,Dinas Kesehatan\n\
             199005122015031003,3276011205900004,Unit lain,Dinas Pendidikan\n\
             199005122015031004,3276011205900005,Kolom kurang\n\
             \n"
        );
        let check = check_on_empty_roster(&csv);
        assert_eq!(check.rows, 7);
        assert_eq!(check.candidates.len(), 1);
        assert_eq!(check.candidates[0].line, 2);
        let reported: Vec<(u64, RosterProblem)> =
            check.bad.iter().map(|b| (b.line, b.problem)).collect();
        assert_eq!(
            reported,
            vec![
                (3, RosterProblem::Duplicate),
                (4, RosterProblem::BadNik),
                (5, RosterProblem::BadNip),
                (6, RosterProblem::MissingName),
                (7, RosterProblem::UnknownUnit),
                (8, RosterProblem::Columns),
            ]
        );
    }

    #[test]
    fn rows_already_on_the_roster_are_duplicates() {
        let csv = format!("{NIP},{NIK},Budi,Unit mana saja\n");
        let check = check_offline(
            &csv,
            &drive(&[]),
            today(),
            HashSet::from([NIK.to_owned()]),
            HashSet::new(),
        );
        assert_eq!(check.rows, 1);
        assert_eq!(check.bad[0].problem, RosterProblem::Duplicate);
    }

    #[test]
    fn a_semicolon_or_tab_separated_file_reads_like_a_comma_one() {
        for separator in [";", "\t"] {
            let csv = format!(
                "nip{separator}nik{separator}nama{separator}unit\r\n{NIP}{separator}{NIK}{separator}Siti, S.Kom{separator}Dinas Kesehatan\r\n"
            );
            let check = check_on_empty_roster(&csv);
            assert_eq!(check.rows, 1, "the header is not a row ({separator:?})");
            assert!(check.bad.is_empty(), "{:?}", check.bad);
            assert_eq!(check.candidates[0].name, "Siti, S.Kom");
        }
    }

    #[test]
    fn a_header_only_counts_on_the_first_line_and_quoted_fields_work() {
        let csv = format!("\u{22}{NIP}\u{22},{NIK},\"Siti, S.Kom\",\"Dinas  Kesehatan\"\r\n");
        let check = check_on_empty_roster(&csv);
        assert_eq!(check.rows, 1);
        assert_eq!(check.candidates[0].name, "Siti, S.Kom");
        assert_eq!(check.candidates[0].unit, "DINAS KESEHATAN");
    }
}
