//! Beranda. Unlocked: the menu in the official app's order. Locked with a copy on the phone:
//! the PIN screen. Nothing yet: register, activate, log in, or verify someone else's QR.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::apps::lazy_pages::{CHUNKS, CardPage, page_or_unavailable};
use crate::components::health_status::HealthStatus;
use crate::components::later::Later;
use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::pending_registration::PendingRegistration;
use crate::state::{AppState, use_app};
use ikd_core::registration_status::RegistrationStatus;

/// The menu's icons: small monochrome SVG in the text colour, so every phone draws them the
/// same (emoji need a font many systems lack, and differ in size where they exist).
macro_rules! icon {
    ($($shape:literal),+) => {
        concat!(
            r#"<svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" focusable="false">"#,
            $($shape),+,
            "</svg>"
        )
    };
}

const MENU: [(&str, &str, &str, &str); 8] = [
    (
        "/ktp",
        "KTP",
        "KTP",
        icon!(
            r#"<rect x="2" y="5" width="20" height="14" rx="2"/><circle cx="8" cy="11.5" r="2.5"/><path d="M4.5 17c.6-1.6 2-2.5 3.5-2.5s2.9.9 3.5 2.5M14 10h5M14 14h3.5"/>"#
        ),
    ),
    (
        "/kk",
        "KK",
        "Family card",
        icon!(
            r#"<circle cx="8" cy="7" r="3"/><circle cx="17" cy="9" r="2.5"/><path d="M2.5 20c0-3.4 2.5-6 5.5-6s5.5 2.6 5.5 6M14.5 20c0-2.8 1.2-5 2.5-5s3.5 1.6 3.5 5"/>"#
        ),
    ),
    (
        "/dokumen",
        "Dokumen",
        "Documents",
        icon!(r#"<path d="M6 2.5h8l5 5V21.5H6z"/><path d="M14 2.5v5h5M9 13h7M9 17h7"/>"#),
    ),
    (
        "/qr",
        "QR",
        "QR",
        icon!(
            r#"<path d="M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3zM14 14h3v3h-3zM18 18h3v3h-3zM20 14h1M14 20h1"/>"#
        ),
    ),
    (
        "/biodata",
        "Biodata",
        "Personal data",
        icon!(r#"<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>"#),
    ),
    (
        "/riwayat",
        "Riwayat aktivitas",
        "Activity history",
        icon!(r#"<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2.5"/>"#),
    ),
    (
        "/persetujuan",
        "Persetujuan",
        "Consents",
        icon!(
            r#"<path d="M12 2.5 4 5.5v6c0 4.8 3.4 8.6 8 10 4.6-1.4 8-5.2 8-10v-6z"/><path d="m8.5 12 2.5 2.5 4.5-5"/>"#
        ),
    ),
    (
        "/pengaturan",
        "Pengaturan",
        "Settings",
        icon!(
            r#"<circle cx="12" cy="12" r="3"/><circle cx="12" cy="12" r="7"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1"/>"#
        ),
    ),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let app = use_app();
    // An institution's link or QR (`/?persetujuan=<CODE>`): kept until the menu shows it.
    crate::pages::consent::remember_link_code();
    view! {
        <Show when=move || app.bundle.get().is_some() fallback=|| view! { <Welcome /> }>
            // The menu is in the card's chunk: a first visit (the welcome) never loads it.
            {Suspend::new(async { page_or_unavailable((CHUNKS.get().card)(CardPage::Menu)).await })}
        </Show>
    }
}

/// What the resumed activation asks next.
#[derive(Debug)]
pub enum Resumed {
    NeedsPin,
    Stored,
    Failed,
}

/// Fetches the copy again after an activation or login that ended before its PIN. In a wasm
/// chunk of its own with the sync it needs (`crate::apps::lazy_pages`): the welcome of a first
/// visit never runs it.
pub async fn resume_fetch(app: AppState) -> Resumed {
    let Ok(profile) = app.login_profile() else {
        return Resumed::Failed;
    };
    match crate::sync::fetch_bundle(app, profile).await {
        Ok(crate::sync::SyncOutcome::NeedsPin) => Resumed::NeedsPin,
        Ok(crate::sync::SyncOutcome::Stored) => Resumed::Stored,
        Err(_) => Resumed::Failed,
    }
}

/// Unlocked: the menu in the official app's order (`crate::apps::lazy_pages::CardPage::Menu`).
#[component]
pub fn Menu() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let name = move || {
        app.bundle
            .get()
            .map(|b| b.ktp.full_name)
            .unwrap_or_default()
    };
    view! {
        <Page title_id="IKD — KTP Digital" title_en="IKD — Digital KTP">
            <p class="greeting">{move || i18n.t("Halo, ", "Hello, ")}<strong>{name}</strong></p>
            <Show when=move || app.old_phone_revoked.get()>
                <p class="card" role="status" data-testid="old-phone-revoked">{move || i18n.t(
                    "Ponsel lama sudah dicabut: KTP digital dan QR di sana tidak berlaku lagi. KTP digital Anda kini di ponsel ini.",
                    "Your old phone has been revoked: the digital KTP and QRs there are no longer valid. Your digital KTP is now on this phone.",
                )}</p>
            </Show>
            <Show when=move || app.session_ended.get()>
                <section class="card warning" role="alert" data-testid="session-ended">
                    <p>{move || i18n.t(
                        "Sesi online perangkat ini telah berakhir. Jika akun Anda sudah dipakai di ponsel lain, KTP digital dan QR di perangkat ini telah dicabut dan tidak berlaku lagi: hapus orang ini dari perangkat ini di Pengaturan. Jika tidak, masuk lagi untuk memperbaruinya.",
                        "This device's online session has ended. If your account is now used on another phone, the digital KTP and QRs on this device have been revoked and are no longer valid: remove this person from this device in Settings. If not, log in again to renew it.",
                    )}</p>
                    <a class="button primary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                    <a class="button secondary" href="/pengaturan">{move || i18n.t("Pengaturan", "Settings")}</a>
                </section>
            </Show>
            <nav aria-label=move || i18n.t("Menu utama", "Main menu")>
                <ul class="menu">
                    {MENU.iter().map(|(href, id, en, icon)| view! {
                        <li><a class="menu-item" href=*href>
                            <span class="menu-icon" aria-hidden="true" inner_html=*icon></span>
                            <span>{move || i18n.t(id, en)}</span>
                        </a></li>
                    }).collect_view()}
                </ul>
            </nav>
            <crate::pages::consent::WaitingConsents />
            <a class="button secondary" href="/verifikasi">{move || i18n.t("Verifikasi QR orang lain", "Verify someone's QR")}</a>
        </Page>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let app = use_app();
    let resuming = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        // Sealed copies on this phone: one person goes straight to their PIN, several are
        // asked who is using the phone.
        let people = crate::vault_store::profiles().await;
        if !people.is_empty() {
            if app.bundle.get_untracked().is_none() {
                match people.as_slice() {
                    [only] => {
                        app.profile.set_value(Some(only.id.clone()));
                        navigate("/buka", Default::default());
                    }
                    _ => navigate("/siapa", Default::default()),
                }
            }
            return;
        }
        // No sealed copy but a valid session: activation or login ended before a PIN was
        // set (the app was closed on "Buat PIN"). Fetch the copy again and ask for the PIN,
        // as a login does. The navigation comes first, in this same task, before the screen
        // reacts to the fetched copy.
        if crate::sync::may_resume() && crate::browser::is_online() && api::session().await.is_ok()
        {
            resuming.try_set(true);
            match (CHUNKS.get().resume)(app).await {
                Ok(Resumed::NeedsPin) => navigate("/pin/baru", Default::default()),
                Ok(Resumed::Stored) => {}
                Ok(Resumed::Failed) | Err(_) => {
                    resuming.try_set(false);
                }
            }
        }
    });
    view! {
        <Page title_id="IKD Web" title_en="IKD Web" class="home">
            <header class="brand">
                <img class="brand-logo" src="/icons/icon.svg" alt="" width="56" height="56" />
                <div>
                    <p class="tagline">{move || i18n.t("Identitas Kependudukan Digital di peramban apa pun, juga tanpa internet", "Digital population identity in any browser, offline too")}</p>
                </div>
            </header>
            {move || app.moved_away.get().map(|(id, en)| view! {
                <section class="card warning" role="alert" data-testid="device-moved">
                    <p>{move || i18n.pick(id.clone(), en.clone())}</p>
                    <p>{move || i18n.t(
                        "Salinannya sudah dihapus dari perangkat ini. Jika bukan Anda yang memindahkannya, masuk lagi dan segera ganti kata sandi.",
                        "Its copy was removed from this device. If you did not move it, log in again and change your password at once.",
                    )}</p>
                </section>
            })}
            <Show when=move || resuming.get()>
                <p class="card" role="status">{move || i18n.t("Melanjutkan ke pembuatan PIN…", "Continuing to the PIN step…")}</p>
            </Show>
            {crate::pages::consent::link_code_waiting().then(|| view! {
                <p class="card warning" role="status" data-testid="consent-link-waiting">{move || i18n.t(
                    "Sebuah instansi meminta izin membaca data Anda. Masuk atau buka dengan PIN untuk melihat dan menjawabnya.",
                    "An institution asks to read your data. Log in or unlock with your PIN to see and answer it.",
                )}</p>
            })}
            {PendingRegistration::load().map(|sent| view! { <SentRegistration sent /> })}
            <nav class="actions" aria-label=move || i18n.t("Mulai", "Start")>
                <a class="button primary" href="/daftar">{move || i18n.t("Daftar di loket Dukcapil", "Register at a Dukcapil desk")}</a>
                <a class="button secondary" href="/aktivasi">{move || i18n.t("Aktivasi dengan kode email", "Activate with the emailed code")}</a>
                <a class="button secondary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                <a class="button secondary" href="/verifikasi">{move || i18n.t("Verifikasi QR (tanpa akun)", "Verify a QR (no account)")}</a>
            </nav>
            <Later>
                <crate::components::install::InstallHelp />
                <ServiceStatus />
                <button class="link lang-switch" on:click=move |_| i18n.set(if i18n.en() { crate::i18n::Lang::Id } else { crate::i18n::Lang::En })>
                    {move || i18n.t("English", "Bahasa Indonesia")}
                </button>
            </Later>
        </Page>
    }
}

/// Whether the service answers: available or not, nothing an operator would read.
#[component]
fn ServiceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let health = LocalResource::new(api::health);
    view! {
        <section class="card status" aria-live="polite" aria-label=move || i18n.t("Status layanan", "Service status")>
            <Suspense fallback=move || view! { <p class="status-line pending">{move || i18n.t("Menghubungi layanan…", "Contacting the service…")}</p> }>
                {move || health.get().map(|result| view! { <HealthStatus result /> })}
            </Suspense>
        </section>
    }
}

/// On the landing page, while this phone waits on a registration it sent: where it stands
/// (the last status seen, then the service's answer when online), and the way to it.
#[component]
fn SentRegistration(sent: PendingRegistration) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(sent.status);
    if crate::browser::is_online() {
        let id = sent.id.clone();
        leptos::task::spawn_local(async move {
            if let Ok(progress) = api::registration_status(&id).await {
                status.try_set(progress.status);
            }
        });
    }
    let words = move || match status.get() {
        RegistrationStatus::Pending => i18n.t(
            "Pendaftaran Anda menunggu pemeriksaan petugas.",
            "Your registration is waiting for the officer's check.",
        ),
        RegistrationStatus::Approved => i18n.t(
            "Pendaftaran Anda disetujui. Cek email untuk kode aktivasi.",
            "Your registration was approved. Check your email for the activation code.",
        ),
        RegistrationStatus::Rejected => i18n.t(
            "Pendaftaran Anda ditolak. Lihat alasannya dan daftar ulang.",
            "Your registration was rejected. See the reason and register again.",
        ),
        RegistrationStatus::Activated => i18n.t(
            "Akun Anda sudah aktif. Silakan masuk.",
            "Your account is active. Please log in.",
        ),
        RegistrationStatus::Superseded => i18n.t(
            "Pendaftaran ini digantikan oleh yang lebih baru.",
            "This registration was replaced by a newer one.",
        ),
    };
    view! {
        <section class="card" role="status" data-testid="landing-registration" data-status=move || status.get().as_str()>
            <p>{words}</p>
            <a href="/daftar">{move || i18n.t("Lihat status pendaftaran", "See the registration's status")}</a>
        </section>
    }
}
