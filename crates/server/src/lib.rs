//! The IKD issuing service: registration, activation and credentials over HTTP, plus the
//! `ikd` command-line tool. All state lives in the database (SQLite or PostgreSQL), never in
//! process memory, so replicas can run side by side.

pub mod cli;
pub mod http;
pub mod journey;
pub mod officer;
pub mod platform;
pub mod registry;
pub mod serve;
pub mod trust;

pub use http::{AppState, app, metrics_app};
