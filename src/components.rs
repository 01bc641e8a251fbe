//! Reusable pieces of the UI.

pub mod camera_view;
pub mod captcha_progress;
pub mod chunk_unavailable;
pub mod consent_card;
pub mod health_status;
pub mod install;
pub mod later;
pub mod locked;
pub mod page;
pub mod print_button;
pub mod problem;
