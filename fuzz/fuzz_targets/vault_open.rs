//! Opening the PIN-sealed local copy (ikd-core's vault) after its stored bytes were tampered
//! with: it must return an error, never panic, and never "succeed" with anything but the
//! content that was sealed.
//!
//! The seed vault is sealed once with a fixed PIN, salt and nonce. The first input byte picks
//! the tampering:
//! - 0: the rest is XORed over the decoded salt, nonce and ciphertext (all zero = untouched,
//!   which must open to the original);
//! - 1: the rest is the stored JSON itself;
//! - 2, 3, 4: the rest replaces the salt, nonce or ciphertext text;
//! - 5: the rest is the PIN typed (only the right one may open it).
//!
//! Every open that reaches the key derivation costs one Argon2id (19 MiB, t = 2, the
//! production parameters, which the API does not let a caller lower), so this target runs
//! at tens of inputs per second, not thousands.

#![no_main]

use std::sync::LazyLock;

use ikd_core::hex;
use ikd_core::vault::{self, Sealed, VaultError};
use libfuzzer_sys::fuzz_target;

const PIN: &str = "482913";
const PLAINTEXT: &[u8] = br#"{"nik":"3276014507900003","name":"SITI RAHAYU"}"#;
const SALT: [u8; vault::SALT_LEN] = [7; vault::SALT_LEN];
const NONCE: [u8; vault::NONCE_LEN] = [9; vault::NONCE_LEN];

static SEALED: LazyLock<Sealed> =
    LazyLock::new(|| vault::seal(PLAINTEXT, PIN, SALT, NONCE).expect("sealing works"));

/// The bytes the sealed copy stands for, whatever its hex spelling.
fn decoded(sealed: &Sealed) -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    Some((
        hex::decode(&sealed.salt)?,
        hex::decode(&sealed.nonce)?,
        hex::decode(&sealed.ciphertext)?,
    ))
}

/// Opens `sealed` with `pin`: only the original bytes with the right PIN may open, and then
/// to the original content.
fn check(sealed: &Sealed, pin: &str) {
    let original = decoded(&SEALED).expect("our own vault decodes");
    match vault::open(sealed, pin) {
        Ok(content) => {
            assert_eq!(content, PLAINTEXT, "a vault opened to other content");
            assert_eq!(pin, PIN, "a vault opened with another PIN");
            assert_eq!(decoded(sealed), Some(original), "a changed vault opened");
        }
        Err(VaultError::WrongPin | VaultError::Damaged) => {}
        Err(other) => panic!("unexpected error opening a vault: {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut sealed = SEALED.clone();
    match mode % 6 {
        0 => {
            let (mut salt, mut nonce, mut ciphertext) = decoded(&SEALED).expect("decodes");
            let mut flips = rest.iter();
            for byte in salt.iter_mut().chain(&mut nonce).chain(&mut ciphertext) {
                match flips.next() {
                    Some(flip) => *byte ^= flip,
                    None => break,
                }
            }
            sealed.salt = hex::encode(&salt);
            sealed.nonce = hex::encode(&nonce);
            sealed.ciphertext = hex::encode(&ciphertext);
        }
        1 => match serde_json::from_slice::<Sealed>(rest) {
            Ok(stored) => sealed = stored,
            Err(_) => return,
        },
        2 => sealed.salt = text,
        3 => sealed.nonce = text,
        4 => sealed.ciphertext = text,
        _ => return check(&sealed, &text),
    }
    check(&sealed, PIN);
});
