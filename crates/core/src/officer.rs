//! Officers of Dukcapil (petugas) and what their role lets them do. Shared with the officer
//! console so both sides agree on role names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The shortest officer password, in characters: officers hold more power than citizens, so
/// theirs must be longer. The service enforces it; the console checks it before sending.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The staff list counts each officer's decisions over this many hours before now.
pub const DECISIONS_WINDOW_HOURS: i64 = 24;

/// An officer's role. A supervisor manages the officers of their region; an admin also sets
/// regional targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OfficerRole {
    Officer,
    Supervisor,
    Admin,
}

impl OfficerRole {
    pub const ALL: [OfficerRole; 3] = [
        OfficerRole::Officer,
        OfficerRole::Supervisor,
        OfficerRole::Admin,
    ];

    /// The stable name stored in the database and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficerRole::Officer => "officer",
            OfficerRole::Supervisor => "supervisor",
            OfficerRole::Admin => "admin",
        }
    }

    /// The name an officer reads, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            OfficerRole::Officer => "Petugas",
            OfficerRole::Supervisor => "Supervisor",
            OfficerRole::Admin => "Administrator",
        }
    }
}

impl fmt::Display for OfficerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("peran tidak dikenal: {0:?}; pilih officer, supervisor atau admin (unknown role)")]
pub struct UnknownRole(pub String);

impl FromStr for OfficerRole {
    type Err = UnknownRole;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        OfficerRole::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| UnknownRole(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in OfficerRole::ALL {
            assert_eq!(role.as_str().parse::<OfficerRole>(), Ok(role));
        }
        assert!("root".parse::<OfficerRole>().is_err());
    }
}
