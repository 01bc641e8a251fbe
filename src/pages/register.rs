//! Daftar: NIK (checked as it is typed), email, phone, a selfie, the desk QR (or its short
//! code), the captcha solved on the device, then the service's answer next to its field.

use ikd_core::citizen_api::RegistrationRequest;
use ikd_core::console_api::DESK_SHORT_CODE_LEN;
use ikd_core::ktp::{self, MIN_AGE};
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::components::camera_view::{QrScanner, SelfieCamera};
use crate::components::captcha_progress::CaptchaProgress;
use crate::components::page::Page;
use crate::components::problem::{ProblemText, field_message};
use crate::i18n::{I18n, use_i18n};

/// The NIK as the person types it: nothing while empty, else the first problem found.
fn nik_hint(nik: &str, i18n: I18n) -> Option<String> {
    if nik.is_empty() {
        return None;
    }
    let today =
        ikd_core::Date::from_days_since_epoch((crate::browser::now_secs() / 86_400) as i32)?;
    match ikd_core::nik::check_nik_shape(nik.trim(), today) {
        Ok(info) if !ktp::old_enough(info.birth_date, today) => Some(i18n.pick(
            format!("KTP digital hanya untuk usia {MIN_AGE} tahun ke atas"),
            format!("The digital KTP is only for ages {MIN_AGE} and over"),
        )),
        Ok(_) => None,
        Err(err) => Some(i18n.pick(err.message_id(), err.message_en())),
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let nik = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let selfie = RwSignal::new(None::<String>);
    let desk_token = RwSignal::new(String::new());
    let taking_selfie = RwSignal::new(false);
    let scanning = RwSignal::new(false);
    let progress = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let done = RwSignal::new(None::<(String, String)>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let Some(photo) = selfie.get_untracked() else {
            problem.set(Some(ApiProblem::Refused(
                ikd_core::ApiErrorBody::new(
                    "selfie-missing",
                    "Ambil swafoto terlebih dahulu",
                    "Take a selfie first",
                )
                .for_field("selfie"),
            )));
            return;
        };
        leptos::task::spawn_local(async move {
            progress.set(Some(0));
            let result = async {
                let captcha = api::solved_captcha(|p| progress.set(Some(p))).await?;
                let request = RegistrationRequest {
                    nik: nik.get_untracked().trim().to_owned(),
                    email: email.get_untracked(),
                    phone: phone.get_untracked(),
                    selfie_jpeg: photo,
                    desk_token: desk_token.get_untracked().trim().to_owned(),
                    captcha,
                };
                api::register(&request).await
            }
            .await;
            progress.set(None);
            match result {
                Ok(accepted) => done.set(Some((accepted.message, accepted.message_en))),
                Err(err) => problem.set(Some(err)),
            }
        });
    };

    let field_error = move |field: &'static str| move || field_message(problem.get(), field, i18n);

    view! {
        <Page title_id="Daftar KTP Digital" title_en="Register for the digital KTP" back="/">
            <Show
                when=move || done.get().is_none()
                fallback=move || view! {
                    <section class="card success" role="status">
                        <p>{move || done.get().map(|(id, en)| i18n.pick(id, en))}</p>
                        <a class="button primary" href="/aktivasi">{move || i18n.t("Saya sudah menerima kode aktivasi", "I have my activation code")}</a>
                    </section>
                }
            >
                <form class="card form" on:submit=submit novalidate=true>
                    <p class="intro">{move || i18n.t(
                        "Daftar di loket Dukcapil: petugas mencocokkan wajah Anda, lalu kode aktivasi dikirim ke email.",
                        "Register at a Dukcapil desk: the officer checks your face, then the activation code is emailed to you.",
                    )}</p>
                    <label for="nik">"NIK"</label>
                    <input id="nik" name="nik" inputmode="numeric" autocomplete="off" maxlength="16" bind:value=nik
                        aria-describedby="nik-hint" />
                    <p id="nik-hint" class="field-error" aria-live="polite">
                        {move || field_error("nik")().or_else(|| nik_hint(&nik.get(), i18n))}
                    </p>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" bind:value=email aria-describedby="email-error" />
                    <p id="email-error" class="field-error" aria-live="polite">{field_error("email")}</p>
                    <label for="phone">{move || i18n.t("Nomor HP", "Mobile number")}</label>
                    <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="08…" bind:value=phone aria-describedby="phone-error" />
                    <p id="phone-error" class="field-error" aria-live="polite">{field_error("phone")}</p>

                    <fieldset>
                        <legend>{move || i18n.t("Swafoto", "Selfie")}</legend>
                        <Show when=move || selfie.get().is_some()>
                            <img class="selfie-preview" alt=move || i18n.t("Swafoto Anda", "Your selfie")
                                src=move || selfie.get().map(|b| format!("data:image/jpeg;base64,{b}")).unwrap_or_default() />
                        </Show>
                        <Show
                            when=move || taking_selfie.get()
                            fallback=move || view! {
                                <button type="button" class="secondary" on:click=move |_| taking_selfie.set(true)>
                                    {move || if selfie.get().is_some() { i18n.t("Ulangi swafoto", "Retake selfie") } else { i18n.t("Buka kamera depan", "Open front camera") }}
                                </button>
                            }
                        >
                            <SelfieCamera on_photo=Callback::new(move |photo: String| {
                                selfie.set(Some(photo));
                                taking_selfie.set(false);
                            }) />
                        </Show>
                        <p class="field-error" aria-live="polite">{field_error("selfie")}</p>
                    </fieldset>

                    <fieldset>
                        <legend>{move || i18n.t("QR loket petugas", "Officer's desk QR")}</legend>
                        <Show
                            when=move || scanning.get()
                            fallback=move || view! {
                                <button type="button" class="secondary" on:click=move |_| scanning.set(true)>
                                    {move || i18n.t("Pindai QR loket", "Scan the desk QR")}
                                </button>
                            }
                        >
                            <QrScanner on_text=Callback::new(move |text: String| {
                                desk_token.set(text);
                                scanning.set(false);
                            }) />
                        </Show>
                        <Show when=move || desk_token.get().starts_with("IKD-MEJA:")>
                            <p class="ok">{move || i18n.t("QR loket terbaca ✓", "Desk QR read ✓")}</p>
                        </Show>
                        <label for="desk-code">{move || i18n.pick(format!("atau ketik kode loket ({DESK_SHORT_CODE_LEN} huruf)"), format!("or type the desk code ({DESK_SHORT_CODE_LEN} characters)"))}</label>
                        <input id="desk-code" name="desk-code" autocomplete="off" maxlength="40"
                            prop:value=move || { let t = desk_token.get(); if t.starts_with("IKD-MEJA:") { String::new() } else { t } }
                            on:input=move |ev| desk_token.set(event_target_value(&ev)) />
                        <p class="field-error" aria-live="polite">{field_error("deskToken")}</p>
                    </fieldset>

                    <CaptchaProgress progress />
                    <p class="field-error" aria-live="polite">{field_error("captcha")}</p>
                    {move || problem.get().filter(|p| p.field().is_none()).map(|p| view! { <ProblemText problem=p /> })}
                    // One account per NIK: the refusal points to where this person goes instead.
                    <Show when=move || problem.with(|p| p.as_ref().and_then(ApiProblem::code) == Some("account-exists"))>
                        <a class="button secondary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                        <a class="button secondary" href="/lupa-sandi">{move || i18n.t("Lupa kata sandi?", "Forgot your password?")}</a>
                    </Show>
                    <button type="submit" class="primary" disabled=move || progress.get().is_some()>
                        {move || i18n.t("Kirim pendaftaran", "Send registration")}
                    </button>
                </form>
            </Show>
        </Page>
    }
}
