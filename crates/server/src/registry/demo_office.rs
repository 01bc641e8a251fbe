//! A demo office: enough civil servants of one agency living in one regency to try a
//! registration drive with. A synthetic registry spreads people over all of Indonesia, so a
//! 10,000-person seed has about one civil servant of Pemerintah Kota Depok who lives in
//! Depok and may register; `ikd demo` asks for 60.
//!
//! The extra people are whole synthetic households from the generator
//! ([`Generator::for_office`]: the regency's districts, everyone aged 22–58 a civil servant of
//! the agency), deterministic from a seed of the office, written by the store and recorded as
//! a synthetic load like `ikd seed`, so the population counts are rebuilt. Only a synthetic
//! registry gets them, never an extract. Running again tops up to the number asked for and
//! continues the run where the last top-up stopped; numbers already in the registry (NIK, KK,
//! NIP, plate, email) are reserved, so nothing is duplicated.

use ikd_core::date::Date;
use ikd_core::registry_origin::RegistryOrigin;

use super::generator::{Generator, Unique, default_as_of};
use super::model::Household;
use super::{origin, store};
use crate::platform::db::{Db, DbError};

/// Households generated at most in one top-up: far more than any office needs (a household
/// holds about one and a half registrable civil servants; 60 took 39 households).
const MAX_HOUSEHOLDS: u64 = 10_000;

/// Values per `IN (…)` lookup of numbers already taken.
const LOOKUP_CHUNK: usize = 500;

/// What `ensure` is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Office<'a> {
    /// "32.76"
    pub regency_code: &'a str,
    /// As BKN writes it: "PEMERINTAH KOTA DEPOK".
    pub agency: &'a str,
    /// Civil servants who can register, at least.
    pub wanted: u64,
    /// Adults are born before this day.
    pub adults_born_before: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The registry is not synthetic (an extract, or nothing loaded yet): nothing added.
    NotSynthetic,
    /// The regency has no villages to put households in: nothing added.
    UnknownRegion,
    /// Already enough; nothing added.
    Enough { registrable: u64 },
    /// Households added, and how many civil servants can register now.
    Added {
        households: u64,
        persons: u64,
        registrable: u64,
    },
}

/// Makes sure the office has `wanted` civil servants who can register: adults with a
/// recorded e-KTP, email and phone, living in the regency, of the agency.
pub async fn ensure(db: &Db, office: Office<'_>) -> Result<Outcome, DbError> {
    if origin::current(db).await? != Some(RegistryOrigin::Synthetic) {
        return Ok(Outcome::NotSynthetic);
    }
    let present = registrable(db, office).await?;
    if present >= office.wanted {
        return Ok(Outcome::Enough {
            registrable: present,
        });
    }
    let source = source_of(office);
    let start = households_made(db, &source).await?;
    let mut taken: Vec<(Unique, String)> = Vec::new();
    let households = loop {
        let Some(households) = generate(office, start, office.wanted - present, &taken) else {
            return Ok(Outcome::UnknownRegion);
        };
        let clashes = already_taken(db, &households).await?;
        if clashes.is_empty() {
            break households;
        }
        // Generate again with those numbers reserved: the generator bumps past them.
        taken.extend(clashes);
    };
    let count = households.len() as u64;
    let written = store::write_households(db, households).await?;
    store::record_seed_run(db, RegistryOrigin::Synthetic, &source, written).await?;
    Ok(Outcome::Added {
        households: count,
        persons: written.persons,
        registrable: registrable(db, office).await?,
    })
}

/// The office's civil servants who can register, counted in the registry.
pub async fn registrable(db: &Db, office: Office<'_>) -> Result<u64, DbError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registry_civil_servants c \
         JOIN registry_persons p ON p.nik = c.nik WHERE p.regency_code = $1 \
         AND UPPER(c.agency) = $2 AND p.ektp_recorded = 1 AND p.email IS NOT NULL \
         AND p.phone IS NOT NULL AND p.birth_date < $3",
    )
    .bind(office.regency_code)
    .bind(office.agency.to_uppercase())
    .bind(office.adults_born_before.to_string())
    .fetch_one(db.pool())
    .await?;
    Ok(count.max(0) as u64)
}

/// How the office's loads are recorded in `registry_seed_runs`.
fn source_of(office: Office<'_>) -> String {
    format!(
        "demo office {} {}",
        office.regency_code,
        office.agency.to_uppercase()
    )
}

/// The office's own generator seed: fixed, different for every office.
fn seed_of(office: Office<'_>) -> u64 {
    // FNV-1a over the source text.
    source_of(office)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Households of this office written since the registry was last seeded (`ikd seed` refuses a
/// registry that holds people, so a seed starts a new one): the next top-up continues there.
async fn households_made(db: &Db, source: &str) -> Result<u64, DbError> {
    let made: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(families), 0) AS BIGINT) FROM registry_seed_runs \
         WHERE source = $1 AND id > (SELECT COALESCE(MAX(id), 0) FROM registry_seed_runs \
         WHERE substr(source, 1, 12) <> 'demo office ')",
    )
    .bind(source)
    .fetch_one(db.pool())
    .await?;
    Ok(made.max(0) as u64)
}

/// Households from number `start` of the office's run until `needed` more civil servants can
/// register, with `taken` numbers reserved.
fn generate(
    office: Office<'_>,
    start: u64,
    needed: u64,
    taken: &[(Unique, String)],
) -> Option<Vec<Household>> {
    let mut generator = Generator::for_office(
        seed_of(office),
        default_as_of(),
        office.regency_code,
        office.agency,
    )?;
    for (kind, value) in taken {
        generator.reserve(*kind, value.clone());
    }
    generator.skip_to(start);
    let mut households = Vec::new();
    let mut found = 0;
    while found < needed && (households.len() as u64) < MAX_HOUSEHOLDS {
        let household = generator.next_household();
        found += registrable_in(&household, office);
        households.push(household);
    }
    Some(households)
}

/// The household's civil servants of the office who can register.
fn registrable_in(household: &Household, office: Office<'_>) -> u64 {
    let agency = office.agency.to_uppercase();
    household
        .civil_servants
        .iter()
        .filter(|servant| servant.agency.to_uppercase() == agency)
        .filter_map(|servant| household.members.iter().find(|p| p.nik == servant.nik))
        .filter(|p| {
            p.regency_code() == office.regency_code
                && p.ektp.recorded()
                && p.email.is_some()
                && p.phone.is_some()
                && p.birth_date < office.adults_born_before
        })
        .count() as u64
}

/// The households' unique numbers that the registry already holds.
async fn already_taken(
    db: &Db,
    households: &[Household],
) -> Result<Vec<(Unique, String)>, DbError> {
    let people = || households.iter().flat_map(|h| &h.members);
    let lookups: [(Unique, &str, Vec<&str>); 5] = [
        (
            Unique::Nik,
            "SELECT nik FROM registry_persons WHERE nik IN",
            people().map(|p| p.nik.as_str()).collect(),
        ),
        (
            Unique::Kk,
            "SELECT kk_number FROM registry_families WHERE kk_number IN",
            households
                .iter()
                .map(|h| h.family.kk_number.as_str())
                .collect(),
        ),
        (
            Unique::Nip,
            "SELECT nip FROM registry_civil_servants WHERE nip IN",
            households
                .iter()
                .flat_map(|h| &h.civil_servants)
                .map(|c| c.nip.as_str())
                .collect(),
        ),
        (
            Unique::Plate,
            "SELECT plate FROM registry_vehicles WHERE plate IN",
            households
                .iter()
                .flat_map(|h| &h.vehicles)
                .map(|v| v.plate.as_str())
                .collect(),
        ),
        (
            Unique::Email,
            "SELECT email FROM registry_persons WHERE email IN",
            people().filter_map(|p| p.email.as_deref()).collect(),
        ),
    ];
    let mut taken = Vec::new();
    for (kind, select, values) in lookups {
        for chunk in values.chunks(LOOKUP_CHUNK) {
            let params = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!("{select} ({params})");
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for value in chunk {
                query = query.bind(*value);
            }
            taken.extend(
                query
                    .fetch_all(db.pool())
                    .await?
                    .into_iter()
                    .map(|value| (kind, value)),
            );
        }
    }
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office(wanted: u64) -> Office<'static> {
        Office {
            regency_code: "32.76",
            agency: "PEMERINTAH KOTA DEPOK",
            wanted,
            adults_born_before: Date::new(2008, 1, 1).expect("date"),
        }
    }

    #[test]
    fn a_top_up_is_deterministic_and_continues_the_run() {
        let first = generate(office(60), 0, 60, &[]).expect("households");
        assert_eq!(first, generate(office(60), 0, 60, &[]).expect("again"));
        let found: u64 = first.iter().map(|h| registrable_in(h, office(60))).sum();
        assert!(found >= 60, "{found}");
        let next = generate(office(60), first.len() as u64, 5, &[]).expect("next");
        assert!(next.iter().all(|h| !first.contains(h)));
    }

    #[test]
    fn a_reserved_number_is_not_given_again() {
        let first = generate(office(10), 0, 10, &[]).expect("households");
        let nik = first[0].members[0].nik.clone();
        let again = generate(office(10), 0, 10, &[(Unique::Nik, nik.clone())]).expect("again");
        assert!(again.iter().flat_map(|h| &h.members).all(|p| p.nik != nik));
    }
}
