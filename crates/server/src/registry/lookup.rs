//! Reading one person from the registry in the shapes the card screens use: the KTP, the KK
//! with its members, and the documents linked to the NIK.

use ikd_core::offline_bundle::{
    CivilServant, FamilyCard, FamilyMember, KtpCard, LinkedDocuments, Npwp, Suket, Vaccination,
    Vehicle,
};
use ikd_core::{Date, Sex, region};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::platform::db::{Db, DbError};

/// A registry person with what the KTP prints and what making their photo needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryPerson {
    pub card: KtpCard,
    pub kk_number: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub photo_seed: u64,
    pub district_code: String,
}

const PERSON_COLUMNS: &str = "p.nik, p.kk_number, p.full_name, p.sex, p.place_of_birth, \
    p.birth_date, p.religion, p.marital_status, p.occupation, p.education, p.blood_type, \
    p.citizenship, p.relationship, p.father_name, p.mother_name, \
    p.photo_seed, f.street, f.rt, f.rw, f.village_code, f.district_code";

fn text(row: &AnyRow, column: &str) -> Result<String, DbError> {
    Ok(row.try_get::<String, _>(column)?)
}

fn upper_region_names(village_code: &str, district_code: &str) -> (String, String, String, String) {
    let regency_code = district_code.get(..5).unwrap_or("");
    let province_code = district_code.get(..2).unwrap_or("");
    let name = |n: Option<&str>| n.unwrap_or("-").to_uppercase();
    (
        name(region::village(village_code).map(|v| v.name)),
        name(region::district(district_code).map(|d| d.name)),
        name(region::regency(regency_code).map(|r| r.name)),
        name(region::province(province_code).map(|p| p.name)),
    )
}

pub fn sex_label(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "LAKI-LAKI",
        Sex::Female => "PEREMPUAN",
    }
}

fn person_from_row(row: &AnyRow) -> Result<RegistryPerson, DbError> {
    let sex = if text(row, "sex")? == "P" {
        Sex::Female
    } else {
        Sex::Male
    };
    let birth_text = text(row, "birth_date")?;
    let birth_date: Date = birth_text.parse().map_err(|_| {
        DbError::Query(sqlx::Error::Decode(
            format!("birth date {birth_text:?}").into(),
        ))
    })?;
    let village_code = text(row, "village_code")?;
    let district_code = text(row, "district_code")?;
    let (village, district, regency, province) = upper_region_names(&village_code, &district_code);
    let card = KtpCard {
        nik: text(row, "nik")?,
        full_name: text(row, "full_name")?,
        place_of_birth: text(row, "place_of_birth")?,
        birth_date: birth_text,
        sex: sex_label(sex).to_owned(),
        blood_type: text(row, "blood_type")?,
        street: text(row, "street")?,
        rt: text(row, "rt")?,
        rw: text(row, "rw")?,
        village,
        district,
        regency,
        province,
        religion: text(row, "religion")?,
        marital_status: text(row, "marital_status")?,
        occupation: text(row, "occupation")?,
        citizenship: text(row, "citizenship")?,
        valid_until: "SEUMUR HIDUP".to_owned(),
    };
    Ok(RegistryPerson {
        card,
        kk_number: text(row, "kk_number")?,
        sex,
        birth_date,
        photo_seed: row.try_get::<i64, _>("photo_seed")? as u64,
        district_code,
    })
}

pub async fn person(db: &Db, nik: &str) -> Result<Option<RegistryPerson>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM registry_persons p \
         JOIN registry_families f ON f.kk_number = p.kk_number WHERE p.nik = $1"
    ))
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(person_from_row).transpose()
}

pub async fn family_card(db: &Db, kk_number: &str) -> Result<Option<FamilyCard>, DbError> {
    let family = sqlx::query(
        "SELECT f.kk_number, f.street, f.rt, f.rw, f.village_code, f.district_code, f.issued_on, \
         p.full_name AS head_name FROM registry_families f \
         JOIN registry_persons p ON p.nik = f.head_nik WHERE f.kk_number = $1",
    )
    .bind(kk_number)
    .fetch_optional(db.pool())
    .await?;
    let Some(family) = family else {
        return Ok(None);
    };
    let members = sqlx::query(
        "SELECT nik, full_name, sex, place_of_birth, birth_date, religion, education, occupation, \
         marital_status, relationship, citizenship, father_name, mother_name \
         FROM registry_persons WHERE kk_number = $1 ORDER BY birth_date, nik",
    )
    .bind(kk_number)
    .fetch_all(db.pool())
    .await?;
    let mut members = members
        .iter()
        .map(|row| {
            Ok(FamilyMember {
                nik: text(row, "nik")?,
                full_name: text(row, "full_name")?,
                sex: sex_label(if text(row, "sex")? == "P" {
                    Sex::Female
                } else {
                    Sex::Male
                })
                .to_owned(),
                place_of_birth: text(row, "place_of_birth")?,
                birth_date: text(row, "birth_date")?,
                religion: text(row, "religion")?,
                education: text(row, "education")?,
                occupation: text(row, "occupation")?,
                marital_status: text(row, "marital_status")?,
                relationship: text(row, "relationship")?,
                citizenship: text(row, "citizenship")?,
                father_name: text(row, "father_name")?,
                mother_name: text(row, "mother_name")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    // The KK lists the head first, then spouse, then children by age, as the printed card.
    members.sort_by_key(|m| relationship_rank(&m.relationship));
    let village_code = text(&family, "village_code")?;
    let district_code = text(&family, "district_code")?;
    let (village, district, regency, province) = upper_region_names(&village_code, &district_code);
    Ok(Some(FamilyCard {
        kk_number: text(&family, "kk_number")?,
        head_name: text(&family, "head_name")?,
        street: text(&family, "street")?,
        rt: text(&family, "rt")?,
        rw: text(&family, "rw")?,
        village,
        district,
        regency,
        province,
        issued_on: text(&family, "issued_on")?,
        members,
    }))
}

fn relationship_rank(relationship: &str) -> u8 {
    match relationship {
        "KEPALA KELUARGA" => 0,
        "SUAMI" | "ISTRI" => 1,
        "ANAK" => 2,
        "MENANTU" => 3,
        "CUCU" => 4,
        "ORANG TUA" | "MERTUA" => 5,
        _ => 6,
    }
}

pub async fn documents(db: &Db, nik: &str) -> Result<LinkedDocuments, DbError> {
    let npwp: Option<(String, String, String)> = sqlx::query_as(
        "SELECT npwp_number, registered_on, tax_office FROM registry_npwp WHERE nik = $1",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    let vaccinations: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT CAST(dose AS BIGINT), vaccine, given_on, facility FROM registry_vaccinations \
         WHERE nik = $1 ORDER BY dose",
    )
    .bind(nik)
    .fetch_all(db.pool())
    .await?;
    let vehicles: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT plate, kind, make_model, CAST(year AS BIGINT), colour FROM registry_vehicles \
         WHERE owner_nik = $1 ORDER BY plate",
    )
    .bind(nik)
    .fetch_all(db.pool())
    .await?;
    let civil_servant: Option<(String, String, String, String, String, String, String)> =
        sqlx::query_as(
            "SELECT nip, agency, unit, position, rank, status, appointed_on \
             FROM registry_civil_servants WHERE nik = $1",
        )
        .bind(nik)
        .fetch_optional(db.pool())
        .await?;
    let suket: Option<(String, String, String)> = sqlx::query_as(
        "SELECT suket_number, issued_on, reason FROM registry_sukets WHERE nik = $1",
    )
    .bind(nik)
    .fetch_optional(db.pool())
    .await?;
    Ok(LinkedDocuments {
        npwp: npwp.map(|(npwp_number, registered_on, tax_office)| Npwp {
            npwp_number,
            registered_on,
            tax_office,
        }),
        vaccinations: vaccinations
            .into_iter()
            .map(|(dose, vaccine, given_on, facility)| Vaccination {
                dose,
                vaccine,
                given_on,
                facility,
            })
            .collect(),
        vehicles: vehicles
            .into_iter()
            .map(|(plate, kind, make_model, year, colour)| Vehicle {
                plate,
                kind,
                make_model,
                year,
                colour,
            })
            .collect(),
        civil_servant: civil_servant.map(
            |(nip, agency, unit, position, rank, status, appointed_on)| CivilServant {
                nip,
                agency,
                unit,
                position,
                rank,
                status,
                appointed_on,
            },
        ),
        suket: suket.map(|(suket_number, issued_on, reason)| Suket {
            suket_number,
            issued_on,
            reason,
        }),
    })
}
