//! The main bundle (`index.html`): everything a citizen with an account uses, offline
//! included. Registration with the password reset, and the verifier, are their own bundles
//! (`super::register`, `super::verifier`), so this first download stays small.

use ikd_core::web_shells::Shell;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use super::frame::{ElsewhereOrNotFound, provide_app_context};
use crate::pages::{
    account::AccountPage, account_close::AccountClosePage, account_export::AccountExportPage,
    activate::ActivatePage, biodata::BiodataPage, consent::ConsentPage, documents::DocumentsPage,
    history::HistoryPage, home::HomePage, kk::KkPage, ktp::KtpPage, login::LoginPage,
    lost_phone::LostPhonePage, pin::SetPinPage, pin::UnlockPage, qr::QrPage,
    settings::SettingsPage,
};

#[component]
pub fn CitizenApp() -> impl IntoView {
    provide_app_context();
    view! {
        <Router>
            <crate::relock::RelockWatch />
            <Routes fallback=|| view! { <ElsewhereOrNotFound own=Shell::Citizen /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/aktivasi") view=ActivatePage />
                <Route path=path!("/masuk") view=LoginPage />
                <Route path=path!("/pin/baru") view=SetPinPage />
                <Route path=path!("/buka") view=UnlockPage />
                <Route path=path!("/siapa") view=crate::pages::who::WhoPage />
                <Route path=path!("/pindah-ponsel") view=crate::pages::move_phone::MovePhonePage />
                <Route path=path!("/ktp") view=KtpPage />
                <Route path=path!("/kk") view=KkPage />
                <Route path=path!("/dokumen") view=DocumentsPage />
                <Route path=path!("/qr") view=QrPage />
                <Route path=path!("/biodata") view=BiodataPage />
                <Route path=path!("/riwayat") view=HistoryPage />
                <Route path=path!("/pengaturan") view=SettingsPage />
                <Route path=path!("/persetujuan") view=ConsentPage />
                <Route path=path!("/akun") view=AccountPage />
                <Route path=path!("/akun/cetak") view=AccountExportPage />
                <Route path=path!("/akun/tutup") view=AccountClosePage />
                <Route path=path!("/ponsel-hilang") view=LostPhonePage />
            </Routes>
        </Router>
    }
}
