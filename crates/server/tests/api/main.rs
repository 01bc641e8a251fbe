//! Router tests: the whole service driven through `tower::ServiceExt::oneshot`, on the
//! back-end the environment names (SQLite by default; `cargo xtask test` runs this suite a
//! second time on a throwaway PostgreSQL cluster).

mod account_care;
mod accounts;
mod activation_strangers;
mod audit;
mod bounded_bundles;
mod bounded_work;
mod captcha;
mod consent;
mod console;
mod demo_office;
mod desks;
mod device_move;
mod fixtures;
mod full_disk;
mod hardening;
mod health;
mod holder_binding;
mod independent_decode;
mod journey;
mod keys_at_rest;
mod lockout;
mod metrics;
mod officers;
mod one_account;
mod openapi;
mod password_reset;
mod photos;
mod qr_sizes;
mod registration_refusals;
mod registry;
mod scope;
mod second_factor;
mod smtp;
mod strangers;
mod support;
mod trust;
mod web_assets;
