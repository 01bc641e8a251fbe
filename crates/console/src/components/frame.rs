//! The frame of every signed-in screen: the header with the officer, the navigation and the
//! way out; the page title; and the footer that says the data is synthetic.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::i18n::{I18n, LangSwitch, use_i18n};
use crate::state::{BASE, href, use_session};

/// Whether the nav item for `path` is the current page (`/kegiatan` also covers a drive).
pub fn is_current(pathname: &str, path: &str) -> bool {
    let local = pathname.strip_prefix(BASE).unwrap_or(pathname);
    let local = if local.is_empty() { "/" } else { local };
    if path == "/" {
        local == "/"
    } else {
        local == path || local.starts_with(&format!("{path}/"))
    }
}

#[component]
pub fn Frame(
    #[prop(into)] title: Signal<String>,
    /// Extra class on `<main>`, e.g. a page's layout.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| crate::browser::set_title(&title.get()));

    let link = move |path: &'static str, id: &'static str, en: &'static str| {
        let current = move || is_current(&location.pathname.get(), path).then_some("page");
        view! { <li><a href=href(path) aria-current=current>{move || i18n.t(id, en)}</a></li> }
    };
    let log_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::log_out().await;
            session.officer.set(None);
            navigate("/", Default::default());
        });
    };
    let officer = move || session.officer.get();

    view! {
        <a class="skip" href="#main">{move || i18n.t("Langsung ke isi", "Skip to content")}</a>
        <header class="topbar">
            <a class="brand" href=href("/")>
                "IKD Petugas"
                <span class="brand-sub">{move || i18n.t("Konsol Dukcapil", "Dukcapil console")}</span>
            </a>
            <nav aria-label=move || i18n.t("Menu utama", "Main menu")>
                <ul>
                    {link("/loket", "Loket", "Desk")}
                    {link("/kegiatan", "Jemput bola", "Drives")}
                    {link("/dasbor", "Dasbor", "Dashboard")}
                    {move || session.manages_staff().then(|| link("/petugas", "Petugas", "Staff"))}
                    {move || session.manages_staff().then(|| link("/jejak", "Jejak audit", "Audit trail"))}
                </ul>
            </nav>
            <p class="who">
                <span class="who-name">{move || officer().map(|o| o.full_name).unwrap_or_default()}</span>
                <span class="who-role">
                    {move || officer().map(|o| role_and_region(&o, i18n)).unwrap_or_default()}
                </span>
            </p>
            <LangSwitch />
            <button type="button" class="logout" on:click=log_out>{move || i18n.t("Keluar", "Log out")}</button>
        </header>
        <main id="main" class=format!("main {class}") tabindex="-1">
            <h1>{move || title.get()}</h1>
            {children()}
        </main>
        <DemoFooter />
    }
}

/// The note every page ends with while the registry is synthetic (its recorded origin).
#[component]
pub fn DemoFooter() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    view! {
        <Show when=move || session.demo_data.get()>
            <footer class="demo-note">
                {move || i18n.t("Data kependudukan sintetis untuk demo", "Synthetic population data for demo")}
            </footer>
        </Show>
    }
}

/// "Petugas · KOTA DEPOK" (the code when the service sent no name).
fn role_and_region(officer: &ikd_core::console_api::OfficerInfo, i18n: I18n) -> String {
    let region = if officer.region_name.is_empty() {
        format!("{} {}", i18n.t("wilayah", "region"), officer.region_code)
    } else {
        officer.region_name.clone()
    };
    format!("{} · {region}", crate::i18n::role_name(i18n, officer.role))
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn nav_items_match_their_pages_and_subpages() {
        assert!(is_current("/petugas/", "/"));
        assert!(is_current("/petugas", "/"));
        assert!(!is_current("/petugas/loket", "/"));
        assert!(is_current("/petugas/loket", "/loket"));
        assert!(is_current("/petugas/kegiatan/4", "/kegiatan"));
        assert!(!is_current("/petugas/kegiatanx", "/kegiatan"));
        assert!(is_current("/petugas/petugas", "/petugas"));
    }
}
