//! Biodata: every field of the record, as a list a screen reader reads well.

use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;

#[component]
pub fn BiodataPage() -> impl IntoView {
    view! {
        <Page title_id="Biodata" title_en="Personal data" back="/">
            <WithBundle view=|bundle| {
                let k = bundle.ktp;
                let rows = [
                    ("NIK", k.nik), ("Nama lengkap", k.full_name), ("Tempat lahir", k.place_of_birth),
                    ("Tanggal lahir", ktp_date(&k.birth_date)), ("Jenis kelamin", k.sex), ("Golongan darah", k.blood_type),
                    ("Alamat", k.street), ("RT/RW", format!("{}/{}", k.rt, k.rw)), ("Kelurahan/Desa", k.village),
                    ("Kecamatan", k.district), ("Kabupaten/Kota", k.regency), ("Provinsi", k.province),
                    ("Agama", k.religion), ("Status perkawinan", k.marital_status), ("Pekerjaan", k.occupation),
                    ("Kewarga\u{ad}negaraan", k.citizenship), ("No. KK", bundle.kk.kk_number),
                ];
                view! {
                    <dl class="card biodata">
                        {rows.into_iter().map(|(label, value)| {
                            // Numbers are read as one piece: they never wrap.
                            let number = matches!(label, "NIK" | "No. KK");
                            view! { <div class:num-row=number><dt>{label}</dt><dd class:num=number>{value}</dd></div> }
                        }).collect_view()}
                    </dl>
                }
            } />
        </Page>
    }
}
