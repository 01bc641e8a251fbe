//! The synthetic population registry: deterministic families on real villages.
//!
//! Household `i` of a run is drawn from its own random stream (`Rng::for_item(seed, i)`), and
//! households are produced in order, so the same seed and count always give the same people.
//! Uniqueness of NIK, KK number, NIP, plate and email is kept by bumping the serial (or a
//! suffix) on collision, which is deterministic too because generation is sequential.
//!
//! Ages are computed against a fixed snapshot date (`as_of`), not today's clock, so a seed
//! means the same registry whatever day it is generated on.

use std::collections::HashSet;

use ikd_core::civil_status::{BloodType, MaritalStatus, Relationship, Religion};
use ikd_core::date::Date;
use ikd_core::nik::{Sex, format_nik};
use ikd_core::region::{self, District};

use super::model::{
    CivilServant, Ektp, Family, Household, Npwp, Person, Suket, Vaccination, Vehicle,
};
use super::names::{self, Culture, NameContext};
use super::plates;
use super::rng::Rng;

/// Residents per province in 100,000s (2020 census, rounded), so the synthetic registry has
/// about as many people in Jawa Barat as in reality relative to Papua.
const PROVINCE_WEIGHTS: &[(&str, u32)] = &[
    ("11", 53),
    ("12", 148),
    ("13", 55),
    ("14", 64),
    ("15", 35),
    ("16", 85),
    ("17", 20),
    ("18", 90),
    ("19", 15),
    ("21", 21),
    ("31", 106),
    ("32", 483),
    ("33", 365),
    ("34", 37),
    ("35", 410),
    ("36", 119),
    ("51", 43),
    ("52", 53),
    ("53", 53),
    ("61", 54),
    ("62", 27),
    ("63", 41),
    ("64", 38),
    ("65", 7),
    ("71", 26),
    ("72", 30),
    ("73", 91),
    ("74", 26),
    ("75", 12),
    ("76", 14),
    ("81", 18),
    ("82", 13),
    ("91", 10),
    ("92", 6),
    ("93", 5),
    ("94", 14),
    ("95", 14),
    ("96", 6),
];

/// Generates households one after another.
#[derive(Debug)]
pub struct Generator {
    seed: u64,
    as_of: Date,
    /// Districts that have villages, with cumulative population weight.
    districts: Vec<(u64, &'static District)>,
    total_weight: u64,
    next_index: u64,
    used_niks: HashSet<String>,
    used_kks: HashSet<String>,
    used_nips: HashSet<String>,
    used_plates: HashSet<String>,
    used_emails: HashSet<String>,
    /// For a demo office (`registry/demo_office.rs`): the agency every person of civil-servant
    /// age (22–58) works for.
    office_agency: Option<String>,
}

/// A number the generator keeps unique, for [`Generator::reserve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    Nik,
    Kk,
    Nip,
    Plate,
    Email,
}

/// The snapshot date ages are computed against unless another is asked for.
pub fn default_as_of() -> Date {
    Date::new(2026, 1, 1).expect("2026-01-01 is a valid date")
}

impl Generator {
    pub fn new(seed: u64, as_of: Date) -> Self {
        let mut districts = Vec::new();
        let mut total: u64 = 0;
        for (province, weight) in PROVINCE_WEIGHTS {
            let in_province: Vec<&'static District> = region::regencies_of(province)
                .iter()
                .flat_map(|regency| region::districts_of(regency.code))
                .filter(|district| !region::villages_of(district.code).is_empty())
                .collect();
            if in_province.is_empty() {
                continue;
            }
            // Spread the province's people evenly over its districts; scale so small
            // provinces with many districts still get whole-number weights.
            let per_district = (u64::from(*weight) * 1_000_000 / in_province.len() as u64).max(1);
            for district in in_province {
                total += per_district;
                districts.push((total, district));
            }
        }
        Generator {
            districts,
            total_weight: total,
            ..Generator::new_empty(seed, as_of)
        }
    }

    /// Households in one regency only (its districts with villages, equally likely) in which
    /// everyone of civil-servant age (22–58, the ages at which [`Generator::new`] makes civil
    /// servants) works for `agency`: a demo office (`registry/demo_office.rs`). Everything
    /// else (families, names, e-KTP, contacts, documents) is drawn as for any household.
    /// `None` when the regency has no villages.
    pub fn for_office(seed: u64, as_of: Date, regency_code: &str, agency: &str) -> Option<Self> {
        let districts: Vec<(u64, &'static District)> = region::districts_of(regency_code)
            .iter()
            .filter(|district| !region::villages_of(district.code).is_empty())
            .zip(1..)
            .map(|(district, cumulative)| (cumulative, district))
            .collect();
        let total_weight = districts.last()?.0;
        Some(Generator {
            districts,
            total_weight,
            office_agency: Some(agency.to_owned()),
            ..Generator::new_empty(seed, as_of)
        })
    }

    fn new_empty(seed: u64, as_of: Date) -> Self {
        Generator {
            seed,
            as_of,
            districts: Vec::new(),
            total_weight: 0,
            next_index: 0,
            used_niks: HashSet::new(),
            used_kks: HashSet::new(),
            used_nips: HashSet::new(),
            used_plates: HashSet::new(),
            used_emails: HashSet::new(),
            office_agency: None,
        }
    }

    /// Continues at household `index` of the run (households before it are not made).
    pub fn skip_to(&mut self, index: u64) {
        self.next_index = index;
    }

    /// Marks a number as taken (already in the database), so no household gets it.
    pub fn reserve(&mut self, kind: Unique, value: String) {
        let set = match kind {
            Unique::Nik => &mut self.used_niks,
            Unique::Kk => &mut self.used_kks,
            Unique::Nip => &mut self.used_nips,
            Unique::Plate => &mut self.used_plates,
            Unique::Email => &mut self.used_emails,
        };
        set.insert(value);
    }

    pub fn next_household(&mut self) -> Household {
        let index = self.next_index;
        self.next_index += 1;
        let mut rng = Rng::for_item(self.seed, index);
        HouseholdBuilder::new(self, &mut rng).build()
    }

    fn pick_district(&self, rng: &mut Rng) -> &'static District {
        let target = rng.below(self.total_weight.max(1));
        let at = self.districts.partition_point(|(cum, _)| *cum <= target);
        self.districts
            .get(at)
            .or(self.districts.last())
            .map(|(_, d)| *d)
            .unwrap_or_else(|| panic!("the region data has no district with villages"))
    }
}

/// A person before documents are attached.
struct Draft {
    person: Person,
    age: u32,
    family_name: Option<&'static str>,
}

struct HouseholdBuilder<'g, 'r> {
    generator: &'g mut Generator,
    rng: &'r mut Rng,
    district: &'static District,
    culture: Culture,
    religion: Religion,
    kk_number: String,
}

impl<'g, 'r> HouseholdBuilder<'g, 'r> {
    fn new(generator: &'g mut Generator, rng: &'r mut Rng) -> Self {
        let district = generator.pick_district(rng);
        let province_code = district.code.get(..2).unwrap_or("");
        let culture = rng.pick_weighted(names::cultures_of_province(province_code));
        let religion = names::religion_of(culture, rng);
        HouseholdBuilder {
            generator,
            rng,
            district,
            culture,
            religion,
            kk_number: String::new(),
        }
    }

    fn build(mut self) -> Household {
        let as_of = self.generator.as_of;
        let kind = self.rng.below(100);
        let mut drafts: Vec<Draft> = Vec::new();

        // The head and, for couples, the spouse.
        let (head_sex, head_age, head_status) = match kind {
            0..=7 => (
                self.random_sex(),
                self.rng.between(19, 35),
                MaritalStatus::BelumKawin,
            ),
            8..=11 => (
                self.random_sex(),
                self.rng.between(62, 88),
                MaritalStatus::CeraiMati,
            ),
            12..=19 => {
                let sex = if self.rng.chance(0.75) {
                    Sex::Female
                } else {
                    Sex::Male
                };
                let status = if self.rng.chance(0.5) {
                    MaritalStatus::CeraiHidup
                } else {
                    MaritalStatus::CeraiMati
                };
                (sex, self.rng.between(28, 60), status)
            }
            _ => {
                let sex = if self.rng.chance(0.95) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let age = if self.rng.chance(0.6) {
                    self.rng.between(24, 45)
                } else {
                    self.rng.between(46, 72)
                };
                (sex, age, MaritalStatus::Kawin)
            }
        };
        let head_family_name = names::family_name(self.culture, self.rng);
        let head = self.draft(
            head_sex,
            head_age,
            Relationship::KepalaKeluarga,
            head_status,
            0,
            head_family_name,
            None,
        );
        drafts.push(head);

        if head_status == MaritalStatus::Kawin {
            let spouse_sex = opposite(head_sex);
            let spouse_age = (head_age as i64 + self.rng.between(0, 11) as i64 - 8).max(18) as u32;
            let relationship = if spouse_sex == Sex::Female {
                Relationship::Istri
            } else {
                Relationship::Suami
            };
            let spouse_family = names::family_name(self.culture, self.rng);
            let spouse = self.draft(
                spouse_sex,
                spouse_age,
                relationship,
                MaritalStatus::Kawin,
                0,
                spouse_family,
                None,
            );
            drafts.push(spouse);
        }

        // Children, if the household has a mother of child-bearing history.
        if kind >= 12 {
            let mother_age = drafts
                .iter()
                .find(|d| d.person.sex == Sex::Female)
                .map(|d| d.age)
                .unwrap_or(head_age);
            let count =
                self.rng
                    .pick_weighted(&[(0u32, 10), (1, 20), (2, 32), (3, 22), (4, 11), (5, 5)]);
            let mut child_ages: Vec<u32> = (0..count)
                .filter_map(|_| {
                    let at_birth = self.rng.between(19, 42);
                    mother_age.checked_sub(at_birth).filter(|age| *age <= 30)
                })
                .collect();
            child_ages.sort_unstable_by(|a, b| b.cmp(a));
            let father_name = parent_name(&drafts, Sex::Male, self.culture, self.rng);
            let mother_name = parent_name(&drafts, Sex::Female, self.culture, self.rng);
            let family_name = drafts
                .iter()
                .find(|d| d.person.sex == Sex::Male)
                .and_then(|d| d.family_name)
                .or(head_family_name);
            for (order, age) in child_ages.into_iter().enumerate() {
                let sex = self.random_sex();
                let mut child = self.draft(
                    sex,
                    age,
                    Relationship::Anak,
                    MaritalStatus::BelumKawin,
                    order as u32,
                    family_name,
                    Some((&father_name, &mother_name)),
                );
                child.family_name = family_name;
                drafts.push(child);
            }
        }

        // Some households include an elderly parent or another relative.
        if kind >= 20 && self.rng.chance(0.12) {
            let age = (head_age + self.rng.between(20, 30)).min(95);
            let relationship = if self.rng.chance(0.5) {
                Relationship::OrangTua
            } else {
                Relationship::Mertua
            };
            let sex = self.random_sex();
            let family = names::family_name(self.culture, self.rng);
            let elder = self.draft(
                sex,
                age,
                relationship,
                MaritalStatus::CeraiMati,
                0,
                family,
                None,
            );
            drafts.push(elder);
        } else if kind >= 20 && self.rng.chance(0.03) {
            let age = self.rng.between(15, 40);
            let sex = self.random_sex();
            let family = names::family_name(self.culture, self.rng);
            let relative = self.draft(
                sex,
                age,
                Relationship::FamiliLain,
                MaritalStatus::BelumKawin,
                0,
                family,
                None,
            );
            drafts.push(relative);
        }

        let family = self.family(&drafts, as_of);
        for draft in &mut drafts {
            draft.person.kk_number = family.kk_number.clone();
        }
        let mut household = Household {
            family,
            members: Vec::with_capacity(drafts.len()),
            npwp: Vec::new(),
            vaccinations: Vec::new(),
            vehicles: Vec::new(),
            civil_servants: Vec::new(),
            sukets: Vec::new(),
        };
        for draft in &drafts {
            self.documents(draft, &mut household);
        }
        self.vehicles(&drafts, &mut household);
        household.members = drafts.into_iter().map(|d| d.person).collect();
        household
    }

    fn random_sex(&mut self) -> Sex {
        if self.rng.chance(0.5) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draft(
        &mut self,
        sex: Sex,
        age: u32,
        relationship: Relationship,
        marital_status: MaritalStatus,
        birth_order: u32,
        family_name: Option<&'static str>,
        parents: Option<(&str, &str)>,
    ) -> Draft {
        let as_of = self.generator.as_of;
        let birth_date = self.birth_date(age, as_of);
        let full_name = names::full_name(
            NameContext {
                culture: self.culture,
                sex,
                birth_year: birth_date.year(),
                birth_order,
                family_name,
            },
            self.rng,
        );
        let (father_name, mother_name) = match parents {
            Some((father, mother)) => (father.to_owned(), mother.to_owned()),
            None => (
                names::full_name(self.elder_context(Sex::Male, family_name), self.rng),
                names::full_name(self.elder_context(Sex::Female, None), self.rng),
            ),
        };
        let nik = self.unique_nik(birth_date, sex);
        let adult = age >= 17 || marital_status != MaritalStatus::BelumKawin;
        let ektp = if !adult {
            Ektp::NotRecorded
        } else {
            match self.rng.below(100) {
                0..=2 => Ektp::NotRecorded,
                3..=4 => Ektp::RecordedNotPrinted,
                _ => Ektp::Printed,
            }
        };
        let (email, phone) = if adult && self.rng.chance(0.95) {
            (Some(self.unique_email(&full_name)), Some(self.phone()))
        } else {
            (None, None)
        };
        let place_of_birth = self.place_of_birth();
        let occupation = occupation(age, sex, self.rng);
        let education = education(age, self.rng);
        let blood_type = self.rng.pick_weighted(&[
            (BloodType::Unknown, 30),
            (BloodType::O, 27),
            (BloodType::A, 17),
            (BloodType::B, 20),
            (BloodType::Ab, 6),
        ]);
        let photo_seed = self.rng.next_u64();
        Draft {
            person: Person {
                nik,
                kk_number: String::new(),
                full_name,
                sex,
                place_of_birth,
                birth_date,
                religion: self.religion,
                marital_status,
                occupation: occupation.into(),
                education: education.into(),
                blood_type,
                relationship,
                father_name,
                mother_name,
                ektp,
                email,
                phone,
                photo_seed,
                district_code: self.district.code.to_owned(),
            },
            age,
            family_name,
        }
    }

    fn elder_context(&self, sex: Sex, family_name: Option<&'static str>) -> NameContext<'static> {
        NameContext {
            culture: self.culture,
            sex,
            birth_year: 1940,
            birth_order: 0,
            family_name: if sex == Sex::Male { family_name } else { None },
        }
    }

    fn birth_date(&mut self, age: u32, as_of: Date) -> Date {
        // A birthday uniformly within the year that makes the person `age` on `as_of`.
        let latest = as_of.to_days_since_epoch() - (f64::from(age) * 365.2425) as i32;
        let day = latest - self.rng.below(365) as i32;
        Date::from_days_since_epoch(day).unwrap_or(as_of)
    }

    fn unique_nik(&mut self, birth_date: Date, sex: Sex) -> String {
        let mut serial = self.rng.between(1, 9999) as u16;
        loop {
            let nik = format_nik(self.district.code, birth_date, sex, serial);
            if self.generator.used_niks.insert(nik.clone()) {
                return nik;
            }
            serial = if serial >= 9999 { 1 } else { serial + 1 };
        }
    }

    fn unique_email(&mut self, full_name: &str) -> String {
        let words: Vec<String> = full_name
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(char::is_ascii_alphabetic)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase())
            .collect();
        let local = match words.as_slice() {
            [] => "warga".to_owned(),
            [one] => one.clone(),
            [first, .., last] => format!("{first}.{last}"),
        };
        let mut number = self.rng.between(1, 99);
        loop {
            // `.test` is reserved (RFC 2606): demo mail can never reach a real mailbox.
            let email = format!("{local}{number}@ikd-demo.test");
            if self.generator.used_emails.insert(email.clone()) {
                return email;
            }
            number += self.rng.between(1, 997);
        }
    }

    fn phone(&mut self) -> String {
        const PREFIXES: &[&str] = &[
            "811", "812", "813", "821", "822", "823", "852", "853", "857", "858", "877", "878",
            "895", "896", "838", "881",
        ];
        let prefix = self.rng.pick(PREFIXES);
        format!("0{prefix}{:08}", self.rng.below(100_000_000))
    }

    fn place_of_birth(&mut self) -> String {
        let regency_code = self.district.code.get(..5).unwrap_or("");
        let regency = if self.rng.chance(0.8) {
            region::regency(regency_code)
        } else {
            let all = region::regencies();
            all.get(self.rng.below(all.len() as u64) as usize)
        };
        regency
            .map(|r| place_name(r.name))
            .unwrap_or_else(|| "-".to_owned())
    }

    fn family(&mut self, drafts: &[Draft], as_of: Date) -> Family {
        let villages = region::villages_of(self.district.code);
        let village = villages
            .get(self.rng.below(villages.len() as u64) as usize)
            .map(|v| v.code)
            .unwrap_or(self.district.code);
        let head_age = drafts.first().map(|d| d.age).unwrap_or(30);
        // The card was last reissued within the past 12 years, and not before the head was 17.
        let years_back = self.rng.between(0, 12.min(head_age.saturating_sub(17)));
        let issued_on = Date::from_days_since_epoch(
            as_of.to_days_since_epoch() - (years_back as i32) * 365 - self.rng.below(365) as i32,
        )
        .unwrap_or(as_of);
        let kk_number = self.unique_kk(issued_on);
        self.kk_number.clone_from(&kk_number);
        let is_city = region::regency(self.district.code.get(..5).unwrap_or(""))
            .is_some_and(|r| r.name.to_uppercase().starts_with("KOTA"));
        let street_name = self.rng.pick(STREETS);
        let number = self.rng.between(1, 150);
        let street = if is_city || self.rng.chance(0.4) {
            if self.rng.chance(0.25) {
                format!("GG. {street_name} NO. {number}")
            } else {
                format!("JL. {street_name} NO. {number}")
            }
        } else if self.rng.chance(0.5) {
            format!("DUSUN {}", self.rng.pick(HAMLETS))
        } else {
            format!("KP. {}", self.rng.pick(HAMLETS))
        };
        Family {
            kk_number,
            head_nik: drafts
                .first()
                .map(|d| d.person.nik.clone())
                .unwrap_or_default(),
            street,
            rt: self.rng.between(1, 15) as u16,
            rw: self.rng.between(1, 12) as u16,
            village_code: village.to_owned(),
            district_code: self.district.code.to_owned(),
            issued_on,
        }
    }

    fn unique_kk(&mut self, issued_on: Date) -> String {
        let mut serial = self.rng.between(1, 9999) as u16;
        loop {
            let kk = ikd_core::kk::format_kk(self.district.code, issued_on, serial);
            if self.generator.used_kks.insert(kk.clone()) {
                return kk;
            }
            serial = if serial >= 9999 { 1 } else { serial + 1 };
        }
    }

    fn documents(&mut self, draft: &Draft, household: &mut Household) {
        let person = &draft.person;
        let as_of = self.generator.as_of;
        let regency_code = self.district.code.get(..5).unwrap_or("");
        let regency_name = region::regency(regency_code)
            .map(|r| r.name.to_uppercase())
            .unwrap_or_default();
        let district_name = self.district.name;

        let office = self.generator.office_agency.clone();
        if let Some(agency) = office.filter(|_| (22..=58).contains(&draft.age)) {
            self.civil_servant(draft, household, &regency_name, Some(agency));
        } else if draft.age >= 22 && draft.age <= 58 && self.rng.chance(0.025) {
            self.civil_servant(draft, household, &regency_name, None);
        } else if is_working(&person.occupation) && self.rng.chance(0.75) {
            let years_since = self.rng.between(0, draft.age.saturating_sub(21).min(20));
            household.npwp.push(Npwp {
                nik: person.nik.clone(),
                npwp_number: format!(
                    "{:02}.{:03}.{:03}.{}-{:03}.000",
                    self.rng.below(100),
                    self.rng.below(1000),
                    self.rng.below(1000),
                    self.rng.below(10),
                    self.rng.below(1000)
                ),
                registered_on: years_ago(as_of, years_since, self.rng),
                tax_office: format!("KPP PRATAMA {}", place_name(&regency_name)),
            });
        }

        // COVID-19: from 2021 everyone 12 and over could be vaccinated.
        if draft.age >= 17 && self.rng.chance(0.88) {
            let vaccine = self.rng.pick_weighted(&[
                ("CORONAVAC (SINOVAC)", 55),
                ("ASTRAZENECA", 20),
                ("PFIZER", 10),
                ("MODERNA", 8),
                ("SINOPHARM", 7),
            ]);
            let facility = format!("PUSKESMAS {}", district_name.to_uppercase());
            let first = date_between(2021, 3, 2022, 6, self.rng);
            household.vaccinations.push(Vaccination {
                nik: person.nik.clone(),
                dose: 1,
                vaccine,
                given_on: first,
                facility: facility.clone(),
            });
            if self.rng.chance(0.92) {
                let second = add_days(first, 28 + self.rng.below(30) as i32);
                household.vaccinations.push(Vaccination {
                    nik: person.nik.clone(),
                    dose: 2,
                    vaccine,
                    given_on: second,
                    facility: facility.clone(),
                });
                if self.rng.chance(0.45) {
                    let booster = self.rng.pick(&["PFIZER", "MODERNA", "ASTRAZENECA"]);
                    household.vaccinations.push(Vaccination {
                        nik: person.nik.clone(),
                        dose: 3,
                        vaccine: booster,
                        given_on: add_days(second, 120 + self.rng.below(240) as i32),
                        facility,
                    });
                }
            }
        }

        if person.ektp == Ektp::RecordedNotPrinted {
            let issued_on = date_between(2023, 1, 2025, 12, self.rng);
            household.sukets.push(Suket {
                nik: person.nik.clone(),
                suket_number: format!(
                    "474.4/{:05}/DISDUKCAPIL/{}",
                    self.rng.between(1, 99_999),
                    issued_on.year()
                ),
                issued_on,
                reason: "BLANGKO KTP-EL BELUM TERSEDIA",
            });
        }
    }

    /// A civil servant's BKN record: of `agency` when given (a demo office), otherwise of the
    /// regency's government, the province's or a central agency.
    fn civil_servant(
        &mut self,
        draft: &Draft,
        household: &mut Household,
        regency_name: &str,
        agency: Option<String>,
    ) {
        let person = &draft.person;
        let province_name = region::province(self.district.code.get(..2).unwrap_or(""))
            .map(|p| p.name.to_uppercase())
            .unwrap_or_default();
        let regency_agency = format!("PEMERINTAH {regency_name}");
        let (agency, unit) = match agency {
            // A unit as the generator gives that kind of agency.
            Some(agency) => {
                let unit = if agency.to_uppercase() == regency_agency {
                    self.regency_unit()
                } else if agency.to_uppercase().starts_with("PEMERINTAH PROVINSI ") {
                    self.rng.pick(LOCAL_UNITS).to_string()
                } else {
                    format!("KANTOR WILAYAH {province_name}")
                };
                (agency, unit)
            }
            None => match self.rng.below(100) {
                0..=64 => (regency_agency, self.regency_unit()),
                65..=79 => (
                    format!("PEMERINTAH PROVINSI {province_name}"),
                    self.rng.pick(LOCAL_UNITS).to_string(),
                ),
                _ => (
                    self.rng.pick(CENTRAL_AGENCIES).to_string(),
                    format!("KANTOR WILAYAH {province_name}"),
                ),
            },
        };
        let (position, pns_rank) = self.rng.pick(POSITIONS);
        // PPPK (contract civil servants) have grades, not the PNS golongan/ruang.
        let (status, rank) = if self.rng.chance(0.85) {
            ("PNS", pns_rank)
        } else {
            ("PPPK", self.rng.pick(&["VII", "IX", "X"]))
        };
        // Appointed (TMT) between 22 and the present, at most 35 years ago.
        let years_in_service = self.rng.between(0, draft.age.saturating_sub(22).min(35));
        let appointed_on = years_ago(self.generator.as_of, years_in_service, self.rng);
        let mut serial = self.rng.between(1, 999) as u16;
        let nip = loop {
            let nip =
                ikd_core::nip::format_nip(person.birth_date, appointed_on, person.sex, serial);
            if self.generator.used_nips.insert(nip.clone()) {
                break nip;
            }
            serial = if serial >= 999 { 1 } else { serial + 1 };
        };
        household.civil_servants.push(CivilServant {
            nip,
            nik: person.nik.clone(),
            agency,
            unit,
            position,
            rank,
            status,
            appointed_on,
        });
    }

    /// A unit of the regency's government: the person's district office or a department.
    fn regency_unit(&mut self) -> String {
        match self.rng.below(8) {
            0 => format!("KECAMATAN {}", self.district.name.to_uppercase()),
            n => LOCAL_UNITS[(n as usize) % LOCAL_UNITS.len()].to_owned(),
        }
    }

    fn vehicles(&mut self, drafts: &[Draft], household: &mut Household) {
        let adults: Vec<usize> = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.age >= 17)
            .map(|(i, _)| i)
            .collect();
        if adults.is_empty() {
            return;
        }
        let regency_code = self.district.code.get(..5).unwrap_or("").to_owned();
        let motorcycles = if self.rng.chance(0.7) {
            self.rng.between(1, 2)
        } else {
            0
        };
        let cars = u32::from(self.rng.chance(0.15));
        for (kind, count, models) in [
            ("SEPEDA MOTOR", motorcycles, MOTORCYCLES),
            ("MOBIL PENUMPANG", cars, CARS),
        ] {
            for _ in 0..count {
                let owner = adults[self.rng.below(adults.len() as u64) as usize];
                let plate = loop {
                    let plate = plates::plate(&regency_code, self.rng);
                    if self.generator.used_plates.insert(plate.clone()) {
                        break plate;
                    }
                };
                household.vehicles.push(Vehicle {
                    plate,
                    owner_nik: drafts[owner].person.nik.clone(),
                    kind,
                    make_model: self.rng.pick(models),
                    year: self
                        .rng
                        .between(2008, self.generator.as_of.year().max(2009) as u32)
                        as u16,
                    colour: self.rng.pick(COLOURS),
                });
            }
        }
    }
}

fn opposite(sex: Sex) -> Sex {
    match sex {
        Sex::Male => Sex::Female,
        Sex::Female => Sex::Male,
    }
}

/// The name of the household's father or mother, or a generated one when that parent is not
/// on the card (single-parent families).
fn parent_name(drafts: &[Draft], sex: Sex, culture: Culture, rng: &mut Rng) -> String {
    drafts
        .iter()
        .take(2)
        .find(|d| d.person.sex == sex)
        .map(|d| d.person.full_name.clone())
        .unwrap_or_else(|| {
            names::full_name(
                NameContext {
                    culture,
                    sex,
                    birth_year: 1975,
                    birth_order: 0,
                    family_name: None,
                },
                rng,
            )
        })
}

/// "Kota Depok" → "DEPOK", "Kabupaten Bogor" → "BOGOR": how a KTP writes a place of birth.
fn place_name(regency_name: &str) -> String {
    let upper = regency_name.to_uppercase();
    upper
        .strip_prefix("KABUPATEN ")
        .or_else(|| upper.strip_prefix("KOTA "))
        .unwrap_or(&upper)
        .to_owned()
}

fn add_days(date: Date, days: i32) -> Date {
    Date::from_days_since_epoch(date.to_days_since_epoch() + days).unwrap_or(date)
}

fn years_ago(as_of: Date, years: u32, rng: &mut Rng) -> Date {
    add_days(as_of, -((years as i32) * 365) - rng.below(365) as i32)
}

fn date_between(from_year: i32, from_month: u8, to_year: i32, to_month: u8, rng: &mut Rng) -> Date {
    let start = Date::new(from_year, from_month, 1)
        .map(Date::to_days_since_epoch)
        .unwrap_or(0);
    let end = Date::new(to_year, to_month, 28)
        .map(Date::to_days_since_epoch)
        .unwrap_or(start);
    let span = (end - start).max(1) as u64;
    Date::from_days_since_epoch(start + rng.below(span) as i32).unwrap_or_else(default_as_of)
}

fn is_working(occupation: &str) -> bool {
    !matches!(
        occupation,
        "BELUM/TIDAK BEKERJA" | "PELAJAR/MAHASISWA" | "MENGURUS RUMAH TANGGA" | "PENSIUNAN"
    )
}

/// Pekerjaan, from the SIAK list, by age and sex.
fn occupation(age: u32, sex: Sex, rng: &mut Rng) -> &'static str {
    match age {
        0..=5 => "BELUM/TIDAK BEKERJA",
        6..=21 if age < 18 || rng.chance(0.6) => "PELAJAR/MAHASISWA",
        60.. if rng.chance(0.5) => {
            rng.pick(&["PENSIUNAN", "BELUM/TIDAK BEKERJA", "PETANI/PEKEBUN"])
        }
        _ if sex == Sex::Female && rng.chance(0.4) => "MENGURUS RUMAH TANGGA",
        _ => rng.pick_weighted(&[
            ("KARYAWAN SWASTA", 24),
            ("WIRASWASTA", 20),
            ("PETANI/PEKEBUN", 14),
            ("BURUH HARIAN LEPAS", 9),
            ("PEDAGANG", 7),
            ("NELAYAN/PERIKANAN", 2),
            ("GURU", 3),
            ("SOPIR", 3),
            ("KARYAWAN BUMN", 2),
            ("PERAWAT", 1),
            ("DOKTER", 1),
            ("TENTARA NASIONAL INDONESIA (TNI)", 1),
            ("KEPOLISIAN RI (POLRI)", 1),
            ("BELUM/TIDAK BEKERJA", 7),
        ]),
    }
}

/// Pendidikan terakhir, by age.
fn education(age: u32, rng: &mut Rng) -> &'static str {
    match age {
        0..=6 => "TIDAK/BELUM SEKOLAH",
        7..=12 => "BELUM TAMAT SD/SEDERAJAT",
        13..=15 => "TAMAT SD/SEDERAJAT",
        16..=18 => "SLTP/SEDERAJAT",
        _ => rng.pick_weighted(&[
            ("TIDAK/BELUM SEKOLAH", 3),
            ("TAMAT SD/SEDERAJAT", 24),
            ("SLTP/SEDERAJAT", 20),
            ("SLTA/SEDERAJAT", 34),
            ("DIPLOMA I/II", 2),
            ("AKADEMI/DIPLOMA III/S. MUDA", 4),
            ("DIPLOMA IV/STRATA I", 11),
            ("STRATA II", 2),
        ]),
    }
}

const STREETS: &[&str] = &[
    "MERDEKA",
    "SUDIRMAN",
    "DIPONEGORO",
    "KARTINI",
    "PAHLAWAN",
    "MAWAR",
    "MELATI",
    "ANGGREK",
    "KENANGA",
    "CEMPAKA",
    "FLAMBOYAN",
    "GATOT SUBROTO",
    "AHMAD YANI",
    "IMAM BONJOL",
    "SISINGAMANGARAJA",
    "HASANUDDIN",
    "PATTIMURA",
    "CUT NYAK DHIEN",
    "RAYA BOGOR",
    "NUSANTARA",
    "MARGONDA",
    "KEBON JERUK",
];
const HAMLETS: &[&str] = &[
    "SUKAMAJU",
    "SUKARAME",
    "MEKARSARI",
    "CIBODAS",
    "KRAJAN",
    "SIDOREJO",
    "TANJUNGSARI",
    "KARANGANYAR",
    "SUMBERSARI",
    "PASIR JAYA",
    "WONOREJO",
    "BATU PUTIH",
];
const LOCAL_UNITS: &[&str] = &[
    "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
    "DINAS PENDIDIKAN",
    "DINAS KESEHATAN",
    "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
    "SEKRETARIAT DAERAH",
    "DINAS PERHUBUNGAN",
    "BADAN PENDAPATAN DAERAH",
    "DINAS SOSIAL",
];
const CENTRAL_AGENCIES: &[&str] = &[
    "KEMENTERIAN DALAM NEGERI",
    "KEMENTERIAN AGAMA",
    "KEMENTERIAN KEUANGAN",
    "KEMENTERIAN KESEHATAN",
    "BADAN PUSAT STATISTIK",
    "KEMENTERIAN HUKUM",
];
const POSITIONS: &[(&str, &str)] = &[
    ("GURU AHLI PERTAMA", "III/a"),
    ("GURU AHLI MUDA", "III/c"),
    ("ANALIS KEBIJAKAN AHLI MUDA", "III/c"),
    ("PENGADMINISTRASI UMUM", "II/b"),
    ("PERAWAT TERAMPIL", "II/c"),
    ("PRANATA KOMPUTER AHLI PERTAMA", "III/a"),
    ("PENGELOLA KEUANGAN", "III/b"),
    ("ADMINISTRATOR DATABASE KEPENDUDUKAN AHLI PERTAMA", "III/a"),
    ("KEPALA SEKSI", "III/d"),
    ("KEPALA BIDANG", "IV/a"),
];
const MOTORCYCLES: &[&str] = &[
    "HONDA BEAT",
    "HONDA VARIO 125",
    "YAMAHA NMAX",
    "HONDA SCOOPY",
    "YAMAHA MIO M3",
    "HONDA SUPRA X 125",
    "SUZUKI SATRIA F150",
    "YAMAHA AEROX",
    "HONDA PCX 160",
];
const CARS: &[&str] = &[
    "TOYOTA AVANZA",
    "DAIHATSU XENIA",
    "TOYOTA KIJANG INNOVA",
    "HONDA BRIO",
    "MITSUBISHI XPANDER",
    "SUZUKI ERTIGA",
    "DAIHATSU SIGRA",
    "TOYOTA CALYA",
];
const COLOURS: &[&str] = &["HITAM", "PUTIH", "MERAH", "ABU-ABU", "SILVER", "BIRU"];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use ikd_core::civil_status::Relationship;
    use ikd_core::kk::parse_kk;
    use ikd_core::nik::parse_nik;
    use ikd_core::nip::parse_nip;

    use super::*;

    fn households(seed: u64, count: usize) -> Vec<Household> {
        let mut generator = Generator::new(seed, default_as_of());
        (0..count).map(|_| generator.next_household()).collect()
    }

    #[test]
    fn the_same_seed_always_gives_the_same_people() {
        assert_eq!(households(42, 300), households(42, 300));
        let a: Vec<String> = households(42, 50)
            .into_iter()
            .flat_map(|h| h.members)
            .map(|p| p.nik)
            .collect();
        let b: Vec<String> = households(43, 50)
            .into_iter()
            .flat_map(|h| h.members)
            .map(|p| p.nik)
            .collect();
        assert_ne!(a, b);
    }

    #[test]
    fn every_nik_agrees_with_the_persons_district_birth_date_and_sex() {
        let as_of = default_as_of();
        for household in households(7, 500) {
            for person in &household.members {
                let nik = parse_nik(&person.nik, as_of)
                    .unwrap_or_else(|e| panic!("{}: {}", person.nik, e.message_en()));
                assert_eq!(nik.district.code, person.district_code);
                assert_eq!(nik.birth_date, person.birth_date, "{}", person.nik);
                assert_eq!(nik.sex, person.sex);
                // Printed as on a KTP: upper case, "DEPOK" not "Kota Depok".
                assert_eq!(person.place_of_birth, person.place_of_birth.to_uppercase());
                assert!(!person.place_of_birth.starts_with("KOTA "));
                assert_eq!(person.full_name, person.full_name.to_uppercase());
            }
        }
    }

    #[test]
    fn families_have_one_head_a_valid_kk_and_a_real_village_in_their_district() {
        let as_of = default_as_of();
        for household in households(11, 500) {
            let family = &household.family;
            let heads = household
                .members
                .iter()
                .filter(|p| p.relationship == Relationship::KepalaKeluarga)
                .count();
            assert_eq!(heads, 1);
            assert_eq!(household.members[0].nik, family.head_nik);
            let kk = parse_kk(&family.kk_number, as_of).expect("valid KK number");
            assert_eq!(kk.district.code, family.district_code);
            let village = region::village(&family.village_code).expect("real village");
            assert!(village.code.starts_with(&family.district_code));
            assert!(
                household
                    .members
                    .iter()
                    .all(|p| p.kk_number == family.kk_number)
            );
            // Children are younger than both parents on the card.
            let youngest_parent = household
                .members
                .iter()
                .filter(|p| {
                    matches!(
                        p.relationship,
                        Relationship::KepalaKeluarga | Relationship::Istri | Relationship::Suami
                    )
                })
                .map(|p| p.birth_date)
                .max()
                .expect("a head");
            for child in household
                .members
                .iter()
                .filter(|p| p.relationship == Relationship::Anak)
            {
                assert!(child.birth_date > youngest_parent, "{child:?}");
            }
        }
    }

    #[test]
    fn the_registry_has_its_edge_populations_and_linked_documents() {
        let as_of = default_as_of();
        let all = households(3, 4_000);
        let people: Vec<&Person> = all.iter().flat_map(|h| &h.members).collect();
        let minors = people
            .iter()
            .filter(|p| p.birth_date.age_on(as_of) < 17)
            .count();
        let adults_not_recorded = people
            .iter()
            .filter(|p| p.birth_date.age_on(as_of) >= 17 && p.ektp == Ektp::NotRecorded)
            .count();
        let recorded_not_printed: Vec<&&Person> = people
            .iter()
            .filter(|p| p.ektp == Ektp::RecordedNotPrinted)
            .collect();
        assert!(
            minors * 100 / people.len() >= 15,
            "minors {minors} of {}",
            people.len()
        );
        assert!(adults_not_recorded > 50, "{adults_not_recorded}");
        assert!(recorded_not_printed.len() > 50);
        let sukets: HashSet<&str> = all
            .iter()
            .flat_map(|h| &h.sukets)
            .map(|s| s.nik.as_str())
            .collect();
        assert!(
            recorded_not_printed
                .iter()
                .all(|p| sukets.contains(p.nik.as_str()))
        );

        let servants: Vec<&CivilServant> = all.iter().flat_map(|h| &h.civil_servants).collect();
        assert!(
            servants.len() * 1000 / people.len() >= 10,
            "ASN share too small"
        );
        for servant in &servants {
            let person = people.iter().find(|p| p.nik == servant.nik).expect("owner");
            let nip = parse_nip(&servant.nip).expect("valid NIP");
            assert_eq!(nip.birth_date, person.birth_date);
            assert_eq!(nip.sex, person.sex);
        }
        let vehicles: Vec<&Vehicle> = all.iter().flat_map(|h| &h.vehicles).collect();
        assert!(!vehicles.is_empty());
        for vehicle in vehicles {
            let owner = people
                .iter()
                .find(|p| p.nik == vehicle.owner_nik)
                .expect("owner");
            let prefix = plates::prefix_for_regency(owner.regency_code());
            assert!(
                vehicle.plate.starts_with(&format!("{prefix} ")),
                "{}",
                vehicle.plate
            );
        }
        assert!(all.iter().any(|h| !h.npwp.is_empty()));
        assert!(all.iter().any(|h| !h.vaccinations.is_empty()));
    }

    #[test]
    fn an_office_lives_in_its_regency_and_everyone_of_service_age_works_there() {
        let as_of = default_as_of();
        let mut generator = Generator::for_office(1, as_of, "32.76", "PEMERINTAH KOTA DEPOK")
            .expect("Depok has villages");
        let all: Vec<Household> = (0..200).map(|_| generator.next_household()).collect();
        let mut niks = HashSet::new();
        for household in &all {
            for person in &household.members {
                assert!(niks.insert(&person.nik));
                assert_eq!(person.regency_code(), "32.76");
                let age = person.birth_date.age_on(as_of);
                let servant = household
                    .civil_servants
                    .iter()
                    .find(|c| c.nik == person.nik);
                // (An age from a birth date may be one off the age it was drawn for.)
                if (23..=57).contains(&age) {
                    assert!(servant.is_some(), "{person:?}");
                } else if !(21..=59).contains(&age) {
                    assert!(servant.is_none(), "{person:?}");
                }
                if let Some(servant) = servant {
                    assert_eq!(servant.agency, "PEMERINTAH KOTA DEPOK");
                    assert!(
                        LOCAL_UNITS.contains(&servant.unit.as_str())
                            || servant.unit.starts_with("KECAMATAN "),
                        "{}",
                        servant.unit
                    );
                    let nip = parse_nip(&servant.nip).expect("valid NIP");
                    assert_eq!(nip.birth_date, person.birth_date);
                    assert_eq!(nip.sex, person.sex);
                }
            }
        }
    }

    #[test]
    fn niks_emails_and_plates_are_unique() {
        let all = households(5, 3_000);
        let mut niks = HashSet::new();
        let mut emails = HashSet::new();
        for person in all.iter().flat_map(|h| &h.members) {
            assert!(niks.insert(&person.nik), "duplicate NIK {}", person.nik);
            if let Some(email) = &person.email {
                assert!(emails.insert(email), "duplicate email {email}");
                assert!(email.ends_with("@ikd-demo.test"));
            }
        }
        let mut plates = HashSet::new();
        for vehicle in all.iter().flat_map(|h| &h.vehicles) {
            assert!(plates.insert(&vehicle.plate));
        }
    }
}
