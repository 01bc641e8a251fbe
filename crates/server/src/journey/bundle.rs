//! The signed offline bundle: the KTP, the KK, the linked documents, the activity history,
//! four holder-bound Claim 169 credentials (one per QR profile) and the enabled institutions'
//! public QR keys (the phone encrypts the full-encrypted one to the institution the citizen
//! picks), for one citizen on one device. The phone makes each QR from them, offline, with its device keys (issue 16). The
//! bundle is signed afresh on each call with the current issuer key; the credentials (a row
//! each that a revocation puts on the public list) are signed at most once per
//! `FRESH_BATCH_EVERY_SECS` for the same device keys, and handed out again meanwhile.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ikd_core::activity::ActivityKind;
use ikd_core::civil_status::{BloodType, MaritalStatus, Religion};
use ikd_core::claim169::{self, CwtMeta, KtpIdentity, Photo, PhotoFormat, Profile};
use ikd_core::offline_bundle::{
    BundleRequest, DeviceKeyError, HolderCredentials, OfflineBundle, QrProfile,
};
use ikd_core::signed::SignedJson;
use rand_core::RngCore;
use sqlx::AnyConnection;

use crate::journey::activity_log;
use crate::journey::institutions;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::rate_limit::{self, RateLimitError};
use crate::platform::refusal::Refusal;
use crate::registry::lookup::{self, RegistryPerson};
use crate::registry::photos;
use crate::trust::issuer_keyring::{self, KeyringError};
use crate::trust::issuer_keys::IssuerKey;
use crate::trust::revocations;

const ACTIVITY_SHOWN: i64 = 200;

/// A device is handed the credentials it already holds, instead of new ones, for this long
/// after they were signed, as long as it asks with the same device keys. Each credential is a
/// row that a logout or device change puts on the public revocation list, so an account must
/// not be able to order them by the request. The app refreshes at half-life (days), so an
/// hour holds back only reloads, retries and abuse, never a refresh that is due.
pub const FRESH_BATCH_EVERY_SECS: i64 = 3600;

/// Each credential's `iat` is moved back by a random amount below this, so the four
/// credentials of one refresh cannot be linked by their times.
const IAT_JITTER_SECS: u64 = 3600;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the account's NIK is not in the registry")]
    NotInRegistry,
    #[error(transparent)]
    DeviceKeys(#[from] DeviceKeyError),
    /// Only ever `RateLimitError::Limited`: its database faults are `Database`.
    #[error(transparent)]
    RateLimited(RateLimitError),
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error("credential could not be issued: {0}")]
    Issue(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(BundleError);

impl BundleError {
    /// Only bad device keys are the caller's to fix; the rest are faults of the service.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            BundleError::DeviceKeys(DeviceKeyError::Invalid(_)) => Some(
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "device-key-invalid",
                    "Kunci perangkat tidak sah. Muat ulang aplikasi lalu coba lagi",
                    "A device key is not valid. Reload the app and try again",
                )
                .field("deviceKeys"),
            ),
            BundleError::DeviceKeys(DeviceKeyError::Shared) => Some(
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "device-key-shared",
                    "Setiap jenis QR memerlukan kunci perangkatnya sendiri. Muat ulang aplikasi lalu coba lagi",
                    "Each QR profile needs its own device key. Reload the app and try again",
                )
                .field("deviceKeys"),
            ),
            BundleError::RateLimited(limited) => limited.refusal(),
            _ => None,
        }
    }
}

pub async fn build(
    db: &Db,
    config: &ServiceConfig,
    nik: &str,
    device_id: &str,
    request: &BundleRequest,
) -> Result<SignedJson, BundleError> {
    let device_keys = request.device_keys.parsed()?;
    let person = lookup::person(db, nik)
        .await?
        .ok_or(BundleError::NotInRegistry)?;
    let kk = lookup::family_card(db, &person.kk_number)
        .await?
        .ok_or(BundleError::NotInRegistry)?;
    let documents = lookup::documents(db, nik).await?;
    let issuer = issuer_keyring::current(db).await?;
    let kid = issuer.kid();
    let now = unix_now();
    let account = Account {
        nik,
        device_id,
        kid: kid.as_str(),
        device_keys: device_keys
            .iter()
            .map(|k| ikd_core::hex::encode(k))
            .collect::<Vec<_>>()
            .join(","),
    };
    let batch = match reusable(db, &account, now).await? {
        Some(batch) => batch,
        None => {
            rate_limit::hit(
                db,
                &format!("fresh-credentials:{nik}"),
                config.limits.fresh_credentials_account,
            )
            .await
            .map_err(|err| match err {
                RateLimitError::Database(db) => BundleError::Database(db),
                limited => BundleError::RateLimited(limited),
            })?;
            let signed = signed_batch(db, config, &person, &issuer, &device_keys, now).await?;
            stored(db, &account, signed, now).await?
        }
    };
    let activity = activity_log::of_citizen(db, nik, ACTIVITY_SHOWN).await?;
    let demo_data = crate::registry::origin::is_demo(db).await?;
    let age = person
        .birth_date
        .age_on(crate::platform::clock::today_utc());
    // An extract person without a registry photo gets none (the app shows a placeholder
    // saying so), never a drawing.
    let card_photo = photos::of(db, nik).await?.large(&person, age);

    let bundle = OfflineBundle {
        issued_at: batch.issued_at,
        refresh_after: refresh_after(batch.issued_at, batch.valid_until),
        valid_until: batch.valid_until,
        present_every_secs: config.credentials.present_every_secs,
        demo_data,
        ktp: person.card,
        photo_jpeg: card_photo
            .map(|jpeg| STANDARD.encode(jpeg))
            .unwrap_or_default(),
        kk,
        documents,
        activity,
        credentials: batch.credentials,
        institutions: institutions::for_bundle(db).await?,
    };
    Ok(SignedJson::sign(
        &bundle,
        &issuer.signing_key(),
        kid.as_str(),
    ))
}

/// Call in the transaction that revoked credentials of `nik` (logout, device change, lost
/// phone): their stored refresh must never be handed out again, and the public revocation
/// list must be signed anew.
pub async fn batches_revoked_in(conn: &mut AnyConnection, nik: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM holder_credential_batches WHERE nik = $1")
        .bind(nik)
        .execute(&mut *conn)
        .await?;
    revocations::changed_in(conn).await
}

/// Whose credentials: the account, its device and device keys, and the issuer key that
/// signs now.
struct Account<'a> {
    nik: &'a str,
    device_id: &'a str,
    kid: &'a str,
    /// The four public keys, hex, in `QrProfile::ALL` order, joined by ','.
    device_keys: String,
}

/// One refresh: four credentials and their ids.
struct Batch {
    credential_ids: Vec<String>,
    issued_at: i64,
    valid_until: i64,
    credentials: HolderCredentials,
}

/// The app fetches a fresh bundle from here on: at half-life, so a phone that goes online now
/// and then never runs dry.
fn refresh_after(issued_at: i64, valid_until: i64) -> i64 {
    issued_at + (valid_until - issued_at) / 2
}

/// Until when a refresh issued at `issued_at` is handed out again: an hour, but never past
/// its `refresh_after`, or an app past it would fetch the same credentials again and again.
fn reused_until(issued_at: i64, valid_until: i64) -> i64 {
    (issued_at + FRESH_BATCH_EVERY_SECS).min(refresh_after(issued_at, valid_until))
}

/// This device's stored refresh, if it may be handed out again at `now`: for the same device
/// keys, signed by the current key (after a rotation the next call signs afresh), within
/// `reused_until`. A revocation deletes the row, so what is found is unrevoked.
async fn reusable(db: &Db, account: &Account<'_>, now: i64) -> Result<Option<Batch>, DbError> {
    let mut conn = db.pool().acquire().await?;
    reusable_in(&mut conn, account, now).await
}

async fn reusable_in(
    conn: &mut AnyConnection,
    account: &Account<'_>,
    now: i64,
) -> Result<Option<Batch>, DbError> {
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT issued_at, valid_until, credentials FROM holder_credential_batches \
         WHERE nik = $1 AND device_id = $2 AND kid = $3 AND device_keys = $4 AND issued_at > $5",
    )
    .bind(account.nik)
    .bind(account.device_id)
    .bind(account.kid)
    .bind(&account.device_keys)
    .bind(now - FRESH_BATCH_EVERY_SECS)
    .fetch_optional(conn)
    .await?;
    let Some((issued_at, valid_until, credentials)) = row else {
        return Ok(None);
    };
    if now >= reused_until(issued_at, valid_until) {
        return Ok(None);
    }
    // Unreadable stored credentials are not worth a refusal: sign afresh, which replaces them.
    let Ok(credentials) = serde_json::from_str::<HolderCredentials>(&credentials) else {
        tracing::warn!(nik = %account.nik, "stored credentials unreadable; signing afresh");
        return Ok(None);
    };
    // Stored before each institution had its own key, the full-encrypted credential was
    // encrypted under the shared key, which the phone cannot encrypt to an institution.
    if claim169::encrypted_for(&credentials.full_encrypted).is_some()
        || claim169::decode(&credentials.full_encrypted, &Default::default())
            .is_err_and(|e| e == claim169::DecodeError::Decrypt)
    {
        return Ok(None);
    }
    Ok(Some(Batch {
        credential_ids: Vec::new(),
        issued_at,
        valid_until,
        credentials,
    }))
}

/// Signs four credentials, one per profile, each bound to its device key. Nothing is recorded
/// yet: a crash here leaves nothing behind.
async fn signed_batch(
    db: &Db,
    config: &ServiceConfig,
    person: &RegistryPerson,
    issuer: &IssuerKey,
    device_keys: &[Vec<u8>; 4],
    now: i64,
) -> Result<Batch, BundleError> {
    let today = crate::platform::clock::today_utc();
    let age = person.birth_date.age_on(today);
    let qr_photo = photos::of(db, &person.card.nik).await?.for_qr(person, age);
    let identity = identity_of(person, qr_photo);
    let signing_key = issuer.signing_key();
    let kid = claim169::es256_kid(signing_key.verifying_key());
    let validity = config.credentials.validity_secs;

    let mut credential_ids = Vec::with_capacity(4);
    let mut texts = Vec::with_capacity(4);
    let mut valid_until = i64::MAX;
    for (profile, device_key) in QrProfile::ALL.into_iter().zip(device_keys) {
        let mut cti = [0u8; 16];
        rand_core::OsRng.fill_bytes(&mut cti);
        let iat = now - (rand_core::OsRng.next_u64() % IAT_JITTER_SECS) as i64;
        let exp = iat + validity;
        valid_until = valid_until.min(exp);
        let claim = identity.profile(match profile {
            QrProfile::Full | QrProfile::FullEncrypted => Profile::Full,
            QrProfile::Basic => Profile::Basic,
            QrProfile::Age => Profile::Age { today },
        });
        let meta = CwtMeta {
            iss: Some(config.issuer.clone()),
            // No `sub`: the NIK is claim 169's own field 1 where the profile carries it (the
            // age profile must not name its holder), and a QR has no 18 bytes to spare for
            // it twice once it carries the holder's key and proof.
            sub: None,
            iat: Some(iat),
            exp: Some(exp),
            nbf: None,
            cti: Some(cti.to_vec()),
            cnf: Some(device_key.clone()),
        };
        // The full-encrypted credential is a plain signed one too: the phone encrypts it, with
        // its proof, to the institution the citizen picks (`claim169::recipient`).
        let text = claim169::issue(&claim, &meta, &signing_key, &kid, None)
            .map_err(|e| BundleError::Issue(e.to_string()))?;
        credential_ids.push(ikd_core::hex::encode(&cti));
        texts.push(text);
    }
    let [full, basic, age, full_encrypted]: [String; 4] = texts
        .try_into()
        .map_err(|_| BundleError::Issue("four credentials".into()))?;
    Ok(Batch {
        credential_ids,
        issued_at: now,
        valid_until,
        credentials: HolderCredentials {
            full,
            basic,
            age,
            full_encrypted,
        },
    })
}

/// Records `signed` as the account's one stored refresh and returns it; or, when a parallel
/// call stored one for the same keys while this one was signing, drops `signed` and returns
/// that one, so the account holds one stored refresh.
async fn stored(
    db: &Db,
    account: &Account<'_>,
    signed: Batch,
    now: i64,
) -> Result<Batch, BundleError> {
    let credentials = serde_json::to_string(&signed.credentials)
        .map_err(|e| BundleError::Issue(e.to_string()))?;
    let mut tx = db.pool().begin().await?;
    lock_account_in(&mut tx, account.nik).await?;
    if let Some(theirs) = reusable_in(&mut tx, account, now).await? {
        tx.rollback().await?;
        return Ok(theirs);
    }
    sqlx::query("DELETE FROM holder_credential_batches WHERE nik = $1")
        .bind(account.nik)
        .execute(&mut *tx)
        .await?;
    for id in &signed.credential_ids {
        sqlx::query(
            "INSERT INTO credentials (id, nik, device_id, issued_at, valid_until) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(account.nik)
        .bind(account.device_id)
        .bind(signed.issued_at)
        .bind(signed.valid_until)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO holder_credential_batches \
         (nik, device_id, kid, device_keys, issued_at, valid_until, credentials) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(account.nik)
    .bind(account.device_id)
    .bind(account.kid)
    .bind(&account.device_keys)
    .bind(signed.issued_at)
    .bind(signed.valid_until)
    .bind(credentials)
    .execute(&mut *tx)
    .await?;
    // Only new credentials go in the history the citizen reads: a reload or a retry that is
    // handed the same ones issued nothing new.
    activity_log::record_in(
        &mut tx,
        account.nik,
        ActivityKind::BundleRefreshed,
        activity_log::CITIZEN,
        "",
    )
    .await?;
    tx.commit().await?;
    sweep(db, now).await;
    Ok(signed)
}

/// Serialises storing a refresh per account: the first write of the transaction, on the
/// account's row (a row lock on PostgreSQL, the write lock on SQLite), so a parallel call
/// waits here and then sees the refresh this one stored.
async fn lock_account_in(conn: &mut AnyConnection, nik: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE accounts SET active_device_id = active_device_id WHERE nik = $1")
        .bind(nik)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes stored refreshes too old to be handed out again. Its own statement after the
/// commit: sweeping other accounts' rows inside the transaction could deadlock with another
/// account's sweep. A failure only leaves the rows for the next sweep.
async fn sweep(db: &Db, now: i64) {
    let swept = sqlx::query("DELETE FROM holder_credential_batches WHERE issued_at <= $1")
        .bind(now - FRESH_BATCH_EVERY_SECS)
        .execute(db.pool())
        .await;
    if let Err(err) = swept {
        tracing::warn!(%err, "old stored credentials not swept");
    }
}

/// What the QR carries, from the registry record.
pub fn identity_of(person: &RegistryPerson, qr_photo: Option<Vec<u8>>) -> KtpIdentity {
    let card = &person.card;
    KtpIdentity {
        nik: card.nik.clone(),
        full_name: card.full_name.clone(),
        place_of_birth: card.place_of_birth.clone(),
        date_of_birth: person.birth_date,
        sex: person.sex,
        blood_type: BloodType::from_label(&card.blood_type).unwrap_or(BloodType::Unknown),
        address: card.street.clone(),
        rt_rw: format!("{}/{}", card.rt, card.rw),
        village: card.village.clone(),
        district: card.district.clone(),
        regency: card.regency.clone(),
        province: card.province.clone(),
        religion: Religion::from_label(&card.religion).unwrap_or(Religion::Islam),
        marital_status: MaritalStatus::from_label(&card.marital_status)
            .unwrap_or(MaritalStatus::BelumKawin),
        occupation: card.occupation.clone(),
        nationality: card.citizenship.clone(),
        photo: qr_photo.map(|bytes| Photo {
            bytes,
            format: PhotoFormat::Jpeg,
        }),
        location_code: person.district_code.clone(),
    }
}
