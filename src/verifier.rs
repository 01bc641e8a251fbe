//! Offline verification of someone's QR: `ikd_core::qr_verdict`, the same verdict
//! `ikd qr verify` gives (Claim 169 against the cached trust list, the holder's proof against
//! the verifier's clock, then the cached signed revocation list; it fails closed). Pure
//! functions, so browser tests can time them.

pub use ikd_core::qr_verdict::{Checked, Gap, Refusal, Verdict, verify};

use crate::split_point::{ChunkUnavailable, Loading, SplitPoint};

/// What the verifier page checks: a QR's text against the cached lists, on its clock.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    pub qr: String,
    pub trust: String,
    pub revocations: Option<String>,
    pub now: i64,
}

/// [`verify`] in a chunk of the verifier bundle (`src/bin/ikd-verifikasi.rs`): the decoder
/// (Base45, zlib, CBOR, COSE, ES256, EdDSA) loads only when a QR is checked.
pub static VERIFY: SplitPoint<CheckQr> = SplitPoint::new("verifier::VERIFY");

/// A QR and the lists in, the verdict out, unless the decoder's chunk cannot be fetched.
pub type CheckQr = fn(VerifyRequest) -> Loading<Result<Verdict, ChunkUnavailable>>;

/// The verdict on `request`, with no institution key: a QR encrypted to an institution is
/// refused with the kid of the key it is for (issue 17; institutions open theirs online or
/// with `ikd qr verify --institution-key`).
pub fn verify_request(request: VerifyRequest) -> Verdict {
    verify(
        &request.qr,
        &request.trust,
        request.revocations.as_deref(),
        None,
        request.now,
    )
}

/// The verdict's state as the page marks it (`data-state`).
pub fn state(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Valid(_) => "valid",
        Verdict::Unconfirmed { .. } => "unconfirmed",
        Verdict::Invalid(_) => "invalid",
    }
}
