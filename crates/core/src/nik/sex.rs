//! Sex as the civil registry records it (Jenis Kelamin), with the one-letter codes printed on
//! the KTP and KK: L = laki-laki, P = perempuan.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "L")]
    Male,
    #[serde(rename = "P")]
    Female,
}

impl Sex {
    /// "L" or "P", as on the card and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }

    /// The word for it in Bahasa Indonesia (the KTP prints it in capitals).
    pub fn label_id(self) -> &'static str {
        match self {
            Sex::Male => "Laki-laki",
            Sex::Female => "Perempuan",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Sex::Male => "Male",
            Sex::Female => "Female",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_l_and_p_in_code_and_json() {
        assert_eq!(Sex::Male.code(), "L");
        assert_eq!(Sex::Female.code(), "P");
        assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"P\"");
        assert_eq!(serde_json::from_str::<Sex>("\"L\"").unwrap(), Sex::Male);
        assert!(serde_json::from_str::<Sex>("\"M\"").is_err());
    }
}
