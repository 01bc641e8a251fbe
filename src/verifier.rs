//! Offline verification of someone's QR: Claim 169 decode against the cached trust list,
//! then the cached signed revocation list. Pure functions, so browser tests can time them.

use ikd_core::claim169::{self, Claim169, DecodeOptions};
use ikd_core::signed::SignedJson;
use ikd_core::trust_documents::{RevocationList, TrustListDocument};

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Valid {
        claim: Box<Claim169>,
        encrypted: bool,
        /// When the revocation list used was issued (unix seconds), if there was one.
        revocations_as_of: Option<i64>,
    },
    Invalid {
        code: String,
        message_id: String,
        message_en: String,
    },
}

fn invalid(code: &str, id: &str, en: &str) -> Verdict {
    Verdict::Invalid {
        code: code.to_owned(),
        message_id: id.to_owned(),
        message_en: en.to_owned(),
    }
}

/// Verifies `qr` at `now`. `trust_text` is the stored trust list; `revocations_text` the
/// stored signed revocation list (checked with the same trust list); `decrypt_key` is the
/// institution key for encrypted QRs.
pub fn verify(
    qr: &str,
    trust_text: &str,
    revocations_text: Option<&str>,
    decrypt_key: Option<[u8; 32]>,
    now: i64,
) -> Verdict {
    let Ok(document) = serde_json::from_str::<TrustListDocument>(trust_text) else {
        return invalid(
            "no-trust-list",
            "Daftar kunci penerbit belum tersimpan. Buka halaman ini sekali saat online.",
            "The issuer key list is not stored yet. Open this page once while online.",
        );
    };
    let Ok(trust) = document.to_trust_list() else {
        return invalid(
            "no-trust-list",
            "Daftar kunci penerbit rusak.",
            "The issuer key list is damaged.",
        );
    };
    let decoded = match claim169::decode(
        qr.trim(),
        &DecodeOptions {
            trust: Some(&trust),
            decrypt_key,
            now,
            check_time: true,
            ..DecodeOptions::default()
        },
    ) {
        Ok(decoded) => decoded,
        Err(err) => return invalid(err.code(), err.message_id(), err.message_en()),
    };
    let revocations = revocations_text
        .and_then(|text| serde_json::from_str::<SignedJson>(text).ok())
        .and_then(|signed| signed.verify::<RevocationList>(&trust, None).ok());
    if let (Some(list), Some(cti)) = (&revocations, &decoded.meta.cti)
        && list.revokes(cti)
    {
        return invalid(
            "revoked",
            "QR ini sudah dicabut: pemiliknya mengganti perangkat atau keluar.",
            "This QR has been revoked: its holder changed device or logged out.",
        );
    }
    Verdict::Valid {
        claim: Box::new(decoded.claim169),
        encrypted: decoded.encrypted,
        revocations_as_of: revocations.map(|l| l.issued_at),
    }
}
