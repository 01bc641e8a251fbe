//! Officer accounts (petugas) in the database.

use axum::http::StatusCode;
use ikd_core::officer::{MIN_PASSWORD_CHARS, OfficerRole};
use ikd_core::region;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::password::{self, PasswordError};
use crate::platform::refusal::Refusal;

/// A username's length in bytes (all ASCII: lower-case letters, digits, `.`, `_`, `-`).
const MIN_USERNAME_LEN: usize = 3;
const MAX_USERNAME_LEN: usize = 64;

#[derive(Debug, Clone)]
pub struct NewOfficer {
    pub username: String,
    pub full_name: String,
    pub role: OfficerRole,
    pub region_code: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: OfficerRole,
    pub region_code: String,
    pub password_hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OfficerError {
    #[error("nama pengguna {0:?} sudah dipakai (username already taken)")]
    Duplicate(String),
    #[error(
        "kode wilayah {0:?} tidak dikenal; gunakan kode provinsi, kabupaten/kota atau kecamatan \
         seperti 32, 32.76 atau 32.76.01 (unknown region code)"
    )]
    UnknownRegion(String),
    #[error(
        "nama pengguna hanya boleh huruf kecil, angka, titik, garis bawah dan tanda hubung, \
         {MIN_USERNAME_LEN}-{MAX_USERNAME_LEN} karakter (invalid username)"
    )]
    InvalidUsername,
    #[error(
        "kata sandi petugas minimal {MIN_PASSWORD_CHARS} karakter (officer password too short)"
    )]
    PasswordTooShort,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(OfficerError);

impl OfficerError {
    /// Stable code for the CLI's JSON answer.
    pub fn code(&self) -> &'static str {
        match self {
            OfficerError::Duplicate(_) => "duplicate",
            OfficerError::UnknownRegion(_) => "region",
            OfficerError::InvalidUsername => "username",
            OfficerError::PasswordTooShort => "password",
            OfficerError::Password(_) | OfficerError::Database(_) => "internal",
        }
    }

    /// The refusal for the console's "add an officer" form; `None` for internal failures.
    pub fn refusal(&self) -> Option<Refusal> {
        let (status, field, message_id, message_en) = match self {
            OfficerError::Duplicate(username) => (
                StatusCode::CONFLICT,
                "username",
                format!("Nama pengguna {username:?} sudah dipakai"),
                format!("Username {username:?} is already taken"),
            ),
            OfficerError::UnknownRegion(code) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "regionCode",
                format!(
                    "Kode wilayah {code:?} tidak dikenal; gunakan kode provinsi, kabupaten/kota \
                     atau kecamatan seperti 32, 32.76 atau 32.76.01"
                ),
                format!("Unknown region code {code:?}; use e.g. 32, 32.76 or 32.76.01"),
            ),
            OfficerError::InvalidUsername => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "username",
                format!(
                    "Nama pengguna hanya boleh huruf kecil, angka, titik, garis bawah dan tanda \
                     hubung, {MIN_USERNAME_LEN}-{MAX_USERNAME_LEN} karakter"
                ),
                format!(
                    "A username is {MIN_USERNAME_LEN}-{MAX_USERNAME_LEN} lower-case letters, \
                     digits, dots, underscores or hyphens"
                ),
            ),
            OfficerError::PasswordTooShort => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "password",
                format!("Kata sandi petugas minimal {MIN_PASSWORD_CHARS} karakter"),
                format!("An officer password has at least {MIN_PASSWORD_CHARS} characters"),
            ),
            OfficerError::Password(_) | OfficerError::Database(_) => return None,
        };
        Some(Refusal::new(status, "staff-invalid", &message_id, &message_en).field(field))
    }
}

fn region_exists(code: &str) -> bool {
    region::name_of(code).is_some()
}

fn valid_username(username: &str) -> bool {
    (MIN_USERNAME_LEN..=MAX_USERNAME_LEN).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

impl Officer {
    /// Supervisors and admins oversee their region and everything inside it ("32.76"
    /// covers "32.76.01"); officers oversee no one else's desks.
    pub fn oversees(&self, region_code: &str) -> bool {
        self.role != OfficerRole::Officer && region::within(region_code, &self.region_code)
    }
}

/// Creates an officer account; the password is stored only as an Argon2id hash.
pub async fn add(db: &Db, new: NewOfficer) -> Result<i64, OfficerError> {
    if !valid_username(&new.username) {
        return Err(OfficerError::InvalidUsername);
    }
    if !region_exists(&new.region_code) {
        return Err(OfficerError::UnknownRegion(new.region_code));
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(OfficerError::PasswordTooShort);
    }
    // Off the async threads: the console adds officers over HTTP.
    let password_hash = password::hash_blocking(new.password.clone()).await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO officers (username, full_name, role, region_code, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.username)
    .bind(&new.full_name)
    .bind(new.role.as_str())
    .bind(&new.region_code)
    .bind(&password_hash)
    .bind(unix_now())
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(OfficerError::Duplicate(new.username))
        }
        Err(e) => Err(OfficerError::Database(DbError::Query(e))),
    }
}

/// An active (not disabled) officer by id.
pub async fn find_active_by_id(db: &Db, id: i64) -> Result<Option<Officer>, DbError> {
    let username: Option<String> =
        sqlx::query_scalar("SELECT username FROM officers WHERE id = $1 AND disabled_at IS NULL")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    match username {
        Some(username) => find_active(db, &username).await,
        None => Ok(None),
    }
}

/// An active (not disabled) officer by username.
pub async fn find_active(db: &Db, username: &str) -> Result<Option<Officer>, DbError> {
    Ok(find_for_login(db, username)
        .await?
        .and_then(|(officer, disabled)| (!disabled).then_some(officer)))
}

/// id, username, full name, role, region, password hash, disabled at.
type OfficerRow = (i64, String, String, String, String, String, Option<i64>);

/// An officer by username, enabled or not, and whether they are disabled: login checks the
/// password of both alike, and tells a disabled officer so only once the password is right,
/// so the answer shows nothing to someone who does not know it.
pub async fn find_for_login(db: &Db, username: &str) -> Result<Option<(Officer, bool)>, DbError> {
    let row: Option<OfficerRow> = sqlx::query_as(
        "SELECT id, username, full_name, role, region_code, password_hash, disabled_at \
         FROM officers WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(
        |(id, username, full_name, role, region_code, password_hash, disabled_at)| {
            let officer = Officer {
                id,
                username,
                full_name,
                role: role.parse().ok()?,
                region_code,
                password_hash,
            };
            Some((officer, disabled_at.is_some()))
        },
    ))
}
