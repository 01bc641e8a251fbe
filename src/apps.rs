//! The citizen app's three bundles, one root component each (see `ikd_core::web_shells`):
//! each binary in `src/bin/` mounts one of them, so a bundle carries only the pages it routes
//! to. Links between bundles work like any link: the router finds no route, and
//! [`frame::ElsewhereOrNotFound`] loads the other bundle's page.

pub mod citizen;
pub mod frame;
pub mod lazy_pages;
pub mod register;
pub mod verifier;
