//! The verifier bundle (`verifikasi.html`): the Claim 169 decoder (CBOR, COSE, zlib, Base45,
//! ES256 and EdDSA) and the QR reader, for checking someone else's QR offline.

use ikd_core::web_shells::Shell;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use super::frame::{ElsewhereOrNotFound, provide_app_context};
use crate::pages::verify::VerifyPage;

#[component]
pub fn VerifierApp() -> impl IntoView {
    provide_app_context();
    view! {
        <Router>
            <Routes fallback=|| view! { <ElsewhereOrNotFound own=Shell::Verifier /> }>
                <Route path=path!("/verifikasi") view=VerifyPage />
            </Routes>
        </Router>
    }
}
