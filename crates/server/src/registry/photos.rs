//! Registry photos: the picture taken at e-KTP recording, which the officer compares with the
//! selfie and the KTP shows. An imported extract brings real photos (`registry_photos`, loaded
//! by `ikd seed --csv`); a synthetic registry draws a portrait from each person's seed (labelled
//! demo data everywhere). An extract person without a stored photo has none: never a drawing
//! in its place, since an officer would be comparing a real face with a cartoon.

use ikd_core::registry_origin::RegistryOrigin;

use super::lookup::RegistryPerson;
use super::origin;
use super::portrait;
use crate::platform::db::{Db, DbError};

/// A registry photo larger than this is refused at import.
pub const MAX_PHOTO_BYTES: usize = 512 * 1024;

/// Why a photo file was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoRefusal {
    #[error("foto bukan JPEG (the photo is not a JPEG)")]
    NotJpeg,
    #[error(
        "foto {0} byte, paling besar {max} KB (the photo is {0} bytes, at most {max} KB)",
        max = MAX_PHOTO_BYTES / 1024
    )]
    TooLarge(usize),
}

/// A JPEG starts with SOI and a marker (FF D8 FF) and fits the bound.
pub fn check_jpeg(bytes: &[u8]) -> Result<(), PhotoRefusal> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoRefusal::TooLarge(bytes.len()));
    }
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(PhotoRefusal::NotJpeg);
    }
    Ok(())
}

/// The stored photo of `nik`, if any.
pub async fn stored(db: &Db, nik: &str) -> Result<Option<Vec<u8>>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT jpeg FROM registry_photos WHERE nik = $1")
            .bind(nik)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Where a person's registry photo comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryPhoto {
    /// A real photo from the imported extract.
    Stored(Vec<u8>),
    /// A synthetic person: their portrait is drawn from the seed.
    Drawn,
    /// An extract person whose photo was not imported.
    Missing,
}

pub async fn of(db: &Db, nik: &str) -> Result<RegistryPhoto, DbError> {
    if let Some(jpeg) = stored(db, nik).await? {
        return Ok(RegistryPhoto::Stored(jpeg));
    }
    // `ikd seed` refuses to add to a filled registry, so one origin holds for everyone.
    Ok(match origin::current(db).await? {
        Some(RegistryOrigin::Extract) => RegistryPhoto::Missing,
        Some(RegistryOrigin::Synthetic) | None => RegistryPhoto::Drawn,
    })
}

impl RegistryPhoto {
    /// The photo at card size (240×320 for a drawn one), `None` when missing.
    pub fn large(self, person: &RegistryPerson, age: u32) -> Option<Vec<u8>> {
        match self {
            RegistryPhoto::Stored(jpeg) => Some(jpeg),
            RegistryPhoto::Drawn => Some(portrait::portrait_jpeg_sized(
                person.photo_seed,
                person.sex,
                age,
                portrait::LARGE_WIDTH,
                portrait::LARGE_HEIGHT,
                portrait::LARGE_QUALITY,
            )),
            RegistryPhoto::Missing => None,
        }
    }

    /// The photo small enough for a QR: only a drawn one, which is made at 48×64. A real photo
    /// would need decoding and shrinking, which this service does not do, so the QR then
    /// carries none (the verifier compares with the card instead).
    pub fn for_qr(&self, person: &RegistryPerson, age: u32) -> Option<Vec<u8>> {
        match self {
            RegistryPhoto::Drawn => {
                Some(portrait::portrait_jpeg(person.photo_seed, person.sex, age))
            }
            RegistryPhoto::Stored(_) | RegistryPhoto::Missing => None,
        }
    }
}

/// Stores photos of people already in the registry, in one transaction; returns how many.
pub async fn write(db: &Db, photos: Vec<(String, Vec<u8>)>) -> Result<u64, DbError> {
    let mut tx = db.pool().begin().await?;
    let mut written = 0;
    for (nik, jpeg) in photos {
        sqlx::query(
            "INSERT INTO registry_photos (nik, jpeg) VALUES ($1, $2) \
             ON CONFLICT (nik) DO UPDATE SET jpeg = excluded.jpeg",
        )
        .bind(nik)
        .bind(jpeg)
        .execute(&mut *tx)
        .await?;
        written += 1;
    }
    tx.commit().await?;
    Ok(written)
}
