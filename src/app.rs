//! The root component: language and app state as context, and the routes, one per screen.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{I18n, use_i18n};
use crate::pages::{
    activate::ActivatePage, biodata::BiodataPage, documents::DocumentsPage, history::HistoryPage,
    home::HomePage, kk::KkPage, ktp::KtpPage, login::LoginPage, pin::SetPinPage, pin::UnlockPage,
    qr::QrPage, register::RegisterPage, reset::ResetPage, settings::SettingsPage,
    verify::VerifyPage,
};
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::from_storage();
    provide_context(i18n);
    let app = AppState::new();
    provide_context(app);
    crate::service_worker::watch_for_updates(app.update_ready);
    crate::components::install::listen(app);
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/daftar") view=RegisterPage />
                <Route path=path!("/aktivasi") view=ActivatePage />
                <Route path=path!("/masuk") view=LoginPage />
                <Route path=path!("/lupa-sandi") view=ResetPage />
                <Route path=path!("/pin/baru") view=SetPinPage />
                <Route path=path!("/buka") view=UnlockPage />
                <Route path=path!("/ktp") view=KtpPage />
                <Route path=path!("/kk") view=KkPage />
                <Route path=path!("/dokumen") view=DocumentsPage />
                <Route path=path!("/qr") view=QrPage />
                <Route path=path!("/biodata") view=BiodataPage />
                <Route path=path!("/riwayat") view=HistoryPage />
                <Route path=path!("/pengaturan") view=SettingsPage />
                <Route path=path!("/verifikasi") view=VerifyPage />
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <crate::components::page::Page title_id="Halaman tidak ditemukan" title_en="Page not found" back="/">
            <a class="button primary" href="/">{move || i18n.t("Ke beranda", "Go home")}</a>
        </crate::components::page::Page>
    }
}
