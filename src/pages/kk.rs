//! The Kartu Keluarga: its number, address and a table of members with relationships.

use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;

#[component]
pub fn KkPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_id="Kartu Keluarga" title_en="Family card (KK)" back="/" class="print-kk">
            <WithBundle view=move |bundle| {
                let kk = bundle.kk;
                view! {
                    <article class="kk card">
                        <h2>"KARTU KELUARGA"</h2>
                        <p class="kk-number">"No. " <strong class="num" data-testid="kk-number">{kk.kk_number.clone()}</strong></p>
                        <dl class="kk-address">
                            <div><dt>{move || i18n.t("Kepala Keluarga", "Head of family")}</dt><dd>{kk.head_name.clone()}</dd></div>
                            <div><dt>{move || i18n.t("Alamat", "Address")}</dt><dd>{format!("{} RT {}/RW {}", kk.street, kk.rt, kk.rw)}</dd></div>
                            <div><dt>"Desa/Kelurahan"</dt><dd>{kk.village.clone()}</dd></div>
                            <div><dt>"Kecamatan"</dt><dd>{kk.district.clone()}</dd></div>
                            <div><dt>"Kabupaten/Kota"</dt><dd>{kk.regency.clone()}</dd></div>
                            <div><dt>"Provinsi"</dt><dd>{kk.province.clone()}</dd></div>
                        </dl>
                        <p class="scroll-hint" aria-hidden="true" data-testid="kk-scroll-hint">{move || i18n.t("Geser tabel ke samping untuk kolom lainnya →", "Swipe the table sideways for more columns →")}</p>
                        <div class="table-scroll" tabindex="0" role="region" aria-label=move || i18n.t("Anggota keluarga", "Family members")>
                            <table class="kk-members">
                                <thead><tr>
                                    <th scope="col">"No"</th><th scope="col">"Nama Lengkap"</th><th scope="col">"NIK"</th>
                                    <th scope="col">"Jenis Kelamin"</th><th scope="col">"Tempat/Tgl Lahir"</th>
                                    <th scope="col">"Hubungan"</th><th scope="col">"Agama"</th><th scope="col">"Pekerjaan"</th>
                                </tr></thead>
                                <tbody>
                                    {kk.members.iter().enumerate().map(|(i, m)| view! {
                                        <tr>
                                            <td>{i + 1}</td><td>{m.full_name.clone()}</td><td class="num">{m.nik.clone()}</td>
                                            <td>{m.sex.clone()}</td><td>{format!("{}, {}", m.place_of_birth, ktp_date(&m.birth_date))}</td>
                                            <td>{m.relationship.clone()}</td><td>{m.religion.clone()}</td><td>{m.occupation.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="muted">{format!("Dikeluarkan {}", ktp_date(&kk.issued_on))}</p>
                    </article>
                }
            } />
            <button class="secondary no-print" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>"Cetak / Print"</button>
        </Page>
    }
}
