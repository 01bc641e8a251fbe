//! Issue 17's citizen screens in headless Chromium: consent wording (what a scope shares, what
//! approving and revoking say), the new lines of Riwayat, revocation reasons, the link code,
//! and the consent card's approve confirmation and revoke confirmation, mounted.

#![cfg(target_arch = "wasm32")]

use ikd_core::activity::{ActivityEntry, ActivityKind};
use ikd_core::consent_api::{ConsentItem, ConsentScope, ConsentStatus, read_detail};
use ikd_web::components::consent_card::ConsentCard;
use ikd_web::consent_words::{
    activity_detail, approve_confirmation, code_in_query, period, revocation_reason,
    revoke_confirmation, scope_fields, scope_name, short_id,
};
use ikd_web::i18n::I18n;
use ikd_web::pages::account_close::{DELETED, KEPT};
use ikd_web::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let div = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div.dyn_into().expect("html element")
}

/// Lets pending effects run (one turn of the browser's task queue).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

fn item(scope: ConsentScope, status: ConsentStatus) -> ConsentItem {
    ConsentItem {
        id: "0123456789abcdef0123456789abcdef".into(),
        short_code: "K7M2Q9XA".into(),
        institution_name: "Bank Contoh".into(),
        institution_active: true,
        scope,
        fields: scope.fields().iter().map(|f| (*f).to_owned()).collect(),
        purpose: "Pembukaan rekening".into(),
        period_days: 30,
        status,
        requested_at: 1_700_000_000,
        answer_by: 1_700_604_800,
        answered_at: None,
        expires_at: (status == ConsentStatus::Live).then_some(1_702_592_000),
        revoked_at: None,
        reads: 0,
        last_read_at: None,
    }
}

fn entry(kind: ActivityKind, actor: &str, detail: &str) -> ActivityEntry {
    ActivityEntry {
        at: 1_700_000_000,
        kind,
        actor: actor.into(),
        detail: detail.into(),
    }
}

#[wasm_bindgen_test]
fn every_scope_has_a_short_name_and_says_exactly_what_it_shares_in_both_languages() {
    assert_eq!(scope_name(ConsentScope::Full), ("KTP lengkap", "Full KTP"));
    assert_eq!(
        scope_name(ConsentScope::Basic),
        ("Identitas dasar", "Basic identity")
    );
    assert_eq!(
        scope_name(ConsentScope::Age17),
        ("Usia 17+ saja", "Age 17+ only")
    );
    assert_eq!(
        scope_name(ConsentScope::Kk),
        ("Kartu Keluarga", "Family card")
    );
    assert_eq!(
        scope_fields(ConsentScope::Basic),
        (
            "NIK, nama lengkap, tanggal lahir dan jenis kelamin",
            "NIK, full name, birth date and sex"
        )
    );
    // Age 17+ shares a yes or no, and says the birth date is not shared.
    let (id, en) = scope_fields(ConsentScope::Age17);
    assert!(id.contains("bukan tanggal lahir"), "{id}");
    assert!(en.contains("not your birth date"), "{en}");
    for scope in ConsentScope::ALL {
        let (id, en) = scope_fields(scope);
        assert_ne!(id, en);
        assert!(!id.is_empty() && !en.is_empty());
    }
    assert_eq!(period(1), ("1 hari".into(), "1 day".into()));
    assert_eq!(period(30), ("30 hari".into(), "30 days".into()));
}

#[wasm_bindgen_test]
fn approving_says_who_reads_which_fields_for_how_long_and_why() {
    let (id, en) = approve_confirmation(&item(ConsentScope::Basic, ConsentStatus::Waiting));
    assert!(
        id.starts_with(
            "Bank Contoh akan dapat membaca NIK, nama lengkap, tanggal lahir dan jenis kelamin, selama 30 hari"
        ),
        "{id}"
    );
    assert!(id.contains("\u{201c}Pembukaan rekening\u{201d}"), "{id}");
    assert!(id.contains("mencabut"), "{id}");
    assert!(
        en.starts_with(
            "Bank Contoh will be able to read NIK, full name, birth date and sex, for 30 days"
        ),
        "{en}"
    );
    let (id, en) = revoke_confirmation(&item(ConsentScope::Kk, ConsentStatus::Live));
    assert!(
        id.starts_with("Cabut izin Bank Contoh untuk Kartu Keluarga?"),
        "{id}"
    );
    assert!(en.contains("next read will be refused"), "{en}");
}

#[wasm_bindgen_test]
fn riwayat_words_issue_17s_lines_by_scope_and_grant() {
    let grant = "0123456789abcdef";
    let read = entry(
        ActivityKind::InstitutionRead,
        "Bank Contoh",
        &read_detail(ConsentScope::Basic, grant),
    );
    assert_eq!(
        activity_detail(&read),
        Some((
            "Dibaca: Identitas dasar (NIK, nama lengkap, tanggal lahir dan jenis kelamin) · izin 01234567".into(),
            "Read: Basic identity (NIK, full name, birth date and sex) · grant 01234567".into(),
        ))
    );
    let granted = entry(
        ActivityKind::ConsentGranted,
        "Bank Contoh",
        &read_detail(ConsentScope::Age17, grant),
    );
    assert_eq!(
        activity_detail(&granted),
        Some((
            "Cakupan: Usia 17+ saja · izin 01234567".into(),
            "Scope: Age 17+ only · grant 01234567".into(),
        ))
    );
    let declined = entry(ActivityKind::ConsentDeclined, "Bank Contoh", "kk:abc");
    assert_eq!(
        activity_detail(&declined).map(|(_, en)| en),
        Some("Scope: Family card · request abc".into())
    );
    let selfie = entry(ActivityKind::SelfieViewed, "petugas:7", "reg-0001-aaaa");
    assert_eq!(
        activity_detail(&selfie),
        Some((
            "Saat memeriksa pendaftaran reg-0001".into(),
            "While checking registration reg-0001".into(),
        ))
    );
    // Other kinds keep the history page's own wording; a broken detail shows nothing.
    assert_eq!(
        activity_detail(&entry(ActivityKind::Verified, "Bank", "sah")),
        None
    );
    assert_eq!(
        activity_detail(&entry(ActivityKind::InstitutionRead, "Bank", "nonsense")),
        None
    );
    assert_eq!(short_id("abc"), "abc");
}

#[wasm_bindgen_test]
fn revocation_reasons_and_the_link_code_are_read_safely() {
    assert_eq!(revocation_reason("lost-phone").0, "Dilaporkan hilang");
    assert_eq!(
        revocation_reason("device-replaced").1,
        "Replaced by a newer device"
    );
    assert_eq!(
        revocation_reason("something-new"),
        (
            "Dicabut (something-new)".into(),
            "Revoked (something-new)".into()
        )
    );
    assert_eq!(
        code_in_query("?persetujuan=K7M2Q9XA"),
        Some("K7M2Q9XA".into())
    );
    assert_eq!(
        code_in_query("?a=1&persetujuan=K7M2/../x"),
        Some("K7M2x".into())
    );
    assert_eq!(code_in_query("?persetujuan="), None);
    assert_eq!(code_in_query(""), None);
}

#[wasm_bindgen_test]
fn closing_states_what_is_deleted_and_what_the_law_keeps() {
    let deleted: Vec<&str> = DELETED.iter().map(|(id, _)| *id).collect();
    for word in [
        "Email",
        "Kata sandi",
        "Swafoto",
        "sesi",
        "kredensial",
        "izin",
    ] {
        assert!(
            deleted
                .iter()
                .any(|line| line.to_lowercase().contains(&word.to_lowercase())),
            "{word} missing from {deleted:?}"
        );
    }
    assert!(KEPT[0].0.contains("Jejak audit") && KEPT[0].0.contains("hukum"));
    assert!(KEPT[1].1.contains("the state's record"));
}

#[wasm_bindgen_test]
async fn a_waiting_request_asks_before_approving_and_says_what_is_shared() {
    let root = mount_point();
    let waiting = item(ConsentScope::Basic, ConsentStatus::Waiting);
    let _handle = mount_to(root.clone(), move || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        provide_context(AppState::new());
        view! { <ConsentCard item=waiting.clone() /> }
    });
    let text = root.text_content().unwrap_or_default();
    for part in [
        "Bank Contoh",
        "Identitas dasar",
        "Pembukaan rekening",
        "30 hari",
        "Menunggu jawaban Anda",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    let card = root
        .query_selector("[data-testid=consent]")
        .expect("selector")
        .expect("a card");
    assert_eq!(
        card.get_attribute("data-status").as_deref(),
        Some("waiting")
    );
    assert!(
        root.query_selector("[data-testid=confirm-approve]")
            .expect("selector")
            .is_none()
    );
    let approve: web_sys::HtmlElement = root
        .query_selector("button.primary")
        .expect("selector")
        .expect("Setujui")
        .dyn_into()
        .expect("button");
    assert_eq!(approve.text_content().as_deref(), Some("Setujui"));
    approve.click();
    settle().await;
    let confirm = root
        .query_selector("[data-testid=confirm-approve]")
        .expect("selector")
        .expect("the confirmation");
    assert_eq!(
        confirm.get_attribute("role").as_deref(),
        Some("alertdialog")
    );
    let said = confirm.text_content().unwrap_or_default();
    assert!(
        said.contains(
            "Bank Contoh akan dapat membaca NIK, nama lengkap, tanggal lahir dan jenis kelamin"
        ),
        "{said}"
    );
}

#[wasm_bindgen_test]
async fn a_live_grant_offers_revoke_with_a_confirm_and_a_past_one_offers_nothing() {
    let root = mount_point();
    let live = item(ConsentScope::Full, ConsentStatus::Live);
    let _handle = mount_to(root.clone(), move || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        provide_context(AppState::new());
        view! { <ConsentCard item=live.clone() /> }
    });
    let revoke: web_sys::HtmlElement = root
        .query_selector("button.danger")
        .expect("selector")
        .expect("Cabut izin")
        .dyn_into()
        .expect("button");
    assert_eq!(revoke.text_content().as_deref(), Some("Cabut izin"));
    revoke.click();
    settle().await;
    let confirm = root
        .query_selector("[data-testid=confirm-revoke]")
        .expect("selector")
        .expect("the confirmation");
    assert!(
        confirm
            .text_content()
            .unwrap_or_default()
            .contains("Cabut izin Bank Contoh untuk KTP lengkap?")
    );

    let past = mount_point();
    let revoked = item(ConsentScope::Full, ConsentStatus::Revoked);
    let _past = mount_to(past.clone(), move || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        provide_context(AppState::new());
        view! { <ConsentCard item=revoked.clone() /> }
    });
    assert!(past.query_selector("button").expect("selector").is_none());
    assert!(past.text_content().unwrap_or_default().contains("Dicabut"));
}

#[wasm_bindgen_test]
async fn closing_lists_what_goes_and_what_stays_before_the_password_and_waits_for_a_tick() {
    use ikd_web::pages::account_close::AccountClosePage;
    let root = mount_point();
    let _handle = mount_to(root.clone(), || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        provide_context(AppState::new());
        view! { <AccountClosePage /> }
    });
    let text = root.text_content().unwrap_or_default();
    let deleted_at = text.find("Yang dihapus").expect("what is deleted");
    let kept_at = text.find("Yang tetap disimpan").expect("what is kept");
    let password_at = text.rfind("Kata sandi").expect("the password");
    assert!(deleted_at < kept_at && kept_at < password_at, "{text}");
    let close = root
        .query_selector("button.danger")
        .expect("selector")
        .expect("Tutup akun saya");
    assert!(
        close.has_attribute("disabled"),
        "closing needs the tick first"
    );
    let tick: web_sys::HtmlElement = root
        .query_selector("input[type=checkbox]")
        .expect("selector")
        .expect("the tick")
        .dyn_into()
        .expect("input");
    tick.click();
    settle().await;
    assert!(!close.has_attribute("disabled"));
}

#[wasm_bindgen_test]
fn the_lost_phone_page_says_it_revokes_and_does_not_activate_this_browser() {
    use ikd_web::pages::lost_phone::LostPhonePage;
    let root = mount_point();
    let _handle = mount_to(root.clone(), || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        provide_context(AppState::new());
        view! { <LostPhonePage /> }
    });
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("semua QR di ponsel itu dicabut"), "{text}");
    assert!(
        text.contains("Ini tidak mengaktifkan peramban ini"),
        "{text}"
    );
    assert!(
        root.query_selector("#lost-nik")
            .expect("selector")
            .is_some()
    );
    assert!(
        root.query_selector("#lost-password")
            .expect("selector")
            .is_some()
    );
}
