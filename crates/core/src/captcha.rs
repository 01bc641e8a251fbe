//! A proof-of-work captcha in the style of ALTCHA: no third party, no images, nothing a screen
//! reader cannot pass. The service picks a secret number `n ≤ max_number` and a salt, and
//! publishes `SHA-256(salt ‖ ":" ‖ n)` with an HMAC signature over that hash, `max_number` and
//! the salt. The citizen's device finds `n` by trying numbers (a fraction of a second on a cheap
//! phone, in wasm); the service checks the answer statelessly with its HMAC key. The salt
//! carries its expiry (`…?expires=UNIX`) so replicas need no shared memory; a used challenge is
//! remembered in the database by whoever accepts it, so each can be used once.
//!
//! Issue 14: when the signature covered only the hash and salt and number were hashed with
//! nothing between them, `…?expires=1800000300` + `4321` and `…?expires=180000030043` + `21`
//! were the same text, so moving leading digits of the number onto the salt kept the hash valid
//! and pushed the expiry thousands of years out: a solved captcha could be stockpiled. Now two
//! checks refuse that, each on its own: the separator makes the texts differ, and the signature
//! covers the salt (so its expiry cannot change). An answer above `max_number`, which no honest
//! device sends, is refused too. The device's search and the service's check build the hashed
//! text with the same function (`salted_hasher`), so they cannot drift apart.
//!
//! Core does no IO and draws no randomness: the service passes the random salt, the secret
//! number, the key and the time in.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Largest secret number. The device tries on average half of these; about 125,000 SHA-256
/// hashes is well under a second in wasm on a low-end phone, and makes bulk automated
/// registration cost real CPU.
pub const DEFAULT_MAX_NUMBER: u64 = 250_000;

pub const ALGORITHM: &str = "SHA-256";

/// Between the salt and the number in the hashed text. The number is decimal digits only, so
/// the last separator splits any hashed text one way only.
const NUMBER_SEPARATOR: &[u8] = b":";

/// What the salt's expiry follows.
const EXPIRES_MARK: &str = "?expires=";

/// What the service sends to the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    pub algorithm: String,
    /// Hex SHA-256 of `salt ‖ ":" ‖ number`.
    pub challenge: String,
    pub max_number: u64,
    /// Random text followed by `?expires=UNIX_SECONDS`.
    pub salt: String,
    /// Hex HMAC-SHA-256 of `challenge|maxNumber|salt` under the service's key.
    pub signature: String,
}

/// What the device sends back: the challenge fields plus the number it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Solution {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CaptchaError {
    #[error("captcha tidak dikenal atau telah diubah (unknown or altered captcha)")]
    Forged,
    #[error("jawaban captcha salah (wrong captcha answer)")]
    WrongAnswer,
    #[error(
        "captcha sudah kedaluwarsa, muat ulang lalu coba lagi (captcha expired, reload and retry)"
    )]
    Expired,
}

impl CaptchaError {
    pub fn code(self) -> &'static str {
        match self {
            CaptchaError::Forged => "captcha-forged",
            CaptchaError::WrongAnswer => "captcha-wrong",
            CaptchaError::Expired => "captcha-expired",
        }
    }

    pub fn message_id(self) -> &'static str {
        match self {
            CaptchaError::Forged => "Captcha tidak dikenal atau telah diubah. Muat ulang halaman",
            CaptchaError::WrongAnswer => "Jawaban captcha salah. Muat ulang lalu coba lagi",
            CaptchaError::Expired => "Captcha sudah kedaluwarsa. Muat ulang lalu coba lagi",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            CaptchaError::Forged => "Unknown or altered captcha. Reload the page",
            CaptchaError::WrongAnswer => "Wrong captcha answer. Reload and try again",
            CaptchaError::Expired => "The captcha has expired. Reload and try again",
        }
    }
}

/// Creates a challenge. `random_salt` should carry at least 128 random bits (hex), `secret` is
/// a random number in `0..=max_number`, `expires_at` is in unix seconds.
pub fn create(
    hmac_key: &[u8],
    random_salt: &str,
    secret: u64,
    max_number: u64,
    expires_at: i64,
) -> Challenge {
    let salt = format!("{random_salt}{EXPIRES_MARK}{expires_at}");
    let challenge = hash_hex(&salt, secret.min(max_number));
    Challenge {
        algorithm: ALGORITHM.to_owned(),
        signature: sign(hmac_key, &challenge, max_number, &salt),
        challenge,
        max_number,
        salt,
    }
}

/// The expiry a salt carries, in unix seconds; None when it carries none.
pub fn expires_at(salt: &str) -> Option<i64> {
    let (_, at) = salt.rsplit_once(EXPIRES_MARK)?;
    if at.is_empty() || !at.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    at.parse().ok()
}

/// Finds the secret number by trying `from..=to`; the device calls this in slices to show
/// progress. Returns the solution, or None if it is not in the slice.
pub fn solve_range(challenge: &Challenge, from: u64, to: u64) -> Option<Solution> {
    let to = to.min(challenge.max_number);
    // Compare raw digests, and hash the salt once: a phone tries up to 250,000 numbers, and
    // hex-encoding each candidate's digest would cost more than the hashing itself.
    let target = crate::hex::decode(&challenge.challenge)?;
    let salted = salted_hasher(&challenge.salt);
    let mut digits = itoa_buffer();
    (from..=to)
        .find(|n| {
            let mut hasher = salted.clone();
            hasher.update(decimal(*n, &mut digits));
            hasher.finalize()[..] == target[..]
        })
        .map(|number| Solution {
            algorithm: challenge.algorithm.clone(),
            challenge: challenge.challenge.clone(),
            number,
            salt: challenge.salt.clone(),
            signature: challenge.signature.clone(),
        })
}

/// Finds the secret number, trying every candidate.
pub fn solve(challenge: &Challenge) -> Option<Solution> {
    solve_range(challenge, 0, challenge.max_number)
}

/// Checks a solution statelessly: the number is right and within `max_number` (the limit the
/// service issues with), the hash, limit and salt are signed by us, and the salt's expiry has
/// not passed.
pub fn verify(
    solution: &Solution,
    hmac_key: &[u8],
    max_number: u64,
    now: i64,
) -> Result<(), CaptchaError> {
    if solution.algorithm != ALGORITHM {
        return Err(CaptchaError::Forged);
    }
    // From here on `challenge` is 64 hex digits, which the signed text relies on.
    if hash_hex(&solution.salt, solution.number) != solution.challenge {
        return Err(CaptchaError::WrongAnswer);
    }
    if solution.number > max_number || !signature_matches(hmac_key, solution, max_number) {
        return Err(CaptchaError::Forged);
    }
    let expires_at = expires_at(&solution.salt).ok_or(CaptchaError::Forged)?;
    if now > expires_at {
        return Err(CaptchaError::Expired);
    }
    Ok(())
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

/// `number` in decimal ASCII without allocating (what `to_string` gives, for hashing).
fn decimal(mut number: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    &buffer[start..]
}

/// SHA-256 fed `salt ‖ ":"`: the hashed text up to the number, shared by the device's search
/// and the service's check.
fn salted_hasher(salt: &str) -> Sha256 {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(NUMBER_SEPARATOR);
    hasher
}

fn hash_hex(salt: &str, number: u64) -> String {
    let mut hasher = salted_hasher(salt);
    hasher.update(decimal(number, &mut itoa_buffer()));
    crate::hex::encode(&hasher.finalize())
}

fn mac(hmac_key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(hmac_key).expect("HMAC accepts any key length")
}

/// The MAC over `challenge|max_number|salt`. Read one way only: the challenge is hex and the
/// limit decimal, neither holds a `|`, so the salt is everything after the second one.
fn signed_mac(hmac_key: &[u8], challenge: &str, max_number: u64, salt: &str) -> Hmac<Sha256> {
    let mut mac = mac(hmac_key);
    mac.update(challenge.as_bytes());
    mac.update(b"|");
    mac.update(decimal(max_number, &mut itoa_buffer()));
    mac.update(b"|");
    mac.update(salt.as_bytes());
    mac
}

fn sign(hmac_key: &[u8], challenge: &str, max_number: u64, salt: &str) -> String {
    let mac = signed_mac(hmac_key, challenge, max_number, salt);
    crate::hex::encode(&mac.finalize().into_bytes())
}

/// Constant-time comparison through the MAC itself, so timing does not leak the signature.
fn signature_matches(hmac_key: &[u8], solution: &Solution, max_number: u64) -> bool {
    let Some(expected) = crate::hex::decode(&solution.signature) else {
        return false;
    };
    signed_mac(hmac_key, &solution.challenge, max_number, &solution.salt)
        .verify_slice(&expected)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"kunci-hmac-uji";
    const NOW: i64 = 1_800_000_000;
    const MAX: u64 = 5_000;

    fn challenge(secret: u64) -> Challenge {
        create(
            KEY,
            "5f1c0a9e3b7d4c21a8e6f0b2c4d6e8f0",
            secret,
            MAX,
            NOW + 300,
        )
    }

    #[test]
    fn a_solved_challenge_verifies() {
        let solution = solve(&challenge(4_321)).expect("solvable");
        assert_eq!(solution.number, 4_321);
        assert_eq!(verify(&solution, KEY, MAX, NOW), Ok(()));
    }

    #[test]
    fn solving_in_slices_finds_the_number_only_in_its_slice() {
        let c = challenge(2_500);
        assert!(solve_range(&c, 0, 2_499).is_none());
        assert_eq!(solve_range(&c, 2_000, 2_999).map(|s| s.number), Some(2_500));
    }

    #[test]
    fn a_wrong_number_an_altered_challenge_another_key_or_a_late_answer_is_refused() {
        let good = solve(&challenge(77)).expect("solvable");
        let wrong = Solution {
            number: 78,
            ..good.clone()
        };
        assert_eq!(
            verify(&wrong, KEY, MAX, NOW),
            Err(CaptchaError::WrongAnswer)
        );
        // Moving the expiry forward changes the salt, so the signed hash no longer matches:
        // the answer is refused although the stretched expiry has not passed.
        let stretched = Solution {
            salt: good
                .salt
                .replace(&format!("{}", NOW + 300), &format!("{}", NOW + 99_999)),
            ..good.clone()
        };
        assert_eq!(
            verify(&stretched, KEY, MAX, NOW + 1_000),
            Err(CaptchaError::WrongAnswer)
        );
        let forged = Solution {
            challenge: hash_hex(&good.salt, 1),
            number: 1,
            ..good.clone()
        };
        assert_eq!(verify(&forged, KEY, MAX, NOW), Err(CaptchaError::Forged));
        assert_eq!(
            verify(&good, b"kunci-lain", MAX, NOW),
            Err(CaptchaError::Forged)
        );
        assert_eq!(
            verify(&good, KEY, MAX, NOW + 301),
            Err(CaptchaError::Expired)
        );
        let garbled = Solution {
            signature: "zz".into(),
            ..good
        };
        assert_eq!(verify(&garbled, KEY, MAX, NOW), Err(CaptchaError::Forged));
    }

    /// The stretch attack: `…?expires=1800000300` + `4321` and `…?expires=180000030043` + `21`
    /// are the same hashed text, so moving leading digits of `number` onto the salt keeps the
    /// hash and pushes the expiry thousands of years out.
    fn stretched(solution: &Solution, digits_moved: usize) -> Solution {
        let digits = solution.number.to_string();
        let (moved, kept) = digits.split_at(digits_moved);
        Solution {
            salt: format!("{}{moved}", solution.salt),
            number: kept.parse().expect("digits"),
            ..solution.clone()
        }
    }

    /// Issue 14, finding 4.
    #[test]
    fn a_captcha_does_not_outlive_its_ten_minutes() {
        let good = solve(&challenge(4_321)).expect("solvable");
        let stretched = stretched(&good, 2);
        assert_eq!(stretched.number, 21);
        assert!(
            stretched
                .salt
                .ends_with(&format!("?expires={}43", NOW + 300))
        );
        assert!(verify(&good, KEY, MAX, NOW).is_ok());
        // Long after the real expiry, the stretched answer is still refused.
        assert_eq!(
            verify(&stretched, KEY, MAX, NOW + 3_600),
            Err(CaptchaError::WrongAnswer)
        );
        assert_eq!(
            verify(&stretched, KEY, MAX, NOW),
            Err(CaptchaError::WrongAnswer)
        );
    }

    #[test]
    fn an_honest_solution_still_verifies_until_it_expires() {
        for secret in [0, 9, 10, 4_321, 5_000] {
            let solution = solve(&challenge(secret)).expect("solvable");
            assert_eq!(solution.number, secret);
            assert_eq!(verify(&solution, KEY, MAX, NOW + 300), Ok(()));
            assert_eq!(
                verify(&solution, KEY, MAX, NOW + 301),
                Err(CaptchaError::Expired)
            );
        }
    }

    #[test]
    fn a_number_above_max_number_is_refused() {
        // A challenge signed for 5,000 whose hash is of 9,999: no honest device can reach it,
        // so an answer above the limit is refused even when it hashes right.
        let salt = format!("5f1c0a9e3b7d4c21a8e6f0b2c4d6e8f0?expires={}", NOW + 300);
        let challenge = hash_hex(&salt, 9_999);
        let over = Solution {
            algorithm: ALGORITHM.to_owned(),
            signature: sign(KEY, &challenge, MAX, &salt),
            challenge,
            number: 9_999,
            salt,
        };
        assert_eq!(verify(&over, KEY, MAX, NOW), Err(CaptchaError::Forged));
    }

    #[test]
    fn the_signature_covers_the_hash_the_limit_and_the_salt_with_its_expiry() {
        let good = solve(&challenge(4_321)).expect("solvable");
        assert!(signature_matches(KEY, &good, MAX));
        assert!(!signature_matches(KEY, &good, MAX + 1));
        let later = Solution {
            salt: good
                .salt
                .replace(&(NOW + 300).to_string(), &(NOW + 9_999).to_string()),
            ..good.clone()
        };
        assert!(!signature_matches(KEY, &later, MAX));
        let other_hash = Solution {
            challenge: hash_hex(&good.salt, 1),
            ..good
        };
        assert!(!signature_matches(KEY, &other_hash, MAX));
    }

    #[test]
    fn the_expiry_is_read_from_the_end_of_the_salt_only_as_digits() {
        assert_eq!(expires_at("ab?expires=1800000300"), Some(1_800_000_300));
        assert_eq!(expires_at("ab?expires=+1800000300"), None);
        assert_eq!(expires_at("ab?expires="), None);
        assert_eq!(expires_at("ab"), None);
    }

    #[test]
    fn the_wire_format_uses_altcha_field_names() {
        let json = serde_json::to_value(challenge(1)).expect("json");
        assert_eq!(json["algorithm"], "SHA-256");
        assert_eq!(json["maxNumber"], 5_000);
        assert!(
            json["salt"]
                .as_str()
                .expect("salt")
                .ends_with(&format!("?expires={}", NOW + 300))
        );
    }

    #[test]
    fn decimal_digits_match_to_string() {
        let mut buffer = itoa_buffer();
        for n in [0, 7, 10, 99, 250_000, u64::MAX] {
            assert_eq!(decimal(n, &mut buffer), n.to_string().as_bytes());
        }
    }
}
