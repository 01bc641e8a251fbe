//! The 6-digit PIN: set after each person's first login on this device (it seals their local
//! copy), and asked at every open. Five wrong PINs wipe that person's copy; logging in online
//! restores it. "Lupa PIN?" logs in again with the password and sets a new PIN over a fresh
//! copy.

use ikd_core::vault::{MAX_PIN_FAILURES, PIN_LEN};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::components::page::Page;
use crate::i18n::use_i18n;
use crate::state::use_app;
use crate::vault_store::{self, StoreError};

fn digits_only(text: String) -> String {
    text.chars()
        .filter(char::is_ascii_digit)
        .take(PIN_LEN)
        .collect()
}

#[component]
pub fn SetPinPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Opened with nothing to seal (the app was closed on this screen, or the address typed):
    // with a valid session the copy is fetched again, as after login; without one there is
    // nothing a PIN could lock, and the person logs in first.
    let checking = RwSignal::new(app.pending.with_value(Option::is_none));
    if checking.get_untracked() {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let resumed = match crate::api::session().await {
                // The session's person may be anyone on this phone: their copy goes to the
                // profile a login would use (the one "Lupa PIN?" renews, or a new one), never
                // to whoever was chosen on "Siapa yang memakai?".
                Ok(_) if crate::sync::may_resume() => match app.login_profile() {
                    Ok(profile) => crate::sync::fetch_bundle(app, profile).await.ok(),
                    Err(_) => None,
                },
                _ => None,
            };
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            match resumed {
                Some(crate::sync::SyncOutcome::NeedsPin) => {
                    checking.try_set(false);
                }
                Some(crate::sync::SyncOutcome::Stored) => navigate("/", replace),
                None => navigate("/masuk", replace),
            }
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (first, second) = (pin.get_untracked(), again.get_untracked());
        if let Err(err) = ikd_core::vault::check_new_pin(&first) {
            error.set(Some(match err {
                ikd_core::vault::VaultError::PinWeak => i18n
                    .t(
                        "PIN terlalu mudah ditebak (mis. 123456). Pilih yang lain.",
                        "That PIN is too easy to guess (e.g. 123456). Choose another.",
                    )
                    .to_owned(),
                _ => i18n.pick(
                    format!("PIN harus {PIN_LEN} angka."),
                    format!("The PIN must be {PIN_LEN} digits."),
                ),
            }));
            return;
        }
        if first != second {
            error.set(Some(
                i18n.t("Kedua PIN tidak sama.", "The two PINs differ.")
                    .to_owned(),
            ));
            return;
        }
        let (Some(contents), Some(profile)) = (app.pending.get_value(), app.profile.get_value())
        else {
            error.set(Some(
                i18n.t("Masuk terlebih dahulu.", "Log in first.").to_owned(),
            ));
            return;
        };
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let full_name = app
                .bundle
                .with_untracked(|b| b.as_ref().map(|b| b.ktp.full_name.clone()))
                .unwrap_or_default();
            match vault_store::seal_bundle(&profile, &full_name, &contents, &first).await {
                Ok(()) => {
                    app.pin.set_value(Some(first));
                    app.keys.set_value(Some(contents.keys));
                    app.pending.set_value(None);
                    navigate("/", Default::default());
                }
                Err(StoreError::NoSecureRandom(no_random)) => error.set(Some(
                    i18n.t(no_random.message_id(), no_random.message_en())
                        .to_owned(),
                )),
                Err(_) => error.set(Some(
                    i18n.t(
                        "Penyimpanan peramban tidak tersedia.",
                        "Browser storage is unavailable.",
                    )
                    .to_owned(),
                )),
            }
            busy.set(false);
        });
    };
    view! {
        <Page title_id="Buat PIN" title_en="Create a PIN">
            <Show when=move || !checking.get() fallback=move || view! {
                <p class="muted" role="status">{move || i18n.t("Memeriksa sesi…", "Checking the session…")}</p>
            }>
            <form class="card form" on:submit=submit.clone()>
                <p>{move || i18n.pick(
                    format!("PIN {PIN_LEN} angka mengunci KTP digital di perangkat ini. PIN ditanyakan setiap kali aplikasi dibuka."),
                    format!("A {PIN_LEN}-digit PIN locks the digital KTP on this device. It is asked every time the app opens."),
                )}</p>
                <label for="pin">"PIN"</label>
                <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength=PIN_LEN.to_string() class="pin"
                    prop:value=move || pin.get() on:input=move |ev| pin.set(digits_only(event_target_value(&ev))) />
                <label for="pin-again">{move || i18n.t("Ulangi PIN", "Repeat the PIN")}</label>
                <input id="pin-again" name="pin-again" type="password" inputmode="numeric" autocomplete="off" maxlength=PIN_LEN.to_string() class="pin"
                    prop:value=move || again.get() on:input=move |ev| again.set(digits_only(event_target_value(&ev))) />
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Simpan PIN", "Save PIN")}</button>
            </form>
            </Show>
        </Page>
    }
}

#[component]
pub fn UnlockPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let pin = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let wiped = RwSignal::new(false);
    let outdated = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Whose copy: the person chosen on "Siapa yang memakai?", or the only one.
    let people = LocalResource::new(vault_store::profiles);
    let chosen = move || {
        let list = people.get()?;
        let id = app
            .profile
            .get_value()
            .filter(|id| list.iter().any(|p| &p.id == id))
            .or_else(|| match list.as_slice() {
                [only] => Some(only.id.clone()),
                _ => None,
            })?;
        list.into_iter().find(|p| p.id == id)
    };
    let several = move || people.get().is_some_and(|list| list.len() > 1);
    // A copy sealed under the phone's screen lock opens only with it.
    let passkey = LocalResource::new(move || {
        let id = chosen().map(|p| p.id);
        async move {
            match id {
                Some(id) => vault_store::passkey_lock(&id).await,
                None => None,
            }
        }
    });
    let by_passkey = move || passkey.get().flatten().is_some();
    let open_with_passkey = {
        let navigate = navigate.clone();
        move |_| {
            let (Some(person), Some(lock)) = (chosen(), passkey.get_untracked().flatten()) else {
                return;
            };
            let navigate = navigate.clone();
            busy.set(true);
            message.set(None);
            leptos::task::spawn_local(async move {
                match crate::passkey_unlock::evaluate(&lock).await {
                    Ok(output) => {
                        let key = ikd_core::vault::key_from_prf(&output);
                        match vault_store::unlock_with_key(&person.id, &key).await {
                            Ok((bundle, contents)) => {
                                app.profile.set_value(Some(person.id));
                                app.passkey
                                    .set_value(Some(crate::state::PasskeySeal { lock, key }));
                                app.keys.set_value(Some(contents.keys));
                                app.bundle.set(Some(bundle));
                                navigate("/", Default::default());
                                crate::sync::refresh_if_due(app).await;
                            }
                            Err(_) => message.set(Some(i18n.t(
                                "Kunci layar ini tidak membuka salinan di perangkat ini. Masuk lagi saat online untuk mengunduhnya ulang.",
                                "This screen lock does not open the copy on this device. Log in again while online to download it anew.",
                            ).to_owned())),
                        }
                    }
                    Err(failure) => message.set(Some(
                        i18n.t(failure.message_id(), failure.message_en())
                            .to_owned(),
                    )),
                }
                busy.set(false);
            });
        }
    };
    Effect::new({
        let navigate = navigate.clone();
        move || {
            if let Some(list) = people.get()
                && list.len() > 1
                && chosen().is_none()
                && !wiped.get_untracked()
            {
                navigate("/siapa", Default::default());
            }
        }
    });
    let forgot = {
        let navigate = navigate.clone();
        move |_| {
            if let Some(person) = chosen() {
                app.relogin.set_value(Some(person.id));
                navigate("/masuk", Default::default());
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pin.get_untracked();
        let navigate = navigate.clone();
        let Some(person) = chosen() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match vault_store::unlock_verified(&person.id, &typed).await {
                Ok((bundle, contents)) => {
                    app.profile.set_value(Some(person.id));
                    app.pin.set_value(Some(typed));
                    app.keys.set_value(Some(contents.keys));
                    app.bundle.set(Some(bundle));
                    navigate("/", Default::default());
                    crate::sync::refresh_if_due(app).await;
                }
                Err(StoreError::WrongPin { remaining }) => {
                    pin.set(String::new());
                    message.set(Some(i18n.pick(
                        format!("PIN salah. Sisa percobaan: {remaining}. Setelah {MAX_PIN_FAILURES} kali salah, data di perangkat ini dihapus."),
                        format!("Wrong PIN. Tries left: {remaining}. After {MAX_PIN_FAILURES} wrong PINs the data on this device is wiped."),
                    )));
                }
                Err(StoreError::Wiped | StoreError::Empty) => {
                    // Back only with the password: the session this phone holds no longer
                    // restores the copy, and is ended when this person was the only one on
                    // the phone (on a shared phone it may be another person's, whose QRs a
                    // logout would revoke).
                    crate::sync::require_login();
                    if people.get_untracked().is_some_and(|list| list.len() <= 1) {
                        let _ = crate::api::logout().await;
                    }
                    crate::browser::forget_device_id(&person.id);
                    app.profile.set_value(None);
                    wiped.set(true);
                }
                Err(StoreError::Outdated) => {
                    // The old copy is gone; a session that is still valid resumes (home
                    // fetches a new copy), otherwise the person logs in.
                    outdated.set(true);
                }
                Err(StoreError::PasskeyOnly) => message.set(Some(i18n.t(
                    "Salinan ini dibuka dengan kunci layar, bukan PIN.",
                    "This copy opens with the screen lock, not a PIN.",
                ).to_owned())),
                Err(StoreError::Tampered) => message.set(Some(i18n.t(
                    "Data tersimpan telah diubah dan ditolak. Masuk kembali untuk mengunduh ulang.",
                    "The stored data was altered and is refused. Log in again to download it anew.",
                ).to_owned())),
                Err(_) => message.set(Some(i18n.t("Penyimpanan peramban tidak tersedia.", "Browser storage is unavailable.").to_owned())),
            }
            busy.set(false);
        });
    };
    view! {
        <Page title_id="Masukkan PIN" title_en="Enter your PIN">
            <Show when=move || outdated.get()>
                <section class="card warning" role="alert" data-testid="vault-outdated">
                    <p>{move || i18n.t(
                        "KTP digital di perangkat ini dibuat oleh versi aplikasi sebelumnya dan tidak dapat membuat QR baru. Masuk kembali saat online untuk memperbaruinya.",
                        "The digital KTP on this device was made by an earlier version of the app and cannot make new QRs. Log in again while online to renew it.",
                    )}</p>
                    <a class="button primary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                </section>
            </Show>
            <Show when=move || !wiped.get() && !outdated.get() fallback=move || wiped.get().then(|| view! {
                <section class="card warning" role="alert">
                    <p class="wiped">{move || i18n.pick(
                        format!("{MAX_PIN_FAILURES} kali PIN salah: KTP digital orang ini di perangkat ini telah dihapus (milik orang lain tetap ada). Untuk kembali: sambungkan ke internet, masuk dengan NIK atau email dan kata sandi, lalu buat PIN baru."),
                        format!("{MAX_PIN_FAILURES} wrong PINs: this person's digital KTP on this device has been wiped (other people's stay). To come back: go online, log in with your NIK or email and password, then create a new PIN."),
                    )}</p>
                    <a class="button primary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                </section>
            })>
                <section class="card form" data-testid="unlock-passkey" hidden=move || !by_passkey()>
                        {move || chosen().map(|person| view! {
                            <p class="profile-name">{person.masked_name}</p>
                        })}
                        <p>{move || i18n.t(
                            "KTP digital ini dikunci dengan kunci layar ponsel (sidik jari, wajah, pola atau PIN ponsel), bukan PIN aplikasi.",
                            "This digital KTP is locked with the phone's screen lock (fingerprint, face, pattern or phone PIN), not the app PIN.",
                        )}</p>
                        <p class="field-error" role="alert">{move || message.get()}</p>
                        <button class="primary" on:click=open_with_passkey.clone() disabled=move || busy.get()>{move || i18n.t("Buka dengan kunci layar", "Unlock with screen lock")}</button>
                        <button type="button" class="link" on:click=forgot.clone()>{move || i18n.t("Tidak bisa? Masuk lagi dengan kata sandi", "Cannot? Log in again with your password")}</button>
                        <Show when=several>
                            <a href="/siapa">{move || i18n.t("Ganti orang", "Switch person")}</a>
                        </Show>
                </section>
                <form class="card form" on:submit=submit.clone() hidden=by_passkey>
                    {move || chosen().map(|person| view! {
                        <p class="profile-name" data-testid="unlock-profile">{person.masked_name}</p>
                    })}
                    <label for="pin">"PIN"</label>
                    <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength=PIN_LEN.to_string() class="pin"
                        prop:value=move || pin.get() on:input=move |ev| pin.set(digits_only(event_target_value(&ev))) />
                    <p class="field-error" role="alert">{move || message.get()}</p>
                    <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Buka", "Unlock")}</button>
                    <button type="button" class="link" on:click=forgot.clone()>{move || i18n.t("Lupa PIN?", "Forgot your PIN?")}</button>
                    <Show when=several>
                        <a href="/siapa">{move || i18n.t("Ganti orang", "Switch person")}</a>
                    </Show>
                </form>
            </Show>
        </Page>
    }
}
