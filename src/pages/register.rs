//! Daftar: NIK (checked as it is typed), email, phone, a selfie, the desk QR (or its short
//! code), the captcha solved on the device, then the service's answer next to its field.
//! Every field is checked on the phone before anything is sent, and each problem shows next
//! to its field at once. Once sent, the page follows the registration (see
//! [`crate::pending_registration`]) until the desk has decided, also when reopened.

use std::time::Duration;

use ikd_core::citizen_api::RegistrationRequest;
use ikd_core::console_api::DESK_SHORT_CODE_LEN;
use ikd_core::ktp::{self, MIN_AGE};
use ikd_core::registration_status::RegistrationStatus;
use ikd_core::selfie_quality::SelfieFinding;
use leptos::prelude::*;

use crate::api::{self, ApiProblem};
use crate::camera::Selfie;
use crate::components::camera_view::{QrScanner, SelfieCamera};
use crate::components::captcha_progress::CaptchaProgress;
use crate::components::page::Page;
use crate::components::problem::{ProblemText, field_message};
use crate::i18n::{I18n, use_i18n};
use crate::pending_registration::PendingRegistration;

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

/// One problem the phone found in the form, for the field it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldError {
    field: &'static str,
    id: String,
    en: String,
}

impl FieldError {
    fn new(field: &'static str, id: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field,
            id: id.into(),
            en: en.into(),
        }
    }
}

/// Every problem of the form at once, in the order of the fields, with the rules the
/// service applies too (`ikd_core::nik`, `ikd_core::contact`): the person fixes all of them
/// in one go instead of discovering them one submission at a time. The region part of the
/// NIK stays the service's check: the region tables are not on phones.
fn form_errors(
    nik: &str,
    email: &str,
    phone: &str,
    has_selfie: bool,
    desk_token: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let nik = nik.trim();
    if nik.is_empty() {
        errors.push(FieldError::new(
            "nik",
            "Isi NIK (16 angka, tercetak di KTP)",
            "Enter the NIK (16 digits, printed on the KTP)",
        ));
    } else if let Some(today) =
        ikd_core::Date::from_days_since_epoch((crate::browser::now_secs() / 86_400) as i32)
    {
        match ikd_core::nik::check_nik_shape(nik, today) {
            Ok(info) if !ktp::old_enough(info.birth_date, today) => errors.push(FieldError::new(
                "nik",
                format!("KTP digital hanya untuk usia {MIN_AGE} tahun ke atas"),
                format!("The digital KTP is only for ages {MIN_AGE} and over"),
            )),
            Ok(_) => {}
            Err(err) => errors.push(FieldError::new("nik", err.message_id(), err.message_en())),
        }
    }
    if let Err(err) = ikd_core::contact::normalize_email(email) {
        errors.push(FieldError::new("email", err.message_id(), err.message_en()));
    }
    if let Err(err) = ikd_core::contact::normalize_phone(phone) {
        errors.push(FieldError::new("phone", err.message_id(), err.message_en()));
    }
    if !has_selfie {
        errors.push(FieldError::new(
            "selfie",
            "Ambil swafoto terlebih dahulu",
            "Take a selfie first",
        ));
    }
    if desk_token.trim().is_empty() {
        errors.push(FieldError::new(
            "deskToken",
            format!("Pindai QR loket atau ketik kodenya ({DESK_SHORT_CODE_LEN} huruf/angka)"),
            format!("Scan the desk QR or type its code ({DESK_SHORT_CODE_LEN} letters or digits)"),
        ));
    }
    errors
}

/// The element id of each field, to move the focus to the first one with a problem.
fn input_id(field: &str) -> &'static str {
    match field {
        "nik" => "nik",
        "email" => "email",
        "phone" => "phone",
        "deskToken" => "desk-code",
        _ => "selfie-button",
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let pending = RwSignal::new(PendingRegistration::load());
    view! {
        <Page title_id="Daftar KTP Digital" title_en="Register for the digital KTP" back="/">
            {move || match pending.get() {
                Some(sent) => view! { <RegistrationProgressView sent pending /> }.into_any(),
                None => view! { <RegisterForm pending /> }.into_any(),
            }}
        </Page>
    }
}

/// How often the page asks about a registration still waiting, while it is open.
const POLL_EVERY: Duration = Duration::from_secs(10);

/// What happened to the registration sent from this phone, asked again every
/// [`POLL_EVERY`] and whenever the page comes back to the foreground.
#[component]
fn RegistrationProgressView(
    sent: PendingRegistration,
    pending: RwSignal<Option<PendingRegistration>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(sent.status);
    let reason = RwSignal::new(None::<String>);
    let unreachable = RwSignal::new(false);
    let unknown = RwSignal::new(false);
    let checking = RwSignal::new(false);
    let id = StoredValue::new(sent.id.clone());
    let poll = move || {
        if checking.get_untracked() {
            return;
        }
        checking.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::registration_status(&id.get_value()).await;
            checking.set(false);
            match answer {
                Ok(progress) => {
                    unreachable.set(false);
                    reason.set(progress.reason.filter(|r| !r.trim().is_empty()));
                    status.set(progress.status);
                    match progress.status {
                        // Done with: nothing left to wait for or to fill in.
                        RegistrationStatus::Activated | RegistrationStatus::Superseded => {
                            PendingRegistration::clear()
                        }
                        now => {
                            if let Some(mut kept) = PendingRegistration::load() {
                                kept.status = now;
                                kept.save();
                            }
                        }
                    }
                }
                Err(err) if err.code() == Some("not-found") => {
                    unknown.set(true);
                    PendingRegistration::clear();
                }
                Err(_) => unreachable.set(true),
            }
        });
    };
    poll();
    let waiting = move || {
        matches!(
            status.get_untracked(),
            RegistrationStatus::Pending | RegistrationStatus::Approved
        ) && !unknown.get_untracked()
    };
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if waiting() {
                poll()
            }
        },
        POLL_EVERY,
    ) {
        on_cleanup(move || handle.clear());
    }
    let on_focus = window_event_listener(leptos::ev::focus, move |_| {
        if waiting() {
            poll()
        }
    });
    let on_focus = StoredValue::new_local(Some(on_focus));
    on_cleanup(move || {
        if let Some(handle) = on_focus.try_update_value(Option::take).flatten() {
            handle.remove();
        }
    });
    let start_over = move |_| {
        PendingRegistration::clear();
        pending.set(None);
    };
    view! {
        <section class="card registration-progress" role="status" aria-live="polite"
            data-testid="registration-status" data-status=move || if unknown.get() { "unknown" } else { status.get().as_str() }>
            {move || if unknown.get() {
                view! {
                    <h2>{move || i18n.t("Pendaftaran tidak ditemukan", "Registration not found")}</h2>
                    <p>{move || i18n.t(
                        "Layanan tidak mengenal pendaftaran ini lagi. Daftar ulang di loket Dukcapil.",
                        "The service no longer knows this registration. Register again at a Dukcapil desk.",
                    )}</p>
                }.into_any()
            } else {
                match status.get() {
                    RegistrationStatus::Pending => view! {
                        <h2>{move || i18n.t("Pendaftaran terkirim", "Registration sent")}</h2>
                        <p>{move || i18n.t(
                            "Menunggu petugas mencocokkan wajah Anda di loket. Halaman ini diperbarui sendiri.",
                            "Waiting for the officer to check your face at the desk. This page updates by itself.",
                        )}</p>
                    }.into_any(),
                    RegistrationStatus::Approved => view! {
                        <h2 class="ok">{move || i18n.t("Pendaftaran disetujui", "Registration approved")}</h2>
                        <p>{move || i18n.t(
                            "Cek email Anda untuk kode aktivasi, lalu aktifkan akun.",
                            "Check your email for the activation code, then activate your account.",
                        )}</p>
                    }.into_any(),
                    RegistrationStatus::Rejected => view! {
                        <h2 class="error">{move || i18n.t("Pendaftaran ditolak", "Registration rejected")}</h2>
                        {move || reason.get().map(|r| view! {
                            <p data-testid="rejection-reason">{move || i18n.t("Alasan dari petugas: ", "The officer's reason: ")}<strong>{
                                // A standard reason in the chosen language; an officer's own words as written.
                                let en = ikd_core::console_api::rejection_reason_en(&r).map(str::to_owned).unwrap_or_else(|| r.clone());
                                let id = r.clone();
                                move || i18n.pick(id.clone(), en.clone())
                            }</strong></p>
                        })}
                        <p>{move || i18n.t(
                            "Anda dapat mendaftar ulang di loket Dukcapil.",
                            "You can register again at a Dukcapil desk.",
                        )}</p>
                    }.into_any(),
                    RegistrationStatus::Activated => view! {
                        <h2 class="ok">{move || i18n.t("Akun sudah aktif", "The account is active")}</h2>
                        <p>{move || i18n.t("Masuk dengan NIK dan kata sandi Anda.", "Log in with your NIK and password.")}</p>
                    }.into_any(),
                    RegistrationStatus::Superseded => view! {
                        <h2>{move || i18n.t("Pendaftaran digantikan", "Registration replaced")}</h2>
                        <p>{move || i18n.t(
                            "Pendaftaran yang lebih baru untuk NIK ini menggantikannya.",
                            "A newer registration for this NIK replaced it.",
                        )}</p>
                    }.into_any(),
                }
            }}
            <Show when=move || unreachable.get()>
                <p class="muted">{move || i18n.t(
                    "Status terakhir yang diketahui; layanan tidak dapat dihubungi sekarang.",
                    "Last known status; the service cannot be reached right now.",
                )}</p>
            </Show>
        </section>
        {move || {
            let status = status.get();
            let open = !unknown.get();
            view! {
                <Show when=move || open && matches!(status, RegistrationStatus::Pending | RegistrationStatus::Approved)>
                    <a class=move || if status == RegistrationStatus::Approved { "button primary" } else { "button secondary" } href="/aktivasi">
                        {move || i18n.t("Saya sudah menerima kode aktivasi", "I have my activation code")}
                    </a>
                </Show>
                <Show when=move || open && status == RegistrationStatus::Activated>
                    <a class="button primary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                </Show>
                <Show when=move || !open || matches!(status, RegistrationStatus::Rejected | RegistrationStatus::Superseded)>
                    <button type="button" class="primary" on:click=start_over>{move || i18n.t("Daftar ulang", "Register again")}</button>
                </Show>
            }
        }}
        <Show when=move || status.get() == RegistrationStatus::Pending && !unknown.get()>
            <button type="button" class="link" on:click=start_over>{move || i18n.t("Batalkan dan isi formulir baru", "Discard and fill in a new form")}</button>
        </Show>
    }
}

#[component]
fn RegisterForm(pending: RwSignal<Option<PendingRegistration>>) -> impl IntoView {
    let i18n = use_i18n();
    let nik = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let selfie = RwSignal::new(None::<String>);
    let selfie_findings = RwSignal::new(Vec::<SelfieFinding>::new());
    let desk_token = RwSignal::new(String::new());
    let taking_selfie = RwSignal::new(false);
    let scanning = RwSignal::new(false);
    let progress = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(None::<ApiProblem>);
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let found = form_errors(
            &nik.get_untracked(),
            &email.get_untracked(),
            &phone.get_untracked(),
            selfie.with_untracked(Option::is_some),
            &desk_token.get_untracked(),
        );
        if let Some(first) = found.first() {
            focus(input_id(first.field));
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let Some(photo) = selfie.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            progress.set(Some(0));
            let typed_nik = nik.get_untracked().trim().to_owned();
            let result = async {
                let captcha = api::solved_captcha(|p| progress.set(Some(p))).await?;
                let request = RegistrationRequest {
                    nik: typed_nik.clone(),
                    email: email.get_untracked(),
                    phone: phone.get_untracked(),
                    selfie_jpeg: photo,
                    selfie_findings: selfie_findings.get_untracked(),
                    desk_token: desk_token.get_untracked().trim().to_owned(),
                    captcha,
                };
                api::register(&request).await
            }
            .await;
            progress.set(None);
            match result {
                Ok(accepted) => {
                    let sent = PendingRegistration {
                        id: accepted.registration_id,
                        nik: typed_nik,
                        status: accepted.status,
                    };
                    sent.save();
                    pending.set(Some(sent));
                }
                Err(err) => problem.set(Some(err)),
            }
        });
    };

    // The phone's own finding for a field first, else the service's.
    let field_error = move |field: &'static str| {
        move || {
            errors
                .with(|all| {
                    all.iter()
                        .find(|e| e.field == field)
                        .map(|e| i18n.pick(e.id.clone(), e.en.clone()))
                })
                .or_else(|| field_message(problem.get(), field, i18n))
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            (errors.with(|all| all.iter().any(|e| e.field == field))
                || problem.with(|p| p.as_ref().and_then(ApiProblem::field) == Some(field)))
            .then_some("true")
        }
    };
    // Fixing a field clears its own message; the others stay until the next try.
    let fixed = move |field: &'static str| {
        move || {
            if errors.with_untracked(|all| all.iter().any(|e| e.field == field)) {
                errors.update(|all| all.retain(|e| e.field != field));
            }
        }
    };

    view! {
        <form class="card form" on:submit=submit novalidate=true>
            <p class="intro">{move || i18n.t(
                "Daftar di loket Dukcapil: petugas mencocokkan wajah Anda, lalu kode aktivasi dikirim ke email.",
                "Register at a Dukcapil desk: the officer checks your face, then the activation code is emailed to you.",
            )}</p>
            <label for="nik">"NIK"</label>
            <input id="nik" name="nik" inputmode="numeric" autocomplete="off" maxlength="16" bind:value=nik
                aria-describedby="nik-hint" aria-invalid=invalid("nik") on:input=move |_| fixed("nik")() />
            <p id="nik-hint" class="field-error" aria-live="polite">
                {move || field_error("nik")().or_else(|| nik_hint(&nik.get(), i18n))}
            </p>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" bind:value=email aria-describedby="email-error"
                aria-invalid=invalid("email") on:input=move |_| fixed("email")() />
            <p id="email-error" class="field-error" aria-live="polite">{field_error("email")}</p>
            <label for="phone">{move || i18n.t("Nomor HP", "Mobile number")}</label>
            <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="08…" bind:value=phone aria-describedby="phone-error"
                aria-invalid=invalid("phone") on:input=move |_| fixed("phone")() />
            <p id="phone-error" class="field-error" aria-live="polite">{field_error("phone")}</p>

            <fieldset>
                <legend>{move || i18n.t("Swafoto", "Selfie")}</legend>
                <Show when=move || selfie.get().is_some()>
                    <img class="selfie-preview" alt=move || i18n.t("Swafoto Anda", "Your selfie")
                        src=move || selfie.get().map(|b| format!("data:image/jpeg;base64,{b}")).unwrap_or_default() />
                </Show>
                // The phone's own check: a hint to retake, never a block (the officer decides).
                <Show when=move || selfie.with(Option::is_some) && selfie_findings.with(|f| !f.is_empty())>
                    <div class="card warning selfie-findings" role="status" data-testid="selfie-findings">
                        <p>{move || i18n.t("Periksa swafoto Anda:", "Check your selfie:")}</p>
                        <ul>
                            {move || selfie_findings.get().into_iter().map(|f| view! { <li>{move || i18n.t(f.message_id(), f.message_en())}</li> }).collect_view()}
                        </ul>
                        <p>{move || i18n.t(
                            "Sebaiknya ulangi swafoto: wajah di tengah, cahaya cukup, kamera diam. Anda tetap boleh mengirim; petugas yang memutuskan.",
                            "Better retake the selfie: face in the middle, enough light, camera still. You may still send it; the officer decides.",
                        )}</p>
                    </div>
                </Show>
                <Show
                    when=move || taking_selfie.get()
                    fallback=move || view! {
                        <button type="button" id="selfie-button" class="secondary" on:click=move |_| taking_selfie.set(true)>
                            {move || if selfie.get().is_some() { i18n.t("Ulangi swafoto", "Retake selfie") } else { i18n.t("Buka kamera depan", "Open front camera") }}
                        </button>
                    }
                >
                    <SelfieCamera on_photo=Callback::new(move |photo: Selfie| {
                        selfie_findings.set(photo.findings);
                        selfie.set(Some(photo.jpeg));
                        taking_selfie.set(false);
                        fixed("selfie")();
                    }) />
                </Show>
                <p id="selfie-error" class="field-error" aria-live="polite">{field_error("selfie")}</p>
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
                        fixed("deskToken")();
                    }) />
                </Show>
                <Show when=move || desk_token.get().starts_with("IKD-MEJA:")>
                    <p class="ok">{move || i18n.t("QR loket terbaca ✓", "Desk QR read ✓")}</p>
                </Show>
                <label for="desk-code">{move || i18n.pick(format!("atau ketik kode loket ({DESK_SHORT_CODE_LEN} huruf/angka)"), format!("or type the desk code ({DESK_SHORT_CODE_LEN} letters or digits)"))}</label>
                <input id="desk-code" name="desk-code" autocomplete="off" maxlength="40" aria-describedby="desk-error"
                    aria-invalid=invalid("deskToken")
                    prop:value=move || { let t = desk_token.get(); if t.starts_with("IKD-MEJA:") { String::new() } else { t } }
                    on:input=move |ev| { desk_token.set(event_target_value(&ev)); fixed("deskToken")(); } />
                <p id="desk-error" class="field-error" aria-live="polite">{field_error("deskToken")}</p>
            </fieldset>

            <CaptchaProgress progress />
            <p class="field-error" aria-live="polite">{field_error("captcha")}</p>
            {move || problem.get().filter(|p| p.field().is_none()).map(|p| view! { <ProblemText problem=p /> })}
            // One account per NIK: the refusal points to where this person goes instead.
            <Show when=move || problem.with(|p| p.as_ref().and_then(ApiProblem::code) == Some("account-exists"))>
                <nav class="actions account-exists" data-testid="account-exists" aria-label=move || i18n.t("Akun sudah ada", "The account exists")>
                    <a class="button primary" href="/masuk">{move || i18n.t("Masuk", "Log in")}</a>
                    <a class="button secondary" href="/lupa-sandi">{move || i18n.t("Lupa kata sandi?", "Forgot your password?")}</a>
                </nav>
            </Show>
            <button type="submit" class="primary" disabled=move || progress.get().is_some()>
                {move || i18n.t("Kirim pendaftaran", "Send registration")}
            </button>
        </form>
    }
}
