//! Issue 16's budget on QR size: each profile's QR, as the phone shows it (the credential with
//! its holder proof), for synthetic people with drawn registry portraits, at ECC level M, at
//! most one version larger than before holder binding (full 29, basic 26, 17+ 25). The full QR
//! encrypted to one institution (issue 17: COSE_Encrypt with an ECDH-ES recipient, its
//! ciphertext incompressible) has no budget and is reported: version 31 at most for these 12
//! people (2,043 Base45 characters). Run with `--nocapture` to see the versions.

use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::TrustListDocument;
use ikd_server::platform::clock::unix_now;
use qrcode::{EcLevel, QrCode, Version};

use crate::fixtures::*;
use crate::support::{PhoneKeys, TestApp, body_json};

/// The largest version allowed per profile (the encrypted variant has no budget; reported).
const LIMITS: [(QrProfile, i16); 3] = [
    (QrProfile::Full, 30),
    (QrProfile::Basic, 27),
    (QrProfile::Age, 26),
];
/// People measured: portraits differ in how well they compress. `IKD_QR_SIZE_PEOPLE` measures
/// more.
const PEOPLE: i64 = 12;

fn version(text: &str) -> i16 {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .expect("fits a QR")
        .version()
    {
        Version::Normal(v) => v,
        Version::Micro(v) => panic!("micro QR {v}"),
    }
}

#[tokio::test]
async fn presented_qrs_stay_within_one_version_of_the_old_ones() {
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let trust: TrustListDocument =
        serde_json::from_value(body_json(app.get("/api/trust-list").await).await).expect("trust");
    let trust = trust.to_trust_list().expect("keys");
    // The encrypted variant is shown to one institution: its QR carries the COSE_Encrypt
    // recipient (ephemeral key, kid) besides the credential.
    ikd_server::journey::institutions::add(&app.db, "Bank Ukuran QR")
        .await
        .expect("institution");
    let mut largest = [0i16; 4];
    let people = std::env::var("IKD_QR_SIZE_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(PEOPLE);
    for (i, citizen) in eligible_citizens(&app, people)
        .await
        .into_iter()
        .enumerate()
    {
        let device = format!("device-qr-size-{i:04}");
        let session = active_citizen(&app, &officer, desk, &citizen, &device).await;
        let phone = PhoneKeys::random();
        let response = app.bundle(&session, &phone).await;
        assert_eq!(response.status(), 200);
        let signed: SignedJson = serde_json::from_value(body_json(response).await).expect("signed");
        let bundle: OfflineBundle = signed.verify(&trust, None).expect("bundle");
        let now = unix_now();
        let mut line = format!("{}:", citizen.nik);
        for (slot, profile) in largest.iter_mut().zip(QrProfile::ALL) {
            let qr = match profile {
                QrProfile::FullEncrypted => {
                    phone.present_to(&bundle.credentials, &bundle.institutions[0], now)
                }
                _ => phone.present(&bundle.credentials, profile, now),
            };
            let v = version(&qr);
            line.push_str(&format!(" {} {} chars v{v};", profile.as_str(), qr.len()));
            *slot = (*slot).max(v);
        }
        println!("{line}");
    }
    println!(
        "largest versions at ECC M: full {}, basic {}, age {}, full-encrypted {}",
        largest[0], largest[1], largest[2], largest[3]
    );
    for ((profile, limit), v) in LIMITS.into_iter().zip(largest) {
        assert!(
            v <= limit,
            "{} QR is version {v}, above {limit}",
            profile.as_str()
        );
    }
}
