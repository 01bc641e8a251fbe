//! Beranda: where each part of the console is, for the officer who just logged in.

use leptos::prelude::*;

use crate::api;
use crate::components::frame::Frame;
use crate::components::unlock_form::UnlockForm;
use crate::i18n::use_i18n;
use crate::state::{href, use_session};

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let name = move || {
        session
            .officer
            .with(|o| o.as_ref().map(|o| o.full_name.clone()).unwrap_or_default())
    };
    let today = LocalResource::new(|| api::my_day(local_midnight()));
    view! {
        <Frame title=i18n.title("Beranda", "Home")>
            <p class="greeting">{move || i18n.t("Selamat bertugas, ", "Welcome, ")} {name} "."</p>
            <p class="today" role="status" data-testid="my-day">
                {move || today.get().and_then(Result::ok).map(|day| if i18n.en() { format!(
                    "Today you approved {} and rejected {} registrations; {} people are waiting at your desk.",
                    day.approved, day.rejected, day.waiting,
                ) } else { format!(
                    "Hari ini Anda menyetujui {} dan menolak {} pendaftaran; {} orang menunggu di loket Anda.",
                    day.approved, day.rejected, day.waiting,
                ) })}
            </p>
            <ul class="cards">
                <li class="card">
                    <h2><a href=href("/loket")>{move || i18n.t("Loket", "Desk")}</a></h2>
                    <p>{move || i18n.t("Buka loket, tampilkan QR untuk dipindai pendaftar, periksa wajah dan setujui dengan papan ketik.", "Open the desk, show the QR for applicants to scan, check faces and approve with the keyboard.")}</p>
                </li>
                <li class="card">
                    <h2><a href=href("/kegiatan")>{move || i18n.t("Jemput bola", "Drives")}</a></h2>
                    <p>{move || i18n.t("Kegiatan pendaftaran massal ASN: impor daftar peserta, QR di proyektor, persetujuan sekaligus.", "Mass registration drives for civil servants: import the roster, QR on the projector, approval in bulk.")}</p>
                </li>
                <li class="card">
                    <h2><a href=href("/dasbor")>{move || i18n.t("Dasbor", "Dashboard")}</a></h2>
                    <p>{move || i18n.t("Capaian aktivasi IKD per wilayah dan per kegiatan terhadap target.", "IKD activation progress per region and per drive against the target.")}</p>
                </li>
                <li class="card">
                    <h2 id="unlock-title">{move || i18n.t("Buka kunci percobaan", "Unlock attempts")}</h2>
                    <p>{move || i18n.t("Untuk warga di loket yang tertahan batas percobaan karena orang lain mencoba NIK-nya (masuk, kode aktivasi, pendaftaran).", "For a resident at the desk held back by the attempt limit because someone else tried their NIK (login, activation code, registration).")}</p>
                    <UnlockForm />
                </li>
                {move || session.manages_staff().then(|| view! {
                    <li class="card">
                        <h2><a href=href("/petugas")>{move || i18n.t("Petugas", "Staff")}</a></h2>
                        <p>{move || i18n.t("Tambah dan nonaktifkan akun petugas di wilayah Anda.", "Add and deactivate officer accounts in your region.")}</p>
                    </li>
                })}
            </ul>
        </Frame>
    }
}

/// Unix seconds of today's midnight on this computer's clock: "today" is the officer's own.
fn local_midnight() -> i64 {
    let now = js_sys::Date::new_0();
    now.set_hours(0);
    now.set_minutes(0);
    now.set_seconds(0);
    now.set_milliseconds(0);
    (now.get_time() / 1000.0) as i64
}
