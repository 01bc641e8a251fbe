//! Browser tests: components mounted in real headless Chromium by wasm-bindgen-test-runner
//! (`cargo xtask test` runs them). Each mounts into its own element and checks the DOM.

#![cfg(target_arch = "wasm32")]

use ikd_core::{DatabaseKind, HealthReport, KeyId};
use ikd_web::api::ApiProblem;
use ikd_web::components::health_status::HealthStatus;
use ikd_web::i18n::I18n;
use ikd_web::pages::home::HomePage;
use ikd_web::state::AppState;
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into, so tests do not see each other's output.
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

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .expect("selector")
        .and_then(|el| el.text_content())
}

/// Lets pending futures and effects run (one turn of the browser's task queue).
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

#[wasm_bindgen_test]
fn health_status_tells_citizens_only_that_the_service_is_available() {
    let root = mount_point();
    let report = HealthReport {
        status: "ok".into(),
        version: "9.9.9".into(),
        database: DatabaseKind::Sqlite,
        schema_version: 3,
        issuer_kid: KeyId::from_public_key_bytes(b"abc"),
        demo_data: true,
    };
    let _handle = mount_to(root.clone(), move || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        view! { <HealthStatus result=Ok(report.clone()) /> }
    });
    assert_eq!(
        text_of(&root, "[data-testid=health]").as_deref(),
        Some("Layanan tersedia")
    );
    // Version, database, schema and key id are the operator's business.
    let all = root.text_content().unwrap_or_default();
    for detail in ["9.9.9", "SQLite", "skema", "ba7816bf8f01cfea"] {
        assert!(!all.contains(detail), "{detail} shown in {all}");
    }
}

#[wasm_bindgen_test]
fn health_status_explains_an_unreachable_service() {
    let root = mount_point();
    let _handle = mount_to(root.clone(), || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        view! { <HealthStatus result=Err(ApiProblem::Unreachable) /> }
    });
    let alert = root
        .query_selector("[role=alert]")
        .expect("selector")
        .expect("an alert is shown");
    assert_eq!(
        alert.text_content().as_deref(),
        Some(
            "Layanan tidak tersedia. Tidak dapat menghubungi layanan. Periksa koneksi internet \
             Anda lalu coba lagi"
        )
    );
}

/// The test runner's own web server has no `/api/health`, so the home page must fetch,
/// get an HTTP error, and tell the person so instead of waiting forever.
#[wasm_bindgen_test]
async fn home_page_fetches_health_and_reports_a_missing_service() {
    let root = mount_point();
    ikd_web::apps::lazy_pages::CHUNKS.install(ikd_web::apps::lazy_pages::Chunks::DIRECT);
    let _handle = mount_to(root.clone(), || {
        provide_context(I18n::from_storage(ikd_web::i18n::STORAGE_KEY));
        provide_context(AppState::new());
        view! { <Router><HomePage /></Router> }
    });
    assert_eq!(text_of(&root, "h1").as_deref(), Some("IKD Web"));
    for _ in 0..100 {
        if root
            .query_selector("[data-status=error]")
            .ok()
            .flatten()
            .is_some()
        {
            break;
        }
        settle().await;
    }
    let status = text_of(&root, "[data-testid=health]").expect("a health answer is rendered");
    assert!(
        status.starts_with("Layanan tidak tersedia. Layanan menjawab dengan galat HTTP 404"),
        "unexpected status line: {status}"
    );
}

/// Runs `body` in a window without `crypto`, as an old or stripped-down browser is, and puts
/// the real one back afterwards.
async fn without_crypto<T>(body: impl Future<Output = T>) -> T {
    let window: JsValue = web_sys::window().expect("window").into();
    let window = window.unchecked_into::<js_sys::Object>();
    let name = JsValue::from_str("crypto");
    let original = js_sys::Object::get_own_property_descriptor(&window, &name);
    let missing = js_sys::Object::new();
    js_sys::Reflect::set(&missing, &"value".into(), &JsValue::UNDEFINED).expect("value");
    js_sys::Reflect::set(&missing, &"configurable".into(), &JsValue::TRUE).expect("flag");
    js_sys::Object::define_property(&window, &name, &missing);
    let result = body.await;
    if original.is_undefined() {
        js_sys::Reflect::delete_property(&window, &name).expect("delete");
    } else {
        js_sys::Object::define_property(&window, &name, original.unchecked_ref());
    }
    result
}

#[wasm_bindgen_test]
async fn random_source_missing_refuses_to_seal_or_make_a_device_id() {
    use ikd_web::browser::{self, NoSecureRandom};
    use ikd_web::phone_keys::{PhoneKeys, VaultContents};
    use ikd_web::vault_store::{self, StoreError};

    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    let device_key = format!("{}:0123456789abcdef", browser::DEVICE_KEY);
    storage.remove_item(&device_key).expect("remove");
    let contents = VaultContents {
        signed: "{}".into(),
        keys: PhoneKeys::generate(None).expect("keys"),
    };
    let (random, device, keys, sealed) = without_crypto(async {
        (
            browser::random_bytes::<16>(),
            browser::device_id("0123456789abcdef"),
            PhoneKeys::generate(None).map(|_| ()),
            vault_store::seal_bundle("0123456789abcdef", "SITI AMINAH", &contents, "739154").await,
        )
    })
    .await;
    assert_eq!(random, Err(NoSecureRandom));
    assert_eq!(device, Err(NoSecureRandom));
    // No device key is made from predictable bytes either.
    assert_eq!(keys, Err(NoSecureRandom));
    assert_eq!(storage.get_item(&device_key).expect("read"), None);
    assert_eq!(sealed, Err(StoreError::NoSecureRandom(NoSecureRandom)));
    // What the person reads, in both languages, with something to do about it.
    let problem = ApiProblem::from(NoSecureRandom);
    assert_eq!(problem.code(), Some("no-secure-random"));
    assert!(
        problem.to_string().contains("perbarui peramban"),
        "{problem}"
    );
    assert!(problem.message_en().contains("update it"));

    // With the real source back, bytes and an id are made, and the id is kept.
    let bytes = browser::random_bytes::<16>().expect("a secure source");
    assert_ne!(bytes, [0; 16]);
    let id = browser::device_id("0123456789abcdef").expect("device id");
    assert_eq!(browser::device_id("0123456789abcdef"), Ok(id));
    let device_key = format!("{}:0123456789abcdef", browser::DEVICE_KEY);
    storage.remove_item(&device_key).expect("remove");
}

#[wasm_bindgen_test]
fn random_source_of_zeros_is_refused() {
    use ikd_web::browser::{NoSecureRandom, checked_random};

    assert_eq!(checked_random([0u8; 16]), Err(NoSecureRandom));
    assert_eq!(checked_random([0u8; 8]), Err(NoSecureRandom));
    let mut bytes = [0u8; 16];
    bytes[15] = 1;
    assert_eq!(checked_random(bytes), Ok(bytes));
    // Too short to tell a stuck source from chance.
    assert_eq!(checked_random([0u8; 2]), Ok([0u8; 2]));
}
