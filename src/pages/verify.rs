//! Verifikasi: anyone can check a citizen's QR offline — scan it or paste its text — against
//! the cached trust list and revocation list, and see a clear verdict with the reason.

use base64::Engine;
use leptos::prelude::*;

use crate::components::camera_view::QrScanner;
use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::vault_store::{self, REVOCATIONS_KEY, TRUST_LIST_KEY};
use crate::verifier::{self, Verdict};

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let key_hex = RwSignal::new(String::new());
    let scanning = RwSignal::new(false);
    let verdict = RwSignal::new(None::<Verdict>);
    // Refresh the public lists when online; the cached copies serve offline.
    leptos::task::spawn_local(async {
        if let Ok(trust) = crate::api::trust_list_text().await {
            let _ = vault_store::save_public(TRUST_LIST_KEY, &trust).await;
        }
        if let Ok(list) = crate::api::revocations_text().await {
            let _ = vault_store::save_public(REVOCATIONS_KEY, &list).await;
        }
    });
    let check = move || {
        let qr = text.get_untracked();
        let key: Option<[u8; 32]> =
            ikd_core::hex::decode(key_hex.get_untracked().trim()).and_then(|k| k.try_into().ok());
        leptos::task::spawn_local(async move {
            let trust = vault_store::load_public(TRUST_LIST_KEY)
                .await
                .unwrap_or_default();
            let revocations = vault_store::load_public(REVOCATIONS_KEY).await;
            verdict.set(Some(verifier::verify(
                &qr,
                &trust,
                revocations.as_deref(),
                key,
                crate::browser::now_secs(),
            )));
        });
    };
    view! {
        <Page title_id="Verifikasi QR" title_en="Verify a QR" back="/">
            <section class="card form">
                <Show when=move || scanning.get() fallback=move || view! {
                    <button class="secondary" on:click=move |_| { verdict.set(None); scanning.set(true); }>{move || i18n.t("Pindai QR", "Scan QR")}</button>
                }>
                    <QrScanner on_text=Callback::new(move |qr: String| { text.set(qr); scanning.set(false); check(); }) />
                </Show>
                <label for="qr-text">{move || i18n.t("atau tempel teks QR", "or paste the QR text")}</label>
                <textarea id="qr-text" rows="3" bind:value=text></textarea>
                <label for="qr-key">{move || i18n.t("Kunci instansi (untuk QR terenkripsi, opsional)", "Institution key (for encrypted QRs, optional)")}</label>
                <input id="qr-key" autocomplete="off" bind:value=key_hex />
                <button class="primary" on:click=move |_| check()>{move || i18n.t("Periksa", "Check")}</button>
            </section>
            {move || verdict.get().map(|v| match v {
                Verdict::Valid { claim, encrypted, .. } => {
                    let photo = claim.photo.as_ref().map(|bytes| format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)));
                    let rows: Vec<(&str, String)> = [
                        ("NIK", claim.id.clone()), ("Nama", claim.full_name.clone()),
                        ("Tanggal lahir", claim.date_of_birth.as_deref().map(crate::browser::ktp_date)), ("Alamat", claim.address.clone()),
                        ("17+", claim.age_over_17.map(|a| if a { "Ya".to_owned() } else { "Tidak".to_owned() })),
                    ].into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
                    view! {
                        <section class="card verdict valid" role="status" data-testid="verdict" data-valid="true">
                            <h2>{move || i18n.t("✓ SAH — ditandatangani Dukcapil", "✓ VALID — signed by Dukcapil")}</h2>
                            {encrypted.then(|| view! { <p class="muted">{move || i18n.t("QR terenkripsi, dibuka dengan kunci instansi.", "Encrypted QR, opened with the institution key.")}</p> })}
                            {photo.map(|src| view! { <img class="verdict-photo" src=src alt=move || i18n.t("Foto pada QR", "Photo in the QR") /> })}
                            <dl>{rows.into_iter().map(|(k, v)| {
                                // Numbers and dates are read as one piece: they never wrap.
                                let number = matches!(k, "NIK" | "Tanggal lahir");
                                view! { <div class:num-row=number><dt>{k}</dt><dd class:num=number data-testid=number.then(|| if k == "NIK" { "verdict-nik" } else { "verdict-birth-date" })>{v}</dd></div> }
                            }).collect_view()}</dl>
                        </section>
                    }.into_any()
                }
                Verdict::Invalid { code, message_id, message_en } => view! {
                    <section class="card verdict invalid" role="alert" data-testid="verdict" data-valid="false" data-code=code>
                        <h2>{move || i18n.t("✗ TIDAK SAH", "✗ NOT VALID")}</h2>
                        <p>{move || i18n.pick(message_id.clone(), message_en.clone())}</p>
                    </section>
                }.into_any(),
            })}
        </Page>
    }
}
