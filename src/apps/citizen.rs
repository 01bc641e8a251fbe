//! The main bundle (`index.html`): everything a citizen with an account uses, offline
//! included. Registration with the password reset, and the verifier, are their own bundles
//! (`super::register`, `super::verifier`), so this first download stays small; within it, every
//! page but the welcome is a wasm chunk of its own group (`super::lazy_pages`).

use ikd_core::web_shells::Shell;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, path};

use super::frame::{ElsewhereOrNotFound, provide_app_context};
use super::lazy_pages::{CHUNKS, CardPage, CarePage, EntryPage, page_or_unavailable};
use crate::pages::home::HomePage;

/// One route type per page whose view comes from its group's chunk.
macro_rules! lazy_routes {
    ($($route:ident => $group:ident($page:expr);)*) => {$(
        #[derive(Debug)]
        struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            async fn view(_: Self) -> AnyView {
                page_or_unavailable((CHUNKS.get().$group)($page)).await
            }
        }
    )*};
}

lazy_routes! {
    ActivateRoute => entry(EntryPage::Activate);
    LoginRoute => entry(EntryPage::Login);
    SetPinRoute => entry(EntryPage::SetPin);
    UnlockRoute => entry(EntryPage::Unlock);
    WhoRoute => entry(EntryPage::Who);
    KtpRoute => card(CardPage::Ktp);
    KkRoute => card(CardPage::Kk);
    DocumentsRoute => card(CardPage::Documents);
    QrRoute => card(CardPage::Qr);
    BiodataRoute => card(CardPage::Biodata);
    HistoryRoute => card(CardPage::History);
    ConsentRoute => card(CardPage::Consent);
    SettingsRoute => care(CarePage::Settings);
    AccountRoute => care(CarePage::Account);
    AccountExportRoute => care(CarePage::AccountExport);
    AccountCloseRoute => care(CarePage::AccountClose);
    LostPhoneRoute => care(CarePage::LostPhone);
    MovePhoneRoute => care(CarePage::MovePhone);
}

#[component]
pub fn CitizenApp() -> impl IntoView {
    provide_app_context();
    view! {
        <Router>
            <crate::relock::RelockWatch />
            <Routes fallback=|| view! { <ElsewhereOrNotFound own=Shell::Citizen /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/aktivasi") view={Lazy::<ActivateRoute>::new()} />
                <Route path=path!("/masuk") view={Lazy::<LoginRoute>::new()} />
                <Route path=path!("/pin/baru") view={Lazy::<SetPinRoute>::new()} />
                <Route path=path!("/buka") view={Lazy::<UnlockRoute>::new()} />
                <Route path=path!("/siapa") view={Lazy::<WhoRoute>::new()} />
                <Route path=path!("/pindah-ponsel") view={Lazy::<MovePhoneRoute>::new()} />
                <Route path=path!("/ktp") view={Lazy::<KtpRoute>::new()} />
                <Route path=path!("/kk") view={Lazy::<KkRoute>::new()} />
                <Route path=path!("/dokumen") view={Lazy::<DocumentsRoute>::new()} />
                <Route path=path!("/qr") view={Lazy::<QrRoute>::new()} />
                <Route path=path!("/biodata") view={Lazy::<BiodataRoute>::new()} />
                <Route path=path!("/riwayat") view={Lazy::<HistoryRoute>::new()} />
                <Route path=path!("/pengaturan") view={Lazy::<SettingsRoute>::new()} />
                <Route path=path!("/persetujuan") view={Lazy::<ConsentRoute>::new()} />
                <Route path=path!("/akun") view={Lazy::<AccountRoute>::new()} />
                <Route path=path!("/akun/cetak") view={Lazy::<AccountExportRoute>::new()} />
                <Route path=path!("/akun/tutup") view={Lazy::<AccountCloseRoute>::new()} />
                <Route path=path!("/ponsel-hilang") view={Lazy::<LostPhoneRoute>::new()} />
            </Routes>
        </Router>
    }
}
