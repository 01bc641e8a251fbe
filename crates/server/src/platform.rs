//! What every area stands on: the clock, the database, configuration, secrets the service
//! makes for itself, tokens and password hashing, rate limits, the captcha, mail, refusals,
//! CSV output, the bounds on work and the metrics per process. Nothing here imports an area
//! above it.

pub mod captcha;
pub mod citizen_passwords;
pub mod clock;
pub mod config;
pub mod csv_out;
pub mod db;
pub mod key_encryption;
pub mod key_encryption_source;
pub mod login_guard;
pub mod mail_queue;
pub mod mailer;
pub mod metrics;
pub mod password;
pub mod rate_limit;
pub mod refusal;
pub mod secrets;
pub mod sqlite_backup;
pub mod storage_args;
pub mod tokens;
pub mod totp;
pub mod webauthn;
pub mod work_limits;
