//! Dokumen: what is linked to the NIK — NPWP, COVID-19 vaccinations, vehicles, BKN data of
//! civil servants, and the Suket of people recorded without a printed card.

use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::record_fields::{Field, field_row};

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let none =
        move || view! { <p class="muted">{move || i18n.t("Tidak ada data.", "No records.")}</p> };
    view! {
        <Page title_id="Dokumen" title_en="Documents" back="/">
            <WithBundle view=move |bundle| {
                let d = bundle.documents;
                view! {
                    <section class="card doc">
                        <h2>"NPWP"</h2>
                        {match d.npwp.clone() {
                            Some(n) => view! { <dl>
                                {field_row(i18n, Field::DocumentNumber, n.npwp_number, true)}
                                <div><dt>{move || i18n.t("Terdaftar", "Registered")}</dt><dd>{ktp_date(&n.registered_on)}</dd></div>
                                {field_row(i18n, Field::TaxOffice, n.tax_office, false)}
                            </dl> }.into_any(),
                            None => none().into_any(),
                        }}
                    </section>
                    <section class="card doc">
                        <h2>{move || i18n.t("Vaksin COVID-19", "COVID-19 vaccine")}</h2>
                        {if d.vaccinations.is_empty() { none().into_any() } else { view! {
                            <ul class="plain">{d.vaccinations.iter().map(|v| view! {
                                <li>{move || i18n.t("Dosis", "Dose")} {format!(" {}: {} — {} ({})", v.dose, v.vaccine, ktp_date(&v.given_on), v.facility)}</li>
                            }).collect_view()}</ul>
                        }.into_any() }}
                    </section>
                    <section class="card doc">
                        <h2>{move || i18n.t("Kendaraan", "Vehicles")}</h2>
                        {if d.vehicles.is_empty() { none().into_any() } else { view! {
                            <ul class="plain">{d.vehicles.iter().map(|v| view! {
                                <li><strong>{v.plate.clone()}</strong>{format!(" — {} {} ({}, {})", v.kind, v.make_model, v.year, v.colour)}</li>
                            }).collect_view()}</ul>
                        }.into_any() }}
                    </section>
                    <section class="card doc">
                        <h2>{move || i18n.t("Data ASN (BKN)", "Civil servant data (BKN)")}</h2>
                        {match d.civil_servant.clone() {
                            Some(c) => view! { <dl>
                                {field_row(i18n, Field::CivilServantNumber, c.nip, true)}
                                {field_row(i18n, Field::Agency, c.agency, false)}
                                {field_row(i18n, Field::WorkUnit, c.unit, false)}
                                {field_row(i18n, Field::Position, c.position, false)}
                                {field_row(i18n, Field::Rank, c.rank, false)}
                                {field_row(i18n, Field::Status, c.status, false)}
                                {field_row(i18n, Field::AppointedOn, ktp_date(&c.appointed_on), true)}
                            </dl> }.into_any(),
                            None => none().into_any(),
                        }}
                    </section>
                    <section class="card doc">
                        <h2>"Suket"</h2>
                        {match d.suket.clone() {
                            Some(s) => view! { <dl>
                                {field_row(i18n, Field::DocumentNumber, s.suket_number, true)}
                                <div><dt>{move || i18n.t("Diterbitkan", "Issued")}</dt><dd>{ktp_date(&s.issued_on)}</dd></div>
                                <div><dt>{move || i18n.t("Keterangan", "Note")}</dt><dd>{s.reason}</dd></div>
                            </dl> }.into_any(),
                            None => none().into_any(),
                        }}
                    </section>
                }
            } />
        </Page>
    }
}
