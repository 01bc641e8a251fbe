//! The offline bundle: everything the PWA shows without a network, served signed by the
//! issuer (`SignedJson`) so the app can check on every open that nobody changed it.

use serde::{Deserialize, Serialize};

use crate::activity::ActivityEntry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfflineBundle {
    pub issued_at: i64,
    /// The app should fetch a fresh bundle after this (unix seconds) when it is online.
    pub refresh_after: i64,
    /// The credentials expire here: after it the app needs a connection.
    pub valid_until: i64,
    /// How often the phone makes a new QR from the credentials while one is shown.
    pub present_every_secs: i64,
    /// True while the registry is the synthetic demo one.
    pub demo_data: bool,
    pub ktp: KtpCard,
    /// The registry photo, JPEG, base64.
    pub photo_jpeg: String,
    pub kk: FamilyCard,
    pub documents: LinkedDocuments,
    pub activity: Vec<ActivityEntry>,
    pub credentials: HolderCredentials,
    /// The institutions the citizen may show an encrypted full QR to, offline (issue 17):
    /// each one's public key-agreement key. Public data, signed with the rest of the bundle so
    /// nobody can slip in a key of their own. Bundles sealed before it existed have none.
    #[serde(default)]
    pub institutions: Vec<QrInstitution>,
}

/// An enabled institution as the phone needs it to encrypt a QR to it
/// (`claim169::Presentable::present_encrypted`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct QrInstitution {
    /// Its display name, shown to the citizen choosing it.
    pub name: String,
    /// Hex of the key's kid (`claim169::institution_kid`), as the QR names it.
    pub kid: String,
    /// Hex of the SEC1-compressed P-256 public key.
    pub public_key: String,
}

impl QrInstitution {
    /// The recipient to encrypt to, `None` when the key is not a P-256 point or its kid does
    /// not match it.
    pub fn recipient(&self) -> Option<crate::claim169::Recipient> {
        let recipient =
            crate::claim169::Recipient::from_sec1(&crate::hex::decode(&self.public_key)?)?;
        (crate::hex::encode(&recipient.kid) == self.kid).then_some(recipient)
    }
}

/// What the front of an e-KTP prints, in its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KtpCard {
    pub nik: String,
    pub full_name: String,
    pub place_of_birth: String,
    /// ISO date.
    pub birth_date: String,
    /// "LAKI-LAKI" | "PEREMPUAN".
    pub sex: String,
    pub blood_type: String,
    pub street: String,
    pub rt: String,
    pub rw: String,
    pub village: String,
    pub district: String,
    pub regency: String,
    pub province: String,
    pub religion: String,
    pub marital_status: String,
    pub occupation: String,
    pub citizenship: String,
    /// "SEUMUR HIDUP" for e-KTPs (lifetime validity since 2014).
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FamilyCard {
    pub kk_number: String,
    pub head_name: String,
    pub street: String,
    pub rt: String,
    pub rw: String,
    pub village: String,
    pub district: String,
    pub regency: String,
    pub province: String,
    pub issued_on: String,
    pub members: Vec<FamilyMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FamilyMember {
    pub nik: String,
    pub full_name: String,
    pub sex: String,
    pub place_of_birth: String,
    pub birth_date: String,
    pub religion: String,
    pub education: String,
    pub occupation: String,
    pub marital_status: String,
    pub relationship: String,
    pub citizenship: String,
    pub father_name: String,
    pub mother_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinkedDocuments {
    pub npwp: Option<Npwp>,
    pub vaccinations: Vec<Vaccination>,
    pub vehicles: Vec<Vehicle>,
    pub civil_servant: Option<CivilServant>,
    pub suket: Option<Suket>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Npwp {
    pub npwp_number: String,
    pub registered_on: String,
    pub tax_office: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Vaccination {
    pub dose: i64,
    pub vaccine: String,
    pub given_on: String,
    pub facility: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Vehicle {
    pub plate: String,
    pub kind: String,
    pub make_model: String,
    pub year: i64,
    pub colour: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CivilServant {
    pub nip: String,
    pub agency: String,
    pub unit: String,
    pub position: String,
    pub rank: String,
    pub status: String,
    pub appointed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Suket {
    pub suket_number: String,
    pub issued_on: String,
    pub reason: String,
}

/// What a QR may show: the holder picks one at show time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QrProfile {
    Full,
    Basic,
    /// "17 tahun ke atas": no NIK, no name, only the age flag and the photo.
    Age,
    /// The full profile, shown encrypted to one institution the holder picks: a credential of
    /// its own (own `cti`, own device key), so an encrypted showing cannot be linked to a plain
    /// full QR.
    FullEncrypted,
}

impl QrProfile {
    pub const ALL: [QrProfile; 4] = [
        QrProfile::Full,
        QrProfile::Basic,
        QrProfile::Age,
        QrProfile::FullEncrypted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QrProfile::Full => "full",
            QrProfile::Basic => "basic",
            QrProfile::Age => "age",
            QrProfile::FullEncrypted => "full-encrypted",
        }
    }

    pub fn parse(word: &str) -> Option<QrProfile> {
        QrProfile::ALL.into_iter().find(|p| p.as_str() == word)
    }
}

/// One issuer-signed Claim 169 credential per profile (Base45 text), each bound by `cnf` to
/// its own device key and with its own `cti` and times, so no two can be linked. The phone
/// never shows these as they are: it adds a fresh holder proof
/// (`claim169::Presentable::present`) every `present_every_secs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HolderCredentials {
    pub full: String,
    pub basic: String,
    pub age: String,
    pub full_encrypted: String,
}

impl HolderCredentials {
    pub fn get(&self, profile: QrProfile) -> &str {
        match profile {
            QrProfile::Full => &self.full,
            QrProfile::Basic => &self.basic,
            QrProfile::Age => &self.age,
            QrProfile::FullEncrypted => &self.full_encrypted,
        }
    }
}

/// `POST /api/bundle`: the phone's public device key for each profile, hex of the
/// SEC1-compressed P-256 point. The phone makes them at activation and at every login and
/// keeps the private keys sealed with the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BundleRequest {
    pub device_keys: DeviceKeys,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeviceKeys {
    pub full: String,
    pub basic: String,
    pub age: String,
    pub full_encrypted: String,
}

/// Why a bundle request's device keys are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeviceKeyError {
    #[error(
        "kunci perangkat untuk QR {0} bukan kunci P-256 yang sah (device key for the {0} QR is not a valid P-256 key)"
    )]
    Invalid(&'static str),
    #[error(
        "setiap jenis QR harus memakai kunci perangkatnya sendiri (each QR profile needs its own device key)"
    )]
    Shared,
}

impl DeviceKeys {
    pub fn get(&self, profile: QrProfile) -> &str {
        match profile {
            QrProfile::Full => &self.full,
            QrProfile::Basic => &self.basic,
            QrProfile::Age => &self.age,
            QrProfile::FullEncrypted => &self.full_encrypted,
        }
    }

    /// The four keys as SEC1-compressed points, checked to be on the curve and distinct (a
    /// key shared by two profiles would link their QRs).
    pub fn parsed(&self) -> Result<[Vec<u8>; 4], DeviceKeyError> {
        let mut out: [Vec<u8>; 4] = Default::default();
        for (slot, profile) in out.iter_mut().zip(QrProfile::ALL) {
            let bytes = crate::hex::decode(self.get(profile))
                .filter(|b| b.len() == crate::claim169::DEVICE_KEY_LEN)
                .ok_or(DeviceKeyError::Invalid(profile.as_str()))?;
            crate::claim169::parse_device_key(&bytes)
                .ok_or(DeviceKeyError::Invalid(profile.as_str()))?;
            *slot = bytes;
        }
        for i in 0..out.len() {
            if out[i + 1..].contains(&out[i]) {
                return Err(DeviceKeyError::Shared);
            }
        }
        Ok(out)
    }
}
