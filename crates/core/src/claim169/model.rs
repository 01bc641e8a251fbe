//! Our own types for the contents of a Claim 169 credential. The rest of IKD sees only these,
//! never CBOR or COSE. JSON names are the camelCase field names of the specification, so a
//! decoded credential prints the way other Claim 169 tools print it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::base64_serde;
use super::codes::{Gender, MaritalStatus, PhotoFormat};

/// The identity data under CWT claim 169. Every field is optional, as in the specification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Claim169 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `YYYYMMDD` per the specification; some issuers write `YYYY-MM-DD`, kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Lines separated by `\n`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<MaritalStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<String>,
    /// Key 16. Specification 1.2.2 deprecates 16/17 in favour of a face biometric (key 62);
    /// IKD still writes them because verifiers built to 1.0-1.2.1 read only these.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "base64_serde::optional"
    )]
    pub photo: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_format: Option<PhotoFormat>,
    /// Finger positions 0-10 (0 unknown, 1-5 right thumb to little, 6-10 left).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_quality_fingers: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_of_issuance: Option<String>,

    // KTP fields without a Claim 169 key, in the private keys of `keys::private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub religion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blood_type: Option<String>,
    /// `RT/RW` as printed on the KTP, e.g. `001/002`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rt_rw: Option<String>,
    /// The age profile's only statement about age: 17 or older on the day of issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_over_17: Option<bool>,

    // Biometrics, keys 50-65.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_thumb: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_pointer_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_middle_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_ring_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_little_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_thumb: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_pointer_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_middle_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_ring_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_little_finger: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_iris: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_iris: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_palm: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_palm: Option<Vec<Biometric>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Vec<Biometric>>,

    /// Keys this version does not know, kept with their exact CBOR so that newer issuers'
    /// fields survive decoding and re-encoding (forward compatibility).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: BTreeMap<i64, RawCbor>,
}

impl Claim169 {
    /// The biometric list stored under `key` (50-65), or `None` for any other key.
    pub fn biometric(&self, key: i64) -> Option<&Option<Vec<Biometric>>> {
        let slot = match key {
            50 => &self.right_thumb,
            51 => &self.right_pointer_finger,
            52 => &self.right_middle_finger,
            53 => &self.right_ring_finger,
            54 => &self.right_little_finger,
            55 => &self.left_thumb,
            56 => &self.left_pointer_finger,
            57 => &self.left_middle_finger,
            58 => &self.left_ring_finger,
            59 => &self.left_little_finger,
            60 => &self.right_iris,
            61 => &self.left_iris,
            62 => &self.face,
            63 => &self.right_palm,
            64 => &self.left_palm,
            65 => &self.voice,
            _ => return None,
        };
        Some(slot)
    }

    /// Mutable access to the biometric list under `key` (50-65).
    pub fn biometric_mut(&mut self, key: i64) -> Option<&mut Option<Vec<Biometric>>> {
        let slot = match key {
            50 => &mut self.right_thumb,
            51 => &mut self.right_pointer_finger,
            52 => &mut self.right_middle_finger,
            53 => &mut self.right_ring_finger,
            54 => &mut self.right_little_finger,
            55 => &mut self.left_thumb,
            56 => &mut self.left_pointer_finger,
            57 => &mut self.left_middle_finger,
            58 => &mut self.left_ring_finger,
            59 => &mut self.left_little_finger,
            60 => &mut self.right_iris,
            61 => &mut self.left_iris,
            62 => &mut self.face,
            63 => &mut self.right_palm,
            64 => &mut self.left_palm,
            65 => &mut self.voice,
            _ => return None,
        };
        Some(slot)
    }
}

/// One biometric sample (a map with keys 0-3 in CBOR).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Biometric {
    #[serde(with = "base64_serde::bytes")]
    pub data: Vec<u8>,
    /// 0 image, 1 template, 2 sound, 3 bio hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<i64>,
    /// Depends on `format`; for images 0 PNG, 1 JPEG, 2 JPEG 2000, 3 AVIF, 4 WebP, 5 TIFF, 6 WSQ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_format: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// One CBOR data item kept as its encoded bytes (base64 in JSON). Checked to be exactly one
/// well-formed item whenever it is decoded or issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawCbor(#[serde(with = "base64_serde::bytes")] pub Vec<u8>);

/// The standard CWT claims IKD reads and writes (RFC 8392). Times are unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CwtMeta {
    /// Claim 1.
    pub iss: Option<String>,
    /// Claim 2.
    pub sub: Option<String>,
    /// Claim 6.
    pub iat: Option<i64>,
    /// Claim 4.
    pub exp: Option<i64>,
    /// Claim 5.
    pub nbf: Option<i64>,
    /// Claim 7 (CWT ID). IKD writes the credential id here, 16 random bytes, so a verifier
    /// can check it against the signed revocation list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cti: Option<Vec<u8>>,
    /// Claim 8 (confirmation, RFC 8747): the holder's P-256 public key, SEC1 compressed (33
    /// bytes). A credential that names one is shown only with a fresh proof by that key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Vec<u8>>,
}
