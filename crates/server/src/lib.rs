//! The IKD issuing service: registration, activation and credentials over HTTP, plus the
//! `ikd` command-line tool. All state lives in the database (SQLite or PostgreSQL), never in
//! process memory, so replicas can run side by side.

pub mod activation;
pub mod activity_log;
pub mod adoption;
pub mod bundle;
pub mod captcha;
pub mod citizen_passwords;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csv_out;
pub mod dashboard;
pub mod db;
pub mod desks;
pub mod devices;
pub mod drives;
pub mod http;
pub mod institutions;
pub mod issuer_keyring;
pub mod issuer_keys;
pub mod login;
pub mod mailer;
pub mod officers;
pub mod password;
pub mod rate_limit;
pub mod refusal;
pub mod registration;
pub mod registry;
pub mod review;
pub mod revocations;
pub mod secrets;
pub mod serve;
pub mod sessions;
pub mod staff;
pub mod storage_args;
pub mod tokens;

pub use http::{AppState, app};
