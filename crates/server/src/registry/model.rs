//! Rows of the population registry, as the generator and the CSV import produce them and the
//! store writes them (see migrations/*/0002_registry.sql).

use std::borrow::Cow;

use ikd_core::civil_status::{BloodType, MaritalStatus, Relationship, Religion};
use ikd_core::date::Date;
use ikd_core::nik::Sex;

/// A Kartu Keluarga with its members and their linked documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Household {
    pub family: Family,
    pub members: Vec<Person>,
    pub npwp: Vec<Npwp>,
    pub vaccinations: Vec<Vaccination>,
    pub vehicles: Vec<Vehicle>,
    pub civil_servants: Vec<CivilServant>,
    pub sukets: Vec<Suket>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub kk_number: String,
    pub head_nik: String,
    pub street: String,
    pub rt: u16,
    pub rw: u16,
    pub village_code: String,
    pub district_code: String,
    pub issued_on: Date,
}

/// e-KTP state of a person: the precondition of IKD is a recording (perekaman).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ektp {
    NotRecorded,
    /// Recorded, but no card printed (blank stock ran out): the person holds a Suket.
    RecordedNotPrinted,
    Printed,
}

impl Ektp {
    pub fn recorded(self) -> bool {
        self != Ektp::NotRecorded
    }

    pub fn printed(self) -> bool {
        self == Ektp::Printed
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub nik: String,
    pub kk_number: String,
    pub full_name: String,
    pub sex: Sex,
    pub place_of_birth: String,
    pub birth_date: Date,
    pub religion: Religion,
    pub marital_status: MaritalStatus,
    pub occupation: Cow<'static, str>,
    pub education: Cow<'static, str>,
    pub blood_type: BloodType,
    pub relationship: Relationship,
    pub father_name: String,
    pub mother_name: String,
    pub ektp: Ektp,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub photo_seed: u64,
    pub district_code: String,
}

impl Person {
    pub fn regency_code(&self) -> &str {
        self.district_code.get(..5).unwrap_or("")
    }

    pub fn province_code(&self) -> &str {
        self.district_code.get(..2).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Npwp {
    pub nik: String,
    pub npwp_number: String,
    pub registered_on: Date,
    pub tax_office: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vaccination {
    pub nik: String,
    pub dose: u8,
    pub vaccine: &'static str,
    pub given_on: Date,
    pub facility: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    pub plate: String,
    pub owner_nik: String,
    pub kind: &'static str,
    pub make_model: &'static str,
    pub year: u16,
    pub colour: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CivilServant {
    pub nip: String,
    pub nik: String,
    pub agency: String,
    pub unit: String,
    pub position: &'static str,
    pub rank: &'static str,
    pub status: &'static str,
    pub appointed_on: Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suket {
    pub nik: String,
    pub suket_number: String,
    pub issued_on: Date,
    pub reason: &'static str,
}
