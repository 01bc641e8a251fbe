//! The IKD issuing service: registration, activation and credentials over HTTP, plus the
//! `ikd` command-line tool. All state lives in the database (SQLite or PostgreSQL), never in
//! process memory, so replicas can run side by side.

pub mod captcha;
pub mod cli;
pub mod clock;
pub mod db;
pub mod http;
pub mod issuer_keys;
pub mod officers;
pub mod password;
pub mod registry;
pub mod secrets;
pub mod serve;
pub mod storage_args;

pub use http::{AppState, app};
