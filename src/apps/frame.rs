//! What every bundle's root shares: language and app state as context, the service worker's
//! update signal and the install prompt, and the fallback for addresses it has no page for.

use ikd_core::web_shells::Shell;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::page::Page;
use crate::i18n::{I18n, use_i18n};
use crate::state::AppState;

/// Provides the context every page reads ([`I18n`], [`AppState`]) and starts the listeners
/// of the shell (update ready, install prompt). Call first in a root component.
pub fn provide_app_context() {
    provide_context(I18n::from_storage(crate::i18n::STORAGE_KEY));
    let app = AppState::new();
    provide_context(app);
    crate::service_worker::watch_for_updates(app.update_ready);
    // Online account routes act only for the person whose copy is open.
    Effect::new(move || {
        crate::api::set_open_person(
            app.bundle
                .with(|b| b.as_ref().map(|b| b.ktp.nik.clone()))
                .filter(|_| app.pending.with_value(Option::is_none)),
        )
    });
    crate::components::install::listen(app);
    // These listeners live as long as the page.
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        app.online.set(true)
    }));
    std::mem::forget(window_event_listener(leptos::ev::offline, move |_| {
        app.online.set(false)
    }));
}

/// The router's fallback in bundle `own`: an address that belongs to another bundle is
/// loaded as a new page (from the service worker's cache when offline); anything else is a
/// plain "page not found".
#[component]
pub fn ElsewhereOrNotFound(own: Shell) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let target = Shell::for_path(&path);
    if target != own {
        let address = format!("{path}{}", location.search.get_untracked());
        load_page_once_routed(path, address, 0);
        return view! { <p class="muted" aria-live="polite">{move || i18n.t("Memuat…", "Loading…")}</p> }
            .into_any();
    }
    view! { <NotFound /> }.into_any()
}

/// Loads `address` as a new page in place of the current history entry, once the router has
/// put `path` in the address bar. The router pushes its history entry only after rendering
/// this fallback; replacing before that would replace the page the person came from, and
/// Back would have nowhere to go.
fn load_page_once_routed(path: String, address: String, attempt: u32) {
    set_timeout(
        move || {
            let Some(window) = web_sys::window() else {
                return;
            };
            let routed = window.location().pathname().is_ok_and(|now| now == path);
            if routed || attempt >= 20 {
                let _ = window.location().replace(&address);
            } else {
                load_page_once_routed(path, address, attempt + 1);
            }
        },
        std::time::Duration::from_millis(if attempt == 0 { 0 } else { 10 }),
    );
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_id="Halaman tidak ditemukan" title_en="Page not found" back="/">
            <a class="button primary" href="/">{move || i18n.t("Ke beranda", "Go home")}</a>
        </Page>
    }
}
