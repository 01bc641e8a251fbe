//! The KTP, laid out like the front of an e-KTP; it prints on A4 too.

use ikd_core::offline_bundle::OfflineBundle;
use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::{I18n, use_i18n};
use crate::record_fields::Field;

fn row(i18n: I18n, field: Field, value: String) -> impl IntoView {
    view! { <div class="ktp-row"><dt>{field.card_label(i18n)}</dt><dd lang="id">{value}</dd></div> }
}

pub fn ktp_card(bundle: &OfflineBundle) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let k = bundle.ktp.clone();
    // An imported registry person without a registry photo has none: a neutral box says so.
    let photo = (!bundle.photo_jpeg.is_empty())
        .then(|| format!("data:image/jpeg;base64,{}", bundle.photo_jpeg));
    view! {
        <article class="ktp" aria-label=move || i18n.t("KTP elektronik", "Electronic KTP (identity card)")>
            <header class="ktp-head">
                <p>"PROVINSI " {k.province.clone()}</p>
                <p>{k.regency.clone()}</p>
            </header>
            <div class="ktp-body">
                <dl class="ktp-fields">
                    <div class="ktp-row nik"><dt>"NIK"</dt><dd class="num" lang="id" data-testid="ktp-nik">{k.nik.clone()}</dd></div>
                    {row(i18n, Field::Name, k.full_name.clone())}
                    {row(i18n, Field::PlaceAndDateOfBirth, format!("{}, {}", k.place_of_birth, ktp_date(&k.birth_date)))}
                    {row(i18n, Field::Sex, k.sex.clone())}
                    {row(i18n, Field::BloodType, k.blood_type.clone())}
                    {row(i18n, Field::Address, k.street.clone())}
                    {row(i18n, Field::RtRw, format!("{}/{}", k.rt, k.rw))}
                    {row(i18n, Field::Village, k.village.clone())}
                    {row(i18n, Field::District, k.district.clone())}
                    {row(i18n, Field::Religion, k.religion.clone())}
                    {row(i18n, Field::MaritalStatus, k.marital_status.clone())}
                    {row(i18n, Field::Occupation, k.occupation.clone())}
                    {row(i18n, Field::Citizenship, k.citizenship.clone())}
                    {row(i18n, Field::ValidUntil, k.valid_until.clone())}
                </dl>
                {match photo {
                    Some(src) => view! { <img class="ktp-photo" src=src alt=move || i18n.t("Foto pemilik KTP", "Photo of the card holder") width="120" height="160" /> }.into_any(),
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
            <crate::components::print_button::PrintButton />
        </Page>
    }
}
