//! Integer keys of the CWT claims set and of the Claim 169 map.

/// CWT claim keys (RFC 8392).
pub(crate) mod cwt {
    pub(crate) const ISS: i64 = 1;
    pub(crate) const SUB: i64 = 2;
    pub(crate) const EXP: i64 = 4;
    pub(crate) const NBF: i64 = 5;
    pub(crate) const IAT: i64 = 6;
    pub(crate) const CTI: i64 = 7;
    /// Confirmation (RFC 8747): the holder's key, `{1: COSE_Key}`.
    pub(crate) const CNF: i64 = 8;
    pub(crate) const CLAIM_169: i64 = 169;
}

/// Claim 169 field keys (specification 1.2.x, section 3.1).
pub(crate) mod field {
    pub(crate) const ID: i64 = 1;
    pub(crate) const VERSION: i64 = 2;
    pub(crate) const LANGUAGE: i64 = 3;
    pub(crate) const FULL_NAME: i64 = 4;
    pub(crate) const FIRST_NAME: i64 = 5;
    pub(crate) const MIDDLE_NAME: i64 = 6;
    pub(crate) const LAST_NAME: i64 = 7;
    pub(crate) const DATE_OF_BIRTH: i64 = 8;
    pub(crate) const GENDER: i64 = 9;
    pub(crate) const ADDRESS: i64 = 10;
    pub(crate) const EMAIL: i64 = 11;
    pub(crate) const PHONE: i64 = 12;
    pub(crate) const NATIONALITY: i64 = 13;
    pub(crate) const MARITAL_STATUS: i64 = 14;
    pub(crate) const GUARDIAN: i64 = 15;
    pub(crate) const PHOTO: i64 = 16;
    pub(crate) const PHOTO_FORMAT: i64 = 17;
    pub(crate) const BEST_QUALITY_FINGERS: i64 = 18;
    pub(crate) const SECONDARY_FULL_NAME: i64 = 19;
    pub(crate) const SECONDARY_LANGUAGE: i64 = 20;
    pub(crate) const LOCATION_CODE: i64 = 21;
    pub(crate) const LEGAL_STATUS: i64 = 22;
    pub(crate) const COUNTRY_OF_ISSUANCE: i64 = 23;
    /// Biometric lists occupy 50..=65 (right thumb .. voice).
    pub(crate) const BIOMETRICS: std::ops::RangeInclusive<i64> = 50..=65;
}

/// Keys of one biometric entry.
pub(crate) mod biometric {
    pub(crate) const DATA: i64 = 0;
    pub(crate) const FORMAT: i64 = 1;
    pub(crate) const SUB_FORMAT: i64 = 2;
    pub(crate) const ISSUER: i64 = 3;
}

/// IKD's private keys for KTP fields that Claim 169 has no key for. The specification leaves
/// 75-99 unassigned "for any other data" and lets a closed ecosystem use unassigned numbers
/// when issuer and verifier agree; we take the top of that range, 90-95, farthest from where
/// the working group assigns next. See the table in the `claim169` module documentation.
pub(crate) mod private {
    pub(crate) const PLACE_OF_BIRTH: i64 = 90;
    pub(crate) const RELIGION: i64 = 91;
    pub(crate) const OCCUPATION: i64 = 92;
    pub(crate) const BLOOD_TYPE: i64 = 93;
    pub(crate) const RT_RW: i64 = 94;
    pub(crate) const AGE_OVER_17: i64 = 95;
}
