//! The offline bundle: everything the PWA shows without a network, served signed by the
//! issuer (`SignedJson`) so the app can check on every open that nobody changed it.

use serde::{Deserialize, Serialize};

use crate::activity::ActivityEntry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfflineBundle {
    /// Hex of the 16-byte batch id; revoking it revokes every QR below.
    pub credential_id: String,
    pub issued_at: i64,
    /// The app should fetch a fresh bundle after this (unix seconds) when it is online.
    pub refresh_after: i64,
    /// The last QR window ends here: after it the app needs a connection.
    pub valid_until: i64,
    /// True while the registry is the synthetic demo one.
    pub demo_data: bool,
    pub ktp: KtpCard,
    /// The registry photo, JPEG, base64.
    pub photo_jpeg: String,
    pub kk: FamilyCard,
    pub documents: LinkedDocuments,
    pub activity: Vec<ActivityEntry>,
    pub qr: Vec<QrWindow>,
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

/// One validity window of the rotating QR, in each profile. The texts are Claim 169 Base45.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct QrWindow {
    pub not_before: i64,
    pub expires_at: i64,
    pub full: String,
    pub basic: String,
    /// "17 tahun ke atas": no NIK, no name, only the age flag and the photo.
    pub age: String,
    /// The full profile, encrypted for institutions that hold the key.
    pub full_encrypted: String,
}

impl OfflineBundle {
    /// The window to show at `now`, if the batch still covers it.
    pub fn qr_at(&self, now: i64) -> Option<&QrWindow> {
        self.qr
            .iter()
            .find(|w| w.not_before <= now && now < w.expires_at)
    }
}
