//! The signed offline bundle: the KTP, the KK, the linked documents, the activity history
//! and a batch of short-window Claim 169 QRs, for one citizen on one device. The bundle is
//! signed afresh on each call with the current issuer key; the QR batch (hundreds of
//! signatures, and a credential row that a revocation puts on the public list) is made at most
//! once per `FRESH_BATCH_EVERY_SECS` per device, and handed out again meanwhile.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ikd_core::Date;
use ikd_core::activity::ActivityKind;
use ikd_core::civil_status::{BloodType, MaritalStatus, Religion};
use ikd_core::claim169::{self, CwtMeta, KtpIdentity, Photo, PhotoFormat, Profile};
use ikd_core::offline_bundle::{OfflineBundle, QrWindow};
use ikd_core::signed::SignedJson;
use rand_core::RngCore;
use sqlx::AnyConnection;

use crate::journey::activity_log;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::secrets;
use crate::registry::lookup::{self, RegistryPerson};
use crate::registry::photos;
use crate::trust::issuer_keyring::{self, KeyringError};
use crate::trust::issuer_keys::IssuerKey;
use crate::trust::revocations;

/// The AES-256 key of the encrypted QR variant, shared with authorised institutions
/// (`ikd institution add` prints it).
pub const INSTITUTION_QR_KEY: &str = "institution-qr-key";
const ACTIVITY_SHOWN: i64 = 200;

/// A device is handed the batch it already holds, instead of a new one, for this long after
/// the batch was signed. A batch costs 768 ECDSA signatures at the default plan (about 115 ms
/// of CPU) and a credential row that a logout or device change puts on the public revocation
/// list, so an account must not be able to order them by the request. The app refreshes at
/// the batch's half-life (a day at the default plan), so an hour holds back only reloads,
/// retries and abuse, never a refresh that is due.
pub const FRESH_BATCH_EVERY_SECS: i64 = 3600;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the account's NIK is not in the registry")]
    NotInRegistry,
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error("credential could not be issued: {0}")]
    Issue(String),
    #[error(transparent)]
    Database(#[from] DbError),
}

crate::database_fault!(BundleError);

pub async fn build(
    db: &Db,
    config: &ServiceConfig,
    nik: &str,
    device_id: &str,
) -> Result<SignedJson, BundleError> {
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
    };
    let batch = match reusable(db, &account, now).await? {
        Some(batch) => batch,
        None => {
            let signed = signed_batch(db, config, &person, &issuer, now).await?;
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
        credential_id: batch.credential_id,
        issued_at: batch.issued_at,
        refresh_after: refresh_after(batch.issued_at, batch.valid_until),
        valid_until: batch.valid_until,
        demo_data,
        ktp: person.card,
        photo_jpeg: card_photo
            .map(|jpeg| STANDARD.encode(jpeg))
            .unwrap_or_default(),
        kk,
        documents,
        activity,
        qr: batch.windows,
    };
    Ok(SignedJson::sign(
        &bundle,
        &issuer.signing_key(),
        kid.as_str(),
    ))
}

/// Call in the transaction that revoked credential batches of `nik` (logout, device change):
/// their stored QRs must never be handed out again, and the public revocation list must be
/// signed anew.
pub async fn batches_revoked_in(conn: &mut AnyConnection, nik: &str) -> Result<(), DbError> {
    sqlx::query(
        "DELETE FROM credential_qr_windows WHERE nik = $1 AND credential_id IN \
         (SELECT id FROM credentials WHERE nik = $1 AND revoked_at IS NOT NULL)",
    )
    .bind(nik)
    .execute(&mut *conn)
    .await?;
    revocations::changed_in(conn).await
}

/// Whose batch: the account, its device, and the issuer key that signs now.
struct Account<'a> {
    nik: &'a str,
    device_id: &'a str,
    kid: &'a str,
}

/// A credential batch and its QR windows.
struct Batch {
    credential_id: String,
    issued_at: i64,
    valid_until: i64,
    windows: Vec<QrWindow>,
}

/// The app fetches a fresh bundle from here on: at half-life, so a phone that goes online now
/// and then never runs dry.
fn refresh_after(issued_at: i64, valid_until: i64) -> i64 {
    issued_at + (valid_until - issued_at) / 2
}

/// Until when a batch issued at `issued_at` is handed out again: an hour, but never past its
/// `refresh_after`, or an app past it would fetch the same batch again and again.
fn reused_until(issued_at: i64, valid_until: i64) -> i64 {
    (issued_at + FRESH_BATCH_EVERY_SECS).min(refresh_after(issued_at, valid_until))
}

/// This device's stored batch, if it may be handed out again at `now`: unrevoked, signed by
/// the current key (after a rotation the next call signs afresh), within `reused_until`. Its
/// windows that are over are left out, as a fresh batch starts at the current window.
async fn reusable(db: &Db, account: &Account<'_>, now: i64) -> Result<Option<Batch>, DbError> {
    let mut conn = db.pool().acquire().await?;
    reusable_in(&mut conn, account, now).await
}

async fn reusable_in(
    conn: &mut AnyConnection,
    account: &Account<'_>,
    now: i64,
) -> Result<Option<Batch>, DbError> {
    let row: Option<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT c.id, c.issued_at, c.valid_until, w.windows FROM credentials c \
         JOIN credential_qr_windows w ON w.credential_id = c.id \
         WHERE c.nik = $1 AND c.device_id = $2 AND c.revoked_at IS NULL AND w.kid = $3 \
         AND c.issued_at > $4",
    )
    .bind(account.nik)
    .bind(account.device_id)
    .bind(account.kid)
    .bind(now - FRESH_BATCH_EVERY_SECS)
    .fetch_optional(conn)
    .await?;
    let Some((credential_id, issued_at, valid_until, windows)) = row else {
        return Ok(None);
    };
    if now >= reused_until(issued_at, valid_until) {
        return Ok(None);
    }
    // Unreadable stored windows are not worth a refusal: sign afresh, which replaces them.
    let Ok(windows) = serde_json::from_str::<Vec<QrWindow>>(&windows) else {
        tracing::warn!(%credential_id, "stored QR windows unreadable; signing a new batch");
        return Ok(None);
    };
    Ok(Some(Batch {
        credential_id,
        issued_at,
        valid_until,
        windows: windows.into_iter().filter(|w| w.expires_at > now).collect(),
    }))
}

/// Signs a new batch of QR windows from the current one on. Nothing is recorded yet: a crash
/// here leaves nothing behind.
async fn signed_batch(
    db: &Db,
    config: &ServiceConfig,
    person: &RegistryPerson,
    issuer: &IssuerKey,
    now: i64,
) -> Result<Batch, BundleError> {
    let institution_key = secrets::get_or_create(db, INSTITUTION_QR_KEY).await?;
    let institution_key: [u8; 32] = institution_key
        .try_into()
        .map_err(|_| BundleError::Issue("institution key is not 32 bytes".into()))?;
    let mut batch = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut batch);
    let qr_plan = config.qr;
    let first_window = now - now.rem_euclid(qr_plan.window_secs);
    let valid_until = first_window + qr_plan.windows() * qr_plan.window_secs;
    let today = crate::platform::clock::today_utc();
    let age = person.birth_date.age_on(today);
    let qr_photo = photos::of(db, &person.card.nik).await?.for_qr(person, age);
    let identity = identity_of(person, qr_photo);
    let issuer_name = config.issuer.clone();
    let signing_key = issuer.signing_key();
    let kid = claim169::es256_kid(signing_key.verifying_key());

    // Hundreds of ECDSA signatures and zlib runs: keep them off the async threads.
    let windows = tokio::task::spawn_blocking(move || {
        (0..qr_plan.windows())
            .map(|index| {
                let not_before = first_window + index * qr_plan.window_secs;
                let expires_at = not_before + qr_plan.window_secs;
                let mut cti = batch.to_vec();
                cti.extend_from_slice(&(index as u16).to_be_bytes());
                let day = Date::from_days_since_epoch(not_before.div_euclid(86_400) as i32)
                    .unwrap_or(today);
                let issue = |profile: Profile, encrypt: bool| {
                    let claim = identity.profile(profile);
                    let meta = CwtMeta {
                        iss: Some(issuer_name.clone()),
                        // The age profile must not name its holder.
                        sub: claim.id.clone(),
                        iat: Some(now),
                        nbf: Some(not_before),
                        exp: Some(expires_at),
                        cti: Some(cti.clone()),
                    };
                    let mut nonce = [0u8; 12];
                    rand_core::OsRng.fill_bytes(&mut nonce);
                    claim169::issue(
                        &claim,
                        &meta,
                        &signing_key,
                        &kid,
                        encrypt.then_some((&institution_key, nonce)),
                    )
                    .map_err(|e| BundleError::Issue(e.to_string()))
                };
                Ok(QrWindow {
                    not_before,
                    expires_at,
                    full: issue(Profile::Full, false)?,
                    basic: issue(Profile::Basic, false)?,
                    age: issue(Profile::Age { today: day }, false)?,
                    full_encrypted: issue(Profile::Full, true)?,
                })
            })
            .collect::<Result<Vec<_>, BundleError>>()
    })
    .await
    .map_err(|e| BundleError::Issue(e.to_string()))??;
    Ok(Batch {
        credential_id: ikd_core::hex::encode(&batch),
        issued_at: now,
        valid_until,
        windows,
    })
}

/// Records `signed` as the account's one stored batch and returns it; or, when a parallel
/// call stored a batch while this one was signing, drops `signed` and returns that one, so
/// the account still holds one credential and one stored batch.
async fn stored(
    db: &Db,
    account: &Account<'_>,
    signed: Batch,
    now: i64,
) -> Result<Batch, BundleError> {
    let windows =
        serde_json::to_string(&signed.windows).map_err(|e| BundleError::Issue(e.to_string()))?;
    let mut tx = db.pool().begin().await?;
    lock_account_in(&mut tx, account.nik).await?;
    if let Some(theirs) = reusable_in(&mut tx, account, now).await? {
        tx.rollback().await?;
        return Ok(theirs);
    }
    sqlx::query("DELETE FROM credential_qr_windows WHERE nik = $1")
        .bind(account.nik)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO credentials (id, nik, device_id, issued_at, valid_until) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&signed.credential_id)
    .bind(account.nik)
    .bind(account.device_id)
    .bind(signed.issued_at)
    .bind(signed.valid_until)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO credential_qr_windows (credential_id, nik, kid, issued_at, windows) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&signed.credential_id)
    .bind(account.nik)
    .bind(account.kid)
    .bind(signed.issued_at)
    .bind(windows)
    .execute(&mut *tx)
    .await?;
    // Only a new batch goes in the history the citizen reads: a reload or a retry that is
    // handed the same batch issued nothing new.
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

/// Serialises storing a batch per account: the first write of the transaction, on the
/// account's row (a row lock on PostgreSQL, the write lock on SQLite), so a parallel call
/// waits here and then sees the batch this one stored.
async fn lock_account_in(conn: &mut AnyConnection, nik: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE accounts SET active_device_id = active_device_id WHERE nik = $1")
        .bind(nik)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes stored batches too old to be handed out again, so the table holds only the
/// batches of the last hour (each is some hundred kilobytes of QRs at the default plan), not
/// one per account for ever. Its own statement after the commit: sweeping other accounts'
/// rows inside the transaction could deadlock with another account's sweep. A failure only
/// leaves the rows for the next sweep.
async fn sweep(db: &Db, now: i64) {
    let swept = sqlx::query("DELETE FROM credential_qr_windows WHERE issued_at <= $1")
        .bind(now - FRESH_BATCH_EVERY_SECS)
        .execute(db.pool())
        .await;
    if let Err(err) = swept {
        tracing::warn!(%err, "old stored QR windows not swept");
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
