//! Router tests: the whole service driven through `tower::ServiceExt::oneshot`, on the
//! back-end the environment names (SQLite by default; `cargo xtask test` runs this suite a
//! second time on a throwaway PostgreSQL cluster).

mod accounts;
mod captcha;
mod fixtures;
mod journey;
mod registration_refusals;
mod health;
mod officers;
mod registry;
mod support;
mod web_assets;
