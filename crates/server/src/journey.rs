//! The citizen's journey, one module per step: desks, registration, the officer's review,
//! activation, login and password reset, the one active device, sessions, the signed offline
//! bundle, online verification by institutions, consent to institutions, the citizen's care of their account (email, phone, sessions,
//! a lost phone, a copy and closing), the activity log,
//! and the mail worker that sends what these steps queue. Stands on every area below it.

pub mod account_care;
pub mod account_closing;
pub mod account_export;
pub mod activation;
pub mod activity_log;
pub mod bundle;
pub mod consent;
pub mod desks;
pub mod device_move;
pub mod devices;
pub mod institutions;
pub mod locks;
pub mod login;
pub mod lost_phone;
pub mod mail_worker;
pub mod officer_day;
pub mod officer_login;
pub mod password_reset;
pub mod registration;
pub mod review;
pub mod sessions;
