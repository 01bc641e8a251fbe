//! Reusable pieces of UI.

pub mod health_status;
