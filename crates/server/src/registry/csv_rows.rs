//! The part of the registry CSV import that needs no database or files: reading each row of
//! the extract and checking it (NIK, KK number, dates, closed lists, village). Kept free of IO
//! and of the rest of the service so that the fuzz target `registry_csv` (fuzz/) compiles this
//! very file, with `model.rs`, on its own; it may use only std, `csv`, `serde`, `ikd_core` and
//! `super::model`. The column list is in `csv_import.rs`.

use std::borrow::Cow;

use ikd_core::civil_status::{BloodType, MaritalStatus, Relationship, Religion};
use ikd_core::date::Date;
use ikd_core::nik::{Sex, parse_nik};
use serde::Deserialize;

use super::model::{Ektp, Family, Person};

#[derive(Debug, Deserialize)]
struct Row {
    kk_number: String,
    nik: String,
    full_name: String,
    sex: String,
    place_of_birth: String,
    birth_date: String,
    religion: String,
    marital_status: String,
    occupation: String,
    education: String,
    blood_type: String,
    relationship: String,
    father_name: String,
    mother_name: String,
    street: String,
    rt: u16,
    rw: u16,
    village_code: String,
    ektp_recorded: u8,
    ektp_printed: u8,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default, alias = "foto")]
    photo: Option<String>,
}

/// A checked row: the person, their family, and the row's `photo` value if any.
pub type CheckedRow = (Person, Family, Option<String>);

/// Every data row of `reader` with its line in the file (the header is line 1), checked:
/// either the person and family it describes, or why it was refused. Nothing is skipped: a row
/// that cannot even be read is reported too.
pub fn checked_rows<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    today: Date,
) -> impl Iterator<Item = (u64, Result<CheckedRow, String>)> + '_ {
    reader
        .deserialize::<Row>()
        .enumerate()
        .map(move |(index, record)| {
            let line = index as u64 + 2;
            let checked = record
                .map_err(|e| format!("baris tidak dapat dibaca (unreadable row): {e}"))
                .and_then(|row| {
                    let photo = row.photo.clone();
                    let (person, family) = check_row(row, today)?;
                    Ok((person, family, photo))
                });
            (line, checked)
        })
}

fn check_row(row: Row, today: Date) -> Result<(Person, Family), String> {
    let nik = parse_nik(&row.nik, today).map_err(|e| format!("NIK: {}", e.message_id()))?;
    let kk = ikd_core::kk::parse_kk(&row.kk_number, today)
        .map_err(|e| format!("No. KK: {}", e.message_id()))?;
    let sex = match row.sex.as_str() {
        "L" => Sex::Male,
        "P" => Sex::Female,
        other => return Err(format!("jenis kelamin harus L atau P, bukan {other:?}")),
    };
    let birth_date: Date = row
        .birth_date
        .parse()
        .map_err(|_| format!("tanggal lahir bukan YYYY-MM-DD: {:?}", row.birth_date))?;
    if nik.birth_date != birth_date || nik.sex != sex {
        return Err("NIK tidak cocok dengan tanggal lahir atau jenis kelamin".to_owned());
    }
    let village_code = ikd_core::region::village(&row.village_code)
        .ok_or_else(|| format!("kode kelurahan/desa tidak dikenal: {:?}", row.village_code))?
        .code;
    // The KK is issued where the family lives now; the NIK keeps the district of first
    // registration, so only the village and the KK must agree.
    if !village_code.starts_with(kk.district.code) {
        return Err("kelurahan/desa tidak berada di kecamatan No. KK".to_owned());
    }
    let label = |what: &str, value: &str| format!("{what} tidak dikenal: {value:?}");
    let religion =
        Religion::from_label(&row.religion).ok_or_else(|| label("agama", &row.religion))?;
    let marital_status = MaritalStatus::from_label(&row.marital_status)
        .ok_or_else(|| label("status perkawinan", &row.marital_status))?;
    let relationship = Relationship::from_label(&row.relationship)
        .ok_or_else(|| label("hubungan keluarga", &row.relationship))?;
    let blood_type = BloodType::from_label(&row.blood_type)
        .ok_or_else(|| label("golongan darah", &row.blood_type))?;
    let ektp = match (row.ektp_recorded, row.ektp_printed) {
        (0, 0) => Ektp::NotRecorded,
        (1, 0) => Ektp::RecordedNotPrinted,
        (1, 1) => Ektp::Printed,
        _ => return Err("ektp_recorded/ektp_printed harus 0/0, 1/0 atau 1/1".to_owned()),
    };
    let district_code = kk.district.code.to_owned();
    let person = Person {
        nik: nik.nik.clone(),
        kk_number: kk.kk.clone(),
        full_name: row.full_name.to_uppercase(),
        sex,
        place_of_birth: row.place_of_birth.to_uppercase(),
        birth_date,
        religion,
        marital_status,
        occupation: Cow::Owned(row.occupation.to_uppercase()),
        education: Cow::Owned(row.education.to_uppercase()),
        blood_type,
        relationship,
        father_name: row.father_name.to_uppercase(),
        mother_name: row.mother_name.to_uppercase(),
        ektp,
        email: row.email.filter(|e| !e.is_empty()),
        phone: row.phone.filter(|p| !p.is_empty()),
        photo_seed: fnv1a(nik.nik.as_bytes()),
        district_code: district_code.clone(),
    };
    let family = Family {
        kk_number: kk.kk.clone(),
        head_nik: String::new(),
        street: row.street.to_uppercase(),
        rt: row.rt,
        rw: row.rw,
        village_code: village_code.to_owned(),
        district_code,
        issued_on: kk.issue_date,
    };
    Ok((person, family))
}

/// Imported people have no generated portrait seed; one derived from the NIK fills the column.
/// It never draws their registry photo (see `photos`: an extract person without a photo has
/// none).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,occupation,education,blood_type,relationship,father_name,mother_name,street,rt,rw,village_code,ektp_recorded,ektp_printed,email,phone";

    #[test]
    fn every_row_is_checked_or_refused_with_its_line() {
        let village = ikd_core::region::villages_of("32.76.01")[0].code;
        let text = format!(
            "{HEADER}\n\
             3276011203150001,3276010507900001,Budi Santoso,L,Depok,1990-07-05,ISLAM,KAWIN,KARYAWAN SWASTA,SLTA/SEDERAJAT,O,KEPALA KELUARGA,Slamet,Sri,JL. MAWAR NO. 1,3,7,{village},1,1,,\n\
             3276011203150001,3276010507900004,Agama Salah,L,Depok,1990-07-05,JEDI,BELUM KAWIN,WIRASWASTA,SLTA/SEDERAJAT,O,ANAK,Budi,Siti,JL. MAWAR NO. 1,3,7,{village},1,1,,\n\
             3276011203150001,3276010507900005,RT Salah,L,Depok,1990-07-05,ISLAM,BELUM KAWIN,WIRASWASTA,SLTA/SEDERAJAT,O,ANAK,Budi,Siti,JL. MAWAR NO. 1,x,7,{village},1,1,,\n"
        );
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let today = Date::new(2026, 11, 22).expect("date");
        let rows: Vec<_> = checked_rows(&mut reader, today).collect();
        let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3, 4]);
        let (person, family, photo) = rows[0].1.as_ref().expect("a good row");
        assert_eq!(person.full_name, "BUDI SANTOSO");
        assert_eq!(family.kk_number, "3276011203150001");
        assert_eq!(*photo, None);
        assert!(
            rows[1].1.as_ref().unwrap_err().contains("agama"),
            "{:?}",
            rows[1]
        );
        assert!(
            rows[2].1.as_ref().unwrap_err().contains("unreadable"),
            "{:?}",
            rows[2]
        );
    }
}
