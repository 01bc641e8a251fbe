//! `ikd demo`: the accounts a person trying the system needs, printed as a table. It creates
//! the demo officers on first run (fixed, published passwords: this is demo data, like the
//! synthetic registry) and picks citizens from the registry who may register. On a synthetic
//! registry it also makes sure Depok has a demo office (`registry/demo_office.rs`): civil
//! servants of its government for the sample drive roster it writes.

use std::process::ExitCode;

use clap::Args;
use ikd_core::date::Date;
use ikd_core::officer::OfficerRole;

use crate::officer::officers::{self, NewOfficer, OfficerError};
use crate::officer::second_factor;
use crate::platform::clock::today_utc;
use crate::platform::storage_args::StorageArgs;
use crate::platform::totp;
use crate::registry::demo_office;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Jumlah contoh warga yang ditampilkan (how many demo citizens to print)
    #[arg(long, default_value_t = 5)]
    pub citizens: i64,

    #[command(flatten)]
    pub storage: StorageArgs,
}

/// (username, full name, role, region, password). Published on purpose: demo only.
const DEMO_OFFICERS: &[(&str, &str, OfficerRole, &str, &str)] = &[
    (
        "petugas.depok",
        "Rina Wulandari",
        OfficerRole::Officer,
        "32.76",
        "demo-petugas-2026",
    ),
    (
        "penyelia.depok",
        "Sari Handayani",
        OfficerRole::Supervisor,
        "32.76",
        "demo-penyelia-2026",
    ),
    (
        "admin.jabar",
        "Agus Pratama",
        OfficerRole::Admin,
        "32",
        "demo-admin-jabar-2026",
    ),
];

pub fn run(args: DemoArgs) -> ExitCode {
    super::block_on(async { super::exit_code(demo(args).await) })
}

async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let db = args.storage.connect().await?;
    println!("AKUN DEMO (demo accounts) — data sintetis, bukan data penduduk asli");
    println!();
    println!("Petugas (akun petugas · officer accounts):");
    for (username, name, role, region, password) in DEMO_OFFICERS {
        let created = officers::add(
            &db,
            NewOfficer {
                username: (*username).to_owned(),
                full_name: (*name).to_owned(),
                role: *role,
                region_code: (*region).to_owned(),
                password: (*password).to_owned(),
            },
        )
        .await;
        match created {
            // A new demo officer gets an authenticator-app secret, printed below, so the
            // console can be tried without an app (demo data only).
            Ok(id) => second_factor::enrol_totp(&db, id, &totp::new_secret()).await?,
            Err(OfficerError::Duplicate(_)) => {}
            Err(err) => return Err(err.into()),
        }
        let secret = match officers::find_active(&db, username).await? {
            Some(officer) => second_factor::totp_secret(&db, officer.id).await?,
            None => None,
        };
        let secret = secret
            .map(|s| totp::secret_base32(&s))
            .unwrap_or_else(|| "(didaftarkan saat masuk · enrolled at login)".to_owned());
        println!(
            "  {username:<16} {password:<22} {:<10} wilayah {region:<6} TOTP {secret}",
            role.as_str()
        );
    }
    println!(
        "  Faktor kedua (second factor): kode TOTP saat ini (current code) dengan \
         `ikd officer totp-code --username NAMA`, atau rahasia di atas di aplikasi autentikator. \
         Hanya untuk data demo (demo data only)."
    );
    demo_office(&db).await?;
    // Adults with a recorded e-KTP and contact details on record: they can register.
    let cutoff = format!("{}-01-01", today_utc().year() - 18);
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT nik, full_name, email, phone FROM registry_persons WHERE ektp_recorded = 1 \
         AND email IS NOT NULL AND phone IS NOT NULL AND birth_date < $1 \
         AND nik NOT IN (SELECT nik FROM accounts) ORDER BY nik LIMIT $2",
    )
    .bind(cutoff)
    .bind(args.citizens)
    .fetch_all(db.pool())
    .await?;
    println!();
    println!("Warga yang dapat mendaftar (citizens who can register: NIK, email, HP):");
    for (nik, name, email, phone) in rows {
        println!("  {nik}  {email:<34} {phone:<14} {name}");
    }
    demo_target(&db).await?;
    let roster = demo_roster(&db, &args.storage.data_dir).await?;
    println!();
    println!(
        "Konsol petugas di /petugas/ (officer console). Contoh daftar ASN untuk kegiatan jemput \
         bola instansi {DEMO_DRIVE_AGENCY} oleh petugas.depok (sample ASN roster for such a \
         drive): {}",
        roster.display()
    );
    println!(
        "Email aktivasi ditulis ke {} (activation emails land in this folder)",
        args.storage.data_dir.join("outbox").display()
    );
    Ok(())
}

/// Depok's published goal: 25 % of the people who must hold a KTP (the national 70 % comes
/// with the migrations). Set once; an admin may change it in the console.
async fn demo_target(db: &crate::platform::db::Db) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO region_targets (region_code, basis_points, set_by, set_at) \
         VALUES ('32.76', 2500, NULL, $1) ON CONFLICT (region_code) DO NOTHING",
    )
    .bind(crate::platform::db::unix_now())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Civil servants of the demo drive's agency living in its region who can register: the
/// sample roster lists 50 of them and the console's end-to-end test 45.
const DEMO_OFFICE_SIZE: u64 = 60;

/// Tops a synthetic registry up to `DEMO_OFFICE_SIZE` civil servants of Depok's government
/// living in Depok (generated households, `registry/demo_office.rs`); never an extract.
async fn demo_office(db: &crate::platform::db::Db) -> anyhow::Result<()> {
    let year = today_utc().year() - 18;
    let office = demo_office::Office {
        regency_code: DEMO_DRIVE_REGION,
        agency: DEMO_DRIVE_AGENCY,
        wanted: DEMO_OFFICE_SIZE,
        adults_born_before: Date::new(year, 1, 1)
            .ok_or_else(|| anyhow::anyhow!("no 1 January {year}"))?,
    };
    println!();
    match demo_office::ensure(db, office).await? {
        demo_office::Outcome::Added {
            households,
            persons,
            registrable,
        } => println!(
            "Kantor demo: {persons} warga ({households} KK) ditambahkan ke registri sintetis; \
             {registrable} ASN {DEMO_DRIVE_AGENCY} di wilayah {DEMO_DRIVE_REGION} dapat \
             mendaftar, data demo (demo office: {persons} people in {households} families added \
             to the synthetic registry; {registrable} civil servants can register; demo data)"
        ),
        demo_office::Outcome::Enough { registrable } => println!(
            "Kantor demo: {registrable} ASN {DEMO_DRIVE_AGENCY} di wilayah {DEMO_DRIVE_REGION} \
             dapat mendaftar, data demo (demo office: {registrable} civil servants can register, \
             none added; demo data)"
        ),
        demo_office::Outcome::NotSynthetic => println!(
            "Kantor demo tidak dibuat: registri bukan data sintetis (no demo office: the \
             registry is not synthetic demo data)"
        ),
        demo_office::Outcome::UnknownRegion => anyhow::bail!(
            "wilayah {DEMO_DRIVE_REGION} tidak memiliki desa (region {DEMO_DRIVE_REGION} has no \
             villages)"
        ),
    }
    Ok(())
}

/// How many civil servants the sample roster lists.
const DEMO_ROSTER_SIZE: i64 = 50;

/// The drive the sample roster is for: one `petugas.depok` creates (in her region) for
/// Depok's government, since a roster admits only that agency's civil servants who live in
/// the drive's region (issue 15).
const DEMO_DRIVE_REGION: &str = "32.76";
const DEMO_DRIVE_AGENCY: &str = "PEMERINTAH KOTA DEPOK";

/// A roster CSV (NIP, NIK, name, unit) of civil servants who can register, to try the
/// drive import with: `<data-dir>/demo/daftar-asn.csv`.
async fn demo_roster(
    db: &crate::platform::db::Db,
    data_dir: &std::path::Path,
) -> anyhow::Result<std::path::PathBuf> {
    let cutoff = format!("{}-01-01", today_utc().year() - 18);
    // People live in districts, which are all inside the regency.
    let (below_from, below_to) = ikd_core::region::inside_range(DEMO_DRIVE_REGION);
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.nip, c.nik, p.full_name, c.unit FROM registry_civil_servants c \
         JOIN registry_persons p ON p.nik = c.nik WHERE p.ektp_recorded = 1 \
         AND p.email IS NOT NULL AND p.phone IS NOT NULL AND p.birth_date < $1 \
         AND (p.district_code >= $2 AND p.district_code < $3) AND UPPER(c.agency) = $4 \
         ORDER BY c.nip LIMIT $5",
    )
    .bind(cutoff)
    .bind(&below_from)
    .bind(&below_to)
    .bind(DEMO_DRIVE_AGENCY)
    .bind(DEMO_ROSTER_SIZE)
    .fetch_all(db.pool())
    .await?;
    let mut csv = crate::platform::csv_out::CsvOut::new(&["nip", "nik", "nama", "unit"]);
    for (nip, nik, name, unit) in &rows {
        csv.row(&[nip, nik, name, unit]);
    }
    let dir = data_dir.join("demo");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("daftar-asn.csv");
    std::fs::write(&path, csv.finish())?;
    Ok(path)
}
