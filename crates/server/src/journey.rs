//! The citizen's journey, one module per step: desks, registration, the officer's review,
//! activation, login and password reset, the one active device, sessions, the signed offline
//! bundle, online verification by institutions, consent to institutions, the activity log,
//! and the mail worker that sends what these steps queue. Stands on every area below it.

pub mod activation;
pub mod activity_log;
pub mod bundle;
pub mod consent;
pub mod desks;
pub mod devices;
pub mod institutions;
pub mod locks;
pub mod login;
pub mod mail_worker;
pub mod officer_day;
pub mod officer_login;
pub mod password_reset;
pub mod registration;
pub mod review;
pub mod sessions;
