//! The citizen's journey, one module per step: desks, registration, the officer's review,
//! activation, login, the one active device, sessions, the signed offline bundle, online
//! verification by institutions and the activity log. Stands on every area below it.

pub mod activation;
pub mod activity_log;
pub mod bundle;
pub mod desks;
pub mod devices;
pub mod institutions;
pub mod login;
pub mod registration;
pub mod review;
pub mod sessions;
