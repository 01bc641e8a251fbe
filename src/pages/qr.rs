//! The QR: the bundle holds one holder-bound Claim 169 credential per profile; the phone
//! shows it with a fresh proof by that profile's device key
//! (`ikd_core::claim169::Presentable`), made on this phone's clock, offline, every
//! `presentEverySecs` and whenever the holder picks another profile or an institution.
//! The full contents can also be shown encrypted to one institution the holder picks from the
//! bundle's list (issue 17): the full-encrypted credential with its proof, encrypted to that
//! institution's own key (`Presentable::present_encrypted`), which no one else can open.
//! A countdown says when the next QR comes; every QR shown goes into the sealed presentation
//! log, with the institution's name for an encrypted one. Past the credentials' `validUntil`
//! the app says it needs a connection.

use std::time::Duration;

use ikd_core::claim169::{NONCE_LEN, Presentable, Recipient};
use ikd_core::offline_bundle::{OfflineBundle, QrProfile};
use leptos::prelude::*;
use p256::ecdsa::SigningKey;

use crate::browser::{local_time, now_secs};
use crate::clock_honesty::ClockWarning;
use crate::components::locked::WithBundle;
use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::presentations::{self, Presentation};
use crate::state::use_app;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Full,
    Basic,
    Age,
}

/// Which credential the choice and the institution pick.
fn profile_of(choice: Choice, encrypted: bool) -> QrProfile {
    match (choice, encrypted) {
        (Choice::Full, true) => QrProfile::FullEncrypted,
        (Choice::Full, false) => QrProfile::Full,
        (Choice::Basic, _) => QrProfile::Basic,
        (Choice::Age, _) => QrProfile::Age,
    }
}

/// "0:17" for 17 seconds: minutes and seconds, as a countdown reads.
fn minutes_seconds(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The QR on screen: its text, when its proof was made, and for which profile.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    text: String,
    at: i64,
    profile: QrProfile,
}

/// An encrypted QR for `recipient`, with a fresh ephemeral key and IV from the browser.
fn present_to(
    presentable: &Presentable,
    key: &SigningKey,
    at: i64,
    recipient: &Recipient,
) -> Option<String> {
    let iv = crate::browser::random_bytes::<NONCE_LEN>().ok()?;
    // A random scalar is out of range about once in 2^32 draws: draw again.
    for _ in 0..4 {
        let ephemeral = crate::browser::random_bytes::<32>().ok()?;
        match presentable.present_encrypted(key, at, recipient, ephemeral, iv) {
            Err(ikd_core::claim169::IssueError::Encrypt) => continue,
            other => return other.ok(),
        }
    }
    None
}

#[component]
pub fn QrPage() -> impl IntoView {
    crate::browser::keep_screen_on();
    // The app does not lock while the QR is shown.
    crate::relock::hold();
    on_cleanup(crate::relock::release);
    view! {
        <Page title_id="QR KTP Digital" title_en="Digital KTP QR" back="/" class="qr-page">
            <ClockWarning />
            <WithBundle view=|bundle| view! { <RotatingQr bundle /> } />
        </Page>
    }
}

#[component]
fn RotatingQr(bundle: OfflineBundle) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let valid_until = bundle.valid_until;
    // A bundle that says 0 (or less) would make a QR every second; 30 s is the norm.
    let every = if bundle.present_every_secs > 0 {
        bundle.present_every_secs
    } else {
        ikd_core::claim169::PRESENT_EVERY_SECS
    };
    // Each profile's credential is read once; each new QR is then one signature.
    let presentables = StoredValue::new(
        QrProfile::ALL
            .into_iter()
            .map(|p| (p, Presentable::parse(bundle.credentials.get(p)).ok()))
            .collect::<Vec<_>>(),
    );
    // The institutions a full QR may be encrypted to, from the signed bundle; one whose key
    // does not read is left out.
    let institutions = StoredValue::new(
        bundle
            .institutions
            .iter()
            .filter_map(|i| Some((i.name.clone(), i.recipient()?)))
            .collect::<Vec<_>>(),
    );
    let now = RwSignal::new(now_secs());
    let choice = RwSignal::new(Choice::Full);
    // The index of the institution picked, `None` for a plain QR.
    let encrypted_to = RwSignal::new(None::<usize>);
    let profile = Memo::new(move |_| profile_of(choice.get(), encrypted_to.get().is_some()));
    let shown = RwSignal::new(None::<Shown>);
    // The credential or the device key is missing or unreadable: no QR can be made.
    let failed = RwSignal::new(false);
    let make = move || {
        let at = now_secs();
        now.set(at);
        if at >= valid_until {
            shown.set(None);
            return;
        }
        let profile = profile.get_untracked();
        let institution = encrypted_to
            .get_untracked()
            .filter(|_| profile == QrProfile::FullEncrypted)
            .and_then(|i| institutions.with_value(|list| list.get(i).cloned()));
        let text = app.keys.with_value(|keys| {
            let key = keys.as_ref()?.get(profile);
            presentables.with_value(|list| {
                let (_, presentable) = list.iter().find(|(p, _)| *p == profile)?;
                let presentable = presentable.as_ref()?;
                match (profile, &institution) {
                    (QrProfile::FullEncrypted, Some((_, recipient))) => {
                        present_to(presentable, key, at, recipient)
                    }
                    (QrProfile::FullEncrypted, None) => None,
                    _ => presentable.present(key, at).ok(),
                }
            })
        });
        failed.set(text.is_none());
        shown.set(text.map(|text| Shown { text, at, profile }));
        if !failed.get_untracked()
            && let Some(log_key) = app.keys.with_value(|k| k.as_ref().map(|k| k.log_key()))
            && let Some(person) = app.profile.get_value()
        {
            presentations::record(
                person,
                log_key,
                Presentation {
                    at,
                    profile,
                    institution: institution.map(|(name, _)| name),
                },
            );
        }
    };
    // A new QR at once, and whenever the profile or the institution changes.
    Effect::new(move |_| {
        profile.track();
        encrypted_to.track();
        make();
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let t = now_secs();
            now.set(t);
            // Due after `every` seconds, or at once if the clock was set back.
            let due = shown.with_untracked(|s| {
                s.as_ref()
                    .is_some_and(|s| t >= s.at + every || t < s.at || t >= valid_until)
            });
            if due {
                make();
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    // Memos, so the figure is redrawn only when the QR changes, not at every tick.
    let expired = Memo::new(move |_| now.get() >= valid_until);
    let text = Memo::new(move |_| shown.with(|s| s.as_ref().map(|s| s.text.clone())));
    let svg = Memo::new(move |_| text.get().and_then(|t| crate::qr_svg::svg(&t)));
    let seconds_left = move || {
        shown
            .with(|s| s.as_ref().map(|s| s.at + every - now.get()))
            .unwrap_or(0)
    };
    // Only the full profile has an encrypted variant: any other choice puts it back to plain,
    // so it is never on unseen when the person comes back to "Lengkap".
    let choose = move |c: Choice| {
        move |_| {
            choice.set(c);
            if c != Choice::Full {
                encrypted_to.set(None);
            }
        }
    };
    let none_yet = institutions.with_value(Vec::is_empty);
    let shown_institution = move || {
        encrypted_to
            .get()
            .and_then(|i| institutions.with_value(|list| list.get(i).map(|(n, _)| n.clone())))
    };
    // What a screen reader says for the figure: what the QR holds and who can open it, not
    // its modules.
    let qr_words = move || {
        let (id, en) = match choice.get() {
            Choice::Full => ("data lengkap", "full data"),
            Choice::Basic => ("data dasar", "basic data"),
            Choice::Age => ("hanya usia 17+", "age 17+ only"),
        };
        let (to_id, to_en) = match shown_institution() {
            Some(name) => (
                format!(", terenkripsi untuk {name}"),
                format!(", encrypted for {name}"),
            ),
            None => (String::new(), String::new()),
        };
        i18n.pick(
            format!("QR KTP digital berisi {id}{to_id}. Tunjukkan layar ini kepada pemeriksa untuk dipindai."),
            format!("Digital KTP QR with {en}{to_en}. Show this screen to the checker to scan."),
        )
    };
    view! {
        <div class="segmented" role="group" aria-label=move || i18n.t("Isi QR", "QR contents")>
            <button aria-pressed=move || (choice.get() == Choice::Full).to_string() on:click=choose(Choice::Full)>{move || i18n.t("Lengkap", "Full")}</button>
            <button aria-pressed=move || (choice.get() == Choice::Basic).to_string() on:click=choose(Choice::Basic)>{move || i18n.t("Dasar", "Basic")}</button>
            <button aria-pressed=move || (choice.get() == Choice::Age).to_string() on:click=choose(Choice::Age)>"17+"</button>
        </div>
        <label class="field" class:disabled=move || choice.get() != Choice::Full>
            <span>{move || if choice.get() == Choice::Full {
                i18n.t("Enkripsi untuk instansi", "Encrypt for an institution")
            } else {
                i18n.t("Enkripsi (hanya untuk isi Lengkap)", "Encryption (only for the full contents)")
            }}</span>
            <select data-testid="qr-institution"
                disabled=move || choice.get() != Choice::Full || none_yet
                prop:value=move || encrypted_to.get().map(|i| i.to_string()).unwrap_or_default()
                on:change=move |ev| encrypted_to.set(event_target_value(&ev).parse::<usize>().ok())>
                <option value="">{move || i18n.t("Tidak dienkripsi", "Not encrypted")}</option>
                {institutions.with_value(|list| list.iter().enumerate().map(|(i, (name, _))| view! {
                    <option value=i.to_string()>{name.clone()}</option>
                }).collect::<Vec<_>>())}
            </select>
        </label>
        {move || shown_institution().map(|name| view! {
            <p class="muted" data-testid="qr-encrypted-for">{move || i18n.pick(
                format!("Hanya {name} yang dapat membuka QR ini, dengan kuncinya sendiri.", ),
                format!("Only {name} can open this QR, with its own key."),
            )}</p>
        })}
        {none_yet.then(|| view! {
            <p class="muted">{move || i18n.t(
                "Belum ada instansi yang menerima QR terenkripsi.",
                "No institution accepts encrypted QRs yet.",
            )}</p>
        })}
        {move || {
            if expired.get() {
                return view! {
                    <section class="card warning" role="alert" data-testid="qr-expired">
                        <p>{move || i18n.pick(
                            format!("QR luring habis sejak {}. Hubungkan ke internet dan buka aplikasi untuk QR baru.", local_time(valid_until)),
                            format!("The offline QRs ran out at {}. Connect to the internet and open the app for new ones.", local_time(valid_until)),
                        )}</p>
                    </section>
                }.into_any();
            }
            match svg.get() {
                Some(svg) => view! {
                    <figure class="qr-figure" data-testid="qr" data-qr-text=move || text.get().unwrap_or_default()
                        data-qr-profile=move || shown.with(|s| s.as_ref().map(|s| s.profile.as_str()))
                        data-qr-institution=shown_institution>
                        <div class="qr-code" role="img" aria-label=qr_words inner_html=svg></div>
                        <figcaption>
                            <span data-testid="qr-countdown">
                                <span aria-hidden="true">{move || i18n.pick(
                                    format!("Berganti dalam {}", minutes_seconds(seconds_left())),
                                    format!("Changes in {}", minutes_seconds(seconds_left())),
                                )}</span>
                                // Read out as words: "0:17" means little to a screen reader.
                                <span class="visually-hidden">{move || {
                                    let left = seconds_left().max(0);
                                    i18n.pick(
                                        format!("Berganti dalam {} menit {} detik", left / 60, left % 60),
                                        format!("Changes in {} minutes {} seconds", left / 60, left % 60),
                                    )
                                }}</span>
                            </span>
                        </figcaption>
                    </figure>
                }.into_any(),
                None if failed.get() => view! {
                    <section class="card warning" role="alert" data-testid="qr-failed">
                        <p>{move || i18n.t(
                            "QR tidak dapat dibuat di perangkat ini. Masuk kembali saat online untuk memperbaruinya.",
                            "The QR cannot be made on this device. Log in again while online to renew it.",
                        )}</p>
                        <a class="button primary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                    </section>
                }.into_any(),
                None => ().into_any(),
            }
        }}
        <p class="muted">{move || i18n.pick(
            format!("QR luring tersedia sampai {}; sebelum itu, buka aplikasi sekali saat online.", local_time(valid_until)),
            format!("Offline QRs last until {}; open the app online once before then.", local_time(valid_until)),
        )}</p>
    }
}
