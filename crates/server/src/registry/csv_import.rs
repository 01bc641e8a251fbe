//! Importing a registry extract from CSV, for a pilot with real (consented) data.
//!
//! One row per person, with the family columns repeated on every member's row:
//!
//! ```text
//! kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,occupation,
//! education,blood_type,relationship,father_name,mother_name,street,rt,rw,village_code,
//! ektp_recorded,ektp_printed,email,phone,photo
//! ```
//!
//! Each person's registry photo (the one the officer compares with the selfie) comes from the
//! optional `photo` (or `foto`) column, a JPEG file path relative to the CSV, or else from
//! `NIK.jpg` in a photo folder (`ikd seed --csv FILE --photos DIR`). A person with neither has
//! no registry photo, and the officer is told so. A photo that is not a JPEG, is larger than
//! `photos::MAX_PHOTO_BYTES` or cannot be read rejects its row.
//!
//! Every row is checked (NIK against the real regions and its own birth date and sex, the KK
//! number, the closed lists, the village); good rows are imported even when others are bad,
//! and every bad row is reported with its line and reason. Nothing is silently dropped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ikd_core::civil_status::Relationship;
use ikd_core::date::Date;
use ikd_core::registry_origin::RegistryOrigin;
use serde::Serialize;

use super::csv_rows;
use super::model::{Family, Household, Person};
use super::photos::{self, PhotoRefusal};
use super::store::{self, Written};
use crate::platform::db::Db;

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedRow {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub source: String,
    pub persons: u64,
    pub families: u64,
    /// People imported with a registry photo; the others have none.
    pub photos: u64,
    pub rejected: Vec<RejectedRow>,
}

/// Where the photos are: `photo` paths are taken relative to `csv_dir`; `photos_dir` holds
/// `NIK.jpg` files for rows without a `photo` value.
#[derive(Debug, Clone, Default)]
pub struct PhotoSources {
    pub csv_dir: Option<PathBuf>,
    pub photos_dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("berkas CSV tidak dapat dibaca (cannot read the CSV file): {0}")]
    Read(#[from] csv::Error),
    #[error("foto {file} berubah saat impor (the photo changed during the import): {reason}")]
    Photo { file: String, reason: String },
    #[error(transparent)]
    Database(#[from] crate::platform::db::DbError),
}

crate::database_fault!(ImportError);

pub async fn import_file(
    db: &Db,
    path: &Path,
    photos_dir: Option<&Path>,
    today: Date,
) -> Result<ImportReport, ImportError> {
    let reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)?;
    let sources = PhotoSources {
        csv_dir: Some(
            path.parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        ),
        photos_dir: photos_dir.map(Path::to_path_buf),
    };
    import(db, reader, &path.display().to_string(), &sources, today).await
}

pub async fn import<R: std::io::Read>(
    db: &Db,
    mut reader: csv::Reader<R>,
    source: &str,
    sources: &PhotoSources,
    today: Date,
) -> Result<ImportReport, ImportError> {
    let mut rejected = Vec::new();
    // Members grouped by KK, in file order; BTreeMap keeps the import deterministic.
    let mut by_kk: BTreeMap<String, Vec<(Person, Family)>> = BTreeMap::new();
    // Photo files are checked now and read again when written, so a large extract's photos
    // never sit in memory together.
    let mut photo_files: Vec<(String, PathBuf)> = Vec::new();
    for (line, checked) in csv_rows::checked_rows(&mut reader, today) {
        let checked = checked.and_then(|(person, family, photo)| {
            let file = photo_file(sources, &person.nik, photo.as_deref())?;
            Ok((person, family, file))
        });
        match checked {
            Ok((person, family, file)) => {
                if let Some(file) = file {
                    photo_files.push((person.nik.clone(), file));
                }
                by_kk
                    .entry(family.kk_number.clone())
                    .or_default()
                    .push((person, family));
            }
            Err(reason) => rejected.push(RejectedRow { line, reason }),
        }
    }
    let households: Vec<Household> = by_kk
        .into_values()
        .map(|members| {
            let head = members
                .iter()
                .position(|(p, _)| p.relationship == Relationship::KepalaKeluarga)
                .unwrap_or(0);
            let mut family = members[head].1.clone();
            family.head_nik = members[head].0.nik.clone();
            Household {
                family,
                members: members.into_iter().map(|(p, _)| p).collect(),
                npwp: Vec::new(),
                vaccinations: Vec::new(),
                vehicles: Vec::new(),
                civil_servants: Vec::new(),
                sukets: Vec::new(),
            }
        })
        .collect();
    let mut written = Written::default();
    let mut households = households.into_iter().peekable();
    while households.peek().is_some() {
        let chunk: Vec<Household> = households.by_ref().take(2_000).collect();
        let w = store::write_households(db, chunk).await?;
        written.families += w.families;
        written.persons += w.persons;
    }
    let photos = write_photos(db, photo_files).await?;
    store::record_seed_run(
        db,
        RegistryOrigin::Extract,
        &format!("csv {source}"),
        written,
    )
    .await?;
    Ok(ImportReport {
        source: source.to_owned(),
        persons: written.persons,
        families: written.families,
        photos,
        rejected,
    })
}

/// The photo file for a row: its `photo` value (relative to the CSV), else `NIK.jpg` in the
/// photo folder if there; checked to be a JPEG within the bound.
fn photo_file(
    sources: &PhotoSources,
    nik: &str,
    value: Option<&str>,
) -> Result<Option<PathBuf>, String> {
    let file = match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(value) => {
            let path = Path::new(value);
            match &sources.csv_dir {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path.to_path_buf(),
            }
        }
        None => match &sources.photos_dir {
            Some(dir) if dir.join(format!("{nik}.jpg")).is_file() => dir.join(format!("{nik}.jpg")),
            _ => return Ok(None),
        },
    };
    let refused = |why: String| format!("foto {}: {why}", file.display());
    let size = std::fs::metadata(&file)
        .map_err(|e| refused(format!("tidak dapat dibaca (cannot be read): {e}")))?
        .len();
    if size > photos::MAX_PHOTO_BYTES as u64 {
        return Err(refused(PhotoRefusal::TooLarge(size as usize).to_string()));
    }
    let mut head = [0u8; 3];
    std::io::Read::read_exact(
        &mut std::fs::File::open(&file)
            .map_err(|e| refused(format!("tidak dapat dibaca (cannot be read): {e}")))?,
        &mut head,
    )
    .map_err(|_| refused(PhotoRefusal::NotJpeg.to_string()))?;
    photos::check_jpeg(&head).map_err(|e| refused(e.to_string()))?;
    Ok(Some(file))
}

/// Reads and stores the checked photo files, a batch per transaction; returns how many.
async fn write_photos(db: &Db, files: Vec<(String, PathBuf)>) -> Result<u64, ImportError> {
    let mut written = 0;
    for chunk in files.chunks(200) {
        let mut batch = Vec::with_capacity(chunk.len());
        for (nik, file) in chunk {
            let jpeg = std::fs::read(file).map_err(|e| ImportError::Photo {
                file: file.display().to_string(),
                reason: e.to_string(),
            })?;
            photos::check_jpeg(&jpeg).map_err(|e| ImportError::Photo {
                file: file.display().to_string(),
                reason: e.to_string(),
            })?;
            batch.push((nik.clone(), jpeg));
        }
        written += photos::write(db, batch).await?;
    }
    Ok(written)
}
