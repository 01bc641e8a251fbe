//! Beranda: where each part of the console is, for the officer who just logged in.

use leptos::prelude::*;

use crate::components::frame::Frame;
use crate::state::{href, use_session};

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let name = move || {
        session
            .officer
            .with(|o| o.as_ref().map(|o| o.full_name.clone()).unwrap_or_default())
    };
    view! {
        <Frame title="Beranda">
            <p class="greeting">"Selamat bertugas, " {name} "."</p>
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
