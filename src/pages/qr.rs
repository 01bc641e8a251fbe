//! The rotating QR: a Claim 169 credential from the bundle's batch for the current window,
//! with a countdown; the holder picks the profile and, for institutions with the key, the
//! encrypted variant. When the batch runs out the app says it needs a connection.

use std::time::Duration;

use ikd_core::offline_bundle::{OfflineBundle, QrWindow};
use leptos::prelude::*;

use crate::browser::{local_time, now_secs};
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Full,
    Basic,
    Age,
}

fn text_of(window: &QrWindow, choice: Choice, encrypted: bool) -> &str {
    match (choice, encrypted) {
        (Choice::Full, true) => &window.full_encrypted,
        (Choice::Full, false) => &window.full,
        (Choice::Basic, _) => &window.basic,
        (Choice::Age, _) => &window.age,
    }
}

/// "14:23" for 863 seconds: minutes and seconds, as a countdown reads.
fn minutes_seconds(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[component]
pub fn QrPage() -> impl IntoView {
    crate::browser::keep_screen_on();
    view! {
        <Page title_id="QR KTP Digital" title_en="Digital KTP QR" back="/" class="qr-page">
            <WithBundle view=|bundle| view! { <RotatingQr bundle /> } />
        </Page>
    }
}

#[component]
fn RotatingQr(bundle: OfflineBundle) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(now_secs());
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(now_secs()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let choice = RwSignal::new(Choice::Full);
    let encrypted = RwSignal::new(false);
    let valid_until = bundle.valid_until;
    let bundle = StoredValue::new(bundle);
    let current = move || bundle.with_value(|b| b.qr_at(now.get()).cloned());
    let text = Memo::new(move |_| {
        current().map(|w| text_of(&w, choice.get(), encrypted.get()).to_owned())
    });
    let svg = Memo::new(move |_| text.get().and_then(|t| crate::qr_svg::svg(&t)));
    let seconds_left = move || current().map(|w| w.expires_at - now.get()).unwrap_or(0);
    // Only the full profile has an encrypted variant: any other choice unticks it, so it is
    // never on unseen when the person comes back to "Lengkap".
    let choose = move |c: Choice| {
        move |_| {
            choice.set(c);
            if c != Choice::Full {
                encrypted.set(false);
            }
        }
    };
    view! {
        <div class="segmented" role="group" aria-label=move || i18n.t("Isi QR", "QR contents")>
            <button aria-pressed=move || (choice.get() == Choice::Full).to_string() on:click=choose(Choice::Full)>{move || i18n.t("Lengkap", "Full")}</button>
            <button aria-pressed=move || (choice.get() == Choice::Basic).to_string() on:click=choose(Choice::Basic)>{move || i18n.t("Dasar", "Basic")}</button>
            <button aria-pressed=move || (choice.get() == Choice::Age).to_string() on:click=choose(Choice::Age)>"17+"</button>
        </div>
        <label class="check" class:disabled=move || choice.get() != Choice::Full>
            <input type="checkbox" data-testid="qr-encrypted"
                prop:checked=move || encrypted.get() && choice.get() == Choice::Full
                disabled=move || choice.get() != Choice::Full
                on:change=move |ev| encrypted.set(event_target_checked(&ev)) />
            {move || if choice.get() == Choice::Full {
                i18n.t("Terenkripsi (untuk instansi berwenang)", "Encrypted (for authorised institutions)")
            } else {
                i18n.t("Terenkripsi (hanya untuk isi Lengkap)", "Encrypted (only for the full contents)")
            }}
        </label>
        {move || match svg.get() {
            Some(svg) => view! {
                <figure class="qr-figure" data-testid="qr" data-qr-text=move || text.get().unwrap_or_default()>
                    <div class="qr-code" role="img" aria-label=move || i18n.t("QR KTP digital", "Digital KTP QR") inner_html=svg></div>
                    <figcaption>
                        <span data-testid="qr-countdown">
                            <span aria-hidden="true">{move || i18n.pick(
                                format!("Berganti dalam {}", minutes_seconds(seconds_left())),
                                format!("Changes in {}", minutes_seconds(seconds_left())),
                            )}</span>
                            // Read out as words: "14:23" means little to a screen reader.
                            <span class="visually-hidden">{move || {
                                let left = seconds_left().max(0);
                                i18n.pick(
                                    format!("Berganti dalam {} menit {} detik", left / 60, left % 60),
                                    format!("Changes in {} minutes {} seconds", left / 60, left % 60),
                                )
                            }}</span>
                        </span>
                    </figcaption>
                </figure>
            }.into_any(),
            None => view! {
                <section class="card warning" role="alert">
                    <p>{move || i18n.pick(
                        format!("QR luring habis sejak {}. Hubungkan ke internet dan buka aplikasi untuk QR baru.", local_time(valid_until)),
                        format!("The offline QRs ran out at {}. Connect to the internet and open the app for new ones.", local_time(valid_until)),
                    )}</p>
                </section>
            }.into_any(),
        }}
        <p class="muted">{move || i18n.pick(
            format!("QR luring tersedia sampai {}; sebelum itu, buka aplikasi sekali saat online.", local_time(valid_until)),
            format!("Offline QRs last until {}; open the app online once before then.", local_time(valid_until)),
        )}</p>
    }
}
