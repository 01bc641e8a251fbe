//! Beranda: where each part of the console is, for the officer who just logged in.

use leptos::prelude::*;

use crate::api;
use crate::components::frame::Frame;
use crate::components::unlock_form::UnlockForm;
use crate::state::{href, use_session};

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let name = move || {
        session
            .officer
            .with(|o| o.as_ref().map(|o| o.full_name.clone()).unwrap_or_default())
    };
    let today = LocalResource::new(|| api::my_day(local_midnight()));
    view! {
        <Frame title="Beranda">
            <p class="greeting">"Selamat bertugas, " {name} "."</p>
            <p class="today" role="status" data-testid="my-day">
                {move || today.get().and_then(Result::ok).map(|day| format!(
                    "Hari ini Anda menyetujui {} dan menolak {} pendaftaran; {} orang menunggu di loket Anda.",
                    day.approved, day.rejected, day.waiting,
                ))}
            </p>
            <ul class="cards">
                <li class="card">
                    <h2><a href=href("/loket")>"Loket"</a></h2>
                    <p>"Buka loket, tampilkan QR untuk dipindai pendaftar, periksa wajah dan setujui dengan papan ketik."</p>
                </li>
                <li class="card">
                    <h2><a href=href("/kegiatan")>"Jemput bola"</a></h2>
                    <p>"Kegiatan pendaftaran massal ASN: impor daftar peserta, QR di proyektor, persetujuan sekaligus."</p>
                </li>
                <li class="card">
                    <h2><a href=href("/dasbor")>"Dasbor"</a></h2>
                    <p>"Capaian aktivasi IKD per wilayah dan per kegiatan terhadap target."</p>
                </li>
                <li class="card">
                    <h2 id="unlock-title">"Buka kunci percobaan"</h2>
                    <p>"Untuk warga di loket yang tertahan batas percobaan karena orang lain mencoba NIK-nya (masuk, kode aktivasi, pendaftaran)."</p>
                    <UnlockForm />
                </li>
                {move || session.manages_staff().then(|| view! {
                    <li class="card">
                        <h2><a href=href("/petugas")>"Petugas"</a></h2>
                        <p>"Tambah dan nonaktifkan akun petugas di wilayah Anda."</p>
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
