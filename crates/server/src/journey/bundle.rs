//! The signed offline bundle: the KTP, the KK, the linked documents, the activity history
//! and a batch of short-window Claim 169 QRs, for one citizen on one device. Each call makes
//! a new credential batch (recorded, so it can be revoked) and signs the whole bundle with
//! the current issuer key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ikd_core::Date;
use ikd_core::activity::ActivityKind;
use ikd_core::civil_status::{BloodType, MaritalStatus, Religion};
use ikd_core::claim169::{self, CwtMeta, KtpIdentity, Photo, PhotoFormat, Profile};
use ikd_core::offline_bundle::{OfflineBundle, QrWindow};
use ikd_core::signed::SignedJson;
use rand_core::RngCore;

use crate::journey::activity_log;
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::secrets;
use crate::registry::lookup::{self, RegistryPerson};
use crate::registry::portrait;
use crate::trust::issuer_keyring::{self, KeyringError};

/// The AES-256 key of the encrypted QR variant, shared with authorised institutions
/// (`ikd institution add` prints it).
pub const INSTITUTION_QR_KEY: &str = "institution-qr-key";
const ACTIVITY_SHOWN: i64 = 200;

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
    let institution_key = secrets::get_or_create(db, INSTITUTION_QR_KEY).await?;
    let institution_key: [u8; 32] = institution_key
        .try_into()
        .map_err(|_| BundleError::Issue("institution key is not 32 bytes".into()))?;

    let now = unix_now();
    let mut batch = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut batch);
    let credential_id = ikd_core::hex::encode(&batch);
    let qr_plan = config.qr;
    let first_window = now - now.rem_euclid(qr_plan.window_secs);
    let valid_until = first_window + qr_plan.windows() * qr_plan.window_secs;
    let today = crate::platform::clock::today_utc();
    let age = person.birth_date.age_on(today);
    let card_photo = portrait::portrait_jpeg_sized(
        person.photo_seed,
        person.sex,
        age,
        portrait::LARGE_WIDTH,
        portrait::LARGE_HEIGHT,
        portrait::LARGE_QUALITY,
    );
    let identity = identity_of(
        &person,
        portrait::portrait_jpeg(person.photo_seed, person.sex, age),
    );
    let issuer_name = config.issuer.clone();
    let signing_key = issuer.signing_key();
    let kid = claim169::es256_kid(signing_key.verifying_key());

    // Hundreds of ECDSA signatures and zlib runs: keep them off the async threads.
    let qr = tokio::task::spawn_blocking(move || {
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

    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO credentials (id, nik, device_id, issued_at, valid_until) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&credential_id)
    .bind(nik)
    .bind(device_id)
    .bind(now)
    .bind(valid_until)
    .execute(&mut *tx)
    .await?;
    activity_log::record_in(
        &mut tx,
        nik,
        ActivityKind::BundleRefreshed,
        activity_log::CITIZEN,
        "",
    )
    .await?;
    tx.commit().await?;
    let activity = activity_log::of_citizen(db, nik, ACTIVITY_SHOWN).await?;
    let demo_data = crate::registry::origin::is_demo(db).await?;

    let bundle = OfflineBundle {
        credential_id,
        issued_at: now,
        // Refresh at half-life, so a phone that goes online now and then never runs dry.
        refresh_after: now + (valid_until - now) / 2,
        valid_until,
        demo_data,
        ktp: person.card,
        photo_jpeg: STANDARD.encode(card_photo),
        kk,
        documents,
        activity,
        qr,
    };
    Ok(SignedJson::sign(
        &bundle,
        &issuer.signing_key(),
        issuer.kid().as_str(),
    ))
}

/// What the QR carries, from the registry record.
pub fn identity_of(person: &RegistryPerson, qr_photo: Vec<u8>) -> KtpIdentity {
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
        photo: Some(Photo {
            bytes: qr_photo,
            format: PhotoFormat::Jpeg,
        }),
        location_code: person.district_code.clone(),
    }
}
