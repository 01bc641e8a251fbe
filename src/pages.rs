//! One module per screen, in the order of the citizen's journey.

pub mod account;
pub mod account_close;
pub mod account_export;
pub mod activate;
pub mod biodata;
pub mod consent;
pub mod documents;
pub mod history;
pub mod home;
pub mod kk;
pub mod ktp;
pub mod login;
pub mod lost_phone;
pub mod move_phone;
pub mod pin;
pub mod qr;
pub mod register;
pub mod reset;
pub mod settings;
pub mod verify;
pub mod who;
