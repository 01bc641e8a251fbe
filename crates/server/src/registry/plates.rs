//! Vehicle registration plates ("B 1234 XYZ"): the letter prefix names the police region that
//! registered the vehicle, so a synthetic owner in Depok drives a "B" car and one in Bandung a
//! "D" car.

use super::rng::Rng;

/// Regencies/cities whose prefix differs from their province's default.
const REGENCY_PREFIXES: &[(&str, &str)] = &[
    // Jawa Barat: Jabodetabek is "B"; Bogor area "F"; Cirebon area "E"; Purwakarta area "T";
    // Priangan Timur "Z".
    ("32.01", "F"),
    ("32.02", "F"),
    ("32.03", "F"),
    ("32.71", "F"),
    ("32.72", "F"),
    ("32.16", "B"),
    ("32.75", "B"),
    ("32.76", "B"),
    ("32.08", "E"),
    ("32.09", "E"),
    ("32.10", "E"),
    ("32.12", "E"),
    ("32.74", "E"),
    ("32.13", "T"),
    ("32.14", "T"),
    ("32.15", "T"),
    ("32.05", "Z"),
    ("32.06", "Z"),
    ("32.07", "Z"),
    ("32.11", "Z"),
    ("32.18", "Z"),
    ("32.78", "Z"),
    ("32.79", "Z"),
    // Banten: Tangerang is Jabodetabek.
    ("36.03", "B"),
    ("36.71", "B"),
    ("36.74", "B"),
    // Jawa Tengah.
    ("33.09", "AD"),
    ("33.11", "AD"),
    ("33.12", "AD"),
    ("33.13", "AD"),
    ("33.10", "AD"),
    ("33.14", "AD"),
    ("33.72", "AD"),
    ("33.16", "K"),
    ("33.17", "K"),
    ("33.18", "K"),
    ("33.19", "K"),
    ("33.20", "K"),
    ("33.02", "R"),
    ("33.03", "R"),
    ("33.04", "R"),
    ("33.01", "R"),
    ("33.25", "G"),
    ("33.26", "G"),
    ("33.27", "G"),
    ("33.28", "G"),
    ("33.29", "G"),
    ("33.75", "G"),
    ("33.76", "G"),
    ("33.05", "AA"),
    ("33.06", "AA"),
    ("33.07", "AA"),
    ("33.08", "AA"),
    ("33.71", "AA"),
    // Jawa Timur.
    ("35.15", "W"),
    ("35.25", "W"),
    ("35.07", "N"),
    ("35.73", "N"),
    ("35.79", "N"),
    ("35.08", "N"),
    ("35.13", "N"),
    ("35.14", "N"),
    ("35.75", "N"),
    ("35.74", "N"),
    ("35.22", "S"),
    ("35.23", "S"),
    ("35.24", "S"),
    ("35.16", "S"),
    ("35.17", "S"),
    ("35.09", "P"),
    ("35.10", "P"),
    ("35.11", "P"),
    ("35.12", "P"),
    ("35.26", "M"),
    ("35.27", "M"),
    ("35.28", "M"),
    ("35.29", "M"),
    ("35.19", "AE"),
    ("35.20", "AE"),
    ("35.21", "AE"),
    ("35.01", "AE"),
    ("35.02", "AE"),
    ("35.77", "AE"),
    ("35.06", "AG"),
    ("35.71", "AG"),
    ("35.04", "AG"),
    ("35.03", "AG"),
    ("35.05", "AG"),
    ("35.72", "AG"),
    // Nusa Tenggara.
    ("52.04", "EA"),
    ("52.05", "EA"),
    ("52.06", "EA"),
    ("52.07", "EA"),
    ("52.72", "EA"),
    ("53.09", "EB"),
    ("53.10", "EB"),
    ("53.11", "EB"),
    ("53.12", "EB"),
    ("53.13", "EB"),
    ("53.15", "EB"),
    ("53.19", "EB"),
    ("53.01", "ED"),
    ("53.02", "ED"),
    ("53.17", "ED"),
    ("53.18", "ED"),
];

/// The default prefix of each province.
fn province_prefix(province_code: &str) -> &'static str {
    match province_code {
        "11" => "BL",
        "12" => "BK",
        "13" => "BA",
        "14" => "BM",
        "15" => "BH",
        "16" => "BG",
        "17" => "BD",
        "18" => "BE",
        "19" => "BN",
        "21" => "BP",
        "31" => "B",
        "32" => "D",
        "33" => "H",
        "34" => "AB",
        "35" => "L",
        "36" => "A",
        "51" => "DK",
        "52" => "DR",
        "53" => "DH",
        "61" => "KB",
        "62" => "KH",
        "63" => "DA",
        "64" => "KT",
        "65" => "KU",
        "71" => "DB",
        "72" => "DN",
        "73" => "DD",
        "74" => "DT",
        "75" => "DM",
        "76" => "DC",
        "81" => "DE",
        "82" => "DG",
        "92" | "96" => "PB",
        _ => "PA",
    }
}

/// The plate prefix for a vehicle registered in `regency_code` ("32.76").
pub fn prefix_for_regency(regency_code: &str) -> &'static str {
    REGENCY_PREFIXES
        .iter()
        .find(|(code, _)| *code == regency_code)
        .map(|(_, prefix)| *prefix)
        .unwrap_or_else(|| province_prefix(regency_code.get(..2).unwrap_or("")))
}

/// A plate number: prefix, 1–4 digits, 1–3 letters.
pub fn plate(regency_code: &str, rng: &mut Rng) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let number = rng.between(1, 9999);
    let suffix_len = rng.between(1, 3) as usize;
    let suffix: String = (0..suffix_len)
        .map(|_| char::from(rng.pick(LETTERS)))
        .collect();
    format!("{} {number} {suffix}", prefix_for_regency(regency_code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates_match_the_owners_region() {
        assert_eq!(prefix_for_regency("32.76"), "B"); // Kota Depok
        assert_eq!(prefix_for_regency("32.73"), "D"); // Kota Bandung
        assert_eq!(prefix_for_regency("51.71"), "DK"); // Kota Denpasar
        assert_eq!(prefix_for_regency("35.78"), "L"); // Kota Surabaya
        let mut rng = Rng::new(3);
        let plate = plate("32.76", &mut rng);
        assert!(plate.starts_with("B "), "{plate}");
        assert_eq!(plate.split(' ').count(), 3, "{plate}");
    }

    #[test]
    fn every_province_has_a_prefix() {
        for province in ikd_core::region::provinces() {
            assert!(!province_prefix(province.code).is_empty());
        }
    }
}
