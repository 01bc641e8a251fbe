//! The bundle for someone without an account on this phone (`daftar.html`): registration,
//! with the camera, the desk-QR reader (`rqrr`) and the captcha solver, and the password
//! reset. Activation stays in the main bundle: it logs in and hands the fetched bundle to the
//! PIN screen in memory.

use ikd_core::web_shells::Shell;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use super::frame::{ElsewhereOrNotFound, provide_app_context};
use crate::pages::{register::RegisterPage, reset::ResetPage};

#[component]
pub fn RegisterApp() -> impl IntoView {
    provide_app_context();
    view! {
        <Router>
            <Routes fallback=|| view! { <ElsewhereOrNotFound own=Shell::Register /> }>
                <Route path=path!("/daftar") view=RegisterPage />
                <Route path=path!("/lupa-sandi") view=ResetPage />
            </Routes>
        </Router>
    }
}
