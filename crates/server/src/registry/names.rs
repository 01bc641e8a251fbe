//! Indonesian names with regional variety, and the religion mix of each region. Upper case, as
//! the KTP prints them. The pools are small on purpose: realistic, not a census.

use ikd_core::civil_status::Religion;
use ikd_core::nik::Sex;

use super::rng::Rng;

/// The naming tradition of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culture {
    Javanese,
    Sundanese,
    Batak,
    Minang,
    Malay,
    Bugis,
    Balinese,
    /// Christian names of NTT, Maluku, North Sulawesi and Papua, with local surnames.
    Eastern,
    Dayak,
    Chinese,
}

/// The mix of naming traditions in a province (by its two-digit code).
pub fn cultures_of_province(province_code: &str) -> &'static [(Culture, u32)] {
    use Culture::*;
    match province_code {
        "11" | "52" | "63" | "82" => &[(Malay, 95), (Javanese, 5)],
        "12" => &[(Batak, 55), (Malay, 25), (Javanese, 15), (Chinese, 5)],
        "13" => &[(Minang, 92), (Javanese, 8)],
        "14" | "15" | "16" | "17" | "19" | "21" => &[(Malay, 62), (Javanese, 30), (Chinese, 8)],
        "18" => &[(Javanese, 60), (Malay, 38), (Sundanese, 2)],
        "31" => &[
            (Javanese, 35),
            (Malay, 30),
            (Sundanese, 15),
            (Batak, 8),
            (Minang, 5),
            (Chinese, 7),
        ],
        "32" => &[(Sundanese, 82), (Javanese, 15), (Chinese, 3)],
        "33" | "34" | "35" => &[(Javanese, 97), (Chinese, 3)],
        "36" => &[(Sundanese, 65), (Javanese, 30), (Chinese, 5)],
        "51" => &[(Balinese, 88), (Javanese, 12)],
        "53" | "71" | "91" | "92" | "93" | "94" | "95" | "96" => &[(Eastern, 88), (Bugis, 12)],
        "61" => &[(Malay, 45), (Dayak, 35), (Chinese, 20)],
        "62" | "64" | "65" => &[(Malay, 40), (Javanese, 30), (Dayak, 30)],
        "72" | "73" | "74" | "75" | "76" => &[(Bugis, 90), (Javanese, 10)],
        "81" => &[(Eastern, 50), (Malay, 50)],
        _ => &[(Javanese, 50), (Malay, 50)],
    }
}

pub fn religion_of(culture: Culture, rng: &mut Rng) -> Religion {
    use Religion::*;
    let mix: &[(Religion, u32)] = match culture {
        Culture::Balinese => &[(Hindu, 92), (Islam, 8)],
        Culture::Eastern => &[(Kristen, 55), (Katolik, 43), (Islam, 2)],
        Culture::Batak => &[(Kristen, 62), (Islam, 32), (Katolik, 6)],
        Culture::Chinese => &[(Buddha, 42), (Kristen, 30), (Katolik, 16), (Konghucu, 12)],
        Culture::Dayak => &[(Kristen, 48), (Katolik, 30), (Islam, 22)],
        _ => &[(Islam, 96), (Kristen, 3), (Katolik, 1)],
    };
    rng.pick_weighted(mix)
}

const JAVANESE_M: &[&str] = &[
    "BUDI", "AGUS", "SLAMET", "JOKO", "BAMBANG", "EKO", "DWI", "TRI", "WAHYU", "SUTRISNO",
    "SUPARMAN", "HADI", "YUDI", "TEGUH", "RAHMAT", "BAYU", "ADI", "HENDRA", "SUGENG", "HARYANTO",
];
const JAVANESE_F: &[&str] = &[
    "SRI", "SITI", "DEWI", "WULAN", "RINI", "ENDANG", "LESTARI", "SULASTRI", "NINGSIH", "RAHAYU",
    "ASTUTI", "SUHARTI", "YULIANA", "PUJI", "KARTINI", "MURNI", "AYU", "FITRI", "INDAH",
    "WINARSIH",
];
const JAVANESE_LAST: &[&str] = &[
    "NUGROHO",
    "PRASETYO",
    "SANTOSO",
    "WIBOWO",
    "SETIAWAN",
    "KURNIAWAN",
    "PURNOMO",
    "HIDAYAT",
    "SUSANTO",
    "WIDODO",
    "SAPUTRO",
    "UTOMO",
    "WAHYUNI",
    "HANDAYANI",
    "RAHMAWATI",
    "PURWANTI",
];
const SUNDANESE_M: &[&str] = &[
    "ASEP", "DADANG", "UJANG", "CECEP", "DEDEN", "YAYAN", "JAJANG", "DEDE", "IWAN", "AEP",
    "ENGKUS", "RUDI", "GANJAR", "NANDANG", "HERMAN", "ENDANG", "UDIN", "YUSUF",
];
const SUNDANESE_F: &[&str] = &[
    "EUIS",
    "NENENG",
    "IMAS",
    "YEYEN",
    "LILIS",
    "CUCU",
    "ENOK",
    "NINING",
    "IIS",
    "POPON",
    "ENENG",
    "RINA",
    "TATI",
    "ELIS",
    "NURHAYATI",
    "YANTI",
    "AI",
    "DEDAH",
];
const SUNDANESE_LAST: &[&str] = &[
    "SUPRIATNA",
    "HIDAYAT",
    "SOBARI",
    "KOSASIH",
    "SUHERMAN",
    "PERMANA",
    "NURJANAH",
    "SETIAWATI",
    "RUSTANDI",
    "KURNIA",
    "SUTISNA",
    "MULYANA",
    "SOLIHIN",
    "RAHMAT",
];
const BATAK_M: &[&str] = &[
    "TIGOR",
    "HOTMAN",
    "PARLINDUNGAN",
    "BINSAR",
    "SAHAT",
    "TOGAR",
    "MARTUA",
    "JONNER",
    "HISAR",
    "RAJA",
    "DAVID",
    "ROBERT",
    "ANDREAS",
    "HENDRIK",
];
const BATAK_F: &[&str] = &[
    "ROSMAWATI",
    "TIURMA",
    "DORMAULI",
    "RUMONDANG",
    "HOTNIDA",
    "LASMA",
    "NURHAYATI",
    "MARIA",
    "LINDA",
    "ROSLINA",
    "SANTI",
    "DUMARIA",
];
const BATAK_MARGA: &[&str] = &[
    "SIREGAR",
    "NASUTION",
    "HARAHAP",
    "SIMANJUNTAK",
    "SITOMPUL",
    "HUTAPEA",
    "PANJAITAN",
    "SINAGA",
    "PARDEDE",
    "LUBIS",
    "SIHOMBING",
    "SITUMORANG",
    "TAMBUNAN",
    "MANURUNG",
    "SIMATUPANG",
    "DAMANIK",
    "GINTING",
    "TARIGAN",
    "SEMBIRING",
    "NAINGGOLAN",
];
const MINANG_M: &[&str] = &[
    "RIZAL", "YUSRIZAL", "AFRIZAL", "SYAFRI", "ZULKIFLI", "ERWIN", "YONDRI", "FADLI", "ANDRI",
    "HENDRI", "JASMAN", "DASRIL",
];
const MINANG_F: &[&str] = &[
    "YUSNIDAR",
    "ROSNAWATI",
    "DESMAWATI",
    "NURHASANAH",
    "FITRIANI",
    "YENNI",
    "ELVIRA",
    "RATNA",
    "DARNELIS",
    "YULNIDA",
    "ASNIMAR",
];
const MINANG_LAST: &[&str] = &[
    "PILIANG",
    "CHANIAGO",
    "TANJUNG",
    "SIKUMBANG",
    "KOTO",
    "JAMBAK",
    "MALAYU",
    "SYAFRUDDIN",
];
const MALAY_M: &[&str] = &[
    "MUHAMMAD", "FAUZI", "ZULFIKAR", "SAIFUL", "HASAN", "HUSAINI", "ISKANDAR", "AZHAR", "RIDWAN",
    "ABDULLAH", "AHMAD", "SYAHRIL", "FIRDAUS", "AMRAN", "LALU", "ZAINAL",
];
const MALAY_F: &[&str] = &[
    "NURUL",
    "RAHMAH",
    "AISYAH",
    "ZAHRA",
    "MARYAM",
    "SALMAH",
    "NURDIANA",
    "FATIMAH",
    "KHAIRUNNISA",
    "HALIMAH",
    "ZURAIDA",
    "RAHMI",
    "BAIQ",
    "NORMA",
];
const MALAY_LAST: &[&str] = &[
    "HAMZAH", "RAHMAN", "ISMAIL", "YUSUF", "IBRAHIM", "HAKIM", "SALEH", "MAHMUD", "ABUBAKAR",
    "ARIFIN", "NASRUN", "HASIBUAN",
];
const BUGIS_M: &[&str] = &[
    "ANDI",
    "MUHAMMAD",
    "SYAMSUL",
    "HASANUDDIN",
    "RAMLI",
    "BASRI",
    "AMIRUDDIN",
    "JUFRI",
    "NASRULLAH",
    "ARFAN",
    "IRWAN",
    "SAHABUDDIN",
];
const BUGIS_F: &[&str] = &[
    "HASNAH",
    "SITTI",
    "NURHAEDAH",
    "HASMAWATI",
    "RAHMAWATI",
    "NURLINA",
    "SUMARNI",
    "ROSMIATI",
    "ANDI",
    "HARIANI",
    "MUSDALIFAH",
];
const BUGIS_LAST: &[&str] = &[
    "MAPPARENTA",
    "BASO",
    "PAWELLANGI",
    "LATIF",
    "MALLOMBASANG",
    "DAENG",
    "PATAHUDDIN",
    "SAMAD",
    "TAHIR",
    "HAMID",
];
const BALINESE_M_NAME: &[&str] = &[
    "SUDARMA",
    "SUPARTA",
    "ARTAWAN",
    "WIRAWAN",
    "DARMAWAN",
    "SUARJANA",
    "BUDIARTA",
    "GEDE",
    "MERTAYASA",
    "SUKADANA",
    "ADNYANA",
    "SUWITRA",
];
const BALINESE_F_NAME: &[&str] = &[
    "SRIANI", "SUARTINI", "AYU", "ASTITI", "WIDIASIH", "SUKERTI", "MARTINI", "PURNAMI", "SUDIANI",
    "KARMINI",
];
/// Balinese names follow birth order: first, second, third, fourth child.
const BALINESE_BIRTH_ORDER: &[&str] = &["WAYAN", "MADE", "NYOMAN", "KETUT"];
const EASTERN_M: &[&str] = &[
    "YOHANES",
    "PETRUS",
    "PAULUS",
    "MARKUS",
    "YOSEF",
    "FRANSISKUS",
    "AGUSTINUS",
    "STEFANUS",
    "DOMINIKUS",
    "YAKOBUS",
    "FRANS",
    "MARTHEN",
    "YONAS",
    "BENYAMIN",
    "KORNELIS",
];
const EASTERN_F: &[&str] = &[
    "MARIA",
    "MAGDALENA",
    "YOHANA",
    "THERESIA",
    "AGUSTINA",
    "ELISABETH",
    "MARTHA",
    "FRANSISKA",
    "YULIANA",
    "VERONIKA",
    "MARGARETHA",
    "SARLOTA",
];
const EASTERN_LAST: &[&str] = &[
    "NDUN",
    "LODO",
    "TEFA",
    "BRIA",
    "NAHAK",
    "SERAN",
    "DETHAN",
    "FANGGIDAE",
    "MANAFE",
    "PATTINASARANY",
    "TUHUMURY",
    "SAHETAPY",
    "WENDA",
    "TABUNI",
    "RUMBIAK",
    "RUMAROPEN",
    "KAMBU",
    "LUMENTUT",
    "RONDONUWU",
    "SUMUAL",
    "WOWOR",
    "PANGEMANAN",
    "MANDAGI",
    "RUMENGAN",
];
const DAYAK_M: &[&str] = &[
    "YANSEN",
    "DANIEL",
    "AGUSTINUS",
    "LUKAS",
    "TIMOTIUS",
    "ISKANDAR",
    "SABRAN",
    "JULIUS",
    "UJANG",
];
const DAYAK_F: &[&str] = &[
    "RINI", "LUSIA", "EMILIA", "NORA", "SELVIANA", "YULIANTI", "KRISTINA",
];
const DAYAK_LAST: &[&str] = &[
    "ANYEQ", "LUHAT", "DJAGA", "NYURAI", "SAMUEL", "LIAH", "BILUNG",
];
const CHINESE_M: &[&str] = &[
    "HENDRA", "KEVIN", "STEVEN", "VINCENT", "FELIX", "WILSON", "SUHENDRA", "JOHAN", "RUDY",
];
const CHINESE_F: &[&str] = &[
    "LINA", "JESSICA", "MICHELLE", "YENNY", "SUSANTI", "FELICIA", "MELINDA", "VERONICA", "LILY",
];
const CHINESE_LAST: &[&str] = &[
    "WIJAYA", "GUNAWAN", "HALIM", "TANOTO", "SALIM", "KUSUMA", "HARTONO", "TANJAYA", "SETIADI",
    "LIMANTO", "SUTANTO",
];
/// Names popular with parents since the late 1990s, across the country.
const MODERN_M: &[&str] = &[
    "MUHAMMAD RIZKY",
    "ADITYA",
    "DIMAS",
    "FAJAR",
    "BAGUS",
    "REZA",
    "FARHAN",
    "ALIF",
    "RAKA",
    "NAUFAL",
    "DAFFA",
    "GALANG",
    "ARYA",
];
const MODERN_F: &[&str] = &[
    "NABILA",
    "AULIA",
    "SALSABILA",
    "PUTRI",
    "ANISA",
    "DINDA",
    "ZAHRA",
    "KEISHA",
    "SYIFA",
    "AMELIA",
    "NAYLA",
    "ALYA",
    "CITRA",
];
const MODERN_LAST_M: &[&str] = &[
    "PRATAMA",
    "SAPUTRA",
    "RAMADHAN",
    "MAULANA",
    "PERMANA",
    "FIRMANSYAH",
];
const MODERN_LAST_F: &[&str] = &[
    "PUTRI",
    "LESTARI",
    "ANGGRAINI",
    "SAFITRI",
    "MAHARANI",
    "KUSUMA",
];

/// Context a name depends on.
#[derive(Debug, Clone, Copy)]
pub struct NameContext<'a> {
    pub culture: Culture,
    pub sex: Sex,
    pub birth_year: i32,
    /// 0 for the first child; Balinese names follow it.
    pub birth_order: u32,
    /// The father's family name, for traditions that pass it on (Batak marga, Eastern
    /// surnames, Chinese-Indonesian family names).
    pub family_name: Option<&'a str>,
}

/// The family name a tradition passes from father to children, if it has one.
pub fn family_name(culture: Culture, rng: &mut Rng) -> Option<&'static str> {
    match culture {
        Culture::Batak => Some(rng.pick(BATAK_MARGA)),
        Culture::Eastern => Some(rng.pick(EASTERN_LAST)),
        Culture::Chinese => Some(rng.pick(CHINESE_LAST)),
        Culture::Minang if rng.chance(0.3) => Some(rng.pick(MINANG_LAST)),
        _ => None,
    }
}

pub fn full_name(ctx: NameContext<'_>, rng: &mut Rng) -> String {
    let female = ctx.sex == Sex::Female;
    let modern = ctx.birth_year >= 1995 && rng.chance(0.45);
    if ctx.culture == Culture::Balinese {
        // "I Made …" for men, "Ni Made …" (or "Ni Luh …" for a first daughter) for women.
        let title = if female { "NI" } else { "I" };
        let order = match (female, ctx.birth_order) {
            (true, 0) if rng.chance(0.5) => "LUH",
            _ => BALINESE_BIRTH_ORDER[(ctx.birth_order as usize) % BALINESE_BIRTH_ORDER.len()],
        };
        let given = rng.pick(if female {
            BALINESE_F_NAME
        } else {
            BALINESE_M_NAME
        });
        return format!("{title} {order} {given}");
    }
    let (first, last): (&[&str], &[&str]) = match (ctx.culture, female) {
        _ if modern && !matches!(ctx.culture, Culture::Eastern | Culture::Chinese) => {
            if female {
                (MODERN_F, MODERN_LAST_F)
            } else {
                (MODERN_M, MODERN_LAST_M)
            }
        }
        (Culture::Javanese, false) => (JAVANESE_M, JAVANESE_LAST),
        (Culture::Javanese, true) => (JAVANESE_F, JAVANESE_LAST),
        (Culture::Sundanese, false) => (SUNDANESE_M, SUNDANESE_LAST),
        (Culture::Sundanese, true) => (SUNDANESE_F, SUNDANESE_LAST),
        (Culture::Batak, false) => (BATAK_M, BATAK_MARGA),
        (Culture::Batak, true) => (BATAK_F, BATAK_MARGA),
        (Culture::Minang, false) => (MINANG_M, MINANG_LAST),
        (Culture::Minang, true) => (MINANG_F, MINANG_LAST),
        (Culture::Malay, false) => (MALAY_M, MALAY_LAST),
        (Culture::Malay, true) => (MALAY_F, MALAY_LAST),
        (Culture::Bugis, false) => (BUGIS_M, BUGIS_LAST),
        (Culture::Bugis, true) => (BUGIS_F, BUGIS_LAST),
        (Culture::Eastern, false) => (EASTERN_M, EASTERN_LAST),
        (Culture::Eastern, true) => (EASTERN_F, EASTERN_LAST),
        (Culture::Dayak, false) => (DAYAK_M, DAYAK_LAST),
        (Culture::Dayak, true) => (DAYAK_F, DAYAK_LAST),
        (Culture::Chinese, false) => (CHINESE_M, CHINESE_LAST),
        (Culture::Chinese, true) => (CHINESE_F, CHINESE_LAST),
        (Culture::Balinese, _) => (BALINESE_M_NAME, BALINESE_F_NAME),
    };
    let given = rng.pick(first);
    // Family names pass down where the tradition has them; elsewhere many people carry one
    // name only, or a second given name.
    if let Some(family) = ctx.family_name {
        return format!("{given} {family}");
    }
    match rng.below(10) {
        0..=2 => (*given).to_owned(),
        _ => format!("{given} {}", rng.pick(last)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balinese_names_follow_birth_order_and_batak_children_keep_the_marga() {
        let mut rng = Rng::new(1);
        let name = full_name(
            NameContext {
                culture: Culture::Balinese,
                sex: Sex::Male,
                birth_year: 1980,
                birth_order: 1,
                family_name: None,
            },
            &mut rng,
        );
        assert!(name.starts_with("I MADE "), "{name}");
        let name = full_name(
            NameContext {
                culture: Culture::Batak,
                sex: Sex::Female,
                birth_year: 1970,
                birth_order: 0,
                family_name: Some("SIREGAR"),
            },
            &mut rng,
        );
        assert!(name.ends_with(" SIREGAR"), "{name}");
    }

    #[test]
    fn every_province_has_a_culture_mix() {
        for province in ikd_core::region::provinces() {
            assert!(!cultures_of_province(province.code).is_empty());
        }
    }
}
