//! Akun (Pengaturan → Akun, issue 17): the account as the service keeps it, and its care by
//! its owner: email (changed only once a code sent to the new address comes back), phone,
//! password, the devices (the active one marked, revoked ones with the reason), the sessions
//! (end any other), a copy of everything (a JSON file, or a printable page:
//! [`super::account_export`]) and the way out ([`super::account_close`]).

use ikd_core::account_api::{AccountOverview, DeviceView, SessionView};
use ikd_core::citizen_api::ChangePasswordRequest;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::browser::local_time;
use crate::components::page::Page;
use crate::components::problem::ProblemText;
use crate::consent_words::revocation_reason;
use crate::i18n::use_i18n;
use crate::state::use_app;

/// A message from the service, in both languages.
type Said = Option<(String, String)>;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let account = RwSignal::new(None::<AccountOverview>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let loaded = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if !app.online.get_untracked() {
            loaded.try_set(true);
            return;
        }
        match api::account().await {
            Ok(overview) => {
                account.try_set(Some(overview));
            }
            Err(err) => {
                problem.try_set(Some(err));
            }
        }
        loaded.try_set(true);
    });
    view! {
        <Page title_id="Akun" title_en="Account" back="/pengaturan">
            <Show when=move || app.online.get() fallback=move || view! {
                <p class="card">{move || i18n.t("Pengaturan akun perlu koneksi internet.", "Account settings need an internet connection.")}</p>
            }>
                <Show when=move || loaded.get() fallback=move || view! { <p class="muted" aria-live="polite">{move || i18n.t("Memuat…", "Loading…")}</p> }>
                    {move || problem.get().map(|p| view! {
                        <ProblemText problem=p />
                        <a class="button secondary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                    })}
                    <Show when=move || account.with(Option::is_some)>
                        <ContactSection account />
                        <PasswordSection />
                        <DevicesSection account />
                        <SessionsSection account />
                        <DataSection />
                    </Show>
                </Show>
            </Show>
        </Page>
    }
}

#[component]
fn ContactSection(account: RwSignal<Option<AccountOverview>>) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |f: fn(&AccountOverview) -> String| {
        move || account.with(|a| a.as_ref().map(f).unwrap_or_default())
    };
    let new_email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let phone = RwSignal::new(
        account.with_untracked(|a| a.as_ref().map(|a| a.phone.clone()).unwrap_or_default()),
    );
    let email_said = RwSignal::new(None::<(String, String)>);
    let email_problem = RwSignal::new(None::<ApiProblem>);
    let phone_said = RwSignal::new(false);
    let phone_problem = RwSignal::new(None::<ApiProblem>);
    let busy = RwSignal::new(false);
    let pending_email = move || account.with(|a| a.as_ref().and_then(|a| a.pending_email.clone()));

    let ask_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        email_problem.set(None);
        email_said.set(None);
        leptos::task::spawn_local(async move {
            let wanted = new_email.get_untracked().trim().to_owned();
            match api::request_email_change(&wanted).await {
                Ok(notice) => {
                    email_said.try_set(Some((notice.message, notice.message_en)));
                    account.try_update(|a| {
                        if let Some(a) = a {
                            a.pending_email = Some(wanted);
                        }
                    });
                }
                Err(err) => {
                    email_problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    let confirm_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        email_problem.set(None);
        leptos::task::spawn_local(async move {
            match api::confirm_email_change(code.get_untracked().trim()).await {
                Ok(overview) => {
                    account.try_set(Some(overview));
                    new_email.try_set(String::new());
                    code.try_set(String::new());
                    email_said.try_set(Some((
                        "Email baru tersimpan.".into(),
                        "New email saved.".into(),
                    )));
                }
                Err(err) => {
                    email_problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    let save_phone = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        phone_problem.set(None);
        phone_said.set(false);
        leptos::task::spawn_local(async move {
            match api::change_phone(phone.get_untracked().trim()).await {
                Ok(overview) => {
                    account.try_set(Some(overview));
                    phone_said.try_set(true);
                }
                Err(err) => {
                    phone_problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="account-contact">
            <h2 id="account-contact">{move || i18n.t("Email dan nomor HP", "Email and phone")}</h2>
            <dl>
                <div class="num-row"><dt>"NIK"</dt><dd class="num">{field(|a| a.nik.clone())}</dd></div>
                <div><dt>"Email"</dt><dd data-testid="account-email">{field(|a| a.email.clone())}</dd></div>
                <div><dt>{move || i18n.t("Nomor HP", "Phone")}</dt><dd data-testid="account-phone">{field(|a| a.phone.clone())}</dd></div>
                <div><dt>{move || i18n.t("Aktif sejak", "Active since")}</dt><dd>{move || account.with(|a| a.as_ref().map(|a| local_time(a.activated_at)).unwrap_or_default())}</dd></div>
            </dl>
            <form class="form" on:submit=ask_code novalidate=true>
                <label for="new-email">{move || i18n.t("Email baru", "New email")}</label>
                <input id="new-email" type="email" autocomplete="email" bind:value=new_email />
                <button type="submit" class="secondary" disabled=move || busy.get()>{move || i18n.t("Kirim kode ke email baru", "Send a code to the new email")}</button>
            </form>
            {move || pending_email().map(|address| view! {
                <form class="form" on:submit=confirm_code novalidate=true>
                    <p role="status">{move || i18n.pick(
                        format!("Kode dikirim ke {address}. Email lama tetap dipakai sampai kode dimasukkan."),
                        format!("A code was sent to {address}. The old email stays until the code is entered."),
                    )}</p>
                    <label for="email-code">{move || i18n.t("Kode dari email baru", "Code from the new email")}</label>
                    <input id="email-code" class="code" autocomplete="one-time-code" autocapitalize="characters" bind:value=code />
                    <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.t("Konfirmasi email baru", "Confirm the new email")}</button>
                </form>
            })}
            {move || email_said.get().map(|(id, en)| view! { <p class="ok" role="status">{i18n.pick(id, en)}</p> })}
            {move || email_problem.get().map(|p| view! { <ProblemText problem=p /> })}
            <form class="form" on:submit=save_phone novalidate=true>
                <label for="new-phone">{move || i18n.t("Nomor HP baru", "New phone number")}</label>
                <input id="new-phone" type="tel" inputmode="tel" autocomplete="tel" bind:value=phone />
                <button type="submit" class="secondary" disabled=move || busy.get()>{move || i18n.t("Simpan nomor HP", "Save phone number")}</button>
            </form>
            <Show when=move || phone_said.get()>
                <p class="ok" role="status">{move || i18n.t("Nomor HP tersimpan.", "Phone number saved.")}</p>
            </Show>
            {move || phone_problem.get().map(|p| view! { <ProblemText problem=p /> })}
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<(String, String)>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let mismatch = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        problem.set(None);
        let differs = new.get_untracked() != again.get_untracked();
        mismatch.set(differs);
        if differs {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = ChangePasswordRequest {
                current_password: current.get_untracked(),
                new_password: new.get_untracked(),
            };
            match api::change_password(&request).await {
                Ok(notice) => {
                    said.try_set(Some((notice.message, notice.message_en)));
                    current.try_set(String::new());
                    new.try_set(String::new());
                    again.try_set(String::new());
                }
                Err(err) => {
                    problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="account-password">
            <h2 id="account-password">{move || i18n.t("Kata sandi", "Password")}</h2>
            <form class="form" on:submit=submit novalidate=true>
                <label for="current-password">{move || i18n.t("Kata sandi sekarang", "Current password")}</label>
                <input id="current-password" type="password" autocomplete="current-password" bind:value=current />
                <label for="changed-password">{move || i18n.t("Kata sandi baru", "New password")}</label>
                <input id="changed-password" type="password" autocomplete="new-password" bind:value=new />
                <label for="changed-password-again">{move || i18n.t("Ulangi kata sandi baru", "Repeat the new password")}</label>
                <input id="changed-password-again" type="password" autocomplete="new-password" bind:value=again
                    aria-invalid=move || mismatch.get().to_string() />
                <Show when=move || mismatch.get()>
                    <p class="field-error" role="alert">{move || i18n.t("Kedua kata sandi baru tidak sama.", "The two new passwords differ.")}</p>
                </Show>
                <p class="muted">{move || i18n.t("Sesi di perangkat lain berakhir setelah kata sandi diubah.", "Sessions on other devices end once the password is changed.")}</p>
                {move || said.get().map(|(id, en)| view! { <p class="ok" role="status">{i18n.pick(id, en)}</p> })}
                {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
                <button type="submit" class="secondary" disabled=move || busy.get()>{move || i18n.t("Ubah kata sandi", "Change password")}</button>
            </form>
        </section>
    }
}

#[component]
fn DevicesSection(account: RwSignal<Option<AccountOverview>>) -> impl IntoView {
    let i18n = use_i18n();
    let devices =
        move || account.with(|a| a.as_ref().map(|a| a.devices.clone()).unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="account-devices">
            <h2 id="account-devices">{move || i18n.t("Perangkat", "Devices")}</h2>
            <p class="muted">{move || i18n.t(
                "Hanya satu perangkat yang aktif. Ponsel hilang? Laporkan dari peramban mana pun lewat \u{201c}Ponsel hilang?\u{201d} di halaman Masuk.",
                "Only one device is active. Lost your phone? Report it from any browser through \u{201c}Lost your phone?\u{201d} on the login page.",
            )}</p>
            <ul class="plain-list">
                {move || devices().into_iter().map(|device| view! { <DeviceLine device /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DeviceLine(device: DeviceView) -> impl IntoView {
    let i18n = use_i18n();
    let DeviceView {
        label,
        first_seen,
        active,
        current,
        revoked_at,
        revocation_reason: reason,
    } = device;
    view! {
        <li data-testid="device" data-active=active.to_string()>
            <strong class="num">{label}</strong>
            {current.then(|| view! { " "<span class="tag">{move || i18n.t("Perangkat ini", "This device")}</span> })}
            {active.then(|| view! { " "<span class="tag">{move || i18n.t("Aktif", "Active")}</span> })}
            <br />
            <span class="muted">{move || i18n.t("Pertama dipakai ", "First used ")}{local_time(first_seen)}</span>
            {revoked_at.map(|at| {
                let (id, en) = revocation_reason(reason.as_deref().unwrap_or(""));
                view! {
                    <p class="detail"><span class="tag off">{move || i18n.t("Dicabut", "Revoked")}</span>" "{local_time(at)}" · "{move || i18n.pick(id.clone(), en.clone())}</p>
                }
            })}
        </li>
    }
}

#[component]
fn SessionsSection(account: RwSignal<Option<AccountOverview>>) -> impl IntoView {
    let i18n = use_i18n();
    let sessions =
        move || account.with(|a| a.as_ref().map(|a| a.sessions.clone()).unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="account-sessions">
            <h2 id="account-sessions">{move || i18n.t("Sesi masuk", "Sessions")}</h2>
            <ul class="plain-list">
                {move || sessions().into_iter().map(|session| view! { <SessionLine session account /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SessionLine(session: SessionView, account: RwSignal<Option<AccountOverview>>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let SessionView {
        id,
        created_at,
        last_seen,
        current,
    } = session;
    let end = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::end_session(&id).await {
                    Ok(()) => {
                        account.try_update(|a| {
                            if let Some(a) = a {
                                a.sessions.retain(|s| s.id != id);
                            }
                        });
                    }
                    Err(err) => {
                        problem.try_set(Some(err));
                        busy.try_set(false);
                    }
                }
            });
        }
    };
    view! {
        <li data-testid="session">
            {move || i18n.t("Masuk ", "Signed in ")}{local_time(created_at)}
            {current.then(|| view! { " "<span class="tag">{move || i18n.t("Sesi ini", "This session")}</span> })}
            <br />
            <span class="muted">{move || i18n.t("Terakhir dipakai ", "Last used ")}{local_time(last_seen)}</span>
            {(!current).then(|| view! {
                <button class="secondary" disabled=move || busy.get() on:click=end.clone()>{move || i18n.t("Akhiri sesi", "End session")}</button>
            })}
            {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
        </li>
    }
}

#[component]
fn DataSection() -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiProblem>);
    let said = RwSignal::new(Said::None);
    let download = move |_| {
        busy.set(true);
        problem.set(None);
        said.set(None);
        leptos::task::spawn_local(async move {
            match api::export_text().await {
                Ok((text, export)) => {
                    let name = format!("ikd-data-saya-{}.json", export.account.nik);
                    match crate::browser::save_text_file(&name, "application/json", &text) {
                        Ok(()) => {
                            said.try_set(Some((
                                format!("Tersimpan sebagai {name}."),
                                format!("Saved as {name}."),
                            )));
                        }
                        Err(_) => {
                            problem.try_set(Some(ApiProblem::Unreadable));
                        }
                    }
                }
                Err(err) => {
                    problem.try_set(Some(err));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="account-data">
            <h2 id="account-data">{move || i18n.t("Data saya", "My data")}</h2>
            <p>{move || i18n.t(
                "Salinan semua data yang disimpan layanan tentang Anda: akun, KTP dan KK, pendaftaran, persetujuan, kredensial dan riwayat.",
                "A copy of everything the service keeps about you: account, KTP and KK, registrations, consents, credentials and history.",
            )}</p>
            <div class="actions">
                <button class="secondary" disabled=move || busy.get() on:click=download>{move || i18n.t("Unduh data saya (JSON)", "Download my data (JSON)")}</button>
                <a class="button secondary" href="/akun/cetak">{move || i18n.t("Cetak data saya", "Print my data")}</a>
            </div>
            {move || said.get().map(|(id, en)| view! { <p class="ok" role="status">{i18n.pick(id, en)}</p> })}
            {move || problem.get().map(|p| view! { <ProblemText problem=p /> })}
            <h2>{move || i18n.t("Tutup akun", "Close account")}</h2>
            <a class="button secondary" href="/akun/tutup">{move || i18n.t("Tutup akun…", "Close the account…")}</a>
        </section>
    }
}
