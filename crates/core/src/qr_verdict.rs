//! What an offline verifier concludes from a QR, its stored trust list and its stored signed
//! revocation list. Shared by the PWA's verifier page and `ikd qr verify`, so both say the
//! same thing for the same inputs.
//!
//! It fails closed: a green verdict needs the issuer's signature, the holder's fresh proof
//! (for a holder-bound credential), a current trust list and a revocation list that is
//! signed by a trusted key and less than a day old. When only the lists are missing, stale or
//! forged, the verdict is [`Verdict::Unconfirmed`]: the credential verified, but what could
//! not be checked is said, with since when. A forged list is never believed, neither to
//! revoke nor to clear.

use crate::claim169::{self, Claim169, DecodeOptions, HolderBinding};
use crate::signed::SignedJson;
use crate::trust_documents::{RevocationList, TrustListDocument};

/// A revocation list older than this cannot vouch that a QR is not revoked.
pub const REVOCATIONS_MAX_AGE_SECS: i64 = 24 * 3600;
/// A trust list older than this may miss a retired issuer key.
pub const TRUST_LIST_MAX_AGE_SECS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Everything checked: "SAH".
    Valid(Checked),
    /// The credential and its holder verified, but not everything could be checked.
    Unconfirmed {
        checked: Checked,
        gaps: Vec<Gap>,
    },
    Invalid(Refusal),
}

/// What verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub claim: Box<Claim169>,
    pub encrypted: bool,
    pub holder: HolderBinding,
    /// When the revocation list used was issued, if a genuine one was at hand.
    pub revocations_as_of: Option<i64>,
    pub trust_list_as_of: i64,
}

/// What could not be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    NoRevocationList,
    RevocationListStale {
        issued_at: i64,
    },
    /// A stored list whose signature does not verify: it was ignored.
    RevocationListForged,
    TrustListStale {
        issued_at: i64,
    },
}

impl Gap {
    pub fn code(&self) -> &'static str {
        match self {
            Gap::NoRevocationList => "no-revocation-list",
            Gap::RevocationListStale { .. } => "revocation-list-stale",
            Gap::RevocationListForged => "revocation-list-forged",
            Gap::TrustListStale { .. } => "trust-list-stale",
        }
    }

    /// Indonesian; `when` formats a unix time for the reader (the browser's local time, the
    /// CLI's UTC).
    pub fn message_id(&self, when: &dyn Fn(i64) -> String) -> String {
        match self {
            Gap::NoRevocationList => "Daftar pencabutan belum tersimpan: tidak dapat dipastikan QR ini belum dicabut. Buka halaman ini sekali saat online.".to_owned(),
            Gap::RevocationListStale { issued_at } => format!(
                "Daftar pencabutan sudah lama (sejak {}): QR yang dicabut sesudahnya tidak terlihat. Buka halaman ini saat online.",
                when(*issued_at)
            ),
            Gap::RevocationListForged => "Daftar pencabutan tersimpan tidak bertanda tangan sah dan diabaikan: tidak dapat dipastikan QR ini belum dicabut.".to_owned(),
            Gap::TrustListStale { issued_at } => format!(
                "Daftar kunci penerbit sudah lama (sejak {}): kunci yang sudah ditarik mungkin masih diterima. Buka halaman ini saat online.",
                when(*issued_at)
            ),
        }
    }

    pub fn message_en(&self, when: &dyn Fn(i64) -> String) -> String {
        match self {
            Gap::NoRevocationList => "No revocation list is stored: whether this QR was revoked cannot be checked. Open this page once while online.".to_owned(),
            Gap::RevocationListStale { issued_at } => format!(
                "The revocation list is old (from {}): QRs revoked since then do not show. Open this page while online.",
                when(*issued_at)
            ),
            Gap::RevocationListForged => "The stored revocation list has no valid signature and was ignored: whether this QR was revoked cannot be checked.".to_owned(),
            Gap::TrustListStale { issued_at } => format!(
                "The issuer key list is old (from {}): a withdrawn key might still be accepted. Open this page while online.",
                when(*issued_at)
            ),
        }
    }
}

/// A refusal with a stable code and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: String,
    pub message_id: String,
    pub message_en: String,
}

fn refusal(code: &str, id: &str, en: &str) -> Verdict {
    Verdict::Invalid(Refusal {
        code: code.to_owned(),
        message_id: id.to_owned(),
        message_en: en.to_owned(),
    })
}

/// Verifies `qr` at `now` (the verifier's clock). `trust_text` is the stored trust list;
/// `revocations_text` the stored signed revocation list; `decrypt_key` an institution's key
/// for encrypted QRs.
pub fn verify(
    qr: &str,
    trust_text: &str,
    revocations_text: Option<&str>,
    decrypt_key: Option<[u8; 32]>,
    now: i64,
) -> Verdict {
    let Ok(document) = serde_json::from_str::<TrustListDocument>(trust_text) else {
        return refusal(
            "no-trust-list",
            "Daftar kunci penerbit belum tersimpan. Buka halaman ini sekali saat online.",
            "The issuer key list is not stored yet. Open this page once while online.",
        );
    };
    let Ok(trust) = document.to_trust_list() else {
        return refusal(
            "no-trust-list",
            "Daftar kunci penerbit rusak. Buka halaman ini sekali saat online.",
            "The issuer key list is damaged. Open this page once while online.",
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
        // Encrypted to one institution (issue 17): say which key it is for, not a bare "no".
        Err(err @ claim169::DecodeError::OtherInstitution) => {
            let kid = claim169::encrypted_for(qr.trim())
                .map(|kid| crate::hex::encode(&kid))
                .unwrap_or_default();
            return refusal(
                err.code(),
                &format!(
                    "QR ini terenkripsi untuk satu instansi (kunci {kid}): hanya instansi itu yang dapat membukanya, dengan kuncinya sendiri."
                ),
                &format!(
                    "This QR is encrypted for one institution (key {kid}): only that institution can open it, with its own key."
                ),
            );
        }
        Err(err) => return refusal(err.code(), err.message_id(), err.message_en()),
    };
    let mut gaps = Vec::new();
    let revocations = match revocations_text {
        None => {
            gaps.push(Gap::NoRevocationList);
            None
        }
        Some(text) => match serde_json::from_str::<SignedJson>(text)
            .ok()
            .and_then(|signed| signed.verify::<RevocationList>(&trust, None).ok())
        {
            None => {
                gaps.push(Gap::RevocationListForged);
                None
            }
            Some(list) => Some(list),
        },
    };
    if let (Some(list), Some(cti)) = (&revocations, &decoded.meta.cti)
        && list.revokes(cti)
    {
        return refusal(
            "revoked",
            "QR ini sudah dicabut: pemiliknya keluar, mengganti perangkat, atau melaporkan ponselnya hilang.",
            "This QR has been revoked: its holder logged out, changed device or reported the phone lost.",
        );
    }
    if let Some(list) = &revocations
        && now - list.issued_at > REVOCATIONS_MAX_AGE_SECS
    {
        gaps.push(Gap::RevocationListStale {
            issued_at: list.issued_at,
        });
    }
    if now - document.issued_at > TRUST_LIST_MAX_AGE_SECS {
        gaps.push(Gap::TrustListStale {
            issued_at: document.issued_at,
        });
    }
    let checked = Checked {
        claim: Box::new(decoded.claim169),
        encrypted: decoded.encrypted,
        holder: decoded.holder,
        revocations_as_of: revocations.map(|l| l.issued_at),
        trust_list_as_of: document.issued_at,
    };
    if gaps.is_empty() {
        Verdict::Valid(checked)
    } else {
        Verdict::Unconfirmed { checked, gaps }
    }
}

#[cfg(test)]
mod tests {
    use p256::ecdsa::SigningKey;

    use super::*;
    use crate::claim169::{CwtMeta, Presentable, device_public_key, es256_kid};
    use crate::trust_documents::{PublishedKey, Revocation};

    const NOW: i64 = 1_750_000_000;

    fn issuer() -> SigningKey {
        SigningKey::from_slice(&[1; 32]).unwrap()
    }

    fn kid_hex() -> String {
        crate::hex::encode(&es256_kid(issuer().verifying_key()))
    }

    fn trust_text(issued_at: i64) -> String {
        let point = issuer().verifying_key().to_encoded_point(false);
        serde_json::to_string(&TrustListDocument {
            issuer: "urn:ikd:test".into(),
            issued_at,
            keys: vec![PublishedKey {
                kid: kid_hex(),
                alg: "ES256".into(),
                public_key: crate::hex::encode(point.as_bytes()),
                not_before: 0,
                not_after: None,
            }],
        })
        .unwrap()
    }

    fn revocations(issued_at: i64, revoked: &[[u8; 16]], key: &SigningKey) -> String {
        let list = RevocationList {
            issued_at,
            entries: revoked
                .iter()
                .map(|cti| Revocation {
                    credential_id: crate::hex::encode(cti),
                    revoked_at: issued_at,
                    reason: "logout".into(),
                })
                .collect(),
        };
        serde_json::to_string(&SignedJson::sign(&list, key, &kid_hex())).unwrap()
    }

    const CTI: [u8; 16] = [4; 16];

    /// A QR as the phone shows it, made at `NOW`.
    fn shown_qr() -> String {
        let device = SigningKey::from_slice(&[2; 32]).unwrap();
        let meta = CwtMeta {
            iat: Some(NOW - 60),
            exp: Some(NOW + 86_400),
            cti: Some(CTI.to_vec()),
            cnf: Some(device_public_key(&device).to_vec()),
            ..CwtMeta::default()
        };
        let claim = Claim169 {
            full_name: Some("SITI".into()),
            ..Default::default()
        };
        let text = claim169::issue(
            &claim,
            &meta,
            &issuer(),
            &es256_kid(issuer().verifying_key()),
            None,
        )
        .unwrap();
        Presentable::parse(&text)
            .unwrap()
            .present(&device, NOW)
            .unwrap()
    }

    #[test]
    fn a_fresh_list_and_a_fresh_proof_are_valid() {
        let verdict = verify(
            &shown_qr(),
            &trust_text(NOW - 60),
            Some(&revocations(NOW - 60, &[], &issuer())),
            None,
            NOW + 10,
        );
        let Verdict::Valid(checked) = verdict else {
            panic!("{verdict:?}")
        };
        assert_eq!(checked.holder, HolderBinding::Presented { at: NOW });
    }

    #[test]
    fn a_genuine_list_revokes() {
        let verdict = verify(
            &shown_qr(),
            &trust_text(NOW),
            Some(&revocations(NOW, &[CTI], &issuer())),
            None,
            NOW,
        );
        assert!(
            matches!(verdict, Verdict::Invalid(ref r) if r.code == "revoked"),
            "{verdict:?}"
        );
    }

    #[test]
    fn no_list_is_not_green() {
        let verdict = verify(&shown_qr(), &trust_text(NOW), None, None, NOW);
        assert!(
            matches!(verdict, Verdict::Unconfirmed { ref gaps, .. } if gaps == &[Gap::NoRevocationList]),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_list_older_than_a_day_is_not_green() {
        let issued_at = NOW - REVOCATIONS_MAX_AGE_SECS - 1;
        let verdict = verify(
            &shown_qr(),
            &trust_text(NOW),
            Some(&revocations(issued_at, &[], &issuer())),
            None,
            NOW,
        );
        assert!(
            matches!(verdict, Verdict::Unconfirmed { ref gaps, .. } if gaps == &[Gap::RevocationListStale { issued_at }]),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_forged_list_is_neither_believed_to_revoke_nor_to_clear() {
        let forger = SigningKey::from_slice(&[9; 32]).unwrap();
        let verdict = verify(
            &shown_qr(),
            &trust_text(NOW),
            Some(&revocations(NOW, &[CTI], &forger)),
            None,
            NOW,
        );
        assert!(
            matches!(verdict, Verdict::Unconfirmed { ref gaps, .. } if gaps == &[Gap::RevocationListForged]),
            "{verdict:?}"
        );
    }

    #[test]
    fn an_old_trust_list_is_said() {
        let issued_at = NOW - TRUST_LIST_MAX_AGE_SECS - 1;
        let verdict = verify(
            &shown_qr(),
            &trust_text(issued_at),
            Some(&revocations(NOW, &[], &issuer())),
            None,
            NOW,
        );
        assert!(
            matches!(verdict, Verdict::Unconfirmed { ref gaps, .. } if gaps == &[Gap::TrustListStale { issued_at }]),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_qr_older_than_the_tolerance_is_refused() {
        let verdict = verify(
            &shown_qr(),
            &trust_text(NOW),
            Some(&revocations(NOW, &[], &issuer())),
            None,
            NOW + claim169::HOLDER_TOLERANCE_SECS + 1,
        );
        assert!(
            matches!(verdict, Verdict::Invalid(ref r) if r.code == "stale"),
            "{verdict:?}"
        );
    }
}
