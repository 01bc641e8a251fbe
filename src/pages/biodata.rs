//! Biodata: every field of the record, as a list a screen reader reads well.

use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::record_fields::{Field, field_row};

#[component]
pub fn BiodataPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_id="Biodata" title_en="Personal data" back="/">
            <WithBundle view=move |bundle| {
                let k = bundle.ktp;
                let rows = [
                    (Field::Nik, k.nik), (Field::FullName, k.full_name), (Field::PlaceOfBirth, k.place_of_birth),
                    (Field::DateOfBirth, ktp_date(&k.birth_date)), (Field::Sex, k.sex), (Field::BloodType, k.blood_type),
                    (Field::Address, k.street), (Field::RtRw, format!("{}/{}", k.rt, k.rw)), (Field::Village, k.village),
                    (Field::District, k.district), (Field::Regency, k.regency), (Field::Province, k.province),
                    (Field::Religion, k.religion), (Field::MaritalStatus, k.marital_status), (Field::Occupation, k.occupation),
                    (Field::Citizenship, k.citizenship), (Field::KkNumber, bundle.kk.kk_number),
                ];
                view! {
                    <dl class="card biodata">
                        {rows.into_iter().map(|(field, value)| {
                            // Numbers are read as one piece: they never wrap.
                            let number = matches!(field, Field::Nik | Field::KkNumber);
                            field_row(i18n, field, value, number)
                        }).collect_view()}
                    </dl>
                }
            } />
        </Page>
    }
}
