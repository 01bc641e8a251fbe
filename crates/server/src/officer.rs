//! Who the officers are and what they see: officer accounts and sessions, staff management,
//! registration drives with their rosters, the adoption counts and the regional dashboard.
//! Stands on `platform` and `registry`.

pub mod adoption;
pub mod audit;
pub mod dashboard;
pub mod drives;
pub mod officers;
pub mod second_factor;
pub mod staff;
