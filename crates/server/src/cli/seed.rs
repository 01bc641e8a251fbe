//! `ikd seed`: fill the population registry with synthetic demo citizens (deterministic per
//! `--seed`), or import a CSV extract for a pilot, with its people's registry photos (a
//! `photo` column or `--photos DIR` of `NIK.jpg`). Prints one JSON object on its last line.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use ikd_core::date::Date;
use ikd_core::registry_origin::RegistryOrigin;

use crate::platform::storage_args::StorageArgs;
use crate::registry::generator::default_as_of;
use crate::registry::seed::{SyntheticSeed, seed_synthetic};
use crate::registry::{csv_import, store};

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// Jumlah penduduk sintetis (number of synthetic citizens)
    #[arg(long, default_value_t = 10_000)]
    pub count: u64,

    /// Benih acak: benih yang sama selalu menghasilkan penduduk yang sama
    /// (random seed: the same seed always gives the same people)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Tanggal acuan umur, YYYY-MM-DD (snapshot date ages are computed against)
    #[arg(long)]
    pub as_of: Option<Date>,

    /// Impor dari CSV alih-alih membuat data sintetis (import a CSV extract instead)
    #[arg(long)]
    pub csv: Option<PathBuf>,

    /// Folder foto registri NIK.jpg untuk baris CSV tanpa kolom foto (folder of registry
    /// photos named NIK.jpg, for CSV rows without a photo column value)
    #[arg(long, requires = "csv")]
    pub photos: Option<PathBuf>,

    /// Kosongkan registri terlebih dahulu (empty the registry first)
    #[arg(long, conflicts_with = "if_empty")]
    pub replace: bool,

    /// Hanya isi bila registri masih kosong (only fill an empty registry; otherwise do nothing)
    #[arg(long)]
    pub if_empty: bool,

    #[command(flatten)]
    pub storage: StorageArgs,
}

pub fn run(args: SeedArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("tokio runtime")?;
    runtime.block_on(seed(args))
}

async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    let db = args.storage.connect().await?;
    let existing = store::person_count(&db).await?;
    if args.replace {
        store::clear(&db).await?;
    } else if existing > 0 && args.if_empty {
        super::print_json_line(&serde_json::json!({"skipped": true, "persons": existing}));
        return Ok(());
    } else if existing > 0 {
        anyhow::bail!(
            "registri sudah berisi data; tambahkan --replace untuk menggantinya \
             (the registry already holds people; add --replace to replace them)"
        );
    }
    let json = match &args.csv {
        Some(path) => {
            let report = csv_import::import_file(
                &db,
                path,
                args.photos.as_deref(),
                crate::platform::clock::today_utc(),
            )
            .await?;
            let mut json = serde_json::to_value(&report)?;
            json["origin"] = RegistryOrigin::Extract.as_str().into();
            json["demoData"] = RegistryOrigin::is_demo(Some(RegistryOrigin::Extract)).into();
            json
        }
        None => {
            let report = seed_synthetic(
                &db,
                SyntheticSeed {
                    seed: args.seed,
                    persons: args.count,
                    as_of: args.as_of.unwrap_or_else(default_as_of),
                },
            )
            .await?;
            serde_json::json!({
                "source": RegistryOrigin::Synthetic.as_str(),
                "origin": RegistryOrigin::Synthetic.as_str(),
                "demoData": RegistryOrigin::is_demo(Some(RegistryOrigin::Synthetic)),
                "seed": args.seed,
                "persons": report.written.persons,
                "families": report.written.families,
                "documents": report.written.documents,
                "seconds": (report.seconds * 100.0).round() / 100.0,
                "personsPerSecond": (report.written.persons as f64 / report.seconds.max(1e-9)).round(),
            })
        }
    };
    super::print_json_line(&json);
    Ok(())
}
