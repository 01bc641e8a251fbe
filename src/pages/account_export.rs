//! Cetak data saya: the same copy as the JSON download (`GET /api/account/export`) as a page
//! to read and print: account, KTP, KK, registrations, consents, credentials, history.

use ikd_core::account_api::AccountExport;
use leptos::prelude::*;

use crate::api;
use crate::browser::{ktp_date, local_time};
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::consent_words as words;
use crate::i18n::use_i18n;

#[component]
pub fn AccountExportPage() -> impl IntoView {
    let i18n = use_i18n();
    let export = LocalResource::new(|| async { api::export_text().await.map(|(_, e)| e) });
    view! {
        <Page title_id="Data saya" title_en="My data" back="/akun" class="export-page">
            <Suspense fallback=move || view! { <p class="muted" aria-live="polite">{move || i18n.t("Memuat…", "Loading…")}</p> }>
                {move || export.get().map(|answer| match answer {
                    Ok(export) => view! {
                        <button class="primary no-print" on:click=|_| crate::browser::print_page()>{move || i18n.t("Cetak", "Print")}</button>
                        <ExportView export />
                    }.into_any(),
                    Err(problem) => view! { <ProblemText problem /> }.into_any(),
                })}
            </Suspense>
        </Page>
    }
}

#[component]
fn ExportView(export: AccountExport) -> impl IntoView {
    let i18n = use_i18n();
    let AccountExport {
        exported_at,
        account,
        ktp,
        kk,
        registrations,
        consents,
        credentials,
        activity,
    } = export;
    let row = move |(id, en): (&'static str, &'static str), value: String| {
        view! { <div><dt>{move || i18n.t(id, en)}</dt><dd>{value}</dd></div> }
    };
    view! {
        <p class="muted">{move || i18n.t("Dibuat ", "Made ")}{local_time(exported_at)}</p>
        <section class="card" data-testid="export-account">
            <h2>{move || i18n.t("Akun", "Account")}</h2>
            <dl>
                {row(("NIK", "NIK"), account.nik.clone())}
                {row(("Email", "Email"), account.email.clone())}
                {row(("Nomor HP", "Phone"), account.phone.clone())}
                {row(("Aktif sejak", "Active since"), local_time(account.activated_at))}
            </dl>
        </section>
        <section class="card">
            <h2>"KTP"</h2>
            <dl>
                {row(("Nama", "Name"), ktp.full_name)}
                {row(("Tempat lahir", "Place of birth"), ktp.place_of_birth)}
                {row(("Tanggal lahir", "Birth date"), ktp_date(&ktp.birth_date))}
                {row(("Jenis kelamin", "Sex"), ktp.sex)}
                {row(("Alamat", "Address"), format!("{} RT {} RW {}, {}, {}, {}, {}", ktp.street, ktp.rt, ktp.rw, ktp.village, ktp.district, ktp.regency, ktp.province))}
                {row(("Agama", "Religion"), ktp.religion)}
                {row(("Status perkawinan", "Marital status"), ktp.marital_status)}
                {row(("Pekerjaan", "Occupation"), ktp.occupation)}
            </dl>
        </section>
        <section class="card">
            <h2>{move || i18n.t("Kartu Keluarga", "Family card")}</h2>
            <dl>
                {row(("No. KK", "KK number"), kk.kk_number)}
                {row(("Kepala keluarga", "Head of family"), kk.head_name)}
            </dl>
            <ul class="plain">
                {kk.members.into_iter().map(|m| view! { <li>{m.full_name}" · "<span class="num">{m.nik}</span></li> }).collect_view()}
            </ul>
        </section>
        <section class="card">
            <h2>{move || i18n.t("Pendaftaran", "Registrations")}</h2>
            <ul class="plain-list">
                {registrations.into_iter().map(|r| {
                    let (status_id, status_en) = words::registration_status(&r.status);
                    view! {
                    <li>{local_time(r.submitted_at)}" · "{move || i18n.pick(status_id.clone(), status_en.clone())}
                        {r.decided_at.map(|at| format!(" · {}", local_time(at)))}
                        {r.reason.map(|reason| format!(" · {reason}"))}</li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card" data-testid="export-consents">
            <h2>{move || i18n.t("Persetujuan", "Consents")}</h2>
            <ul class="plain-list">
                {consents.into_iter().map(|c| {
                    let (scope_id, scope_en) = words::scope_name(c.scope);
                    let (status_id, status_en) = words::status_label(c.status);
                    view! {
                        <li><strong>{c.institution_name}</strong>" · "{move || i18n.t(scope_id, scope_en)}" · "{move || i18n.t(status_id, status_en)}
                            <br /><span class="muted">{c.purpose}" · "{local_time(c.requested_at)}</span></li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card">
            <h2>{move || i18n.t("Kredensial", "Credentials")}</h2>
            <ul class="plain-list">
                {credentials.into_iter().map(|c| view! {
                    <li><span class="num">{words::short_id(&c.id).to_owned()}</span>" · "{local_time(c.issued_at)}
                        {c.revoked_at.map(|at| {
                            let (id, en) = words::revocation_reason(c.revocation_reason.as_deref().unwrap_or(""));
                            view! { " · "{local_time(at)}" "{move || i18n.pick(id.clone(), en.clone())} }
                        })}</li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" data-testid="export-activity">
            <h2>{move || i18n.t("Riwayat", "History")}</h2>
            <ul class="plain-list">
                {activity.into_iter().map(|entry| {
                    let kind = entry.kind;
                    let detail = words::activity_detail(&entry);
                    view! {
                        <li>{local_time(entry.at)}" · "{move || i18n.t(kind.label_id(), kind.label_en())}" · "{entry.actor}
                            {detail.map(|(id, en)| view! { <br /><span class="muted">{move || i18n.pick(id.clone(), en.clone())}</span> })}</li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
