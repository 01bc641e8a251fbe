//! Password hashing: Argon2id with OWASP's minimum parameters (19 MiB memory, 2 passes,
//! 1 lane), stored as PHC strings so parameters can be raised later without a migration:
//! each hash carries its own.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::platform::refusal::Refusal;
use crate::platform::work_limits::{Busy, WorkLimits};

/// OWASP Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("kata sandi tidak dapat di-hash (password hashing failed): {0}")]
    Hash(String),
    #[error(transparent)]
    Busy(#[from] Busy),
}

impl PasswordError {
    /// A full Argon2id pool is the person's to retry (503 `busy`); a failed hash is a fault.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            PasswordError::Busy(busy) => Some(busy.refusal()),
            PasswordError::Hash(_) => None,
        }
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .expect("the OWASP Argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes with a fresh random salt; returns the PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut rand_core::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

tokio::task_local! {
    /// Test probe: the Argon2id verifications run on behalf of the task inside
    /// [`counting_verifications`]. Only tests set it; elsewhere it is unset and costs one
    /// task-local look-up per verification. It is scoped to one request's task, never shared
    /// process state, so no replica ever needs another's.
    static VERIFICATIONS: Arc<AtomicU64>;
}

/// Test probe: runs `work` (a request through the router, say) and counts the Argon2id
/// verifications it ran, so a test can check that two answers cost the same work without
/// timing them.
pub async fn counting_verifications<F: Future>(work: F) -> (F::Output, u64) {
    let count = Arc::new(AtomicU64::new(0));
    let output = VERIFICATIONS.scope(Arc::clone(&count), work).await;
    (output, count.load(Ordering::Relaxed))
}

/// True when `password` matches the stored PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    verify_counted(password, stored, None)
}

fn verify_counted(password: &str, stored: &str, probe: Option<&AtomicU64>) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            if let Some(probe) = probe {
                probe.fetch_add(1, Ordering::Relaxed);
            }
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`hash`] on a blocking thread: Argon2id takes tens of milliseconds of CPU, which must not
/// stall the async workers serving other requests. Unbounded: for the command line and
/// admin-only paths; what strangers reach uses [`hash_bounded`].
pub async fn hash_blocking(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?
}

/// [`hash_blocking`] behind a permit of `work`: `Busy` when none comes in time.
pub async fn hash_bounded(work: &WorkLimits, password: String) -> Result<String, PasswordError> {
    let permit = work.password_permit().await?;
    tokio::task::spawn_blocking(move || {
        let hashed = hash(&password);
        drop(permit);
        hashed
    })
    .await
    .map_err(|e| PasswordError::Hash(e.to_string()))?
}

/// [`verify`] on a blocking thread, for the same reason, behind a permit of `work` (`Busy`
/// when none comes in time). A panicked task never matches.
pub async fn verify_blocking(
    work: &WorkLimits,
    password: String,
    stored: String,
) -> Result<bool, Busy> {
    let probe = VERIFICATIONS.try_with(Arc::clone).ok();
    let permit = work.password_permit().await?;
    Ok(tokio::task::spawn_blocking(move || {
        let matches = verify_counted(&password, &stored, probe.as_deref());
        drop(permit);
        matches
    })
    .await
    .unwrap_or(false))
}

/// Verified against when there is no account, so an unknown name costs the same Argon2id
/// work as a wrong password and timing does not tell them apart. A constant (the hash of
/// `tidak-ada-akun-ini`), so not even the first such request pays for hashing it; a test keeps
/// its parameters those [`hash`] uses today.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$3Ez6bZ8cpNzFIU2/gncMHA$dgWN2I+y4fz0tyB/XWL46ytdI1WM3ajIDeSzv7zO8Tw";

/// [`verify_blocking`] against the account's stored hash, or, when there is no account
/// (unknown, disabled), against a dummy hash and refused: both cost one Argon2id verification,
/// and both wait for the same permit of `work`.
pub async fn verify_or_dummy_blocking(
    work: &WorkLimits,
    password: String,
    stored: Option<String>,
) -> Result<bool, Busy> {
    let probe = VERIFICATIONS.try_with(Arc::clone).ok();
    let permit = work.password_permit().await?;
    Ok(tokio::task::spawn_blocking(move || {
        let matches = match stored {
            Some(stored) => verify_counted(&password, &stored, probe.as_deref()),
            None => {
                verify_counted(&password, DUMMY_HASH, probe.as_deref());
                false
            }
        };
        drop(permit);
        matches
    })
    .await
    .unwrap_or(false))
}

/// A random password a person can read aloud and type: 16 Crockford base32 characters
/// (80 bits), grouped in fours.
pub fn generate() -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("benar-sekali-123").expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("benar-sekali-123", &stored));
        assert!(!verify("salah-sekali-123", &stored));
        assert!(!verify("benar-sekali-123", "not a phc string"));
        // A fresh salt each time: the same password never gives the same hash.
        assert_ne!(stored, hash("benar-sekali-123").expect("hash"));
    }

    #[test]
    fn the_dummy_hash_is_a_real_hash_with_todays_parameters() {
        // Its password matches, so verifying against it runs Argon2id to the end.
        assert!(verify("tidak-ada-akun-ini", DUMMY_HASH));
        let fresh = hash("x").expect("hash");
        let parameters = |phc: &str| phc.rsplitn(3, '$').nth(2).map(str::to_owned);
        assert_eq!(parameters(DUMMY_HASH), parameters(&fresh));
        assert_eq!(
            parameters(&fresh).as_deref(),
            Some("$argon2id$v=19$m=19456,t=2,p=1")
        );
    }

    #[test]
    fn generated_passwords_are_long_readable_and_different() {
        let a = generate();
        assert_eq!(a.len(), 19, "{a}");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
        assert_ne!(a, generate());
    }
}
