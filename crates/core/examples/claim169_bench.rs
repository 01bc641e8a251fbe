//! How fast Claim 169 credentials issue and verify, and how large their QR codes get, for
//! each profile, plain and encrypted. A measurement, not a test:
//!
//!   cargo run --release -p ikd-core --example claim169_bench [ITERATIONS]
//!
//! The identity is synthetic; the photo is 800 bytes of noise behind a JPEG header, standing
//! in for a compressed face photo (which does not compress further either).

use std::hint::black_box;
use std::time::Instant;

use ikd_core::civil_status::{BloodType, MaritalStatus, Religion};
use ikd_core::claim169::{
    CwtMeta, DecodeOptions, KtpIdentity, Photo, PhotoFormat, Presentable, Profile, PublicKey,
    TrustList, TrustedKey, decode, device_public_key, es256_kid, issue,
};
use ikd_core::{Date, Sex};
use p256::ecdsa::SigningKey;
use qrcode::{EcLevel, QrCode, Version};

const NOW: i64 = 1_750_000_000;
const PHOTO_BYTES: usize = 800;

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1000);
    let key = SigningKey::from_bytes(&[0x5a; 32].into()).expect("a valid scalar");
    let kid = es256_kid(key.verifying_key());
    let trust = TrustList::new().with(TrustedKey::new(PublicKey::Es256(*key.verifying_key())));
    let encryption_key = [0x42u8; 32];
    let meta = CwtMeta {
        iss: Some("urn:ikd:dukcapil".into()),
        sub: None,
        iat: Some(NOW),
        nbf: Some(NOW),
        exp: Some(NOW + 365 * 86_400),
        cti: None,
        cnf: None,
    };
    let device = SigningKey::from_bytes(&[0x33; 32].into()).expect("a valid scalar");
    let person = identity();
    let today = Date::new(2025, 6, 15).expect("a real date");

    println!("{iterations} iterations per row, photo {PHOTO_BYTES} bytes, ECC level M");
    println!(
        "{:<8} {:<9} {:>6} {:>6} {:>10} {:>11}",
        "profile", "mode", "chars", "QR v", "issue µs", "verify µs"
    );
    for (name, profile) in [
        ("full", Profile::Full),
        ("basic", Profile::Basic),
        ("age", Profile::Age { today }),
    ] {
        let claim = person.profile(profile);
        let meta = CwtMeta {
            sub: claim.id.clone(),
            ..meta.clone()
        };
        for encrypted in [false, true] {
            let encryption = encrypted.then_some((&encryption_key, [7u8; 12]));
            let started = Instant::now();
            let mut text = String::new();
            for _ in 0..iterations {
                text = issue(black_box(&claim), &meta, &key, &kid, encryption).expect("issues");
            }
            let issue_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);

            let options = DecodeOptions {
                trust: Some(&trust),
                decrypt_key: Some(encryption_key),
                now: NOW,
                check_time: true,
                ..DecodeOptions::default()
            };
            let started = Instant::now();
            for _ in 0..iterations {
                let decoded = decode(black_box(&text), &options).expect("verifies");
                assert!(decoded.verified);
            }
            let verify_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);

            let version = match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
                .map(|code| code.version())
            {
                Ok(Version::Normal(v)) => v.to_string(),
                Ok(Version::Micro(v)) => format!("M{v}"),
                Err(_) => "too big".to_owned(),
            };
            let mode = if encrypted { "encrypted" } else { "plain" };
            println!(
                "{name:<8} {mode:<9} {:>6} {version:>6} {issue_us:>10.1} {verify_us:>11.1}",
                text.len()
            );

            // As IKD issues it since issue 16: bound to a device key (`cnf`), no `nbf`, a
            // 16-byte `cti`; and as the phone shows it, with the holder's countersignature.
            // The "issue µs" column is then the phone's time to make one QR.
            let bound_meta = CwtMeta {
                nbf: None,
                cti: Some(vec![1; 16]),
                cnf: Some(device_public_key(&device).to_vec()),
                ..meta.clone()
            };
            let credential = issue(&claim, &bound_meta, &key, &kid, encryption).expect("issues");
            let presentable = Presentable::parse(&credential).expect("reads");
            let started = Instant::now();
            let mut shown = String::new();
            for i in 0..iterations {
                shown = presentable
                    .present(&device, NOW + i64::from(i % 60))
                    .expect("presents");
            }
            let present_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
            let started = Instant::now();
            for _ in 0..iterations {
                let decoded = decode(black_box(&shown), &options).expect("verifies");
                assert!(decoded.verified);
            }
            let verify_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
            let version = qr_version(&shown);
            let mode = if encrypted { "enc+shown" } else { "shown" };
            println!(
                "{name:<8} {mode:<9} {:>6} {version:>6} {present_us:>10.1} {verify_us:>11.1}",
                shown.len()
            );
        }
    }
}

fn qr_version(text: &str) -> String {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map(|code| code.version())
    {
        Ok(Version::Normal(v)) => v.to_string(),
        Ok(Version::Micro(v)) => format!("M{v}"),
        Err(_) => "too big".to_owned(),
    }
}

/// A synthetic citizen (no real person).
fn identity() -> KtpIdentity {
    KtpIdentity {
        nik: "3276014506900002".into(),
        full_name: "SITI AMINAH BINTI ABDUL RAHMAN".into(),
        place_of_birth: "DEPOK".into(),
        date_of_birth: Date::new(1990, 6, 5).expect("a real date"),
        sex: Sex::Female,
        blood_type: BloodType::O,
        address: "JL. MARGONDA RAYA NO. 100 BLOK C".into(),
        rt_rw: "001/002".into(),
        village: "PONDOK CINA".into(),
        district: "BEJI".into(),
        regency: "KOTA DEPOK".into(),
        province: "JAWA BARAT".into(),
        religion: Religion::Islam,
        marital_status: MaritalStatus::Kawin,
        occupation: "KARYAWAN SWASTA".into(),
        nationality: "WNI".into(),
        photo: Some(Photo {
            bytes: photo(),
            format: PhotoFormat::Jpeg,
        }),
        location_code: "32.76.01".into(),
    }
}

/// A JPEG header followed by noise (xorshift), `PHOTO_BYTES` long.
fn photo() -> Vec<u8> {
    let mut bytes = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    let mut state = 0x9e37_79b9_u32;
    while bytes.len() < PHOTO_BYTES {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state.to_le_bytes()[0]);
    }
    bytes
}
