//! The Kartu Keluarga: its number, address and a table of members with relationships.

use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::record_fields::{Field, field_row};

#[component]
pub fn KkPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_id="Kartu Keluarga" title_en="Family card (KK)" back="/" class="print-kk">
            <WithBundle view=move |bundle| {
                let kk = bundle.kk;
                view! {
                    <article class="kk card">
                        <h2 lang="id">"KARTU KELUARGA"</h2>
                        <p class="kk-number">{Field::KkNumber.label(i18n)} " " <strong class="num" data-testid="kk-number">{kk.kk_number.clone()}</strong></p>
                        <dl class="kk-address">
                            {field_row(i18n, Field::HeadOfFamily, kk.head_name.clone(), false)}
                            {field_row(i18n, Field::Address, format!("{} RT {}/RW {}", kk.street, kk.rt, kk.rw), false)}
                            {field_row(i18n, Field::Village, kk.village.clone(), false)}
                            {field_row(i18n, Field::District, kk.district.clone(), false)}
                            {field_row(i18n, Field::Regency, kk.regency.clone(), false)}
                            {field_row(i18n, Field::Province, kk.province.clone(), false)}
                        </dl>
                        <p class="scroll-hint" aria-hidden="true" data-testid="kk-scroll-hint">{move || i18n.t("Geser tabel ke samping untuk kolom lainnya →", "Swipe the table sideways for more columns →")}</p>
                        <div class="table-scroll" tabindex="0" role="region" aria-label=move || i18n.t("Anggota keluarga", "Family members")>
                            <table class="kk-members">
                                <thead><tr>
                                    {[Field::RowNumber, Field::FullName, Field::Nik, Field::Sex, Field::PlaceAndDateOfBirth, Field::Relationship, Field::Religion, Field::Occupation]
                                        .map(|field| view! { <th scope="col">{field.label(i18n)}</th> })
                                        .collect_view()}
                                </tr></thead>
                                <tbody>
                                    {kk.members.iter().enumerate().map(|(i, m)| view! {
                                        <tr lang="id">
                                            <td>{i + 1}</td><td>{m.full_name.clone()}</td><td class="num">{m.nik.clone()}</td>
                                            <td>{m.sex.clone()}</td><td>{format!("{}, {}", m.place_of_birth, ktp_date(&m.birth_date))}</td>
                                            <td>{m.relationship.clone()}</td><td>{m.religion.clone()}</td><td>{m.occupation.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="muted">{move || i18n.t("Dikeluarkan", "Issued")} " " {ktp_date(&kk.issued_on)}</p>
                    </article>
                }
            } />
            <crate::components::print_button::PrintButton />
        </Page>
    }
}
