//! Installing to the home screen: a button where the browser offers `beforeinstallprompt`
//! (Chrome, Edge, Samsung Internet), and written steps for iOS Safari, which has no prompt.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::i18n::use_i18n;
use crate::state::{AppState, use_app};

/// Keeps the browser's install prompt for the button (called once at start).
pub fn listen(app: AppState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        app.install_prompt.set_value(Some(event.into()));
        app.can_install.set(true);
    });
    let _ = window
        .add_event_listener_with_callback("beforeinstallprompt", handler.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    handler.forget();
}

fn is_ios_browser_tab() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let agent = window.navigator().user_agent().unwrap_or_default();
    let ios = agent.contains("iPhone") || agent.contains("iPad");
    let standalone = js_sys::Reflect::get(&window.navigator(), &"standalone".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    ios && !standalone
}

#[component]
pub fn InstallHelp() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let install = move |_| {
        if let Some(prompt) = app.install_prompt.get_value()
            && let Ok(show) = js_sys::Reflect::get(&prompt, &"prompt".into())
            && let Ok(show) = show.dyn_into::<js_sys::Function>()
        {
            let _ = show.call0(&prompt);
            app.can_install.set(false);
        }
    };
    view! {
        <Show when=move || app.can_install.get()>
            <button class="secondary install" on:click=install>
                {move || i18n.t("Pasang di layar utama", "Install on the home screen")}
            </button>
        </Show>
        <Show when=is_ios_browser_tab>
            <p class="card hint">{move || i18n.t(
                "iPhone/iPad: ketuk tombol Bagikan (kotak dengan panah), lalu \"Tambah ke Layar Utama\".",
                "iPhone/iPad: tap the Share button (square with an arrow), then \"Add to Home Screen\".",
            )}</p>
        </Show>
    }
}
