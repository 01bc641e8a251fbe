//! The KTP, laid out like the front of an e-KTP; it prints on A4 too.

use ikd_core::offline_bundle::OfflineBundle;
use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;

fn row(label: &'static str, value: String) -> impl IntoView {
    view! { <div class="ktp-row"><dt>{label}</dt><dd>{value}</dd></div> }
}

pub fn ktp_card(bundle: &OfflineBundle) -> impl IntoView + use<> {
    let k = bundle.ktp.clone();
    // An imported registry person without a registry photo has none: a neutral box says so.
    let photo = (!bundle.photo_jpeg.is_empty())
        .then(|| format!("data:image/jpeg;base64,{}", bundle.photo_jpeg));
    view! {
        <article class="ktp" aria-label="KTP elektronik">
            <header class="ktp-head">
                <p>"PROVINSI " {k.province.clone()}</p>
                <p>{k.regency.clone()}</p>
            </header>
            <div class="ktp-body">
                <dl class="ktp-fields">
                    <div class="ktp-row nik"><dt>"NIK"</dt><dd class="num" data-testid="ktp-nik">{k.nik.clone()}</dd></div>
                    {row("Nama", k.full_name.clone())}
                    {row("Tempat/Tgl Lahir", format!("{}, {}", k.place_of_birth, ktp_date(&k.birth_date)))}
                    {row("Jenis Kelamin", k.sex.clone())}
                    {row("Gol. Darah", k.blood_type.clone())}
                    {row("Alamat", k.street.clone())}
                    {row("RT/RW", format!("{}/{}", k.rt, k.rw))}
                    {row("Kel/Desa", k.village.clone())}
                    {row("Kecamatan", k.district.clone())}
                    {row("Agama", k.religion.clone())}
                    {row("Status Perkawinan", k.marital_status.clone())}
                    {row("Pekerjaan", k.occupation.clone())}
                    // A soft hyphen: on a narrow card the label breaks as "Kewarga-negaraan", never
                    // mid-syllable.
                    {row("Kewarga\u{ad}negaraan", k.citizenship.clone())}
                    {row("Berlaku Hingga", k.valid_until.clone())}
                </dl>
                {match photo {
                    Some(src) => view! { <img class="ktp-photo" src=src alt="Foto pemilik KTP" width="120" height="160" /> }.into_any(),
                    None => view! { <p class="ktp-photo ktp-no-photo" data-testid="ktp-no-photo"><span>"Tidak ada foto"</span><span lang="en">"No photo"</span></p> }.into_any(),
                }}
            </div>
        </article>
    }
}

#[component]
pub fn KtpPage() -> impl IntoView {
    view! {
        <Page title_id="KTP" title_en="KTP" back="/" class="print-ktp">
            <WithBundle view=|bundle| ktp_card(&bundle) />
            <button class="secondary no-print" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>"Cetak / Print"</button>
        </Page>
    }
}
