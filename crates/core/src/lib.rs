//! Shared logic of IKD Web: the types and rules that the citizen PWA (wasm) and the issuing
//! service (native) must agree on. This crate does no IO, so it compiles for both targets and
//! every rule in it can be unit-tested without a browser or a database.

pub mod account_api;
pub mod activity;
pub mod api_error;
pub mod audit;
pub mod captcha;
pub mod citizen_api;
pub mod citizen_password;
pub mod civil_status;
pub mod claim169;
pub mod consent_api;
pub mod console_api;
pub mod contact;
pub mod crockford;
pub mod date;
pub mod health;
pub mod hex;
pub mod key_id;
pub mod kk;
pub mod ktp;
pub mod nik;
pub mod nip;
pub mod officer;
pub mod offline_bundle;
pub mod qr_verdict;
pub mod region;
pub mod registration_status;
pub mod registry_origin;
pub mod second_factor_api;
pub mod selfie_quality;
pub mod signed;
pub mod trust_documents;
pub mod vault;
pub mod web_shells;

pub use api_error::ApiErrorBody;
pub use health::{DatabaseKind, HealthReport};
pub use key_id::KeyId;

pub use date::Date;
pub use kk::{KkError, KkInfo, format_kk, parse_kk};
pub use nik::{NikError, NikInfo, Sex, format_nik, parse_nik};
pub use nip::{NipError, NipInfo, format_nip, parse_nip};
