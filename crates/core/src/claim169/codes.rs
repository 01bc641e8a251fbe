//! The integer enumerations of Claim 169 (gender, marital status, photo format). Each keeps
//! codes it does not know as `Other`, so a credential from a newer issuer still decodes and
//! re-encodes unchanged.

use serde::{Deserialize, Serialize};

/// Key 9. 1 male, 2 female, 3 other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum Gender {
    Male,
    Female,
    Other,
    /// A code the specification does not define (yet).
    Unassigned(i64),
}

impl From<i64> for Gender {
    fn from(code: i64) -> Self {
        match code {
            1 => Gender::Male,
            2 => Gender::Female,
            3 => Gender::Other,
            other => Gender::Unassigned(other),
        }
    }
}

impl From<Gender> for i64 {
    fn from(gender: Gender) -> Self {
        match gender {
            Gender::Male => 1,
            Gender::Female => 2,
            Gender::Other => 3,
            Gender::Unassigned(code) => code,
        }
    }
}

/// Key 14. 1 unmarried, 2 married, 3 divorced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum MaritalStatus {
    Unmarried,
    Married,
    Divorced,
    /// A code the specification does not define (yet).
    Unassigned(i64),
}

impl From<i64> for MaritalStatus {
    fn from(code: i64) -> Self {
        match code {
            1 => MaritalStatus::Unmarried,
            2 => MaritalStatus::Married,
            3 => MaritalStatus::Divorced,
            other => MaritalStatus::Unassigned(other),
        }
    }
}

impl From<MaritalStatus> for i64 {
    fn from(status: MaritalStatus) -> Self {
        match status {
            MaritalStatus::Unmarried => 1,
            MaritalStatus::Married => 2,
            MaritalStatus::Divorced => 3,
            MaritalStatus::Unassigned(code) => code,
        }
    }
}

/// Key 17, the format of the photo in key 16. 1 JPEG, 2 JPEG 2000, 3 AVIF, 4 WebP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum PhotoFormat {
    Jpeg,
    Jpeg2000,
    Avif,
    Webp,
    /// A code the specification does not define (yet).
    Unassigned(i64),
}

impl From<i64> for PhotoFormat {
    fn from(code: i64) -> Self {
        match code {
            1 => PhotoFormat::Jpeg,
            2 => PhotoFormat::Jpeg2000,
            3 => PhotoFormat::Avif,
            4 => PhotoFormat::Webp,
            other => PhotoFormat::Unassigned(other),
        }
    }
}

impl From<PhotoFormat> for i64 {
    fn from(format: PhotoFormat) -> Self {
        match format {
            PhotoFormat::Jpeg => 1,
            PhotoFormat::Jpeg2000 => 2,
            PhotoFormat::Avif => 3,
            PhotoFormat::Webp => 4,
            PhotoFormat::Unassigned(code) => code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_specification() {
        assert_eq!(i64::from(Gender::Male), 1);
        assert_eq!(i64::from(Gender::Female), 2);
        assert_eq!(i64::from(MaritalStatus::Married), 2);
        assert_eq!(i64::from(PhotoFormat::Webp), 4);
    }

    #[test]
    fn unknown_codes_survive_a_round_trip() {
        assert_eq!(i64::from(Gender::from(42)), 42);
        assert_eq!(i64::from(MaritalStatus::from(-1)), -1);
        assert_eq!(i64::from(PhotoFormat::from(9)), 9);
    }
}
