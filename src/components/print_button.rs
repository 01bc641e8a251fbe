//! "Cetak" under the KTP and the KK: the browser's print dialog, where print CSS lays the card
//! out on A4 (with the demo marking on synthetic data).

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button class="secondary no-print" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>
            {move || i18n.t("Cetak", "Print")}
        </button>
    }
}
