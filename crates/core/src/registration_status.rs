//! Where a registration stands: the closed set the service stores in `registrations.status`,
//! answers on `GET /api/registrations/{id}/status` and in decisions, and the console shows.
//! The database keeps [`RegistrationStatus::as_str`]; the migrations' CHECK lists the same
//! words, so a value outside this set can never be stored.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationStatus {
    /// Sent from the phone, waiting for the officer's face check at the desk.
    Pending,
    /// Approved at the desk; the activation code was emailed.
    Approved,
    /// Refused at the desk, with a reason said to the citizen.
    Rejected,
    /// The citizen activated the account with the emailed code.
    Activated,
    /// A newer registration of the same NIK replaced this pending one.
    Superseded,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 5] = [
        RegistrationStatus::Pending,
        RegistrationStatus::Approved,
        RegistrationStatus::Rejected,
        RegistrationStatus::Activated,
        RegistrationStatus::Superseded,
    ];

    /// The word stored in the database and sent in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "pending",
            RegistrationStatus::Approved => "approved",
            RegistrationStatus::Rejected => "rejected",
            RegistrationStatus::Activated => "activated",
            RegistrationStatus::Superseded => "superseded",
        }
    }

    /// The status an officer's decision leads to.
    pub fn decided(approve: bool) -> Self {
        if approve {
            RegistrationStatus::Approved
        } else {
            RegistrationStatus::Rejected
        }
    }

    /// Still waiting for an officer.
    pub fn is_pending(self) -> bool {
        self == RegistrationStatus::Pending
    }
}

impl fmt::Display for RegistrationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored status that is none of the known words (a corrupt row or a newer schema).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status pendaftaran tidak dikenal: {0:?} (unknown registration status)")]
pub struct UnknownRegistrationStatus(pub String);

impl FromStr for RegistrationStatus {
    type Err = UnknownRegistrationStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| UnknownRegistrationStatus(text.to_owned()))
    }
}

/// For the service's database rows (sqlx's `#[sqlx(try_from = "String")]`).
impl TryFrom<String> for RegistrationStatus {
    type Error = UnknownRegistrationStatus;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_word_and_json() {
        for status in RegistrationStatus::ALL {
            assert_eq!(status.as_str().parse::<RegistrationStatus>(), Ok(status));
            let json = serde_json::to_string(&status).expect("serialises");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(
                serde_json::from_str::<RegistrationStatus>(&json).expect("parses"),
                status
            );
        }
    }

    #[test]
    fn unknown_words_are_refused() {
        assert_eq!(
            "Pending".parse::<RegistrationStatus>(),
            Err(UnknownRegistrationStatus("Pending".into()))
        );
        assert!(serde_json::from_str::<RegistrationStatus>("\"done\"").is_err());
    }

    #[test]
    fn a_decision_leads_to_approved_or_rejected() {
        assert_eq!(
            RegistrationStatus::decided(true),
            RegistrationStatus::Approved
        );
        assert_eq!(
            RegistrationStatus::decided(false),
            RegistrationStatus::Rejected
        );
    }
}
