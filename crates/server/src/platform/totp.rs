//! TOTP (RFC 6238 over RFC 4226's HOTP): six digits from HMAC-SHA1 of a 30-second time step,
//! the parameters every authenticator app takes from an `otpauth://` URI. Pure functions; the
//! secret's storage and the once-only rule live in `officer/second_factor`.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand_core::RngCore;
use sha1::Sha1;

/// Seconds per time step (RFC 6238's default, which every app assumes).
pub const STEP_SECS: i64 = 30;
/// Steps either side of now that are accepted, for a phone clock a little off.
pub const SKEW_STEPS: i64 = 1;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Secret length: 160 bits, RFC 4226's recommendation for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;

/// A fresh random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand_core::OsRng.fill_bytes(&mut secret);
    secret
}

/// The secret as an app's "enter a key manually" field wants it: base32, no padding.
pub fn secret_base32(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// The time step `unix` falls in.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECS)
}

/// The code for one time step.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

/// The step within the skew window around `unix` whose code is `code`, later than
/// `after_step` (a step already used is never accepted twice). Compared in constant time.
pub fn matching_step(secret: &[u8], code: &str, unix: i64, after_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix);
    let mut found = None;
    for step in (now - SKEW_STEPS)..=(now + SKEW_STEPS) {
        let expected = code_at_step(secret, step);
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && step > after_step && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The `otpauth://` URI an authenticator app reads from a QR code.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    let issuer_enc =
        percent_encoding::utf8_percent_encode(issuer, percent_encoding::NON_ALPHANUMERIC);
    let account_enc =
        percent_encoding::utf8_percent_encode(account, percent_encoding::NON_ALPHANUMERIC);
    format!(
        "otpauth://totp/{issuer_enc}:{account_enc}?secret={}&issuer={issuer_enc}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        secret_base32(secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") and its 8-digit codes; the
    /// six-digit code is the last six digits of each.
    const RFC_SECRET: &[u8] = b"12345678901234567890";
    const RFC_VECTORS: [(i64, &str); 6] = [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];

    #[test]
    fn codes_match_rfc_6238_appendix_b() {
        for (unix, eight) in RFC_VECTORS {
            assert_eq!(
                code_at_step(RFC_SECRET, step_of(unix)),
                eight[2..],
                "at {unix}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_within_one_step_and_only_after_the_last_used_step() {
        let now = 1_234_567_890;
        let code = code_at_step(RFC_SECRET, step_of(now));
        assert_eq!(matching_step(RFC_SECRET, &code, now, 0), Some(step_of(now)));
        assert_eq!(
            matching_step(RFC_SECRET, &code, now + STEP_SECS, 0),
            Some(step_of(now))
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code, now + 3 * STEP_SECS, 0),
            None
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code, now, step_of(now)),
            None,
            "used once"
        );
        assert_eq!(matching_step(RFC_SECRET, "12345", now, 0), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now, 0), None);
    }

    #[test]
    fn the_uri_carries_the_base32_secret_and_the_parameters() {
        let uri = otpauth_uri(RFC_SECRET, "IKD Petugas", "rina");
        assert!(uri.starts_with(
            "otpauth://totp/IKD%20Petugas:rina?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"
        ));
        assert!(uri.contains("period=30") && uri.contains("digits=6"));
    }
}
