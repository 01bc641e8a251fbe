//! The closed lists of the civil registry (SIAK) that a KTP and a KK print: religion, marital
//! status, relationship within the family, blood type. Stored and sent as the exact upper-case
//! labels the documents show, so what the registry holds is what the card prints.

use serde::{Deserialize, Serialize};

macro_rules! registry_label_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $label)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The label as printed on the KTP / KK.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            pub fn from_label(label: &str) -> Option<Self> {
                let label = label.trim();
                Self::ALL.iter().copied().find(|v| v.label().eq_ignore_ascii_case(label))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

registry_label_enum!(
    /// Agama: the six religions the KTP records, and belief in God (kepercayaan), printed on
    /// KTPs since 2017 (Constitutional Court decision 97/PUU-XIV/2016).
    Religion {
        Islam => "ISLAM",
        Kristen => "KRISTEN",
        Katolik => "KATOLIK",
        Hindu => "HINDU",
        Buddha => "BUDDHA",
        Konghucu => "KONGHUCU",
        Kepercayaan => "KEPERCAYAAN TERHADAP TUHAN YME",
    }
);

registry_label_enum!(
    /// Status perkawinan.
    MaritalStatus {
        BelumKawin => "BELUM KAWIN",
        Kawin => "KAWIN",
        CeraiHidup => "CERAI HIDUP",
        CeraiMati => "CERAI MATI",
    }
);

registry_label_enum!(
    /// Status hubungan dalam keluarga: each member's relationship to the head of the KK.
    Relationship {
        KepalaKeluarga => "KEPALA KELUARGA",
        Suami => "SUAMI",
        Istri => "ISTRI",
        Anak => "ANAK",
        Menantu => "MENANTU",
        Cucu => "CUCU",
        OrangTua => "ORANG TUA",
        Mertua => "MERTUA",
        FamiliLain => "FAMILI LAIN",
    }
);

registry_label_enum!(
    /// Golongan darah; "-" is what the card prints when it was never tested.
    BloodType {
        A => "A",
        B => "B",
        Ab => "AB",
        O => "O",
        Unknown => "-",
    }
);

/// What the KTP prints under "Berlaku Hingga" since 2014: the card does not expire.
pub const VALID_FOR_LIFE: &str = "SEUMUR HIDUP";

/// Kewarganegaraan of every citizen in the registry (WNA residents are out of scope).
pub const CITIZENSHIP_WNI: &str = "WNI";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_serialise_as_printed_on_the_card() {
        for status in MaritalStatus::ALL {
            assert_eq!(MaritalStatus::from_label(status.label()), Some(*status));
        }
        assert_eq!(
            serde_json::to_string(&Relationship::KepalaKeluarga).expect("json"),
            "\"KEPALA KELUARGA\""
        );
        assert_eq!(Religion::from_label("katolik"), Some(Religion::Katolik));
        assert_eq!(BloodType::from_label("-"), Some(BloodType::Unknown));
        assert_eq!(Religion::from_label("JEDI"), None);
        assert_eq!(
            Religion::from_label("Kepercayaan terhadap Tuhan YME"),
            Some(Religion::Kepercayaan)
        );
    }
}
