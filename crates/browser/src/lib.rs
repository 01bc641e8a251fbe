//! The browser side of talking to the IKD service, shared by the citizen PWA (`ikd-web`) and
//! the officer console (`ikd-console`): one [`ApiProblem`] for every failure, one typed fetch
//! ([`get`], [`send`], [`fetch_text`]), the clock (also the service's, from the `Date` header),
//! the proof-of-work captcha solver ([`solved_captcha`]), the markup that shows a problem
//! ([`problem_text`]) and the language switch both apps remember ([`i18n`]).
//!
//! [`problem`] and the decisions inside [`fetch`] and [`clock`] are pure and tested natively
//! (`cargo test -p ikd-browser`); the rest runs in the browser. Each app keeps only its own
//! route functions (`api.rs`) built on this crate.

pub mod captcha;
pub mod clock;
pub mod fetch;
pub mod i18n;
pub mod problem;
pub mod view;

pub use captcha::solved_captcha;
pub use fetch::{fetch_text, get, on_signed_out, read_json, send};
pub use problem::ApiProblem;
pub use view::problem_text;
