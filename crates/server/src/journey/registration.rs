//! A citizen's registration, sent from their phone at a desk or a drive: checks in a fixed
//! order, and answers that never reveal whether someone else's NIK is in the registry.
//!
//! Order: per-address limit, formats, age (from the NIK itself), per-NIK limit, desk token,
//! captcha, then the registry, then an account already activated. A NIK that is not in the
//! registry and a NIK whose email or phone do not match get the same refusal (`data-mismatch`)
//! after the same single indexed lookup, so neither the answer nor its timing tells them apart.
//! Only someone who already knows a person's NIK, email and phone learns more (e-KTP not
//! recorded, or an account already active: one account per NIK).

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ikd_core::activity::ActivityKind;
use ikd_core::citizen_api::{
    MAX_SELFIE_BYTES, RegistrationAccepted, RegistrationProgress, RegistrationRequest,
};
use ikd_core::contact::{ContactError, normalize_email, normalize_phone};
use ikd_core::ktp::{self, MIN_AGE};
use ikd_core::parse_nik;
use ikd_core::registration_status::RegistrationStatus;

use crate::journey::activity_log;
use crate::journey::desks::{self, DeskError};
use crate::officer::adoption;
use crate::platform::captcha::{self, CaptchaRefusal};
use crate::platform::clock::today_utc;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::platform::tokens;

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("invalid NIK: {0}")]
    Nik(ikd_core::NikError),
    #[error("{0}")]
    Contact(ContactError),
    #[error("selfie is not a JPEG")]
    SelfieNotJpeg,
    #[error("selfie too large: {0} bytes")]
    SelfieTooLarge(usize),
    #[error("younger than {}", ikd_core::ktp::MIN_AGE)]
    TooYoung,
    #[error("NIK, email and phone do not match the registry")]
    DataMismatch,
    #[error("e-KTP not recorded")]
    EktpNotRecorded,
    #[error("the NIK already has an activated account")]
    AccountExists,
    #[error(transparent)]
    Desk(DeskError),
    #[error(transparent)]
    Captcha(CaptchaRefusal),
    #[error(transparent)]
    RateLimited(RateLimitError),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(RegistrationError);

impl RegistrationError {
    /// The refusal for the person; `None` for faults of the service itself.
    pub fn refusal(&self) -> Option<Refusal> {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        Some(match self {
            RegistrationError::Nik(err) => Refusal::new(
                unprocessable,
                "nik-invalid",
                &err.message_id(),
                &err.message_en(),
            )
            .field("nik"),
            RegistrationError::Contact(err) => Refusal::new(
                unprocessable,
                err.code(),
                &err.message_id(),
                &err.message_en(),
            )
            .field(match err {
                ContactError::Email => "email",
                ContactError::Phone => "phone",
            }),
            RegistrationError::SelfieNotJpeg => Refusal::new(
                unprocessable,
                "selfie-invalid",
                "Swafoto harus berupa foto JPEG. Ambil ulang swafoto",
                "The selfie must be a JPEG photo. Take the selfie again",
            )
            .field("selfie"),
            RegistrationError::SelfieTooLarge(_) => Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "selfie-too-large",
                &format!(
                    "Ukuran swafoto maksimal {} KB. Ambil ulang swafoto",
                    MAX_SELFIE_BYTES / 1024
                ),
                &format!(
                    "The selfie may be at most {} KB. Take the selfie again",
                    MAX_SELFIE_BYTES / 1024
                ),
            )
            .field("selfie"),
            RegistrationError::TooYoung => Refusal::new(
                unprocessable,
                "too-young",
                &format!("KTP digital hanya untuk penduduk berusia {MIN_AGE} tahun ke atas"),
                &format!("The digital KTP is only for residents aged {MIN_AGE} or older"),
            )
            .field("nik"),
            RegistrationError::DataMismatch => Refusal::new(
                unprocessable,
                "data-mismatch",
                "NIK, email, dan nomor HP tidak cocok dengan data kependudukan. Periksa kembali, \
                 atau perbarui data Anda di loket Dukcapil",
                "The NIK, email and phone number do not match the population registry. Check \
                 them, or update your details at a Dukcapil counter",
            ),
            RegistrationError::EktpNotRecorded => Refusal::new(
                unprocessable,
                "ektp-not-recorded",
                "Data e-KTP Anda belum direkam. Lakukan perekaman e-KTP di Dukcapil terlebih dahulu",
                "Your e-KTP has not been recorded yet. Have it recorded at Dukcapil first",
            ),
            RegistrationError::AccountExists => Refusal::new(
                StatusCode::CONFLICT,
                "account-exists",
                "NIK ini sudah punya akun KTP digital yang aktif. Masuk dengan NIK dan kata sandi \
                 Anda (di ponsel baru pun bisa; perangkat lama akan dicabut), atau pakai Lupa kata \
                 sandi jika Anda lupa",
                "This NIK already has an active digital KTP account. Log in with your NIK and \
                 password (a new phone works too; the old device is revoked), or use Forgot \
                 password if you have forgotten it",
            ),
            RegistrationError::Desk(err) => return err.refusal(),
            RegistrationError::Captcha(err) => return captcha::refusal(err),
            RegistrationError::RateLimited(err) => return err.refusal(),
            RegistrationError::Database(_) => return None,
        })
    }
}

impl From<RateLimitError> for RegistrationError {
    fn from(err: RateLimitError) -> Self {
        RegistrationError::RateLimited(err)
    }
}

/// The counter of registrations sent for `nik`.
pub(crate) fn attempts_bucket(nik: &str) -> String {
    format!("register:nik:{nik}")
}

/// Checks a registration and, when it passes, queues it at the scanned desk.
pub async fn submit(
    db: &Db,
    config: &ServiceConfig,
    client_ip: &str,
    request: &RegistrationRequest,
) -> Result<RegistrationAccepted, RegistrationError> {
    rate_limit::hit(
        db,
        &format!("register:ip:{client_ip}"),
        config.limits.register_ip,
    )
    .await?;

    let nik = parse_nik(request.nik.trim(), today_utc()).map_err(RegistrationError::Nik)?;
    let email = normalize_email(&request.email).map_err(RegistrationError::Contact)?;
    let phone = normalize_phone(&request.phone).map_err(RegistrationError::Contact)?;
    let selfie = decode_selfie(&request.selfie_jpeg)?;
    if !ktp::old_enough(nik.birth_date, today_utc()) {
        return Err(RegistrationError::TooYoung);
    }
    let desk = desks::resolve_token(db, &request.desk_token)
        .await
        .map_err(RegistrationError::Desk)?;
    captcha::consume(db, &request.captcha)
        .await
        .map_err(RegistrationError::Captcha)?;
    // Charged only once the desk token (someone stands at a counter) and the captcha (work
    // was spent) passed: requests without them cost nothing to make and must not use up the
    // NIK's allowance, or a stranger could keep its owner from registering.
    rate_limit::hit(db, &attempts_bucket(&nik.nik), config.limits.register_nik).await?;

    let registry: Option<(Option<String>, Option<String>, i64)> =
        sqlx::query_as("SELECT email, phone, ektp_recorded FROM registry_persons WHERE nik = $1")
            .bind(&nik.nik)
            .fetch_optional(db.pool())
            .await?;
    let (on_record_email, on_record_phone, recorded) = registry.unwrap_or((None, None, 0));
    let matches =
        same(on_record_email.as_deref(), &email) & same(on_record_phone.as_deref(), &phone);
    if !matches {
        return Err(RegistrationError::DataMismatch);
    }
    if recorded != 1 {
        return Err(RegistrationError::EktpNotRecorded);
    }
    // One account per NIK: a registration would end, once approved, in overwriting the account
    // someone already activated. Checked only here, after the registry matched the NIK's own
    // email and phone (and the desk token and captcha passed), so only someone who already
    // holds that contact data learns that the account exists: a stranger who knows just the
    // NIK is refused above with `data-mismatch`, by the same answer and work as any other
    // NIK. The approval refuses it too (`review::decide`), for registrations sent before.
    let activated: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM accounts WHERE nik = $1 AND activated_at IS NOT NULL",
    )
    .bind(&nik.nik)
    .fetch_one(db.pool())
    .await?;
    if activated > 0 {
        return Err(RegistrationError::AccountExists);
    }

    let id = tokens::new_id();
    let now = unix_now();
    let mut tx = db.pool().begin().await?;
    // A newer registration replaces one still waiting (a retake at another desk, say).
    sqlx::query("UPDATE registrations SET status = $2 WHERE nik = $1 AND status = $3")
        .bind(&nik.nik)
        .bind(RegistrationStatus::Superseded.as_str())
        .bind(RegistrationStatus::Pending.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO registrations \
         (id, nik, email, phone, selfie, desk_id, status, created_at, selfie_findings) \
         VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $9)",
    )
    .bind(&id)
    .bind(&nik.nik)
    .bind(&email)
    .bind(&phone)
    .bind(selfie)
    .bind(desk.id)
    .bind(now)
    .bind(RegistrationStatus::Pending.as_str())
    // The phone's own check of the selfie: stored as sent (a closed list, so at most a few
    // words), shown to the officer as a warning and trusted for nothing more.
    .bind(ikd_core::selfie_quality::to_stored(
        &request.selfie_findings,
    ))
    .execute(&mut *tx)
    .await?;
    adoption::registered_in(&mut tx, &nik.nik, now).await?;
    activity_log::record_in(
        &mut tx,
        &nik.nik,
        ActivityKind::Registered,
        activity_log::CITIZEN,
        &desk.label,
    )
    .await?;
    tx.commit().await?;
    Ok(RegistrationAccepted {
        registration_id: id,
        status: RegistrationStatus::Pending,
        message: "Pendaftaran terkirim. Tunggu petugas mencocokkan wajah Anda; kode aktivasi akan \
                  dikirim ke email Anda"
            .to_owned(),
        message_en: "Registration sent. Wait for the officer to check your face; the activation \
                     code will be sent to your email"
            .to_owned(),
    })
}

/// Equal in time that does not depend on the content; a missing record never matches.
fn same(on_record: Option<&str>, typed: &str) -> bool {
    let on_record = on_record.map(str::to_lowercase).unwrap_or_default();
    let equal = tokens::constant_time_eq(on_record.as_bytes(), typed.as_bytes());
    equal && !on_record.is_empty()
}

fn decode_selfie(base64_text: &str) -> Result<Vec<u8>, RegistrationError> {
    // Cheap size check before decoding: base64 is 4 characters per 3 bytes.
    if base64_text.len() > (MAX_SELFIE_BYTES / 3 + 1) * 4 + 4 {
        return Err(RegistrationError::SelfieTooLarge(base64_text.len() / 4 * 3));
    }
    let bytes = STANDARD
        .decode(base64_text.trim())
        .map_err(|_| RegistrationError::SelfieNotJpeg)?;
    if bytes.len() > MAX_SELFIE_BYTES {
        return Err(RegistrationError::SelfieTooLarge(bytes.len()));
    }
    let is_jpeg =
        bytes.len() > 4 && bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && bytes.ends_with(&[0xFF, 0xD9]);
    if !is_jpeg {
        return Err(RegistrationError::SelfieNotJpeg);
    }
    Ok(bytes)
}

/// What the citizen's phone may learn about its own registration, by its random id.
pub async fn progress(
    db: &Db,
    registration_id: &str,
) -> Result<Option<RegistrationProgress>, DbError> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT status, reason FROM registrations WHERE id = $1")
            .bind(registration_id)
            .fetch_optional(db.pool())
            .await?;
    row.map(|(status, reason)| {
        let status = status
            .parse()
            .map_err(|err| DbError::Query(sqlx::Error::Decode(Box::new(err))))?;
        Ok(RegistrationProgress { status, reason })
    })
    .transpose()
}
