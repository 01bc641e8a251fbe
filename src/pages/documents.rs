//! Dokumen: what is linked to the NIK — NPWP, COVID-19 vaccinations, vehicles, BKN data of
//! civil servants, and the Suket of people recorded without a printed card.

use leptos::prelude::*;

use crate::browser::ktp_date;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;

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
                                <div><dt>"Nomor"</dt><dd>{n.npwp_number}</dd></div>
                                <div><dt>{move || i18n.t("Terdaftar", "Registered")}</dt><dd>{ktp_date(&n.registered_on)}</dd></div>
                                <div><dt>"KPP"</dt><dd>{n.tax_office}</dd></div>
                            </dl> }.into_any(),
                            None => none().into_any(),
                        }}
                    </section>
                    <section class="card doc">
                        <h2>{move || i18n.t("Vaksin COVID-19", "COVID-19 vaccine")}</h2>
                        {if d.vaccinations.is_empty() { none().into_any() } else { view! {
                            <ul class="plain">{d.vaccinations.iter().map(|v| view! {
                                <li>{format!("Dosis {}: {} — {} ({})", v.dose, v.vaccine, ktp_date(&v.given_on), v.facility)}</li>
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
                                <div><dt>"NIP"</dt><dd>{c.nip}</dd></div>
                                <div><dt>"Instansi"</dt><dd>{c.agency}</dd></div>
                                <div><dt>"Unit kerja"</dt><dd>{c.unit}</dd></div>
                                <div><dt>"Jabatan"</dt><dd>{c.position}</dd></div>
                                <div><dt>"Golongan"</dt><dd>{c.rank}</dd></div>
                                <div><dt>"Status"</dt><dd>{c.status}</dd></div>
                                <div><dt>"TMT"</dt><dd>{ktp_date(&c.appointed_on)}</dd></div>
                            </dl> }.into_any(),
                            None => none().into_any(),
                        }}
                    </section>
                    <section class="card doc">
                        <h2>"Suket"</h2>
                        {match d.suket.clone() {
                            Some(s) => view! { <dl>
                                <div><dt>"Nomor"</dt><dd>{s.suket_number}</dd></div>
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
