//! What a card screen shows while the app is locked or has no copy yet.

use ikd_core::offline_bundle::OfflineBundle;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::state::use_app;

/// Renders `view` with the unlocked bundle, or a way to unlock.
#[component]
pub fn WithBundle<V, F>(view: F) -> impl IntoView
where
    F: Fn(OfflineBundle) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let app = use_app();
    move || {
        match app.bundle.get() {
        Some(bundle) => view(bundle).into_any(),
        None => view! {
            <section class="card" data-testid="locked">
                <p>{move || i18n.t("KTP digital terkunci.", "The digital KTP is locked.")}</p>
                <a class="button primary" href="/buka">{move || i18n.t("Buka dengan PIN", "Unlock with PIN")}</a>
                <a class="button secondary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
            </section>
        }
        .into_any(),
    }
    }
}
