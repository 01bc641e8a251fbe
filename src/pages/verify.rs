//! Verifikasi: anyone can check a citizen's QR offline — scan it or paste its text — against
//! the cached trust list and revocation list, on this device's own clock, and see one of
//! three verdicts: green "SAH" only when everything was checked, amber "BELUM PASTI" when the
//! credential verified but a list is missing, old or forged (each gap said, with since
//! when), red "TIDAK SAH" with the reason. A holder-bound QR says how fresh its proof is; a
//! plain Claim 169 QR says it is not bound to its holder's phone.

use base64::Engine;
use ikd_core::claim169::HolderBinding;
use leptos::prelude::*;

use crate::browser::{local_time, now_secs};
use crate::clock_honesty::ClockWarning;
use crate::components::camera_view::QrScanner;
use crate::components::chunk_unavailable::ChunkUnavailableNote;
use crate::components::page::Page;
use crate::i18n::{I18n, use_i18n};
use crate::record_fields::Field;
use crate::split_point::ChunkUnavailable;
use crate::vault_store::{self, REVOCATIONS_KEY, TRUST_LIST_KEY};
use crate::verifier::{self, Checked, Verdict};

/// A verdict and the verifier's clock when it was reached.
#[derive(Debug, Clone)]
struct Checking {
    verdict: Verdict,
    now: i64,
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let scanning = RwSignal::new(false);
    let verdict = RwSignal::new(None::<Checking>);
    // The decoder's chunk could not be fetched: no verdict, a way to try again.
    let unavailable = RwSignal::new(false);
    // Refresh the public lists when online; the cached copies serve offline.
    leptos::task::spawn_local(async {
        if let Ok(trust) = crate::api::trust_list_text().await {
            let _ = vault_store::save_public(TRUST_LIST_KEY, &trust).await;
        }
        if let Ok(list) = crate::api::revocations_text().await {
            let _ = vault_store::save_public(REVOCATIONS_KEY, &list).await;
        }
        crate::clock_honesty::remember();
    });
    let check = move || {
        unavailable.set(false);
        let qr = text.get_untracked();
        leptos::task::spawn_local(async move {
            let trust = vault_store::load_public(TRUST_LIST_KEY)
                .await
                .unwrap_or_default();
            let revocations = vault_store::load_public(REVOCATIONS_KEY).await;
            let now = now_secs();
            let request = verifier::VerifyRequest {
                qr,
                trust,
                revocations,
                now,
            };
            match (verifier::VERIFY.get())(request).await {
                Ok(checked) => verdict.set(Some(Checking {
                    verdict: checked,
                    now,
                })),
                Err(ChunkUnavailable) => unavailable.set(true),
            }
        });
    };
    view! {
        <Page title_id="Verifikasi QR" title_en="Verify a QR" back="/">
            <ClockWarning />
            <section class="card form">
                <Show when=move || scanning.get() fallback=move || view! {
                    <button class="secondary" on:click=move |_| { verdict.set(None); scanning.set(true); }>{move || i18n.t("Pindai QR", "Scan QR")}</button>
                }>
                    <QrScanner on_text=Callback::new(move |qr: String| { text.set(qr); scanning.set(false); check(); }) />
                </Show>
                <label for="qr-text">{move || i18n.t("atau tempel teks QR", "or paste the QR text")}</label>
                <textarea id="qr-text" rows="3" bind:value=text></textarea>
                <button class="primary" on:click=move |_| check()>{move || i18n.t("Periksa", "Check")}</button>
            </section>
            <Show when=move || unavailable.get()>
                <ChunkUnavailableNote />
            </Show>
            {move || verdict.get().map(|Checking { verdict, now }| {
                let state = verifier::state(&verdict);
                match verdict {
                    Verdict::Valid(checked) => view! {
                        <section class="card verdict valid" role="status" data-testid="verdict" data-valid="true" data-state=state data-code="valid">
                            <h2>{move || i18n.t("✓ SAH — ditandatangani Dukcapil", "✓ VALID — signed by Dukcapil")}</h2>
                            <CheckedDetails checked now />
                        </section>
                    }.into_any(),
                    Verdict::Unconfirmed { checked, gaps } => {
                        let code = gaps.first().map(|g| g.code()).unwrap_or("unconfirmed");
                        view! {
                            <section class="card verdict unconfirmed" role="alert" data-testid="verdict" data-valid="false" data-state=state data-code=code>
                                <h2>{move || i18n.t("⚠ BELUM PASTI — tidak semua dapat diperiksa", "⚠ NOT CONFIRMED — not everything could be checked")}</h2>
                                <ul class="gaps">{gaps.into_iter().map(|gap| view! {
                                    <li data-testid="verdict-gap" data-code=gap.code()>{move || i18n.pick(gap.message_id(&local_time), gap.message_en(&local_time))}</li>
                                }).collect_view()}</ul>
                                <p class="muted">{move || i18n.t(
                                    "Tanda tangan penerbit pada QR ini sah; yang di atas belum dapat dipastikan.",
                                    "The issuer's signature on this QR is valid; what is listed above could not be confirmed.",
                                )}</p>
                                <CheckedDetails checked now />
                            </section>
                        }.into_any()
                    }
                    Verdict::Invalid(refusal) => view! {
                        <section class="card verdict invalid" role="alert" data-testid="verdict" data-valid="false" data-state=state data-code=refusal.code.clone()>
                            <h2>{move || i18n.t("✗ TIDAK SAH", "✗ NOT VALID")}</h2>
                            <p>{move || i18n.pick(refusal.message_id.clone(), refusal.message_en.clone())}</p>
                        </section>
                    }.into_any(),
                }
            })}
        </Page>
    }
}

/// How the QR was shown: fresh from its holder's phone, or a plain Claim 169 QR.
fn freshness_words(holder: HolderBinding, now: i64, i18n: I18n) -> String {
    match holder {
        HolderBinding::Presented { at } => {
            let ago = now - at;
            if ago >= 0 {
                i18n.pick(
                    format!("Segar, ditampilkan {ago} detik lalu oleh ponsel pemiliknya"),
                    format!("Fresh, shown {ago} s ago by its holder's phone"),
                )
            } else {
                // The holder's clock is ahead of this one, within the tolerance.
                let ahead = -ago;
                i18n.pick(
                    format!("Segar, ditampilkan oleh ponsel pemiliknya (jamnya {ahead} detik lebih cepat)"),
                    format!("Fresh, shown by its holder's phone (its clock {ahead} s ahead)"),
                )
            }
        }
        HolderBinding::NotBound => i18n
            .t(
                "Tidak terikat pada ponsel pemilik (QR Claim 169 biasa)",
                "Not bound to the holder's phone (plain Claim 169 QR)",
            )
            .to_owned(),
        // The verifier never reports this (a bound QR without a proof is refused).
        HolderBinding::Unproven => i18n
            .t(
                "Tanpa bukti dari ponsel pemilik",
                "No proof from the holder's phone",
            )
            .to_owned(),
    }
}

/// How long ago, in the largest whole unit: "3 jam lalu" / "3 h ago".
fn ago(seconds: i64) -> (String, String) {
    let seconds = seconds.max(0);
    match seconds {
        0..60 => ("baru saja".to_owned(), "just now".to_owned()),
        60..3_600 => (
            format!("{} menit lalu", seconds / 60),
            format!("{} min ago", seconds / 60),
        ),
        3_600..172_800 => (
            format!("{} jam lalu", seconds / 3_600),
            format!("{} h ago", seconds / 3_600),
        ),
        _ => (
            format!("{} hari lalu", seconds / 86_400),
            format!("{} days ago", seconds / 86_400),
        ),
    }
}

/// What verified: freshness, the lists' ages, the photo and the fields the QR carries.
#[component]
fn CheckedDetails(checked: Checked, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let Checked {
        claim,
        encrypted,
        holder,
        revocations_as_of,
        trust_list_as_of,
    } = checked;
    let bound = !matches!(holder, HolderBinding::NotBound);
    let photo = claim.photo.as_ref().map(|bytes| {
        format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    });
    let rows: Vec<(Field, String)> = [
        (Field::Nik, claim.id.clone()),
        (Field::Name, claim.full_name.clone()),
        (
            Field::DateOfBirth,
            claim.date_of_birth.as_deref().map(crate::browser::ktp_date),
        ),
        (Field::Address, claim.address.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    // Not registry text: "yes"/"no" follow the chosen language.
    let over_17 = claim.age_over_17.map(|yes| {
        view! {
            <div>
                <dt>{Field::Over17.label(i18n)}</dt>
                <dd>{move || if yes { i18n.t("Ya", "Yes") } else { i18n.t("Tidak", "No") }}</dd>
            </div>
        }
    });
    view! {
        <p class="freshness" class:bound=bound data-testid="verdict-freshness" data-bound=bound.to_string()>
            {move || freshness_words(holder, now, i18n)}
        </p>
        {encrypted.then(|| view! { <p class="muted">{move || i18n.t("QR terenkripsi, dibuka dengan kunci instansi.", "Encrypted QR, opened with the institution key.")}</p> })}
        {photo.map(|src| view! { <img class="verdict-photo" src=src alt=move || i18n.t("Foto pada QR", "Photo in the QR") /> })}
        <dl>{rows.into_iter().map(|(field, v)| {
            // Numbers and dates are read as one piece: they never wrap.
            let number = matches!(field, Field::Nik | Field::DateOfBirth);
            let testid = match field {
                Field::Nik => Some("verdict-nik"),
                Field::DateOfBirth => Some("verdict-birth-date"),
                _ => None,
            };
            view! { <div class:num-row=number><dt>{field.label(i18n)}</dt><dd lang="id" class:num=number data-testid=testid>{v}</dd></div> }
        }).collect_view()}{over_17}</dl>
        <p class="muted lists" data-testid="verdict-lists">
            {move || match revocations_as_of {
                Some(at) => {
                    let (id, en) = ago(now - at);
                    i18n.pick(
                        format!("Daftar pencabutan per {} ({id}). ", local_time(at)),
                        format!("Revocation list as of {} ({en}). ", local_time(at)),
                    )
                }
                None => i18n.t("Tanpa daftar pencabutan yang sah. ", "No valid revocation list. ").to_owned(),
            }}
            {move || {
                let (id, en) = ago(now - trust_list_as_of);
                i18n.pick(
                    format!("Daftar kunci penerbit per {} ({id}).", local_time(trust_list_as_of)),
                    format!("Issuer key list as of {} ({en}).", local_time(trust_list_as_of)),
                )
            }}
        </p>
    }
}
