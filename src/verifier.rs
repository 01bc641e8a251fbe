//! Offline verification of someone's QR: `ikd_core::qr_verdict`, the same verdict
//! `ikd qr verify` gives (Claim 169 against the cached trust list, the holder's proof against
//! the verifier's clock, then the cached signed revocation list; it fails closed). Pure
//! functions, so browser tests can time them.

pub use ikd_core::qr_verdict::{Checked, Gap, Refusal, Verdict, verify};

/// The verdict's state as the page marks it (`data-state`).
pub fn state(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Valid(_) => "valid",
        Verdict::Unconfirmed { .. } => "unconfirmed",
        Verdict::Invalid(_) => "invalid",
    }
}
