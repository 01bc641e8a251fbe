//! Indonesia's administrative regions with their official codes (Kemendagri), embedded from
//! npm's idn-area-data under ODbL 1.0 (crates/core/data/LICENSE-idn-area-data.md). Provinces,
//! regencies and districts are always embedded (about 115 KB); the 83,762 villages (about
//! 1.4 MB) only with the `villages` feature, which the service enables and the PWA does not.
//!
//! Codes are written as in the data, with dots: "32", "32.76", "32.76.01", "32.76.01.1001".
//! Names keep the data's own spelling (e.g. "Jawa Barat", "Kota Depok", "Pancoran Mas").
//! Every list is sorted by code, so lookups are binary searches and the children of a region
//! are one contiguous slice.

mod code;
mod table;

use serde::Serialize;

pub use code::{inside_range, parent_of, prefix_range, province_of, regency_of, within};

use table::Table;

/// A province (provinsi), e.g. `32` Jawa Barat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
}

/// A regency (kabupaten) or city (kota), e.g. `32.76` Kota Depok.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Regency {
    pub code: &'static str,
    pub name: &'static str,
}

/// A district (kecamatan), e.g. `32.76.01` Pancoran Mas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
}

/// A village (desa) or urban village (kelurahan), e.g. `32.76.01.1001`.
#[cfg(feature = "villages")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Village {
    pub code: &'static str,
    pub name: &'static str,
}

/// Length in bytes of a full code at each level, dots included.
const PROVINCE_CODE_LEN: usize = 2;
const REGENCY_CODE_LEN: usize = 5;
const DISTRICT_CODE_LEN: usize = 8;
#[cfg(feature = "villages")]
const VILLAGE_CODE_LEN: usize = 13;

static PROVINCES: Table<Province> = Table::new();
static REGENCIES: Table<Regency> = Table::new();
static DISTRICTS: Table<District> = Table::new();
#[cfg(feature = "villages")]
static VILLAGES: Table<Village> = Table::new();

/// All provinces, sorted by code.
pub fn provinces() -> &'static [Province] {
    PROVINCES.get(
        include_str!("../data/provinces.txt"),
        PROVINCE_CODE_LEN,
        |code, name| Province { code, name },
    )
}

/// All regencies and cities, sorted by code.
pub fn regencies() -> &'static [Regency] {
    REGENCIES.get(
        include_str!("../data/regencies.txt"),
        REGENCY_CODE_LEN,
        |code, name| Regency { code, name },
    )
}

/// All districts, sorted by code.
pub fn districts() -> &'static [District] {
    DISTRICTS.get(
        include_str!("../data/districts.txt"),
        DISTRICT_CODE_LEN,
        |code, name| District { code, name },
    )
}

/// All villages, sorted by code.
#[cfg(feature = "villages")]
pub fn villages() -> &'static [Village] {
    VILLAGES.get(
        include_str!("../data/villages.txt"),
        VILLAGE_CODE_LEN,
        |code, name| Village { code, name },
    )
}

/// The province with this code ("32").
pub fn province(code: &str) -> Option<&'static Province> {
    find(provinces(), code, |p| p.code)
}

/// The regency or city with this code ("32.76").
pub fn regency(code: &str) -> Option<&'static Regency> {
    find(regencies(), code, |r| r.code)
}

/// The district with this code ("32.76.01").
pub fn district(code: &str) -> Option<&'static District> {
    find(districts(), code, |d| d.code)
}

/// The village with this code ("32.76.01.1001").
#[cfg(feature = "villages")]
pub fn village(code: &str) -> Option<&'static Village> {
    find(villages(), code, |v| v.code)
}

/// The name of the province, regency or district with this code; `None` for an unknown code.
pub fn name_of(code: &str) -> Option<&'static str> {
    province(code)
        .map(|p| p.name)
        .or_else(|| regency(code).map(|r| r.name))
        .or_else(|| district(code).map(|d| d.name))
}

/// What a screen shows for a region code: its name, "Indonesia" for the whole country (""),
/// the code itself when unknown.
pub fn display_name(code: &str) -> String {
    match code {
        "" | "id" => "Indonesia".to_owned(),
        _ => name_of(code).map_or_else(|| code.to_owned(), str::to_owned),
    }
}

/// The regencies and cities of a province ("32"), sorted; empty for an unknown code.
pub fn regencies_of(province_code: &str) -> &'static [Regency] {
    children(regencies(), province_code, |r| r.code)
}

/// The districts of a regency or city ("32.76"), sorted; empty for an unknown code.
pub fn districts_of(regency_code: &str) -> &'static [District] {
    children(districts(), regency_code, |d| d.code)
}

/// The villages of a district ("32.76.01"), sorted; empty for an unknown code.
#[cfg(feature = "villages")]
pub fn villages_of(district_code: &str) -> &'static [Village] {
    children(villages(), district_code, |v| v.code)
}

/// The district code for the first six digits of a NIK or KK number: "327601" → "32.76.01".
/// Anything but six ASCII digits gives an empty string, which matches no district.
pub fn nik_region_to_district_code(six_digits: &str) -> String {
    let b = six_digits.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return String::new();
    }
    format!(
        "{}.{}.{}",
        &six_digits[0..2],
        &six_digits[2..4],
        &six_digits[4..6]
    )
}

/// Which level of a NIK's region digits named no real region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionLevel {
    Province,
    Regency,
    District,
}

impl RegionLevel {
    /// The level's name as the public knows it, in Bahasa Indonesia.
    pub fn name_id(self) -> &'static str {
        match self {
            RegionLevel::Province => "provinsi",
            RegionLevel::Regency => "kabupaten/kota",
            RegionLevel::District => "kecamatan",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::Regency => "regency/city",
            RegionLevel::District => "district",
        }
    }
}

/// The first region level, from the province down, whose code does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kode {} {code} tidak terdaftar ({} code {code} does not exist)", .level.name_id(), .level.name_en())]
pub struct UnknownRegion {
    pub level: RegionLevel,
    /// The dotted code that was looked up, e.g. "32.99".
    pub code: String,
}

/// The province, regency and district named by the six region digits of a NIK or KK number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NikRegion {
    pub province: &'static Province,
    pub regency: &'static Regency,
    pub district: &'static District,
}

/// Looks up the six region digits of a NIK or KK number ("327601"), checking the province,
/// then the regency, then the district, so the error names the broadest level that is wrong.
pub fn nik_region(six_digits: &str) -> Result<NikRegion, UnknownRegion> {
    let district_code = nik_region_to_district_code(six_digits);
    let unknown = |level, code: &str| UnknownRegion {
        level,
        code: code.to_owned(),
    };
    if district_code.is_empty() {
        return Err(unknown(RegionLevel::Province, six_digits));
    }
    let province_code = &district_code[..PROVINCE_CODE_LEN];
    let regency_code = &district_code[..REGENCY_CODE_LEN];
    let province =
        province(province_code).ok_or_else(|| unknown(RegionLevel::Province, province_code))?;
    let regency =
        regency(regency_code).ok_or_else(|| unknown(RegionLevel::Regency, regency_code))?;
    let district =
        district(&district_code).ok_or_else(|| unknown(RegionLevel::District, &district_code))?;
    Ok(NikRegion {
        province,
        regency,
        district,
    })
}

fn find<T>(list: &'static [T], code: &str, key: fn(&T) -> &'static str) -> Option<&'static T> {
    list.binary_search_by(|item| key(item).cmp(code))
        .ok()
        .map(|i| &list[i])
}

/// The contiguous run of `list` whose parent code (the code up to its last dot) is `parent`.
/// All codes of a level have one length, so sorting by code also sorts by parent.
fn children<T>(list: &'static [T], parent: &str, key: fn(&T) -> &'static str) -> &'static [T] {
    let parent_of = |item: &T| {
        let code = key(item);
        code.rfind('.').map(|dot| &code[..dot])
    };
    let start = list.partition_point(|item| key(item) < parent);
    let len = list[start..]
        .iter()
        .take_while(|item| parent_of(item) == Some(parent))
        .count();
    &list[start..start + len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_has_every_level_of_idn_area_data_4() {
        assert_eq!(provinces().len(), 38);
        assert_eq!(regencies().len(), 514);
        assert_eq!(districts().len(), 7285);
    }

    #[cfg(feature = "villages")]
    #[test]
    fn embedded_villages_are_complete_and_belong_to_real_districts() {
        assert_eq!(villages().len(), 83_762);
        assert!(is_sorted_and_unique(villages(), |v| v.code));
        for v in villages() {
            assert!(district(&v.code[..8]).is_some(), "{}", v.code);
        }
        assert_eq!(
            village("11.01.01.2001").map(|v| v.name),
            Some("Keude Bakongan")
        );
        let pancoran_mas = villages_of("32.76.01");
        assert!(!pancoran_mas.is_empty());
        assert!(pancoran_mas.iter().all(|v| v.code.starts_with("32.76.01.")));
        let total: usize = districts().iter().map(|d| villages_of(d.code).len()).sum();
        assert_eq!(total, villages().len());
    }

    fn is_sorted_and_unique<T>(list: &[T], key: fn(&T) -> &'static str) -> bool {
        list.windows(2).all(|w| key(&w[0]) < key(&w[1]))
    }

    #[test]
    fn every_level_is_sorted_by_code_with_well_formed_codes() {
        assert!(is_sorted_and_unique(provinces(), |p| p.code));
        assert!(is_sorted_and_unique(regencies(), |r| r.code));
        assert!(is_sorted_and_unique(districts(), |d| d.code));
        let shape = |code: &str, len: usize| {
            code.len() == len
                && code.bytes().enumerate().all(|(i, b)| {
                    if i % 3 == 2 {
                        b == b'.'
                    } else {
                        b.is_ascii_digit()
                    }
                })
        };
        assert!(provinces().iter().all(|p| shape(p.code, 2)));
        assert!(regencies().iter().all(|r| shape(r.code, 5)));
        assert!(districts().iter().all(|d| shape(d.code, 8)));
    }

    #[test]
    fn every_regency_and_district_has_a_real_parent() {
        for r in regencies() {
            assert!(province(&r.code[..2]).is_some(), "{}", r.code);
        }
        for d in districts() {
            assert!(regency(&d.code[..5]).is_some(), "{}", d.code);
        }
    }

    #[test]
    fn names_are_the_data_s_own_spelling() {
        assert_eq!(province("32").map(|p| p.name), Some("Jawa Barat"));
        assert_eq!(regency("32.76").map(|r| r.name), Some("Kota Depok"));
        assert_eq!(district("32.76.01").map(|d| d.name), Some("Pancoran Mas"));
        assert_eq!(province("11").map(|p| p.name), Some("Aceh"));
        assert_eq!(district("35.29.22").map(|d| d.name), Some("Ra\"as"));
    }

    #[test]
    fn any_level_is_named_by_its_code() {
        assert_eq!(name_of("32"), Some("Jawa Barat"));
        assert_eq!(name_of("32.76"), Some("Kota Depok"));
        assert_eq!(name_of("32.76.01"), Some("Pancoran Mas"));
        assert_eq!(name_of("32.76.99"), None);
        assert_eq!(name_of(""), None);
    }

    #[test]
    fn lookups_of_unknown_or_malformed_codes_find_nothing() {
        assert_eq!(province("99"), None);
        assert_eq!(province("3"), None);
        assert_eq!(regency("32.99"), None);
        assert_eq!(district("32.76.99"), None);
        assert_eq!(district("327601"), None);
        assert_eq!(district(""), None);
    }

    #[test]
    fn children_are_exactly_the_entries_under_the_parent() {
        let west_java = regencies_of("32");
        assert!(west_java.iter().any(|r| r.code == "32.76"));
        assert!(west_java.iter().all(|r| r.code.starts_with("32.")));
        let count = regencies()
            .iter()
            .filter(|r| r.code.starts_with("32."))
            .count();
        assert_eq!(west_java.len(), count);

        let depok = districts_of("32.76");
        assert_eq!(depok.len(), 11);
        assert_eq!(depok[0].name, "Pancoran Mas");
        assert_eq!(depok[10].name, "Bojongsari");
    }

    #[test]
    fn children_of_unknown_or_partial_codes_are_empty() {
        assert!(regencies_of("99").is_empty());
        assert!(regencies_of("3").is_empty());
        assert!(regencies_of("").is_empty());
        assert!(districts_of("32.7").is_empty());
        assert!(districts_of("32").is_empty());
    }

    #[test]
    fn every_district_is_reachable_through_its_parents() {
        let total: usize = provinces()
            .iter()
            .flat_map(|p| regencies_of(p.code))
            .map(|r| districts_of(r.code).len())
            .sum();
        assert_eq!(total, districts().len());
    }

    #[test]
    fn nik_digits_become_a_dotted_district_code() {
        assert_eq!(nik_region_to_district_code("327601"), "32.76.01");
        assert_eq!(nik_region_to_district_code("32760"), "");
        assert_eq!(nik_region_to_district_code("3276011"), "");
        assert_eq!(nik_region_to_district_code("32x601"), "");
        assert_eq!(nik_region_to_district_code("３２7601"), "");
    }

    #[test]
    fn nik_region_finds_all_three_levels() {
        let region = nik_region("327601").unwrap();
        assert_eq!(region.province.code, "32");
        assert_eq!(region.regency.code, "32.76");
        assert_eq!(region.district.code, "32.76.01");
    }

    #[test]
    fn nik_region_names_the_broadest_unknown_level() {
        let level = |six| nik_region(six).unwrap_err().level;
        assert_eq!(level("997601"), RegionLevel::Province);
        assert_eq!(level("329901"), RegionLevel::Regency);
        assert_eq!(level("327699"), RegionLevel::District);
        assert_eq!(
            nik_region("327699").unwrap_err().code,
            "32.76.99".to_owned()
        );
    }

    #[test]
    fn unknown_region_reads_in_indonesian_then_english() {
        let err = nik_region("329901").unwrap_err();
        assert_eq!(
            err.to_string(),
            "kode kabupaten/kota 32.99 tidak terdaftar (regency/city code 32.99 does not exist)"
        );
    }
}
