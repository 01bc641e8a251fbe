//! The issuer's keys and what verifiers trust: the ES256 key ring with rotation, key files,
//! and the signed revocation list. Stands on `platform` only.

pub mod issuer_keyring;
pub mod issuer_keys;
pub mod revocations;
