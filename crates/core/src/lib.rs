//! Shared logic of IKD Web: the types and rules that the citizen PWA (wasm) and the issuing
//! service (native) must agree on. This crate does no IO, so it compiles for both targets and
//! every rule in it can be unit-tested without a browser or a database.

pub mod api_error;
pub mod health;
pub mod key_id;

pub use api_error::ApiErrorBody;
pub use health::{DatabaseKind, HealthReport};
pub use key_id::KeyId;
