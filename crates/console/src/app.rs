//! The root component: the session and the clock as context, the login form whenever there
//! is no session (on any route, also after a 401), and the routes under `/petugas`.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api;
use crate::components::frame::Frame;
use crate::pages::{
    audit::AuditPage, dashboard::DashboardPage, desk::DeskPage, drive::DrivePage,
    drives::DrivesPage, home::HomePage, login::LoginPage, projector::ProjectorPage,
    staff::StaffPage,
};
use crate::state::{BASE, Clock, Session};

#[component]
pub fn App() -> impl IntoView {
    let i18n = crate::i18n::I18n::from_storage(crate::i18n::STORAGE_KEY);
    provide_context(i18n);
    let session = Session::new();
    provide_context(session);
    provide_context(Clock::start());
    api::on_signed_out(move || session.officer.set(None));
    let unreachable = RwSignal::new(None::<api::ApiProblem>);
    leptos::task::spawn_local(async move {
        match api::session().await {
            Ok(officer) => session.officer.set(Some(officer)),
            Err(problem @ api::ApiProblem::Unreachable) => unreachable.set(Some(problem)),
            Err(_) => {}
        }
        session.checked.set(true);
    });
    leptos::task::spawn_local(async move {
        if let Ok(report) = api::health().await {
            session.demo_data.set(report.demo_data);
        }
    });
    let signed_in = Memo::new(move |_| session.officer.with(Option::is_some));

    view! {
        <Router base=BASE>
            {move || {
                if !session.checked.get() {
                    view! { <p class="booting" role="status">{move || i18n.t("Memuat konsol…", "Loading the console…")}</p> }.into_any()
                } else if !signed_in.get() {
                    view! { <LoginPage problem=unreachable.get_untracked() /> }.into_any()
                } else {
                    view! {
                        <Routes fallback=|| view! { <NotFound /> }>
                            <Route path=path!("/") view=HomePage />
                            <Route path=path!("/loket") view=DeskPage />
                            <Route path=path!("/kegiatan") view=DrivesPage />
                            <Route path=path!("/kegiatan/:id") view=DrivePage />
                            <Route path=path!("/kegiatan/:id/layar") view=ProjectorPage />
                            <Route path=path!("/dasbor") view=DashboardPage />
                            <Route path=path!("/petugas") view=StaffPage />
                            <Route path=path!("/jejak") view=AuditPage />
                        </Routes>
                    }
                    .into_any()
                }
            }}
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! {
        <Frame title=i18n.title("Halaman tidak ditemukan", "Page not found")>
            <p>{move || i18n.t("Alamat ini tidak ada di konsol petugas.", "This address does not exist in the officer console.")}</p>
            <a class="button" href=crate::state::href("/")>{move || i18n.t("Ke beranda", "To the home page")}</a>
        </Frame>
    }
}
