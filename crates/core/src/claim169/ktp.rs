//! A KTP as Dukcapil records it, and the three Claim 169 profiles IKD issues from it. Each
//! profile carries only what its use needs: a QR shown at a bar must not hand over the NIK.

use serde::{Deserialize, Serialize};

use super::codes::{Gender, MaritalStatus, PhotoFormat};
use super::model::Claim169;
use crate::civil_status::{self, BloodType, Religion};
use crate::{Date, Sex};

/// The fields printed on a KTP-el.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KtpIdentity {
    pub nik: String,
    pub full_name: String,
    pub place_of_birth: String,
    pub date_of_birth: Date,
    pub sex: Sex,
    pub blood_type: BloodType,
    /// The street line ("Alamat").
    pub address: String,
    /// `RT/RW` as printed, e.g. `001/002`.
    pub rt_rw: String,
    /// Kelurahan or desa.
    pub village: String,
    /// Kecamatan.
    pub district: String,
    /// Kabupaten or kota.
    pub regency: String,
    pub province: String,
    pub religion: Religion,
    pub marital_status: civil_status::MaritalStatus,
    pub occupation: String,
    /// `WNI`, or a foreign resident's ISO 3166 country code.
    pub nationality: String,
    pub photo: Option<Photo>,
    /// Kode wilayah of the kecamatan, e.g. `32.76.01`.
    pub location_code: String,
}

/// The photo as stored: bytes plus their format. Core never looks inside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    #[serde(with = "super::base64_serde::bytes")]
    pub bytes: Vec<u8>,
    pub format: PhotoFormat,
}

/// Which fields a QR carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Everything on the KTP.
    Full,
    /// NIK, name and photo: "this is the person with this NIK".
    Basic,
    /// Photo and whether the holder is 17 or older on `today`; no NIK, no name, no birth
    /// date, as ISO mDL's age attestation does. Issue it with no `sub` in the CWT, or the
    /// NIK leaks there.
    Age { today: Date },
}

// The age profile's claim is named after the KTP age (key 95, `ageOver17`).
const _: () = assert!(crate::ktp::MIN_AGE == 17);

impl KtpIdentity {
    pub fn profile(&self, profile: Profile) -> Claim169 {
        let (photo, photo_format) = match &self.photo {
            Some(photo) => (Some(photo.bytes.clone()), Some(photo.format)),
            None => (None, None),
        };
        match profile {
            Profile::Full => Claim169 {
                id: Some(self.nik.clone()),
                language: Some("ind".to_owned()),
                full_name: Some(self.full_name.clone()),
                date_of_birth: Some(compact_date(self.date_of_birth)),
                gender: Some(self.sex.into()),
                address: Some(self.address_lines()),
                nationality: Some(iso_nationality(&self.nationality)),
                marital_status: Some(self.marital_status.into()),
                photo,
                photo_format,
                location_code: Some(self.location_code.clone()),
                country_of_issuance: Some("IDN".to_owned()),
                place_of_birth: Some(self.place_of_birth.clone()),
                religion: Some(self.religion.label().to_owned()),
                occupation: Some(self.occupation.clone()),
                blood_type: (self.blood_type != BloodType::Unknown)
                    .then(|| self.blood_type.label().to_owned()),
                rt_rw: Some(self.rt_rw.clone()),
                ..Claim169::default()
            },
            Profile::Basic => Claim169 {
                id: Some(self.nik.clone()),
                full_name: Some(self.full_name.clone()),
                photo,
                photo_format,
                ..Claim169::default()
            },
            Profile::Age { today } => Claim169 {
                age_over_17: Some(crate::ktp::old_enough(self.date_of_birth, today)),
                photo,
                photo_format,
                ..Claim169::default()
            },
        }
    }

    /// Key 10's lines, in the order and wording of the KTP.
    pub fn address_lines(&self) -> String {
        [
            self.address.clone(),
            format!("RT/RW {}", self.rt_rw),
            format!("KEL/DESA {}", self.village),
            format!("KEC. {}", self.district),
            self.regency.clone(),
            self.province.clone(),
        ]
        .join("\n")
    }
}

impl From<Sex> for Gender {
    fn from(sex: Sex) -> Self {
        match sex {
            Sex::Male => Gender::Male,
            Sex::Female => Gender::Female,
        }
    }
}

impl From<civil_status::MaritalStatus> for MaritalStatus {
    /// Claim 169 has no "widowed"; "cerai mati" is by its own name a divorce (by death), so
    /// it maps to divorced like "cerai hidup".
    fn from(status: civil_status::MaritalStatus) -> Self {
        match status {
            civil_status::MaritalStatus::BelumKawin => MaritalStatus::Unmarried,
            civil_status::MaritalStatus::Kawin => MaritalStatus::Married,
            civil_status::MaritalStatus::CeraiHidup | civil_status::MaritalStatus::CeraiMati => {
                MaritalStatus::Divorced
            }
        }
    }
}

/// `YYYYMMDD`, the form Claim 169 specifies for the date of birth.
fn compact_date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// Key 13 wants an ISO 3166 code; the KTP prints `WNI` for citizens.
fn iso_nationality(ktp: &str) -> String {
    if ktp.eq_ignore_ascii_case("WNI") {
        "IDN".to_owned()
    } else {
        ktp.to_owned()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A synthetic identity (no real person), also used by the round-trip tests.
    pub(crate) fn siti() -> KtpIdentity {
        KtpIdentity {
            nik: "3276014506900002".to_owned(),
            full_name: "SITI AMINAH".to_owned(),
            place_of_birth: "DEPOK".to_owned(),
            date_of_birth: "1990-06-05".parse().unwrap(),
            sex: Sex::Female,
            blood_type: BloodType::O,
            address: "JL. MARGONDA RAYA NO. 100".to_owned(),
            rt_rw: "001/002".to_owned(),
            village: "PONDOK CINA".to_owned(),
            district: "BEJI".to_owned(),
            regency: "KOTA DEPOK".to_owned(),
            province: "JAWA BARAT".to_owned(),
            religion: Religion::Islam,
            marital_status: civil_status::MaritalStatus::Kawin,
            occupation: "KARYAWAN SWASTA".to_owned(),
            nationality: "WNI".to_owned(),
            photo: Some(Photo {
                bytes: vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3],
                format: PhotoFormat::Jpeg,
            }),
            location_code: "32.76.01".to_owned(),
        }
    }

    #[test]
    fn full_profile_carries_every_ktp_field() {
        let claim = siti().profile(Profile::Full);
        assert_eq!(claim.id.as_deref(), Some("3276014506900002"));
        assert_eq!(claim.date_of_birth.as_deref(), Some("19900605"));
        assert_eq!(claim.gender, Some(Gender::Female));
        assert_eq!(claim.marital_status, Some(MaritalStatus::Married));
        assert_eq!(claim.nationality.as_deref(), Some("IDN"));
        assert_eq!(claim.country_of_issuance.as_deref(), Some("IDN"));
        assert_eq!(claim.place_of_birth.as_deref(), Some("DEPOK"));
        assert_eq!(claim.religion.as_deref(), Some("ISLAM"));
        assert_eq!(claim.occupation.as_deref(), Some("KARYAWAN SWASTA"));
        assert_eq!(claim.blood_type.as_deref(), Some("O"));
        assert_eq!(claim.rt_rw.as_deref(), Some("001/002"));
        assert_eq!(claim.location_code.as_deref(), Some("32.76.01"));
        assert_eq!(claim.photo_format, Some(PhotoFormat::Jpeg));
        assert_eq!(claim.age_over_17, None);
    }

    #[test]
    fn address_has_the_six_ktp_lines() {
        assert_eq!(
            siti().profile(Profile::Full).address.as_deref(),
            Some(
                "JL. MARGONDA RAYA NO. 100\nRT/RW 001/002\nKEL/DESA PONDOK CINA\nKEC. BEJI\nKOTA DEPOK\nJAWA BARAT"
            )
        );
    }

    #[test]
    fn basic_profile_is_nik_name_and_photo_only() {
        let claim = siti().profile(Profile::Basic);
        let expected = Claim169 {
            id: Some("3276014506900002".to_owned()),
            full_name: Some("SITI AMINAH".to_owned()),
            photo: claim.photo.clone(),
            photo_format: Some(PhotoFormat::Jpeg),
            ..Claim169::default()
        };
        assert!(claim.photo.is_some());
        assert_eq!(claim, expected);
    }

    #[test]
    fn age_profile_names_no_one() {
        let today = "2025-01-01".parse().unwrap();
        let claim = siti().profile(Profile::Age { today });
        assert_eq!(claim.age_over_17, Some(true));
        assert_eq!(claim.id, None);
        assert_eq!(claim.full_name, None);
        assert_eq!(claim.date_of_birth, None);
        assert!(claim.photo.is_some());
    }

    #[test]
    fn age_profile_says_false_the_day_before_the_seventeenth_birthday() {
        let mut young = siti();
        young.date_of_birth = "2008-01-02".parse().unwrap();
        let claim = young.profile(Profile::Age {
            today: "2025-01-01".parse().unwrap(),
        });
        assert_eq!(claim.age_over_17, Some(false));
    }

    #[test]
    fn an_unknown_blood_type_is_left_out() {
        let mut person = siti();
        person.blood_type = BloodType::Unknown;
        assert_eq!(person.profile(Profile::Full).blood_type, None);
    }

    #[test]
    fn both_kinds_of_cerai_map_to_divorced() {
        assert_eq!(
            MaritalStatus::from(civil_status::MaritalStatus::CeraiMati),
            MaritalStatus::Divorced
        );
        assert_eq!(
            MaritalStatus::from(civil_status::MaritalStatus::CeraiHidup),
            MaritalStatus::Divorced
        );
    }
}
